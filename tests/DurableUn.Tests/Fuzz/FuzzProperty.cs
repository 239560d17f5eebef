using DurableUn.Cli;

namespace DurableUn.Tests.Fuzz;

/// <summary>
/// The property every reader must hold on any input: it returns a value or throws one of the typed bad-input errors
/// the CLI reports as one line with exit 1 (<see cref="CliErrors.Classify"/>) — and the message names the file.
/// Anything else (a NullReferenceException, an index error, a native crash) fails the test with the input that caused it.
/// </summary>
internal static class FuzzProperty
{
    /// How many broken inputs each reader gets: enough to reach every mutation kind many times, few enough for seconds.
    public const int Cases = 60;

    public static void TypedErrorOrValue(string file, Action read, string input)
    {
        try
        {
            read();
        }
        catch (Exception e)
        {
            var (code, _) = CliErrors.Classify(e);
            Assert.True(code == CliErrors.BadInput,
                $"{e.GetType().Name} is not a typed bad-input error: {e.Message}\ninput: {Shorten(input)}\n{e}");
            Assert.True(e.Message.Contains(Path.GetFileName(file), StringComparison.Ordinal),
                $"the error does not name {Path.GetFileName(file)}: {e.Message}\ninput: {Shorten(input)}");
        }
    }

    private static string Shorten(string s) => s.Length <= 600 ? s : s[..600] + "…";
}
