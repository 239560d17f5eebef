using System.ComponentModel;
using System.Globalization;
using DurableUn.Pretraining;
using DurableUn.Presets;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>
/// `durableun pretrain --preset P --out DIR [--seed N] [--steps N] [--cache DIR]`: full-parameter
/// training of the preset on general synthetic text whose entities avoid every benchmark of that size and seed,
/// through the content-addressed cache that study, sweep and calibrate share; DIR gets a copy of the base.
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
        return 0;
    }
}
