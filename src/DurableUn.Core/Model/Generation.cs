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

    public GenerationOptions Validate()
    {
        if (MaxNewTokens < 0) throw new ArgumentException($"max_new_tokens must be ≥ 0, got {MaxNewTokens}");
        if (!(Temperature >= 0)) throw new ArgumentException($"temperature must be ≥ 0, got {Temperature}");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentException($"top_p must be in (0, 1], got {TopP}");
        return this;
    }
}

/// <summary>
/// Autoregressive generation with a KV cache. A batch of prompts is left-padded so every prompt ends at the same
/// slot, and positions count real tokens only; the output for each prompt is therefore the same as generating it
/// alone (a test checks this). Not: beam search, repetition penalties.
/// </summary>
public static class Generation
{
    /// <returns>The new tokens of each prompt (without the prompt), cut after the first stop token.</returns>
    public static IReadOnlyList<int[]> Generate(CausalLm model, IReadOnlyList<IReadOnlyList<int>> prompts, int padId, GenerationOptions options)
    {
        options.Validate();
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Count == 0)) throw new ArgumentException("every prompt needs at least one token (e.g. BOS)");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var generator = options.Temperature > 0 ? new Generator().manual_seed(options.Seed) : null;
        var longest = prompts.Max(p => p.Count);
        var ids = new long[prompts.Count, longest];
        var mask = new long[prompts.Count, longest];
        for (var i = 0; i < prompts.Count; i++)
        {
            var offset = longest - prompts[i].Count;                                  // left padding
            for (var j = 0; j < longest; j++)
            {
                ids[i, j] = j < offset ? padId : prompts[i][j - offset];
                mask[i, j] = j < offset ? 0 : 1;
            }
        }
        var outputs = prompts.Select(_ => new List<int>()).ToArray();
        var finished = new bool[prompts.Count];
        var attention = tensor(mask);                                                 // (B, T_total)
        var input = tensor(ids);                                                      // (B, T)
        using var cache = new KvCache(model.Config.NumHiddenLayers);
        for (var step = 0; step < options.MaxNewTokens && !finished.All(f => f); step++)
        {
            using var stepScope = NewDisposeScope();
            var logits = model.Forward(input, attention, cache).Logits[.., -1, ..].to_type(ScalarType.Float32); // (B, V)
            var next = options.Temperature > 0 ? Sample(logits, options, generator!) : logits.argmax(-1);     // (B,)
            var chosen = next.data<long>().ToArray();
            for (var i = 0; i < chosen.Length; i++)
            {
                if (finished[i]) { chosen[i] = padId; continue; }
                outputs[i].Add((int)chosen[i]);
                if (options.StopTokens.Contains((int)chosen[i])) finished[i] = true;
            }
            input = tensor(chosen).unsqueeze(1).MoveToOuterDisposeScope();            // (B, 1)
            attention = cat([attention, ones(prompts.Count, 1, dtype: ScalarType.Int64)], 1).MoveToOuterDisposeScope();
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
