using DurableUn.Cli;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Testing;

namespace DurableUn.Tests.Cli;

/// <summary>What one `durableun` invocation returned and printed.</summary>
public sealed record CliResult(int ExitCode, string Output);

/// <summary>
/// Runs `durableun ARGS` in this process through the tool's real entry point (Program.cs: the same command tree,
/// CliErrors and exit codes), printing to a wide <see cref="TestConsole"/> so help lines do not wrap. AnsiConsole is
/// process-wide, so invocations take turns.
/// </summary>
internal static class CliRunner
{
    private static readonly Lock Turn = new();

    /// Studies, sweeps and calibrations in tests share one cache of pretrained bases in the temp folder, never the user's.
    public static readonly string BaseCache = Path.Combine(Path.GetTempPath(), "durableun-test-bases");

    /// <summary>The exit code <see cref="Parse"/> reports for a command line that parsed and validated.</summary>
    public const int WouldRun = -1;

    public static CliResult Run(params string[] args)
    {
        if (args is ["study" or "sweep" or "calibrate", ..] && !args.Contains("--cache")) args = [.. args, "--cache", BaseCache];
        return OnTestConsole(() => (int)typeof(CliErrors).Assembly.EntryPoint!.Invoke(null, [args])!);
    }

    /// <summary>
    /// Parses and validates `durableun ARGS` as the tool does (the same command tree and CliErrors) and stops before the
    /// command executes: <see cref="WouldRun"/> when the command would start its work, else the error's exit code and
    /// line. Walks options without loading, training or writing anything.
    /// </summary>
    public static CliResult Parse(params string[] args) => OnTestConsole(() =>
    {
        var stop = new StopBeforeExecute();
        var app = CommandTree.Create(c => c.Settings.Registrar.RegisterInstance<ICommandInterceptor>(stop));
        var code = CliErrors.Run(args, () => app.Run(args));
        return stop.Reached ? WouldRun : code;
    });

    /// <summary>Spectre calls it after binding and the settings' Validate, just before the command runs; it stops there.</summary>
    private sealed class StopBeforeExecute : ICommandInterceptor
    {
        public bool Reached { get; private set; }

        public void Intercept(CommandContext context, CommandSettings settings)
        {
            Reached = true;
            throw new OperationCanceledException("stopped before the command runs");
        }
    }

    private static CliResult OnTestConsole(Func<int> run)
    {
        lock (Turn)
        {
            var console = new TestConsole().Width(400);
            var previous = AnsiConsole.Console;
            AnsiConsole.Console = console;
            try
            {
                var exitCode = run();
                return new CliResult(exitCode, console.Output);
            }
            finally
            {
                AnsiConsole.Console = previous;
            }
        }
    }

    /// <summary>Runs and fails the test with everything printed unless the exit code is 0.</summary>
    public static CliResult Succeed(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.ExitCode == 0, $"durableun {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Output}");
        return result;
    }
}
