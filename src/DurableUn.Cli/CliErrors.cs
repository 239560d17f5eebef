using DurableUn.Checkpoints;
using DurableUn.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli;

/// <summary>
/// Turns the library's typed errors into one red line naming the file, field and value, and exit code 1;
/// usage errors exit 2. Anything else is a bug and keeps its stack trace.
/// </summary>
internal static class CliErrors
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (CommandAppException e)
        {
            AnsiConsole.MarkupLine($"[red]usage error:[/] {Markup.Escape(e.Message)}");
            return 2;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidDataException or DataFormatException
                                      or SafetensorsException or CheckpointFormatException or KeyNotFoundException
                                      or InvalidOperationException or NotSupportedException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }
}
