using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Model;

/// <summary>How to continue a prompt. Defaults give greedy decoding, the setting of every metric here.</summary>
public sealed record GenerationOptions
{
    /// Tokens to generate at most (TOFU ROUGE: 200; MUSE VerbMem: 128; KnowMem: 32).
    public int MaxNewTokens { get; init; } = 64;
    /// 0 means greedy (argmax); &gt; 0 samples from softmax(logits / temperature).
    public double Temperature { get; init; }
    /// Nucleus sampling: keep the smallest set of tokens whose probability reaches top_p (1 keeps all).
    public double TopP { get; init; } = 1.0;
    /// Generation of a sequence stops after it emits any of these (the stop token is kept in the output).
    public IReadOnlyList<int> StopTokens { get; init; } = [];
    /// Seed for sampling; ignored when greedy.
    public long Seed { get; init; }
    /// libtorch intra-op threads while decoding; null takes <see cref="NativeTorch.DecodeThreadsVariable"/> (the CLI sets 1:
    /// tiny preset measured ≈280–350 tokens/s at 1 thread vs ≈44 at 2 on a loaded 2-core machine,
    /// bench/generate_vs_llamacpp.sh), and when that is unset the process's count. The count is process-wide.
    public int? IntraOpThreads { get; init; }

    public GenerationOptions Validate()
    {
        if (MaxNewTokens < 0) throw new ArgumentException($"max_new_tokens must be ≥ 0, got {MaxNewTokens}");
        if (!(Temperature >= 0)) throw new ArgumentException($"temperature must be ≥ 0, got {Temperature}");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentException($"top_p must be in (0, 1], got {TopP}");
        if (IntraOpThreads is < 1) throw new ArgumentException($"intra-op threads must be ≥ 1, got {IntraOpThreads}");
        return this;
    }
}

/// <summary>
/// Autoregressive generation with a KV cache. A batch of prompts is left-padded so every prompt ends at the same
/// slot, and positions count real tokens only; the output for each prompt is therefore the same as generating it
/// alone (a test checks this). Per step only the new tokens go through the model: the KV cache is allocated once
/// for prompt + new tokens, the decode positions' rotary tables and the padding mask are made once, and the only
/// host round trip is reading the chosen ids. <see cref="Reference"/> is the plain loop it must equal token for token.
/// Not: beam search, repetition penalties.
/// </summary>
public static partial class Generation
{
    /// <summary>Greedy continuations, the decoding of every suite and metric: see <see cref="Generate"/>.</summary>
    public static IReadOnlyList<int[]> Greedy(CausalLm model, IReadOnlyList<IReadOnlyList<int>> prompts, int maxNewTokens,
                                              IReadOnlyList<int> stopIds, int padId) =>
        Generate(model, prompts, padId, new GenerationOptions { MaxNewTokens = maxNewTokens, StopTokens = stopIds });

    /// <returns>The new tokens of each prompt (without the prompt), cut after the first stop token.</returns>
    public static IReadOnlyList<int[]> Generate(CausalLm model, IReadOnlyList<IReadOnlyList<int>> prompts, int padId, GenerationOptions options)
    {
        options.Validate();
        if (prompts.Count == 0 || options.MaxNewTokens == 0) return prompts.Select(_ => Array.Empty<int>()).ToArray();
        if (prompts.Any(p => p.Count == 0)) throw new ArgumentException("every prompt needs at least one token (e.g. BOS)");
        using var threads = IntraOpThreads.Use(options.IntraOpThreads ?? NativeTorch.DecodeThreads);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var fused = model.FuseProjections();                                    // weights are fixed while decoding
        var generator = options.Temperature > 0 ? new Generator().manual_seed(options.Seed) : null;
        long batch = prompts.Count, longest = prompts.Max(p => p.Count), steps = options.MaxNewTokens;
        var capacity = longest + steps;                                               // prompt + every new token
        var ids = new long[batch, longest];
        var padding = new long[batch, capacity];                                      // 1 real (prompt or generated), 0 pad
        var decodePositions = new long[batch, steps];
        for (var i = 0; i < (int)batch; i++)
        {
            var offset = longest - prompts[i].Count;                                  // left padding
            for (var j = 0; j < longest; j++) ids[i, j] = j < offset ? padId : prompts[i][(int)(j - offset)];
            for (var j = offset; j < capacity; j++) padding[i, j] = 1;
            for (var k = 0; k < steps; k++) decodePositions[i, k] = prompts[i].Count + k; // real tokens before step k+1's input
        }
        var paddingMask = tensor(padding);                                            // (B, capacity)
        using var cache = new KvCache(model.Config.NumHiddenLayers, capacity);
        // Prefill: the prompt through the ordinary forward (its causal + padding mask built once).
        var logits = model.Forward(tensor(ids), paddingMask.narrow(1, 0, longest), cache).Logits[.., -1, ..]; // (B, V)
        // Decode: a query at the last slot sees every real key before it; narrowing this row gives each step's mask.
        var mask = AttentionMask.Causal(batch, 1, capacity - 1, paddingMask, model.HiddenDtype);            // (B, 1, 1, capacity)
        var (cos, sin) = model.RotaryTables(tensor(decodePositions));                 // (B, steps, hd) each
        var outputs = prompts.Select(_ => new List<int>()).ToArray();
        var finished = new bool[batch];
        for (var step = 0; ; step++)
        {
            using var stepScope = NewDisposeScope();
            var scores = logits.to_type(ScalarType.Float32);                          // (B, V)
            var next = options.Temperature > 0 ? Sample(scores, options, generator!) : scores.argmax(-1); // (B,)
            var chosen = next.data<long>().ToArray();                                 // the one host round trip
            for (var i = 0; i < chosen.Length; i++)
            {
                if (finished[i]) continue;                                            // a finished row's input is never read
                outputs[i].Add((int)chosen[i]);
                if (options.StopTokens.Contains((int)chosen[i])) finished[i] = true;
            }
            if (step + 1 >= steps || finished.All(f => f)) break;
            var total = longest + step + 1;
            logits = model.Step(next.unsqueeze(1), cos.narrow(1, step, 1), sin.narrow(1, step, 1),   // (B, 1) at slot total−1
                                mask.narrow(3, 0, total), cache)[.., -1, ..].MoveToOuterDisposeScope();   // (B, V)
        }
        return outputs.Select(o => o.ToArray()).ToArray();
    }

    /// <summary>Temperature then nucleus (top-p) sampling, as transformers' TemperatureLogitsWarper/TopPLogitsWarper.</summary>
    private static Tensor Sample(Tensor logits, GenerationOptions options, Generator generator)
    {
        var scaled = logits.Over(options.Temperature);                                    // (B, V)
        if (options.TopP < 1)
        {
            var (sorted, order) = scaled.sort(-1, descending: false);                 // ascending, as transformers
            var cumulative = sorted.softmax(-1).cumsum(-1);
            var remove = cumulative.AtMostMask(1 - options.TopP);
            remove[.., -1] = tensor(false);                                           // always keep the top token
            var removeInOrder = zeros_like(remove).scatter(1, order, remove);
            scaled = scaled.Filled(removeInOrder, float.NegativeInfinity);
        }
        return multinomial(scaled.softmax(-1), 1, generator: generator).squeeze(1);
    }
}
