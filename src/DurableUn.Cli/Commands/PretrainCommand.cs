using System.ComponentModel;
using System.Globalization;
using DurableUn.Adapters;
using DurableUn.Data;
using DurableUn.Data.Synthetic;
using DurableUn.Data.Tokenized;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Pretraining;
using DurableUn.Runs;
using DurableUn.Presets;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>
/// `durableun pretrain --preset P --out DIR [--seed N] [--steps N] [--cache DIR]`: full-parameter
/// training of the preset on general synthetic text whose entities avoid every benchmark of that size and seed, plus
/// WPU's people (docs/benchmarks.md#wpu), through the content-addressed cache that study, sweep and calibrate share; DIR
/// gets a copy of the base. It ends by printing the base's key-fact recall of each WPU split at bf16: what WPU's target
/// knows before unlearning.
/// </summary>
public sealed class PretrainCommand : Command<PretrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--preset <PRESET>"), Description("smoke, tiny (default), small or wide")] public ModelPreset Preset { get; init; } = ModelPreset.Tiny;
        [CommandOption("--out <DIR>"), Description("Folder to create with the pretrained model")] public string? Out { get; init; }
        [CommandOption("--seed <N>"), Description("Data seed: the initial weights, the tokenizer's corpus, the benchmarks avoided, the pretraining corpus and order (default 0)")] public ulong Seed { get; init; }
        [CommandOption("--steps <N>"), Description("Optimizer steps (default: the preset's)")] public int? Steps { get; init; }
        [CommandOption("--cache <DIR>"), Description("Cache folder (default $XDG_CACHE_HOME/durableun or ~/.cache/durableun)")] public string? Cache { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out is required")
            : Steps is < 1 ? ValidationResult.Error($"--steps must be ≥ 1, got {Steps}")
            : CliChecks.NewOutput(Out);
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        Tensors.NativeTorch.EnsureLoaded();
        var defaults = PretrainOptions.For(s.Preset);
        var options = defaults with { Seed = s.Seed, Steps = s.Steps ?? defaults.Steps };
        var cache = s.Cache ?? PretrainedBases.DefaultCacheDir();
        var (folder, trained) = PresetBase.Ensure(s.Preset, s.Seed, options, cache, step =>
        {
            if ((step.Step + 1) % 50 == 0 || step.Step + 1 == options.Steps)
                AnsiConsole.MarkupLine($"step {step.Step + 1}/{options.Steps}: loss {step.Loss.ToString("F3", CultureInfo.InvariantCulture)}");
        });
        DurableUn.IO.StagingFolder.Build(s.Out!, dir =>
        {
            Directory.CreateDirectory(dir);
            foreach (var file in Directory.EnumerateFiles(folder)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        });
        AnsiConsole.MarkupLine($"{(trained ? "trained" : "cached")} base [green]{Markup.Escape(folder)}[/]; wrote [green]{Markup.Escape(Path.GetFullPath(s.Out!))}[/]");
        foreach (var (split, recall) in WpuRecall(folder, s.Preset, s.Seed))
            AnsiConsole.MarkupLine($"WPU {split}: key-fact recall at bf16 {recall.ToString("F3", CultureInfo.InvariantCulture)}");
        return 0;
    }

    /// Key-fact recall of the greedy answer at bf16, the study's FA, on each split of the WPU data of this preset and seed.
    private static IEnumerable<(string Split, double Recall)> WpuRecall(string baseDir, ModelPreset preset, ulong seed)
    {
        var scratch = Directory.CreateTempSubdirectory("durableun-wpu-recall-").FullName;
        try
        {
            var wpu = SyntheticDatasets.Write(DatasetKind.Wpu, ModelPresets.Data(preset), seed, Path.Combine(scratch, "wpu"));
            using var model = AdaptedModel.Load(baseDir, null, new QLoraOptions { BaseFormat = null });
            using var deployed = Deployer.Deploy(model.Model, Precision.Bf16);
            var encoder = new QaEncoder(model.Pretrained.Tokenizer, new PromptTemplate.Plain());
            var splits = PresetBase.People(BaseVariant.Target);
            var measured = QaAccuracy.Measure(deployed.Model, encoder, splits.Select(n => (IReadOnlyList<QaItem>)wpu.Qa(n)).ToList(), AccuracyMetric.KeyFact);
            return splits.Zip(measured, (n, m) => (n, m.Aggregate)).ToList();
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
