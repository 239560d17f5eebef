using DurableUn.Methods;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>`durableun methods`: every unlearning method, its source, and every option with its default.</summary>
public sealed class MethodsCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken)
    {
        foreach (var entry in MethodCatalog.All)
        {
            AnsiConsole.MarkupLine($"[bold]{entry.Name}[/]  [grey]{Markup.Escape(entry.Source)}[/]");
            var defaults = MethodSettings.Values(entry.Defaults());
            AnsiConsole.MarkupLine("    " + Markup.Escape(string.Join("  ", defaults.Select(kv =>
                $"{kv.Key}={Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture)}"))));
        }
        return 0;
    }
}
