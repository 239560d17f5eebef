using DurableUn.Cli.Values;
using System.ComponentModel;
using System.Text.Json;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.IO;
using DurableUn.Methods;
using DurableUn.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>
/// `durableun unlearn --model DIR [--adapter DIR] --data DIR --method NAME --seed N [--set key=value ...] [--pipeline P] --out DIR`:
/// spec → model → data → method → train loop → write run (PEFT adapter + run.json; in the full pipeline the whole
/// unlearned model folder + run.json). The pipeline says what --model is and what unlearning trains
/// (docs/design.md#pipelines).
/// </summary>
public sealed class UnlearnCommand : Command<UnlearnCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <DIR>"), Description("Base model folder")] public string Model { get; init; } = "";
        [CommandOption("--adapter <DIR>"), Description("Target adapter (PEFT) to unlearn from (adapter pipeline only)")] public string Adapter { get; init; } = "";
        [CommandOption("--pipeline <NAME>"), Description("adapter (default: --model is the base, --adapter the target's LoRA, unlearned further), fresh-adapter (--model is the fully fine-tuned target, stored in NF4; a new LoRA unlearns) or full (--model is the target; every weight unlearns; writes a model folder)"), TypeConverter(typeof(PipelineConverter))]
        public Pipelines.Pipeline? Pipeline { get; init; }
        [CommandOption("--data <DIR>"), Description("Dataset folder: its forget split is forgotten, its retain split kept")] public string Data { get; init; } = "";
        [CommandOption("--method <NAME>"), Description("One of `durableun methods`")] public string Method { get; init; } = "";
        [CommandOption("--seed <N>")] public int Seed { get; init; }
        [CommandOption("--set <KEY=VALUE>"), Description("Override a method option (repeatable); see `durableun methods`")] public string[] Set { get; init; } = [];
        [CommandOption("--template <NAME>"), Description("plain (default) or llama3-chat")] public string Template { get; init; } = "plain";
        [CommandOption("--out <DIR>"), Description("Folder to create")] public string Out { get; init; } = "";

        public override ValidationResult Validate() =>
            new[] { ("--model", Model), ("--adapter", AdapterPipeline ? Adapter : "-"), ("--data", Data), ("--method", Method), ("--out", Out) }
                .FirstOrDefault(p => p.Item2 == "") is ({ } flag, "") ? ValidationResult.Error($"{flag} is required")
            : !AdapterPipeline && Adapter != "" ? ValidationResult.Error(
                $"--adapter: the {Pipelines.Pipelines.Name(Pipeline!.Value)} pipeline unlearns the model in --model itself (a new LoRA on it, or every weight); give no --adapter")
            : CliChecks.Valid(() => Options(this)) is { Successful: false } bad ? bad
            : CliChecks.Parses(() => Templates.Parse(Template), "--template") is { Successful: false } template ? template
            : CliChecks.NewOutput(Out);

        private bool AdapterPipeline => (Pipeline ?? Pipelines.Pipeline.Adapter) == Pipelines.Pipeline.Adapter;
    }

    /// <summary>
    /// The method's options with --set applied: unknown keys and bad values fail here, while parsing. steps = 0 is a
    /// valid option (a sweep's zero point) but an unlearning run of no steps writes the target back unchanged, so
    /// this command refuses it.
    /// </summary>
    private static IMethodOptions Options(Settings s)
    {
        var pipeline = s.Pipeline ?? Pipelines.Pipeline.Adapter;
        var options = MethodSettings.Apply(MethodCatalog.Find(s.Method).DefaultsFor(pipeline), s.Set).Options;
        options.CheckPipeline(pipeline);
        return options.Steps >= 1 ? options
            : throw new ArgumentException($"--set steps={options.Steps}: an unlearning run needs steps ≥ 1 (0 steps would write the target adapter back unchanged)");
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var entry = MethodCatalog.Find(s.Method);
        var options = Options(s);
        Tensors.NativeTorch.EnsureLoaded();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var task = UnlearningTask.From(DatasetFolder.Load(s.Data));
        var pipeline = s.Pipeline ?? Pipelines.Pipeline.Adapter;
        // The study's LoRA for a fresh adapter (rank 16, α 32); in the full pipeline a dense base and a zero adapter.
        var fresh = new Adapters.QLoraOptions { Lora = new Adapters.LoraOptions { Rank = Finetuning.QLoraDefaults.Rank, Alpha = Finetuning.QLoraDefaults.Alpha } };
        using var target = pipeline switch
        {
            Pipelines.Pipeline.FreshAdapter => AdaptedModel.Load(s.Model, null, fresh),
            Pipelines.Pipeline.Full => AdaptedModel.Load(s.Model, null, fresh with { BaseFormat = null }),
            _ => AdaptedModel.Load(s.Model, s.Adapter),
        };
        var encoder = new QaEncoder(target.Pretrained.Tokenizer, Templates.Parse(s.Template));
        task.CheckFits(encoder, s.Data, target.Pretrained.Config.Llama.MaxPositionEmbeddings);
        var result = Progress.Training($"unlearn {entry.Name}", options.Steps, onStep => pipeline == Pipelines.Pipeline.Full
            ? FullUnlearnRun.Execute(s.Model, target.Model, entry, options, task, encoder, s.Seed, onStep)
            : UnlearnRun.Execute(target.Model, entry, options, task, encoder, s.Seed, onStep));
        using var unlearned = result.Model;
        var inputs = RunInputs.Hash(s.Model, s.Data, pipeline == Pipelines.Pipeline.Adapter ? s.Adapter : s.Model);
        var record = UnlearnRecord.For(inputs, entry.Name, s.Seed, s.Template, result, watch.Elapsed.TotalSeconds) with { Pipeline = pipeline };
        if (pipeline == Pipelines.Pipeline.Full)
            FullUnlearnRun.Save(unlearned, target.Pretrained, s.Out, dir => UnlearnRecordFile.Write(dir, record));
        else
            FinetuneRun.SaveAdapterFolder(s.Out, unlearned.Adapter, s.Model, dir => UnlearnRecordFile.Write(dir, record));
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(Path.GetFullPath(s.Out))}[/]: {entry.Name}, seed {s.Seed}, " +
                               $"loss {record.Curve[0].Loss:F3} → {record.Curve[^1].Loss:F3} in {record.Seconds:F1} s");
        return 0;
    }
}
