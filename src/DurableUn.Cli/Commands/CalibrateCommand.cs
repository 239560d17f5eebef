using DurableUn.Cli.Values;
using System.ComponentModel;
using System.Globalization;
using DurableUn.Deployment;
using DurableUn.Experiments.Calibration;
using DurableUn.Experiments.Specs;
using DurableUn.Experiments.Studies;
using DurableUn.Presets;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>
/// `durableun calibrate --preset smoke|tiny --out DIR [--datasets ...] [--methods ...] [--audit-epsilon E]`:
/// the practitioner's bf16 audit loop on its own. It runs only a study's preparation (<see cref="Study.Prepare"/>:
/// model, data, target and retain adapters, the bf16 ladder search) and prints, per dataset and method, every probed
/// (lr, steps) with its FA_bf16 and RA_bf16 and the weakest one with FA_bf16 ≤ ε_audit, or that none passed.
/// The study is resolved as `study` resolves it but with precisions = bf16 only, so nothing here is ever measured at
/// INT8 or INT4 (not even the target and retain rows); the folder's study.json says so, and a full `study` therefore
/// needs its own --out folder.
/// </summary>
public sealed class CalibrateCommand : Command<CalibrateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--preset <PRESET>"), Description("smoke, tiny (default), small or wide")] public ModelPreset Preset { get; init; } = ModelPreset.Tiny;
        [CommandOption("--out <DIR>"), Description("Folder for the preparation (model, data, targets, calibration/)")] public string Out { get; init; } = "";
        [CommandOption("--pipeline <NAME>"), Description("adapter (default: LoRA fine-tuned and unlearned on the NF4 base), fresh-adapter (full fine-tune in NF4, a new LoRA unlearns) or full (every weight fine-tuned and unlearned; model-* precisions)"), TypeConverter(typeof(PipelineConverter))] public DurableUn.Pipelines.Pipeline? Pipeline { get; init; }
        [CommandOption("--datasets <LIST>"), Description("Comma-separated: tofu,muse,wpu")] public string? Datasets { get; init; }
        [CommandOption("--methods <LIST>"), Description("Comma-separated method names (default: all)")] public string? Methods { get; init; }
        [CommandOption("--base <BASE>"), Description("pretrained (default) or random")] public DurableUn.Pretraining.BaseModel? Base { get; init; }
        [CommandOption("--cache <DIR>"), Description("Cache of pretrained bases (default $XDG_CACHE_HOME/durableun or ~/.cache/durableun)")] public string? Cache { get; init; }
        [CommandOption("--audit-epsilon <E>"), Description("Target for FA_bf16 (default: the retain model's FA_bf16 + 0.05)")] public double? AuditEpsilon { get; init; }

        public override ValidationResult Validate() =>
            Out == "" ? ValidationResult.Error("--out is required") : CliChecks.Valid(() => Spec(this));
    }

    private static StudySpec Spec(Settings s) => StudyCommand.Resolve(new StudyCommand.Settings
    {
        Preset = s.Preset, Pipeline = s.Pipeline, Datasets = s.Datasets, Methods = s.Methods, AuditEpsilon = s.AuditEpsilon, Base = s.Base, Cache = s.Cache,
        Precisions = [Precision.Bf16],   // the audit precision only: no INT4 number exists to influence the choice
    }).Validate();

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var spec = Spec(s);
        Tensors.NativeTorch.EnsureLoaded();
        using var study = new Study(spec, Path.GetFullPath(s.Out), new StudyProgress());
        study.Prepare();
        foreach (var c in study.Calibrations()) Show(c);
        return 0;
    }

    private static void Show(CalibrationResult c)
    {
        var table = new Table().Title($"{c.Dataset} / {c.Method}: ε_audit = {c.AuditEpsilon:F3}").AddColumns("lr", "steps", "FA bf16", "RA bf16", "audit");
        foreach (var p in c.Probes.OrderBy(p => p.Lr * p.Steps).ThenBy(p => p.Steps))
            table.AddRow(p.Lr.ToString("G3", CultureInfo.InvariantCulture), $"{p.Steps}", $"{p.FaBf16:F3}", $"{p.RaBf16:F3}",
                         p.FaBf16 <= c.AuditEpsilon ? "[green]pass[/]" : "[red]fail[/]");
        AnsiConsole.Write(table);
        var chosen = $"lr {c.Chosen.Lr.ToString("G3", CultureInfo.InvariantCulture)}, steps {c.Chosen.Steps}";
        AnsiConsole.MarkupLine(c.Passed
            ? $"  chosen: [green]{chosen}[/] (weakest probed setting with FA_bf16 {c.Chosen.FaBf16:F3} ≤ {c.AuditEpsilon:F3})"
            : $"  [red]none passed[/]: every probed setting left FA_bf16 > {c.AuditEpsilon:F3}; a study would use the strongest ({chosen})");
    }
}
