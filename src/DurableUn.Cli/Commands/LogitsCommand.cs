using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using DurableUn.Adapters;
using DurableUn.Checkpoints;
using DurableUn.Cli.Values;
using DurableUn.Deployment;
using DurableUn.Model;
using DurableUn.Runs;
using DurableUn.Tokenization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>
/// `durableun logits DIR --prompt TEXT [--precision NAME] [--adapter DIR] [--top-k K]`: the next token's top-k with
/// log-probabilities (<see cref="NextToken"/>), as one JSON document on stdout, BOS prepended when the model has one.
/// <list type="bullet">
/// <item>Without --precision: the dense model, with the adapter (if any) merged exactly, W + scale·B·A in fp32: the
/// weights `export gguf --type f32` writes, so llama.cpp's numbers on that file are comparable.</item>
/// <item>With --precision: the QLoRA regime (NF4 base, blocksize 64, double quantization) plus the adapter, deployed at
/// that precision (<see cref="Deployer"/>). Without --adapter the adapter is a zero one (B = 0, so scale·B·A = 0):
/// the NF4 base alone is measured, and merged-* precisions re-quantize that base's dequantized weights.</item>
/// </list>
/// <item>Given a .gguf file: llama.cpp runs it in-process (F32 KV cache, no flash attention), with the file's own
/// tokenizer and its BOS rule; "precision" is "gguf".</item>
/// "token" is the token decoded on its own (special tokens may decode to ""). Not: sampling; not: batches of prompts.
/// </summary>
public sealed class LogitsCommand : Command<LogitsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>"), Description("A dense Hugging Face model folder, or a .gguf file (run by llama.cpp)")] public string Dir { get; init; } = "";
        [CommandOption("--prompt <TEXT>"), Description("Text whose next token is scored")] public string Prompt { get; init; } = "";
        [CommandOption("--precision <NAME>"), Description("Deploy in the QLoRA regime at this precision (bf16, int8, int4, nf4, fp4, merged-nf4, ...)"), TypeConverter(typeof(PrecisionConverter))] public Precision? Precision { get; init; }
        [CommandOption("--adapter <DIR>"), Description("PEFT LoRA adapter folder")] public string? Adapter { get; init; }
        [CommandOption("--top-k <K>"), Description("How many tokens to print (default 10; the vocabulary size prints all)")] public int TopK { get; init; } = 10;

        public override ValidationResult Validate() =>
            TopK < 1 ? ValidationResult.Error("--top-k must be ≥ 1")
            : Prompt == "" ? ValidationResult.Error("--prompt is required (the text whose next token is scored)")
            : CliChecks.PrecisionFits(Precision, Dir);
    }

    /// <summary>The printed document; field names are the JSON keys.</summary>
    private sealed record Output(
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("adapter")] string? Adapter,
        [property: JsonPropertyName("precision")] string Precision,
        [property: JsonPropertyName("prompt_ids")] IReadOnlyList<int> PromptIds,
        [property: JsonPropertyName("top")] IReadOnlyList<Entry> Top);

    private sealed record Entry(
        [property: JsonPropertyName("id")] int Id,
        [property: JsonPropertyName("token")] string Token,
        [property: JsonPropertyName("logprob")] double LogProb);

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,   // log 0 = -Infinity, written as "-Infinity"
    };

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken) =>
        NamingAdapter(s.Adapter, () => Run(s));

    private static int Run(Settings s)
    {
        if (GgufArgument.IsFile(s.Dir))
        {
            GgufArgument.Refuse(s.Dir, ("--adapter", s.Adapter), ("--precision", s.Precision?.Name));
            using var model = LlamaCpp.LlamaCppModel.Load(s.Dir, 1);
            var ids = (model.AddsBos && model.BosId is int bos ? new[] { bos } : []).Concat(model.Tokenize(s.Prompt)).ToList();
            var top = NextToken.TopK(LlamaCpp.LlamaCppInference.NextTokenLogProbs(model, ids), s.TopK)
                .Select(t => new Entry(t.Id, model.Detokenize([t.Id]), t.LogProb)).ToList();
            Console.Out.WriteLine(JsonSerializer.Serialize(new Output(Path.GetFullPath(s.Dir), null, "gguf", ids, top), Json));
            return 0;
        }
        Tensors.NativeTorch.EnsureLoaded();
        if (s.Precision is not { } precision)
        {
            using var pretrained = LoadMerged(s.Dir, s.Adapter);
            Print(s, "dense", pretrained.Tokenizer, pretrained.Model);
        }
        else
        {
            using var adapted = AdaptedModel.Load(s.Dir, s.Adapter);
            using var deployed = Deployer.Deploy(adapted.Model, precision);
            Print(s, precision.Name, adapted.Pretrained.Tokenizer, deployed.Model);
        }
        return 0;
    }

    /// <summary>
    /// Runs <paramref name="body"/>, putting the adapter's folder in front of an overflow (a merged, deployed or
    /// computed value that is NaN or Inf, which names the tensor): finite adapter values too large for the merge are
    /// the adapter's fault, and the user must learn which file to look at.
    /// </summary>
    internal static int NamingAdapter(string? adapterDir, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (OverflowException e) when (adapterDir is not null)
        {
            throw new OverflowException($"adapter {adapterDir}: {e.Message}", e);
        }
    }

    /// <summary>The dense model, with the adapter (if any) merged into its weights.</summary>
    internal static PretrainedModel LoadMerged(string dir, string? adapterDir)
    {
        var pretrained = PretrainedModel.Load(dir);
        if (adapterDir is null) return pretrained;
        var weights = ModelWeights.StateDict(pretrained.Model);
        var adapter = PeftAdapterFiles.Load(adapterDir, pretrained.Config.Llama);
        LoraMerge.Into(weights, adapter);
        ModelWeights.Load(pretrained.Model, weights, $"{dir} + {adapterDir}");
        foreach (var t in weights.Values.Concat(adapter.Tensors)) t.Dispose();
        return pretrained;
    }

    private static void Print(Settings s, string precision, HfTokenizer tokenizer, CausalLm model)
    {
        var ids = (tokenizer.BosId is int bos ? new[] { bos } : []).Concat(tokenizer.Encode(s.Prompt)).ToList();
        var top = NextToken.TopK(NextToken.LogProbs(model, ids), s.TopK)
            .Select(t => new Entry(t.Id, tokenizer.Decode([t.Id]), t.LogProb)).ToList();
        var output = new Output(Path.GetFullPath(s.Dir), s.Adapter is null ? null : Path.GetFullPath(s.Adapter), precision, ids, top);
        // Plain stdout, not Spectre: machine-readable, never wrapped to the terminal's width.
        Console.Out.WriteLine(JsonSerializer.Serialize(output, Json));
    }
}
