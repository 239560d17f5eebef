using DurableUn.Model;

namespace DurableUn.Checkpoints;

/// <summary>A parameter's Hugging Face name and shape.</summary>
public sealed record ParameterShape(string Name, IReadOnlyList<long> Shape)
{
    public override string ToString() => $"{Name} {Format(Shape)}";

    public static string Format(IReadOnlyList<long> shape) => $"[{string.Join(", ", shape)}]";
}

/// <summary>
/// The tensors a Hugging Face Llama checkpoint holds for a given <see cref="LlamaConfig"/> (transformers
/// <c>modeling_llama.py</c>: LlamaModel, LlamaDecoderLayer, LlamaAttention, LlamaMLP), in state-dict order, and a
/// check of actual shapes against them. Linear weights are [out, in].
/// Not: quantized layouts (bnb's packed weight plus absmax/quant_map entries) or LoRA adapter keys; not: a loader.
/// </summary>
public static class LlamaCheckpointLayout
{
    public static IReadOnlyList<ParameterShape> ExpectedParameterShapes(LlamaConfig config)
    {
        long d = config.HiddenSize, v = config.VocabSize, ffn = config.IntermediateSize;
        long q = (long)config.NumAttentionHeads * config.HeadDimension;   // all query heads
        long kv = (long)config.KeyValueHeads * config.HeadDimension;      // grouped key/value heads
        var list = new List<ParameterShape> { new("model.embed_tokens.weight", [v, d]) };
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            var p = $"model.layers.{i}.";
            Linear(list, p + "self_attn.q_proj", q, d, config.AttentionBias);
            Linear(list, p + "self_attn.k_proj", kv, d, config.AttentionBias);
            Linear(list, p + "self_attn.v_proj", kv, d, config.AttentionBias);
            Linear(list, p + "self_attn.o_proj", d, q, config.AttentionBias);
            Linear(list, p + "mlp.gate_proj", ffn, d, config.MlpBias);
            Linear(list, p + "mlp.up_proj", ffn, d, config.MlpBias);
            Linear(list, p + "mlp.down_proj", d, ffn, config.MlpBias);
            list.Add(new(p + "input_layernorm.weight", [d]));
            list.Add(new(p + "post_attention_layernorm.weight", [d]));
        }
        list.Add(new("model.norm.weight", [d]));
        if (!config.TieWordEmbeddings) list.Add(new("lm_head.weight", [v, d]));
        return list;
    }

    /// <summary>
    /// Throws a <see cref="CheckpointFormatException"/> naming the first tensor that is missing, unexpected or of the
    /// wrong shape (with both shapes). Tolerated extras: lm_head.weight of a tied model when its shape is right
    /// (some exporters keep it), and the rotary_emb.inv_freq buffers older checkpoints carry.
    /// </summary>
    public static void CheckShapes(IReadOnlyDictionary<string, IReadOnlyList<long>> actual, LlamaConfig config, string source)
    {
        var expected = ExpectedParameterShapes(config).ToList();
        if (config.TieWordEmbeddings && actual.ContainsKey("lm_head.weight"))
            expected.Add(new("lm_head.weight", [config.VocabSize, config.HiddenSize]));
        foreach (var e in expected)
        {
            if (!actual.TryGetValue(e.Name, out var shape))
                throw new CheckpointFormatException(source, e.Name, null, $"missing; the config expects shape {ParameterShape.Format(e.Shape)}");
            if (!shape.SequenceEqual(e.Shape))
                throw new CheckpointFormatException(source, e.Name, ParameterShape.Format(shape),
                    $"has shape {ParameterShape.Format(shape)} but the config expects {ParameterShape.Format(e.Shape)}");
        }
        var names = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in actual.Keys.Order(StringComparer.Ordinal))
            if (!names.Contains(name) && !name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal))
                throw new CheckpointFormatException(source, name, ParameterShape.Format(actual[name]), "is not a parameter of this Llama config");
    }

    private static void Linear(List<ParameterShape> list, string prefix, long outFeatures, long inFeatures, bool bias)
    {
        list.Add(new(prefix + ".weight", [outFeatures, inFeatures]));
        if (bias) list.Add(new(prefix + ".bias", [outFeatures]));
    }
}
