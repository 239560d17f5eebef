using System.ComponentModel;
using DurableUn.Adapters;
using DurableUn.Data;
using DurableUn.Finetuning;
using DurableUn.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>`durableun finetune --model DIR --data DIR --split full|retain --out DIR`</summary>
public sealed class FinetuneCommand : Command<FinetuneCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <DIR>"), Description("Base model folder (Hugging Face layout); stored in NF4 for training")]
        public string Model { get; init; } = "";
        [CommandOption("--data <DIR>"), Description("Dataset folder (TOFU, MUSE or WPU layout)")]
        public string Data { get; init; } = "";
        [CommandOption("--split <SPLIT>"), Description("full (target: forget ∪ retain) or retain (the retain model)")]
        public FinetuneSplit Split { get; init; } = FinetuneSplit.Full;
        [CommandOption("--out <DIR>"), Description("Adapter folder to create (PEFT layout + run.json)")]
        public string Out { get; init; } = "";
        [CommandOption("--steps <N>")] public int? Steps { get; init; }
        [CommandOption("--lr <LR>")] public double? LearningRate { get; init; }
        [CommandOption("--batch-size <N>")] public int? BatchSize { get; init; }
        [CommandOption("--rank <R>"), Description("LoRA rank (default 8)")] public int? Rank { get; init; }
        [CommandOption("--alpha <A>"), Description("LoRA alpha (default 16)")] public double? Alpha { get; init; }
        [CommandOption("--seed <N>")] public long Seed { get; init; }
        [CommandOption("--template <NAME>"), Description("plain (default) or llama3-chat")] public string Template { get; init; } = "plain";

        public override ValidationResult Validate() =>
            Model == "" ? ValidationResult.Error("--model is required")
            : Data == "" ? ValidationResult.Error("--data is required")
            : Out == "" ? ValidationResult.Error("--out is required")
            : Steps is < 1 ? ValidationResult.Error($"--steps must be ≥ 1, got {Steps}")
            : LearningRate is { } lr && !(lr > 0 && double.IsFinite(lr)) ? ValidationResult.Error($"--lr must be a positive finite number, got {lr}")
            : BatchSize is < 1 ? ValidationResult.Error($"--batch-size must be ≥ 1, got {BatchSize}")
            : Rank is < 1 ? ValidationResult.Error($"--rank must be ≥ 1, got {Rank}")
            : CliChecks.Valid(() => { Options(this); QLora(this); }) is { Successful: false } bad ? bad
            : CliChecks.Parses(() => Templates.Parse(Template), "--template") is { Successful: false } template ? template
            : CliChecks.NewOutput(Out);
    }

    private static FinetuneOptions Options(Settings s)
    {
        var defaults = new FinetuneOptions();
        return (defaults with
        {
            Steps = s.Steps ?? defaults.Steps, LearningRate = s.LearningRate ?? defaults.LearningRate,
            BatchSize = s.BatchSize ?? defaults.BatchSize, Seed = s.Seed,
        }).Validate();
    }

    private static QLoraOptions QLora(Settings s)
    {
        var lora = new LoraOptions();
        return new QLoraOptions { Lora = (lora with { Rank = s.Rank ?? lora.Rank, Alpha = s.Alpha ?? lora.Alpha }).Validate() };
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        Tensors.NativeTorch.EnsureLoaded();
        var options = Options(s);
        var qlora = QLora(s);
        var record = Progress.Training($"finetune {s.Split.ToString().ToLowerInvariant()}", options.Steps,
            onStep => FinetuneRun.Execute(s.Model, s.Data, s.Split, options, qlora, Templates.Parse(s.Template), s.Out, onStep));
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(Path.GetFullPath(s.Out))}[/]: {record.Examples} examples, " +
                               $"loss {record.Curve[0].Loss:F3} → {record.Curve[^1].Loss:F3} in {record.Seconds:F1} s");
        return 0;
    }
}
