using System.ComponentModel;
using DurableUn.Cli.Values;
using DurableUn.Data;
using DurableUn.Deployment;
using DurableUn.Experiments.Specs;
using DurableUn.Experiments.Sweeps;
using DurableUn.Methods;
using DurableUn.IO;
using DurableUn.Presets;
using DurableUn.Reporting;
using DurableUn.ScaleOut;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>
/// `durableun sweep --method NAME --dataset NAME (--grid key=v1,v2 ... | --random N --range key=lo:hi[:log] ...) --out DIR`
/// `[--base pretrained|random] [--cache DIR] [--lora-rank N]` (the study's preparation options):
/// one method over many option settings, each point unlearned and measured at every precision, then
/// sweep_results.json (Pareto front, phase-transition test) and the report. Resumable; `--shard i/n` runs one part
/// (then `durableun report DIR` merges), `--jobs N` runs shard processes here, `--slurm [--submit]` writes (and
/// submits) sbatch scripts. Every key and value is checked before anything trains.
/// Not: calibration, several methods or datasets in one sweep (run one sweep each).
/// </summary>
public sealed class SweepCommand : Command<SweepCommand.Settings>
{
    public sealed class Settings : ScaleOutSettings
    {
        [CommandOption("--method <NAME>"), Description("The method to sweep (see `durableun methods`)")] public string Method { get; init; } = "";
        [CommandOption("--dataset <NAME>"), Description("tofu (default), muse or wpu")] public string Dataset { get; init; } = "tofu";
        [CommandOption("--preset <PRESET>"), Description("smoke, tiny (default), small or wide")] public ModelPreset Preset { get; init; } = ModelPreset.Tiny;
        [CommandOption("--pipeline <NAME>"), Description("adapter (default: LoRA fine-tuned and unlearned on the NF4 base), fresh-adapter (full fine-tune in NF4, a new LoRA unlearns) or full (every weight fine-tuned and unlearned; model-* precisions)"), TypeConverter(typeof(PipelineConverter))] public DurableUn.Pipelines.Pipeline? Pipeline { get; init; }
        [CommandOption("--grid <KEY=V1,V2>"), Description("A grid axis over a method option (repeatable: the grid is their product)")] public string[] Grid { get; init; } = [];
        [CommandOption("--random <N>"), Description("Draw N random points from the --range options instead of a grid")] public int Random { get; init; }
        [CommandOption("--range <KEY=LO:HI>"), Description("A range for --random: key=lo:hi (uniform) or key=lo:hi:log (log-uniform); repeatable")] public string[] Range { get; init; } = [];
        [CommandOption("--set <KEY=VALUE>"), Description("Fix a method option for every point (repeatable)")] public string[] Set { get; init; } = [];
        [CommandOption("--seed <N>"), Description("Seed of every point's unlearning run and of the random draws (default 0)")] public int Seed { get; init; }
        [CommandOption("--precisions <LIST>"), Description("Comma-separated, with bf16 and int4 (default bf16,int8,int4)"), TypeConverter(typeof(PrecisionListConverter))] public IReadOnlyList<Precision>? Precisions { get; init; }
        [CommandOption("--epsilon <E>"), Description("Certificate ε (default: floor + 0.05)")] public double? Epsilon { get; init; }
        [CommandOption("--base <BASE>"), Description("pretrained (default: the preset pretrained on general text, cached) or random, as study")] public DurableUn.Pretraining.BaseModel? Base { get; init; }
        [CommandOption("--cache <DIR>"), Description("Cache of pretrained bases (default $XDG_CACHE_HOME/durableun or ~/.cache/durableun)")] public string? Cache { get; init; }
        [CommandOption("--lora-rank <N>"), Description("LoRA rank of the target, retain and unlearned adapters (default 16)")] public int? LoraRank { get; init; }
        [CommandOption("--finetune-lr <LR>"), Description("Target/retain fine-tuning lr, as study (default 2e-4·sqrt(4096/d); wide: 1.13e-3)")] public double? FinetuneLr { get; init; }
        [CommandOption("--finetune-steps <N>"), Description("Target/retain fine-tuning steps, as study (default 400; smoke 300)")] public int? FinetuneSteps { get; init; }
        [CommandOption("--forget-size <N>"), Description("Least number of forget QA items of the synthetic data, its entity counts grown in proportion as study (default: the preset's)")] public int? ForgetSize { get; init; }
        [CommandOption("--out <DIR>"), Description("Sweep folder")] public string Out { get; init; } = "";

        public override ValidationResult Validate() =>
            base.Validate() is { Successful: false } shared ? shared
            : Method == "" ? ValidationResult.Error("--method is required")
            : Out == "" ? ValidationResult.Error("--out is required")
            : CliChecks.Valid(() => Resolve(this).Validate());    // unknown keys and bad values, alone and together
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var spec = Resolve(s).Validate();
        Tensors.NativeTorch.EnsureLoaded();
        var outDir = Path.GetFullPath(s.Out);
        if (s.Slurm) return ScaleOut.WriteSlurm(context.Arguments, s, outDir);
        var shard = s.Shard;
        // A second process on this folder (or on this shard of it) is refused instead of repeating the work.
        using var running = FolderLock.Acquire(outDir, shard is null ? "sweep" : $"sweep-shard-{shard.Index}-of-{shard.Count}");
        using var sweep = new Sweep(spec, outDir, new StudyProgress());
        sweep.Prepare();
        if (s.PrepareOnly) return 0;
        if (s.Jobs > 1 && s.Shard is null) ScaleOut.RunLocal(context.Arguments, s, outDir, cancellationToken);
        else sweep.RunCells(shard ?? ShardSpec.All);
        if (s.NoReport || s.Shard is not null) return 0;
        var results = sweep.Collect();
        var written = ReportWriter.Write(SweepReportInput.From(results, Title(spec), spec.Preparation), outDir);
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(outDir)}[/]: sweep_results.json ({results.Points.Count} points, " +
                               $"{results.ParetoFront.Count} on the Pareto front), {written.Count} report files");
        AnsiConsole.MarkupLine(Markup.Escape(results.PhaseTransitionNote));
        return 0;
    }

    public static string Title(SweepSpec spec) =>
        $"DurableUn sweep: {spec.Method.Name} on {DatasetNames.Of(spec.Dataset)} ({spec.Preparation.Preset.ToString().ToLowerInvariant()})";

    internal static SweepSpec Resolve(Settings s)
    {
        var spec = SweepSpec.For(s.Preset, MethodCatalog.Find(s.Method), DatasetNames.Parse(s.Dataset),
                                 s.Pipeline ?? DurableUn.Pipelines.Pipeline.Adapter);
        return spec with
        {
            // The study's preparation options, so a sweep can start from the same target as any study (regime map points).
            Preparation = spec.Preparation with
            {
                Base = s.Base ?? spec.Preparation.Base, CacheDir = s.Cache ?? spec.Preparation.CacheDir, LoraRank = s.LoraRank ?? spec.Preparation.LoraRank,
                FinetuneLr = s.FinetuneLr ?? spec.Preparation.FinetuneLr, FinetuneSteps = s.FinetuneSteps ?? spec.Preparation.FinetuneSteps,
                ForgetSize = s.ForgetSize ?? spec.Preparation.ForgetSize,
            },
            Grid = s.Grid.Select(GridAxis.Parse).ToList(),
            Random = s.Random,
            Ranges = s.Range.Select(SweepRange.Parse).ToList(),
            Set = s.Set,
            Seed = s.Seed,
            Precisions = s.Precisions ?? spec.Precisions,
            Epsilon = s.Epsilon,
        };
    }
}
