using System.ComponentModel;
using System.Diagnostics;
using DurableUn.Checkpoints;
using DurableUn.Model;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>`durableun generate DIR --prompt TEXT`: a greedy continuation (or sampled with --temperature).</summary>
public sealed class GenerateCommand : Command<GenerateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>"), Description("A Hugging Face model folder")]
        public string Dir { get; init; } = "";

        [CommandOption("--prompt <TEXT>"), Description("Text to continue (BOS is prepended when the model has one)")]
        public string Prompt { get; init; } = "";

        [CommandOption("--max-new-tokens <N>"), Description("At most this many new tokens (default 64)")]
        public int MaxNewTokens { get; init; } = 64;

        [CommandOption("--temperature <T>"), Description("0 = greedy (default); > 0 samples")]
        public double Temperature { get; init; }

        [CommandOption("--top-p <P>"), Description("Nucleus sampling mass (default 1)")]
        public double TopP { get; init; } = 1.0;

        [CommandOption("--seed <N>"), Description("Sampling seed")]
        public long Seed { get; init; }

        public override ValidationResult Validate() =>
            MaxNewTokens < 1 ? ValidationResult.Error($"--max-new-tokens must be ≥ 1, got {MaxNewTokens}")
            : !(Temperature >= 0 && double.IsFinite(Temperature)) ? ValidationResult.Error($"--temperature must be ≥ 0 and finite, got {Temperature}")
            : !(TopP > 0 && TopP <= 1) ? ValidationResult.Error($"--top-p must be in (0, 1], got {TopP}")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Tensors.NativeTorch.EnsureLoaded();
        using var pretrained = PretrainedModel.Load(settings.Dir);
        var tok = pretrained.Tokenizer;
        var prompt = (tok.BosId is int bos ? new[] { bos } : []).Concat(tok.Encode(settings.Prompt)).ToList();
        var window = pretrained.Config.Llama.MaxPositionEmbeddings;
        if (prompt.Count >= window)
            throw new ArgumentException($"the prompt is {prompt.Count} tokens; the model's context (max_position_embeddings in {Path.Combine(settings.Dir, "config.json")}) is {window}");
        var maxNew = Math.Min(settings.MaxNewTokens, window - prompt.Count);
        if (maxNew < settings.MaxNewTokens)
            AnsiConsole.MarkupLine($"[yellow]note:[/] --max-new-tokens {settings.MaxNewTokens} capped to {maxNew}: prompt ({prompt.Count} tokens) + new tokens must fit the model's context of {window} (max_position_embeddings)");
        var options = new GenerationOptions
        {
            MaxNewTokens = maxNew,
            Temperature = settings.Temperature,
            TopP = settings.TopP,
            Seed = settings.Seed,
            StopTokens = pretrained.Config.Llama.EosTokenIds.Append(tok.EosId).Distinct().ToList(),
        };
        var watch = Stopwatch.StartNew();
        var output = Generation.Generate(pretrained.Model, [prompt], tok.PadId, options)[0];
        var text = tok.Decode(output.Where(id => !options.StopTokens.Contains(id)));
        AnsiConsole.WriteLine(text);
        AnsiConsole.MarkupLine($"[grey]{output.Length} tokens in {watch.Elapsed.TotalSeconds:F2} s ({output.Length / Math.Max(1e-9, watch.Elapsed.TotalSeconds):F0} tokens/s)[/]");
        return 0;
    }
}
