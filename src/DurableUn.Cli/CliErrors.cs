using DurableUn.Checkpoints;
using DurableUn.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli;

/// <summary>
/// The one error path of the tool: every failure is one line, never wrapped, and an exit code a script can act on.
/// Bad input (the library's typed errors, which name the file, field and value) exits 1; a usage error (unknown
/// option, bad option value) exits 2; a cancelled run exits 130 like any SIGINT'd program; anything else is a bug
/// and exits 70 (EX_SOFTWARE) with its message and a hint, the stack trace only when <see cref="DebugVariable"/> is set.
/// </summary>
internal static class CliErrors
{
    public const int BadInput = 1;
    public const int Usage = 2;
    public const int Internal = 70;     // sysexits.h EX_SOFTWARE: an internal software error
    public const int Cancelled = 130;   // 128 + SIGINT, what a shell reports for Ctrl-C

    /// <summary>Set to 1 to print the stack trace of an unexpected error.</summary>
    public const string DebugVariable = "DURABLEUN_DEBUG";

    // Redirected output is read by programs and log files, not an 80-column terminal: a line must stay one line.
    private const int RedirectedWidth = 4096;

    public static int Run(Func<int> body)
    {
        if (Console.IsOutputRedirected && AnsiConsole.Profile.Width < RedirectedWidth)
            AnsiConsole.Profile.Width = RedirectedWidth;
        try
        {
            return body();
        }
        catch (Exception e)
        {
            var (code, label) = Classify(e);
            AnsiConsole.MarkupLine($"[red]{label}:[/] {Markup.Escape(OneLine(Message(e, code)))}");
            if (code == Internal && Environment.GetEnvironmentVariable(DebugVariable) is "1" or "true")
                AnsiConsole.WriteLine(e.ToString());
            return code;
        }
    }

    /// <summary>Exit code and label of an exception.</summary>
    public static (int Code, string Label) Classify(Exception e) =>
        Unwrap(e) switch
        {
            CommandAppException => (Usage, "usage error"),
            OperationCanceledException => (Cancelled, "cancelled"),
            ArgumentException or FormatException or IOException or UnauthorizedAccessException or DataFormatException
                or SafetensorsException or CheckpointFormatException or Checkpoints.Gguf.GgufFormatException or KeyNotFoundException or InvalidOperationException
                or NotSupportedException or System.Text.Json.JsonException or InvalidDataException or OverflowException
                => (BadInput, "error"),
            _ => (Internal, "internal error"),
        };

    private static string Message(Exception e, int code)
    {
        var inner = Unwrap(e);
        return code == Internal
            ? $"{inner.GetType().Name}: {inner.Message} (set {DebugVariable}=1 for the stack trace)"
            : inner.Message;
    }

    private static Exception Unwrap(Exception e) =>
        e is System.Reflection.TargetInvocationException or AggregateException && e.InnerException is { } inner ? Unwrap(inner) : e;

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
