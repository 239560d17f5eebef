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
/// `durableun unlearn --model DIR --adapter DIR --data DIR --method NAME --seed N [--set key=value ...] --out DIR`:
/// spec → model → data → method → train loop → write run (PEFT adapter + run.json).
/// </summary>
public sealed class UnlearnCommand : Command<UnlearnCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <DIR>"), Description("Base model folder")] public string Model { get; init; } = "";
        [CommandOption("--adapter <DIR>"), Description("Target adapter (PEFT) to unlearn from")] public string Adapter { get; init; } = "";
        [CommandOption("--data <DIR>"), Description("Dataset folder: its forget split is forgotten, its retain split kept")] public string Data { get; init; } = "";
        [CommandOption("--method <NAME>"), Description("One of `durableun methods`")] public string Method { get; init; } = "";
        [CommandOption("--seed <N>")] public int Seed { get; init; }
        [CommandOption("--set <KEY=VALUE>"), Description("Override a method option (repeatable); see `durableun methods`")] public string[] Set { get; init; } = [];
        [CommandOption("--template <NAME>"), Description("plain (default) or llama3-chat")] public string Template { get; init; } = "plain";
        [CommandOption("--out <DIR>"), Description("Folder to create")] public string Out { get; init; } = "";

        public override ValidationResult Validate() =>
            new[] { ("--model", Model), ("--adapter", Adapter), ("--data", Data), ("--method", Method), ("--out", Out) }
                .FirstOrDefault(p => p.Item2 == "") is ({ } flag, "") ? ValidationResult.Error($"{flag} is required")
            : CliChecks.Valid(() => Options(this)) is { Successful: false } bad ? bad
            : CliChecks.Parses(() => Templates.Parse(Template), "--template") is { Successful: false } template ? template
            : CliChecks.NewOutput(Out);
    }

    /// <summary>
    /// The method's options with --set applied: unknown keys and bad values fail here, while parsing. steps = 0 is a
    /// valid option (a sweep's zero point) but an unlearning run of no steps writes the target back unchanged, so
    /// this command refuses it.
    /// </summary>
    private static IMethodOptions Options(Settings s)
    {
        var options = MethodSettings.Apply(MethodCatalog.Find(s.Method).Defaults(), s.Set).Options;
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
        using var target = AdaptedModel.Load(s.Model, s.Adapter);
        var encoder = new QaEncoder(target.Pretrained.Tokenizer, Templates.Parse(s.Template));
        var result = Progress.Training($"unlearn {entry.Name}", options.Steps,
            onStep => UnlearnRun.Execute(target.Model, entry, options, task, encoder, s.Seed, onStep));
        using var unlearned = result.Model;
        var record = UnlearnRecord.For(RunInputs.Hash(s.Model, s.Data, s.Adapter), entry.Name, s.Seed, s.Template, result, watch.Elapsed.TotalSeconds);
        FinetuneRun.SaveAdapterFolder(s.Out, unlearned.Adapter, s.Model,
            dir => UnlearnRecordFile.Write(dir, record));
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(Path.GetFullPath(s.Out))}[/]: {entry.Name}, seed {s.Seed}, " +
                               $"loss {record.Curve[0].Loss:F3} → {record.Curve[^1].Loss:F3} in {record.Seconds:F1} s");
        return 0;
    }
}
