using static TorchSharp.torch;

namespace DurableUn.Model;

public static partial class Generation
{
    /// <summary>
    /// The plain decoding loop the fast one must equal token for token (GenerationTests): every step runs the full
    /// <see cref="CausalLm.Forward"/> with the growing padding mask, which rebuilds positions and mask, and the KV
    /// cache grows by concatenation; finished rows are fed the pad id. Tests only.
    /// </summary>
    internal static IReadOnlyList<int[]> Reference(CausalLm model, IReadOnlyList<IReadOnlyList<int>> prompts, int padId, GenerationOptions options)
    {
        options.Validate();
        if (prompts.Count == 0) return [];
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
}
