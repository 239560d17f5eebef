using System.ComponentModel;
using DurableUn.Cli.Values;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>
/// `durableun audit --base DIR --adapter DIR --forget FILE --retain FILE [--precisions ...]`: the quantization
/// recovery audit of someone else's model and PEFT adapter. A precision passes when FA ≤ ε; an item "comes back"
/// at a precision when its score there exceeds its bf16 score by more than --item-margin.
/// `durableun audit --gguf FILE --forget FILE --retain FILE [--reference FILE_OR_DIR] [--out DIR]`: the audit of a
/// shipped GGUF file (<see cref="GgufAudit"/>: llama.cpp in-process, the file's own tokenizer): FA and RA, the
/// answers that differ from the reference's, and audit.json + audit.md written to --out (default audit-FILESTEM).
/// </summary>
public sealed class AuditCommand : Command<AuditCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--base <DIR>"), Description("Base model folder (stored in NF4 for the audit, as deployed)")] public string Base { get; init; } = "";
        [CommandOption("--gguf <FILE>"), Description("Audit this GGUF file as shipped, run by llama.cpp (instead of --base/--adapter)")] public string? Gguf { get; init; }
        [CommandOption("--reference <FILE_OR_DIR>"), Description("With --gguf: a GGUF file or model folder whose answers to compare with")] public string? Reference { get; init; }
        [CommandOption("--out <DIR>"), Description("With --gguf: folder for audit.json and audit.md (default audit-FILESTEM)")] public string? Out { get; init; }
        [CommandOption("--adapter <DIR>"), Description("PEFT adapter folder of the unlearned model")] public string Adapter { get; init; } = "";
        [CommandOption("--forget <FILE>"), Description("QA rows that must stay forgotten (JSON, JSONL or Parquet)")] public string Forget { get; init; } = "";
        [CommandOption("--retain <FILE>"), Description("QA rows that must be kept")] public string Retain { get; init; } = "";
        [CommandOption("--precisions <LIST>"), Description("Comma-separated precisions (default bf16,int8,int4,nf4,merged-nf4; gguf-TYPE runs llama.cpp's quantization of the merged model); bf16 is always measured"), TypeConverter(typeof(PrecisionListConverter))]
        public IReadOnlyList<Precision> Precisions { get; init; } = [Precision.Bf16, Precision.Int8, Precision.Int4, Precision.Nf4, Precision.MergedNf4];
        [CommandOption("--metric <NAME>"), Description("token_accuracy (default), rouge_l_recall, exact_match, key_fact"), TypeConverter(typeof(MetricConverter))]
        public AccuracyMetric Metric { get; init; } = AccuracyMetric.TokenAccuracy;
        [CommandOption("--epsilon <E>"), Description("Largest acceptable FA at any precision (default 0.1)")] public double Epsilon { get; init; } = 0.1;
        [CommandOption("--item-margin <M>"), Description("Score gain over bf16 that counts as an item coming back (default 0.2)")] public double ItemMargin { get; init; } = 0.2;
        [CommandOption("--template <NAME>"), Description("plain (default) or llama3-chat")] public string Template { get; init; } = "plain";

        public override ValidationResult Validate() =>
            Gguf is not null && (Base != "" || Adapter != "") ? ValidationResult.Error("--gguf audits a file as shipped; it takes no --base or --adapter")
            : Gguf is null && (Reference ?? Out) is not null ? ValidationResult.Error("--reference and --out go with --gguf")
            : (Gguf is null ? new[] { ("--base", Base), ("--adapter", Adapter), ("--forget", Forget), ("--retain", Retain) } : [("--forget", Forget), ("--retain", Retain)])
                .FirstOrDefault(p => p.Item2 == "") is ({ } flag, "")
                ? ValidationResult.Error($"{flag} is required")
                : CliChecks.Parses(() => Experiments.Specs.SpecChecks.Epsilon(Epsilon, "--epsilon"), "--epsilon") is { Successful: false } bad ? bad
                : CliChecks.Parses(() => Templates.Parse(Template), "--template");
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        if (s.Gguf is { } gguf) return AuditGguf(s, gguf);
        Tensors.NativeTorch.EnsureLoaded();
        var precisions = PrecisionList.WithBf16(s.Precisions);
        var metric = s.Metric;
        var forget = QaFile.Load(s.Forget);
        var retain = QaFile.Load(s.Retain);
        using var model = AdaptedModel.Load(s.Base, s.Adapter);
        var encoder = new QaEncoder(model.Pretrained.Tokenizer, Templates.Parse(s.Template));
        var window = model.Pretrained.Config.Llama.MaxPositionEmbeddings;
        encoder.CheckFits(forget, s.Forget, window);
        encoder.CheckFits(retain, s.Retain, window);
        var measured = PrecisionEvaluation.Measure(model.Model, precisions, metric, encoder, forget, retain);
        var table = new Table().AddColumns("precision", $"FA ({metric.Name()})", "RA", "verdict", "items back vs bf16");
        var bf16 = measured.First(m => m.Precision == Precision.Bf16).Forget.PerExample;
        var failed = 0;
        foreach (var m in measured)
        {
            var pass = m.Forget.Aggregate <= s.Epsilon;
            if (!pass) failed++;
            var back = Enumerable.Range(0, forget.Count).Count(i => m.Forget.PerExample[i] - bf16[i] > s.ItemMargin);
            table.AddRow(m.Precision.Name, $"{m.Forget.Aggregate:F3}", $"{m.Retain.Aggregate:F3}",
                pass ? "[green]pass[/]" : "[red]fail[/]", $"{back}");
        }
        AnsiConsole.Write(table);
        foreach (var m in measured.Where(m => m.Precision != Precision.Bf16))
            for (var i = 0; i < forget.Count; i++)
                if (m.Forget.PerExample[i] - bf16[i] > s.ItemMargin)
                    AnsiConsole.MarkupLine($"[yellow]{m.Precision.Name}[/] item {i}: {Markup.Escape(forget[i].Question)} → {bf16[i]:F2} at bf16, {m.Forget.PerExample[i]:F2} here");
        AnsiConsole.MarkupLine(failed == 0
            ? $"[green]durable[/]: FA ≤ {s.Epsilon} at every audited precision"
            : $"[red]not durable[/]: FA > {s.Epsilon} at {failed} of {measured.Count} precisions");
        return failed == 0 ? 0 : CliErrors.NotDurable;
    }

    private static int AuditGguf(Settings s, string gguf)
    {
        var metric = s.Metric;
        var report = GgufAudit.Run(gguf, s.Reference, QaFile.Load(s.Forget), QaFile.Load(s.Retain), metric, Templates.Parse(s.Template), s.Epsilon);
        var table = new Table().AddColumns("model", $"FA ({metric.Name()})", "RA", "forget p̄", "retain p̄");
        table.AddRow(Markup.Escape(Path.GetFileName(gguf)), $"{report.Fa:F3}", $"{report.Ra:F3}", $"{report.FaProb:F4}", $"{report.RaProb:F4}");
        if (report.Reference is { } reference) table.AddRow(Markup.Escape(Path.GetFileName(reference)), $"{report.ReferenceFa:F3}", $"{report.ReferenceRa:F3}", "", "");
        AnsiConsole.Write(table);
        foreach (var i in report.Differing)
            AnsiConsole.MarkupLine($"[yellow]{i.Split} {i.Index}[/]: {Markup.Escape(i.Question)} → \"{Markup.Escape(i.Said)}\" ({i.Score:F2}); reference \"{Markup.Escape(i.ReferenceSaid!)}\" ({i.ReferenceScore:F2})");
        var folder = s.Out ?? $"audit-{Path.GetFileNameWithoutExtension(gguf)}";
        IO.StagingFolder.Build(folder, dir =>
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "audit.json"), System.Text.Json.JsonSerializer.Serialize(report, IO.JsonDefaults.Options));
            File.WriteAllText(Path.Combine(dir, "audit.md"), report.Markdown());
        });
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(Path.GetFullPath(folder))}[/] (audit.json, audit.md)");
        AnsiConsole.MarkupLine(report.Pass ? $"[green]durable[/]: FA ≤ {s.Epsilon} for this file" : $"[red]not durable[/]: FA > {s.Epsilon} for this file");
        return report.Pass ? 0 : 3;
    }
}
