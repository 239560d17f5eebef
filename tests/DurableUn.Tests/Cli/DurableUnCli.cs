using DurableUn.ScaleOut;

namespace DurableUn.Tests.Cli;

/// <summary>
/// Runs the built `durableun` as a user would, in a child process: <c>dotnet durableun.dll ARGS</c>. The test project
/// references the CLI project, so its assembly, runtimeconfig and the patched libtorch sit in this test's output folder.
/// A child process keeps the command's stdout (the JSON `logits` prints) apart from the test's own console, and its
/// torch thread count apart from the test host's. <c>DURABLEUN_THREADS=1</c> unless the caller says otherwise, so
/// results do not depend on the machine's core count.
/// </summary>
internal static class DurableUnCli
{
    public static string Assembly { get; } = Path.Combine(AppContext.BaseDirectory, "durableun.dll");

    public static ExternalResult Run(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string> { [DurableUn.Tensors.NativeTorch.ThreadsVariable] = "1" };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) env[k] = v;
        return ExternalCommand.Run("dotnet", [Assembly, .. arguments], env);
    }

    /// <summary>As <see cref="Run"/>, failing the test with the command's output unless it exits 0.</summary>
    public static string Succeed(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var args = arguments.ToList();
        var result = Run(args, environment);
        Assert.True(result.ExitCode == 0,
            $"durableun {string.Join(' ', args)} exited {result.ExitCode}\n--- stdout ---\n{result.Stdout}\n--- stderr ---\n{result.Stderr}");
        return result.Stdout;
    }
}
