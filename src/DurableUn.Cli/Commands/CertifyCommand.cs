using System.ComponentModel;
using System.Globalization;
using DurableUn.Certification;
using DurableUn.Cli.Values;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>
/// `durableun certify RUN_DIR... --epsilon E [--precisions bf16,int8,int4] [--metric NAME] [--out FILE]` writes an
/// (ε, P)-durability certificate for unlearned runs of one method on one dataset (one seed each);
/// `durableun certify --verify FILE` recomputes one (this command's or a study's certificates/*.json) and exits 0
/// only when it still holds. The work is <see cref="Certifier"/>'s; this file parses, prints and sets the exit code.
/// </summary>
public sealed class CertifyCommand : Command<CertifyCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[RUN_DIR]"), Description("Unlearned run folders (run.json + PEFT adapter), one per seed")] public string[] RunDirs { get; init; } = [];
        [CommandOption("--epsilon <E>"), Description("A seed passes when max over the precisions of FA ≤ E")] public double? Epsilon { get; init; }
        [CommandOption("--precisions <LIST>"), Description("Comma-separated precisions P (default bf16,int8,int4)"), TypeConverter(typeof(PrecisionListConverter))]
        public IReadOnlyList<Precision> Precisions { get; init; } = [Precision.Bf16, Precision.Int8, Precision.Int4];
        [CommandOption("--metric <NAME>"), Description("key_fact (default), token_accuracy, rouge_l_recall, exact_match"), TypeConverter(typeof(MetricConverter))]
        public AccuracyMetric Metric { get; init; } = AccuracyMetric.KeyFact;
        [CommandOption("--retain-eval-items <N>"), Description("RA on the first N retain items (default 40, as unlearn)")] public int RetainEvalItems { get; init; } = UnlearningTask.DefaultRetainEvalCap;
        [CommandOption("--out <FILE>"), Description("Certificate to write (default certificate.json); not inside a run folder")] public string Out { get; init; } = "certificate.json";
        [CommandOption("--verify <FILE>"), Description("Recompute this certificate instead: every hash first, then (if they all match) the measurements")] public string? Verify { get; init; }
        [CommandOption("--remeasure"), Description("With --verify: measure every seed even when a hash differs")] public bool Remeasure { get; init; }

        public override ValidationResult Validate() =>
            Verify is not null && RunDirs.Length > 0 ? ValidationResult.Error("--verify takes a certificate, not run folders")
            : Verify is null && RunDirs.Length == 0 ? ValidationResult.Error("give one or more RUN_DIRs, or --verify FILE")
            : Verify is null && Epsilon is null ? ValidationResult.Error("--epsilon is required")
            : Verify is null && Remeasure ? ValidationResult.Error("--remeasure goes with --verify")
            : Verify is null && RunDirInside(this) is { } inside
                ? ValidationResult.Error($"--out {Path.GetFullPath(Out)} is inside the run folder {inside}, whose hash the certificate records; write it elsewhere")
            : Epsilon is not null ? CliChecks.Parses(() => Experiments.Specs.SpecChecks.Epsilon(Epsilon, "--epsilon"), "--epsilon")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        Tensors.NativeTorch.EnsureLoaded();
        var certifier = new Certifier(Templates.Parse, line => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]"));
        return s.Verify is { } file ? Verify(certifier, file, s.Remeasure) : Certify(certifier, s);
    }

    private static int Certify(Certifier certifier, Settings s)
    {
        var outFile = Path.GetFullPath(s.Out);
        var certificate = certifier.Certify(s.RunDirs, new CertifyOptions
        {
            Epsilon = s.Epsilon!.Value,
            Precisions = s.Precisions,
            Metric = s.Metric,
            RetainEvalItems = s.RetainEvalItems,
        });
        CertificateFile.Write(outFile, certificate);
        Show(certificate);
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(outFile)}[/]");
        return 0;
    }

    private static int Verify(Certifier certifier, string file, bool remeasure)
    {
        var verification = certifier.Verify(file, remeasure);
        if (verification.Measured) Show(verification.Recomputed);
        foreach (var d in verification.Discrepancies) AnsiConsole.MarkupLine($"[red]differs[/] {Markup.Escape(d.ToString())}");
        AnsiConsole.MarkupLine(verification.Holds
            ? $"[green]holds[/]: {Markup.Escape(file)} matches its files and measurements"
            : $"[red]does not hold[/]: {verification.Discrepancies.Count} discrepancies in {Markup.Escape(file)}" +
              (verification.Measured ? "" : " (hashes only: nothing was measured; --remeasure measures every seed anyway)"));
        return verification.Holds ? 0 : CliErrors.NotDurable;
    }

    /// <summary>The run folder --out lies in, if any: a run folder's hash covers every file in it, so a certificate
    /// written there would break its own hash.</summary>
    private static string? RunDirInside(Settings s)
    {
        var outFile = Path.GetFullPath(s.Out);
        return s.RunDirs.Select(Path.GetFullPath).FirstOrDefault(d => outFile.StartsWith(d + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    private static void Show(Certificate c)
    {
        string[] columns = ["seed", .. c.Precisions.Select(p => $"FA {p}"), .. c.Precisions.Select(p => $"RA {p}"), "verdict"];
        var table = new Table().AddColumns(columns);
        foreach (var seed in c.Seeds)
        {
            string[] row = [$"{seed.Seed}", .. c.Precisions.Select(p => $"{seed.Fa.GetValueOrDefault(p, double.NaN):F3}"),
                            .. c.Precisions.Select(p => $"{seed.Ra.GetValueOrDefault(p, double.NaN):F3}"), seed.Pass ? "[green]pass[/]" : "[red]fail[/]"];
            table.AddRow(row);
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{Markup.Escape(c.Dataset)} / {Markup.Escape(c.Method.Name)}: (ε = {c.Epsilon.ToString(CultureInfo.InvariantCulture)}, {{{Markup.Escape(string.Join(", ", c.Precisions))}}}) " +
                               $"by {Markup.Escape(c.Metric)}: cert rate {c.Seeds.Count(x => x.Pass)}/{c.Seeds.Count}" + (c.Stable ? ", [green]stable[/]" : ""));
    }
}
