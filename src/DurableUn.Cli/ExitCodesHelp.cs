using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace DurableUn.Cli;

/// <summary>Spectre's help with the tool's exit codes (<see cref="CliErrors"/>) under every page, as README.md lists them.</summary>
internal sealed class ExitCodesHelp(ICommandAppSettings settings) : HelpProvider(settings)
{
    public override IEnumerable<IRenderable> GetFooter(ICommandModel model, ICommandInfo? command) =>
    [
        .. base.GetFooter(model, command),
        new Markup($"""

            [yellow]EXIT CODES:[/]
                0    success
                {CliErrors.BadInput}    bad input: a file or folder is missing or malformed (the message names it, the field and the value)
                {CliErrors.Usage}    usage error: unknown option, an option value that does not parse or is out of range, or an existing --out; nothing was done
                {CliErrors.NotDurable}    the audit or certificate says not durable (audit: FA > ε somewhere; certify --verify: it no longer holds)
                {CliErrors.Internal}   internal error (a bug; {CliErrors.DebugVariable}=1 prints the stack trace)
                {CliErrors.Cancelled}  cancelled (Ctrl-C)

            """),
    ];
}
