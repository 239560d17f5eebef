using System.ComponentModel;
using DurableUn.Presets;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>`durableun init --preset smoke|tiny --seed N --out DIR [--data DIR ...] [--vocab-size N]`</summary>
public sealed class InitCommand : Command<InitCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--preset <PRESET>"), Description("smoke or tiny")]
        public ModelPreset Preset { get; init; } = ModelPreset.Tiny;

        [CommandOption("--seed <N>"), Description("Seeds the weights and the synthetic data the vocabulary is built from")]
        public ulong Seed { get; init; }

        [CommandOption("--out <DIR>"), Description("Folder to create")]
        public string? Out { get; init; }

        [CommandOption("--data <DIR>"), Description("Build the vocabulary from these dataset folders instead (repeatable)")]
        public string[] Data { get; init; } = [];

        [CommandOption("--vocab-size <N>"), Description("Byte-level BPE vocabulary size, specials and 256 bytes included (default 2048)")]
        public int VocabSize { get; init; } = PresetTokenizer.DefaultVocabSize;

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out is required")
            : VocabSize < PresetTokenizer.Specials.Length + 256 ? ValidationResult.Error($"--vocab-size {VocabSize}: a byte-level vocabulary needs at least {PresetTokenizer.Specials.Length + 256} tokens")
            : CliChecks.NewOutput(Out);
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Tensors.NativeTorch.EnsureLoaded();
        var folder = PresetInitializer.Write(settings.Preset, settings.Seed, settings.Out!, settings.Data, settings.VocabSize);
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(folder.Directory)}[/] ({settings.Preset.ToString().ToLowerInvariant()}, seed {settings.Seed})");
        return 0;
    }
}
