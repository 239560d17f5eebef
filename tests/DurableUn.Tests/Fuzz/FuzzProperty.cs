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

    /// <summary>
    /// The stronger property of a reader that has a writer: a broken input is refused with a typed error naming the
    /// file, or what was read is a value the tool stands behind — its own writer writes it, and that reads back to
    /// the same bytes. <paramref name="read"/> reads <paramref name="file"/>; <paramref name="write"/> returns the
    /// bytes the tool writes for a value. Returns whether the input was accepted.
    /// </summary>
    public static bool RejectedOrReadsBackEqual<T>(string file, Func<T> read, Func<T, byte[]> write, string input)
    {
        T value;
        try
        {
            value = read();
        }
        catch (Exception e)
        {
            TypedErrorOrValue(file, () => throw e, input);
            return false;
        }
        var written = Step("accepted, but the tool cannot write what it read", () => write(value), input);
        File.WriteAllBytes(file, written);
        var again = Step("accepted, but its own written form is refused or cannot be written", () => write(read()), input);
        Assert.True(written.AsSpan().SequenceEqual(again),
            $"accepted, but the value read does not read back equal once written\ninput: {Shorten(input)}\n" +
            $"written: {Shorten(System.Text.Encoding.UTF8.GetString(written))}\nagain: {Shorten(System.Text.Encoding.UTF8.GetString(again))}");
        return true;
    }

    private static byte[] Step(string failure, Func<byte[]> step, string input)
    {
        try { return step(); }
        catch (Exception e) { Assert.Fail($"{failure}: {e.GetType().Name}: {e.Message}\ninput: {Shorten(input)}"); throw; }
    }

    private static string Shorten(string s) => s.Length <= 600 ? s : s[..600] + "…";
}
