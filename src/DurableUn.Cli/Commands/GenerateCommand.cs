using System.ComponentModel;
using System.Diagnostics;
using DurableUn.Cli.Values;
using DurableUn.Deployment;
using DurableUn.Model;
using DurableUn.Runs;
using DurableUn.Tokenization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>
/// `durableun generate DIR --prompt TEXT [--adapter DIR] [--precision NAME]`: a greedy continuation (or sampled with
/// --temperature) of the model as `logits` sees it: without --precision the dense model with the adapter (if any) merged
/// exactly; with --precision the QLoRA regime deployed at that precision (<see cref="Deployer"/>), so a user reads what
/// the deployed model says. Given a .gguf file instead of a folder, llama.cpp runs that file in-process with its own
/// tokenizer (BOS as the file asks), greedily. Prints the text, then the token count and speed on a grey line.
/// </summary>
public sealed class GenerateCommand : Command<GenerateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DIR>"), Description("A Hugging Face model folder, or a .gguf file (run by llama.cpp)")]
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

        [CommandOption("--adapter <DIR>"), Description("PEFT LoRA adapter folder")]
        public string? Adapter { get; init; }

        [CommandOption("--precision <NAME>"), Description("Deploy in the QLoRA regime at this precision (bf16, int8, int4, nf4, fp4, merged-nf4, ...)")]
        [TypeConverter(typeof(PrecisionConverter))]
        public Precision? Precision { get; init; }

        [CommandOption("--threads <N>"), Description("libtorch intra-op threads while decoding (default: DURABLEUN_DECODE_THREADS, 1 unless set: a small decode step gains nothing from a second thread)")]
        public int? Threads { get; init; }

        public override ValidationResult Validate() =>
            MaxNewTokens < 1 ? ValidationResult.Error($"--max-new-tokens must be ≥ 1, got {MaxNewTokens}")
            : Threads is < 1 ? ValidationResult.Error($"--threads must be ≥ 1, got {Threads}")
            : !(Temperature >= 0 && double.IsFinite(Temperature)) ? ValidationResult.Error($"--temperature must be ≥ 0 and finite, got {Temperature}")
            : !(TopP > 0 && TopP <= 1) ? ValidationResult.Error($"--top-p must be in (0, 1], got {TopP}")
            : CliChecks.PrecisionFits(Precision, Dir);
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        LogitsCommand.NamingAdapter(settings.Adapter, () => Execute(settings));

    private static int Execute(Settings settings)
    {
        if (GgufArgument.IsFile(settings.Dir))
        {
            GgufArgument.Refuse(settings.Dir, ("--adapter", settings.Adapter), ("--precision", settings.Precision?.Name),
                ("--temperature", settings.Temperature > 0 ? "sampling" : null));
            RunGguf(settings);
            return 0;
        }
        Tensors.NativeTorch.EnsureLoaded();
        if (settings.Precision is not { } precision)
        {
            using var pretrained = LogitsCommand.LoadMerged(settings.Dir, settings.Adapter);
            Run(settings, pretrained.Tokenizer, pretrained.Model, "dense");
        }
        else
        {
            using var adapted = AdaptedModel.Load(settings.Dir, settings.Adapter);
            using var deployed = Deployer.Deploy(adapted.Model, precision);
            Run(settings, adapted.Pretrained.Tokenizer, deployed.Model, precision.Name);
        }
        return 0;
    }

    private static void Run(Settings settings, HfTokenizer tok, CausalLm model, string precision)
    {
        var prompt = (tok.BosId is int bos ? new[] { bos } : []).Concat(tok.Encode(settings.Prompt)).ToList();
        var window = model.Config.MaxPositionEmbeddings;
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
            StopTokens = model.Config.EosTokenIds.Append(tok.EosId).Distinct().ToList(),
            IntraOpThreads = settings.Threads,
        };
        // The prompt's next-token logits, checked finite once: finite weights can still overflow in the forward pass,
        // and greedy decoding of NaN logits would print tokens instead of an error.
        NextToken.LogProbs(model, prompt);
        var threads = settings.Threads ?? Tensors.NativeTorch.DecodeThreads ?? TorchSharp.torch.get_num_threads();
        var watch = Stopwatch.StartNew();
        var output = Generation.Generate(model, [prompt], tok.PadId, options)[0];
        var seconds = watch.Elapsed.TotalSeconds;
        AnsiConsole.WriteLine(tok.Decode(output.Where(id => !options.StopTokens.Contains(id))));
        AnsiConsole.MarkupLine($"[grey]{precision}: {output.Length} tokens in {seconds:F2} s ({output.Length / Math.Max(1e-9, seconds):F0} tokens/s, {threads} thread(s))[/]");
    }

    /// <summary>Greedy decoding of the file by llama.cpp, cut at the file's end-of-generation tokens.</summary>
    private static void RunGguf(Settings settings)
    {
        using var model = LlamaCpp.LlamaCppModel.Load(settings.Dir, settings.Threads ?? 1);
        var prompt = (model.AddsBos && model.BosId is int bos ? new[] { bos } : []).Concat(model.Tokenize(settings.Prompt)).ToList();
        var window = model.TrainedContext;
        if (prompt.Count >= window)
            throw new ArgumentException($"the prompt is {prompt.Count} tokens; {settings.Dir}'s context (llama.context_length) is {window}");
        var maxNew = Math.Min(settings.MaxNewTokens, window - prompt.Count);
        var watch = Stopwatch.StartNew();
        var output = LlamaCpp.LlamaCppInference.Greedy(model, [prompt], maxNew, model.EndOfGeneration, new LlamaCpp.LlamaCppSettings { Sequences = 1 })[0];
        var seconds = watch.Elapsed.TotalSeconds;
        AnsiConsole.WriteLine(model.Detokenize(output.Where(id => !model.EndOfGeneration.Contains(id))));
        AnsiConsole.MarkupLine($"[grey]llama.cpp {Markup.Escape(Path.GetFileName(settings.Dir))}: {output.Length} tokens in {seconds:F2} s ({output.Length / Math.Max(1e-9, seconds):F0} tokens/s, {model.Threads} thread(s))[/]");
    }
}
