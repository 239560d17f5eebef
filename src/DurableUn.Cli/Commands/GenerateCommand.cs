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
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Tensors.NativeTorch.EnsureLoaded();
        using var pretrained = PretrainedModel.Load(settings.Dir);
        var tok = pretrained.Tokenizer;
        var prompt = (tok.BosId is int bos ? new[] { bos } : []).Concat(tok.Encode(settings.Prompt)).ToList();
        var options = new GenerationOptions
        {
            MaxNewTokens = settings.MaxNewTokens,
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
