using System.ComponentModel;
using DurableUn.Data;
using DurableUn.Data.Synthetic;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>`durableun data make --dataset tofu|muse|wpu --preset smoke|tiny [--forget-size N] --seed N --out DIR`</summary>
public sealed class DataMakeCommand : Command<DataMakeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--dataset <NAME>"), Description("tofu, muse or wpu")]
        public DatasetKind Dataset { get; init; } = DatasetKind.Tofu;

        [CommandOption("--preset <PRESET>"), Description("smoke, tiny or small")]
        public DataPreset Preset { get; init; } = DataPreset.Tiny;

        [CommandOption("--difficulty <LEVEL>"), Description("easy, normal or hard: facts per entity and how close the distractors are")]
        public DataDifficulty Difficulty { get; init; } = DataDifficulty.Normal;

        [CommandOption("--forget-size <N>"), Description("Least number of forget QA items; every forget, retain and holdout entity count grows in proportion (default: the preset's)")]
        public int? ForgetSize { get; init; }

        [CommandOption("--seed <N>")]
        public ulong Seed { get; init; }

        [CommandOption("--out <DIR>"), Description("Folder to create (must not exist)")]
        public string? Out { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out is required")
            : ForgetSize is < 1 ? ValidationResult.Error($"--forget-size must be ≥ 1, got {ForgetSize}")
            : CliChecks.NewOutput(Out);
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var dataset = SyntheticDatasets.Write(settings.Dataset, settings.Preset, settings.Seed, settings.Out!, settings.Difficulty, settings.ForgetSize);
        var summary = dataset.Summary();
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(dataset.Directory)}[/]: {summary.Splits.Count} splits, {summary.TotalRows} rows");
        return 0;
    }
}
