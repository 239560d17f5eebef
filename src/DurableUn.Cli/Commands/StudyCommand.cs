using System.ComponentModel;
using DurableUn.Cli.Values;
using DurableUn.Data;
using DurableUn.Deployment;
using DurableUn.Experiments.Specs;
using DurableUn.Experiments.Studies;
using DurableUn.Methods;
using DurableUn.Evaluation;
using DurableUn.IO;
using DurableUn.Presets;
using DurableUn.Reporting;
using DurableUn.ScaleOut;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>
/// `durableun study --preset tiny --out DIR`: every method × dataset × seed × precision (lists selectable), then
/// results.json, certificates and the report. Resumable; `--shard i/n` runs one part, `--jobs N` runs N shard
/// processes here, which share the preparation and then run their cells, `--slurm [--submit]` writes (and submits) an sbatch job array.
/// </summary>
public sealed class StudyCommand : Command<StudyCommand.Settings>
{
    public sealed class Settings : ScaleOutSettings
    {
        [CommandOption("--preset <PRESET>"), Description("smoke, tiny (default), small or wide")] public ModelPreset Preset { get; init; } = ModelPreset.Tiny;
        [CommandOption("--out <DIR>"), Description("Study folder (default runs/PRESET)")] public string? Out { get; init; }
        [CommandOption("--pipeline <NAME>"), Description("adapter (default: LoRA fine-tuned and unlearned on the NF4 base), fresh-adapter (full fine-tune in NF4, a new LoRA unlearns) or full (every weight fine-tuned and unlearned; model-* precisions)"), TypeConverter(typeof(PipelineConverter))] public DurableUn.Pipelines.Pipeline? Pipeline { get; init; }
        [CommandOption("--datasets <LIST>"), Description("Comma-separated: tofu,muse,wpu")] public string? Datasets { get; init; }
        [CommandOption("--methods <LIST>"), Description("Comma-separated method names (default: all)")] public string? Methods { get; init; }
        [CommandOption("--seeds <LIST>"), Description("Comma-separated seeds (default 0,1,2)"), TypeConverter(typeof(SeedListConverter))] public IReadOnlyList<int>? Seeds { get; init; }
        [CommandOption("--precisions <LIST>"), Description("Comma-separated precisions (default bf16,int8,int4; fresh-adapter adds merged-nf4,merged-int4; full: bf16,model-int8,model-int4,model-fp4,model-nf4)"), TypeConverter(typeof(PrecisionListConverter))] public IReadOnlyList<Precision>? Precisions { get; init; }
        [CommandOption("--metric <NAME>"), Description("FA/RA metric: key_fact (default), token_accuracy, rouge_l_recall, exact_match"), TypeConverter(typeof(MetricConverter))] public AccuracyMetric? Metric { get; init; }
        [CommandOption("--epsilon <E>"), Description("Certificate ε (default: the audit target)")] public double? Epsilon { get; init; }
        [CommandOption("--audit-epsilon <E>"), Description("Calibration target for FA_bf16 (default: floor + 0.05)")] public double? AuditEpsilon { get; init; }
        [CommandOption("--base <BASE>"), Description("pretrained (default: the preset pretrained on general text, cached) or random (the old regime)")] public DurableUn.Pretraining.BaseModel? Base { get; init; }
        [CommandOption("--cache <DIR>"), Description("Cache of pretrained bases (default $XDG_CACHE_HOME/durableun or ~/.cache/durableun)")] public string? Cache { get; init; }
        [CommandOption("--lora-rank <N>"), Description("LoRA rank of every adapter (default 16)")] public int? LoraRank { get; init; }
        [CommandOption("--finetune-lr <LR>"), Description("Target/retain fine-tuning lr (default 2e-4·sqrt(4096/d); wide: 1.13e-3)")] public double? FinetuneLr { get; init; }
        [CommandOption("--finetune-steps <N>"), Description("Target/retain fine-tuning steps (default 400; smoke 300)")] public int? FinetuneSteps { get; init; }
        [CommandOption("--forget-size <N>"), Description("Least number of forget QA items of the synthetic data, its entity counts grown in proportion (default: the preset's; tiny TOFU has 20)")] public int? ForgetSize { get; init; }
        [CommandOption("--published <LIST>"), Description("Methods that also get a row at published hyperparameters (default salun; 'none')")] public string? Published { get; init; }

        // Every value, alone and together (the spec's own checks), before the folder is touched.
        public override ValidationResult Validate() =>
            base.Validate() is { Successful: false } shared ? shared
            : Precisions is { } named && CliChecks.Parses(() => SpecChecks.PrecisionsFit(named, Preset), "--precisions") is { Successful: false } unfit ? unfit
            : CliChecks.Valid(() => Resolve(this).Validate());
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var spec = Resolve(s).Validate();
        var outDir = Path.GetFullPath(s.Out ?? Path.Combine("runs", s.Preset.ToString().ToLowerInvariant()));
        if (s.Slurm) return ScaleOut.WriteSlurm(context.Arguments, s, outDir);
        Tensors.NativeTorch.EnsureLoaded();
        var progress = new StudyProgress();
        var shard = s.Shard;
        // A second process on this folder (or on this shard of it) is refused instead of repeating the work.
        using var running = FolderLock.Acquire(outDir, shard is null ? "study" : $"study-shard-{shard.Index}-of-{shard.Count}");
        using var study = new Study(spec, outDir, progress);
        if (s.Jobs > 1 && s.Shard is null)
        {
            // The inputs here, with every core (a base that must be pretrained is one job); then the shards share the
            // rest of the preparation task by task (Study.Prepare) and run their cells.
            study.PrepareInputs();
            ScaleOut.RunLocal(context.Arguments, s, outDir, cancellationToken);
            if (s.PrepareOnly) return 0;
        }
        else
        {
            study.Prepare();
            if (s.PrepareOnly) return 0;
            study.RunCells(shard ?? ShardSpec.All);
        }
        if (s.NoReport || s.Shard is not null) return 0;
        var results = study.Collect();
        var written = ReportWriter.Write(StudyReportInput.From(results, $"DurableUn study ({spec.Preset.ToString().ToLowerInvariant()})", spec), outDir);
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(outDir)}[/]: results.json, {results.Certificates.Count} certificates, {written.Count} report files");
        return 0;
    }

    internal static StudySpec Resolve(Settings s)
    {
        var spec = StudySpec.For(s.Preset, s.Pipeline ?? DurableUn.Pipelines.Pipeline.Adapter);
        return spec with
        {
            Datasets = s.Datasets is null ? spec.Datasets : CommaList.Parse(s.Datasets).Select(DatasetNames.Parse).ToList(),
            Methods = s.Methods is null ? spec.Methods : CommaList.Parse(s.Methods).Select(MethodCatalog.Find).ToList(),
            Seeds = s.Seeds ?? spec.Seeds,
            Precisions = s.Precisions ?? spec.Precisions,
            Metric = s.Metric ?? spec.Metric,
            Epsilon = s.Epsilon ?? spec.Epsilon,
            AuditEpsilon = s.AuditEpsilon ?? spec.AuditEpsilon,
            Base = s.Base ?? spec.Base,
            CacheDir = s.Cache ?? spec.CacheDir,
            LoraRank = s.LoraRank ?? spec.LoraRank,
            FinetuneLr = s.FinetuneLr ?? spec.FinetuneLr,
            FinetuneSteps = s.FinetuneSteps ?? spec.FinetuneSteps,
            ForgetSize = s.ForgetSize ?? spec.ForgetSize,
            PublishedRows = s.Published is null ? spec.PublishedRows : s.Published == "none" ? [] : CommaList.Parse(s.Published).Select(MethodCatalog.Find).ToList(),
        };
    }

}
