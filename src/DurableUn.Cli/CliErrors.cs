using DurableUn.Checkpoints;
using DurableUn.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli;

/// <summary>
/// The one error path of the tool: every failure is one line, never wrapped, and an exit code a script can act on
/// (the table is in README.md and in `durableun --help`). A usage error exits 2: an unknown option, or an option
/// value that does not parse (the typed converters in Values/) or breaks its command's Validate, all found before
/// any work. Bad input exits 1: a file or folder that is missing or malformed (the library's typed errors, which
/// name the file, field and value). A cancelled run exits 130 like any SIGINT'd program; anything else is a bug and
/// exits 70 (EX_SOFTWARE) with its message and a hint, the stack trace only when <see cref="DebugVariable"/> is set.
/// </summary>
internal static class CliErrors
{
    public const int BadInput = 1;
    public const int Usage = 2;
    public const int NotDurable = 3;    // a verdict, not an error: the audit failed or a certificate no longer holds
    public const int Internal = 70;     // sysexits.h EX_SOFTWARE: an internal software error
    public const int Cancelled = 130;   // 128 + SIGINT, what a shell reports for Ctrl-C

    /// <summary>Set to 1 to print the stack trace of an unexpected error.</summary>
    public const string DebugVariable = "DURABLEUN_DEBUG";

    // Redirected output is read by programs and log files, not an 80-column terminal: a line must stay one line.
    private const int RedirectedWidth = 4096;

    /// <summary>Runs the command line <paramref name="args"/> through <paramref name="body"/>.</summary>
    public static int Run(string[] args, Func<int> body)
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
            AnsiConsole.MarkupLine($"[red]{label}:[/] {Markup.Escape(OneLine(ConversionMessage(e, args) ?? Message(e, code)))}");
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
            : Text(inner);
    }

    /// <summary>An exception's message for a user: without the " (Parameter 'x')" .NET appends to an argument error.</summary>
    public static string Text(Exception e) =>
        e is ArgumentException { ParamName: { } name } && e.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
            ? e.Message[..^$" (Parameter '{name}')".Length]
            : e.Message;

    /// <summary>
    /// A value Spectre could not convert, said in the product's words with the option that carried it: Spectre's own
    /// message names the .NET type ("Failed to convert 'abc' to Nullable`1") and not the option, so the option is the
    /// argument in front of the value (or the `--name=value` holding it) and the reason is the converter's.
    /// </summary>
    internal static string? ConversionMessage(Exception e, IReadOnlyList<string> args)
    {
        if (Unwrap(e) is not CommandRuntimeException { InnerException: { } inner } failure
            || !failure.Message.StartsWith("Failed to convert '", StringComparison.Ordinal)) return null;
        var value = failure.Message["Failed to convert '".Length..];
        value = value[..Math.Max(0, value.LastIndexOf("' to ", StringComparison.Ordinal))];
        string? option = null;
        for (var i = args.Count - 1; i >= 0 && option is null; i--)
        {
            if (args[i] == value && i > 0 && args[i - 1].StartsWith('-')) option = args[i - 1];
            else if (args[i].StartsWith('-') && args[i].EndsWith("=" + value, StringComparison.Ordinal)) option = args[i][..^(value.Length + 1)];
        }
        var valid = failure.Message.IndexOf(" Valid values are ", StringComparison.Ordinal) is var at and >= 0
            ? "; valid: " + failure.Message[(at + " Valid values are ".Length)..].Replace("'", "", StringComparison.Ordinal).ToLowerInvariant()
            : "";
        var reason = inner is Values.OptionValueException ? inner.Message : $"\"{value}\" is not a valid value{valid}";
        return option is null ? reason : $"{option}: {reason}";
    }

    private static Exception Unwrap(Exception e) =>
        e is System.Reflection.TargetInvocationException or AggregateException && e.InnerException is { } inner ? Unwrap(inner) : e;

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
