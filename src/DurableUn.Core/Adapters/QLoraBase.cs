using DurableUn.Checkpoints;
using DurableUn.Model;
using DurableUn.Quantization;
using static TorchSharp.torch;

namespace DurableUn.Adapters;

/// <summary>
/// The frozen base of the QLoRA regime: every linear projection as a <see cref="FrozenWeight"/> (NF4 by default, bnb
/// layout), and the embeddings, norms and lm_head as dense fp32 tensors. Built once from a dense checkpoint (quantizing
/// every projection, as QLoRA does) or read from a bitsandbytes folder; then shared, never copied, by every model built
/// on it: the target, the frozen reference of NPO/KL/DPO/RMU, SAF's fake-quantized view, deployments. Models built here
/// share the dense tensors' storage too (<c>set_</c>), so a second model costs only its adapter.
/// Not: training anything (every base tensor is frozen); not: file formats (see <see cref="BnbCheckpoint"/>).
/// </summary>
public sealed class QLoraBase : IDisposable
{
    internal QLoraBase(LlamaConfig config, IReadOnlyDictionary<string, FrozenWeight> projections, IReadOnlyDictionary<string, Tensor> dense, QLoraOptions options)
    {
        Config = config;
        Projections = projections;
        Dense = dense;
        Options = options;
    }

    public LlamaConfig Config { get; }

    /// <summary>Projection path (<c>model.layers.0.self_attn.q_proj</c>) → frozen weight [out, in].</summary>
    public IReadOnlyDictionary<string, FrozenWeight> Projections { get; }

    /// <summary>Embeddings, norms and lm_head under their Hugging Face names, fp32.</summary>
    public IReadOnlyDictionary<string, Tensor> Dense { get; }

    /// <summary>The base's format, blocksize, double quantization and compute dtype (the LoRA part is the first adapter's).</summary>
    public QLoraOptions Options { get; }

    /// <summary>Quantizes every projection of a dense checkpoint with <paramref name="options"/> (names and shapes checked first).</summary>
    public static QLoraBase Quantize(LlamaConfig config, IReadOnlyDictionary<string, Tensor> weights, QLoraOptions options, string source = "weights")
    {
        options.Validate();
        config.Validate();
        if (config.AttentionBias || config.MlpBias)
            throw new NotSupportedException($"{source}: attention_bias/mlp_bias projections are not supported in the QLoRA regime");
        LlamaCheckpointLayout.CheckShapes(weights.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<long>)kv.Value.shape), config, source);
        var projections = new Dictionary<string, FrozenWeight>(StringComparer.Ordinal);
        var dense = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var p in LlamaCheckpointLayout.ExpectedParameterShapes(config))
        {
            var w = weights[p.Name];
            if (!p.Name.EndsWith("_proj.weight", StringComparison.Ordinal))
                dense.Add(p.Name, Finite(w, p.Name, source).detach().to_type(ScalarType.Float32).contiguous().clone());
            else if (options.BaseSpec is { } spec)
                projections.Add(p.Name[..^".weight".Length], FrozenWeight.FromQuantized(Quantizer.Quantize(w, spec, p.Name)));   // names the tensor if not finite
            else
                projections.Add(p.Name[..^".weight".Length], FrozenWeight.FromDense(Finite(w, p.Name, source)));
        }
        return new QLoraBase(config, projections, dense, options);
    }

    /// <summary>
    /// A new <see cref="CausalLm"/> over this base: projections from <paramref name="projections"/> (default: the base's),
    /// adapter <paramref name="adapter"/> on its targets. Dense parameters share this base's storage and are frozen.
    /// </summary>
    internal CausalLm Build(IReadOnlyDictionary<string, LoraWeights> adapter, LoraLayerSettings settings, bool registerAdapter,
        IReadOnlyDictionary<string, FrozenWeight>? projections = null)
    {
        var model = new CausalLm(Config, new LoraProjections(projections ?? Projections, adapter, settings, registerAdapter));
        using var _ = no_grad();
        foreach (var (name, p) in model.named_parameters())
        {
            if (name.Contains(".lora_", StringComparison.Ordinal)) continue;
            p.requires_grad_(false);
            p.set_(Dense[name]);    // same storage: the base's embeddings and norms are never duplicated
        }
        return model;
    }

    public void Dispose()
    {
        foreach (var t in Dense.Values) t.Dispose();
        foreach (var w in Projections.Values)
        {
            w.Dense?.Dispose();
            if (w.Quantized is { } q)
            {
                q.Codes.Dispose();
                q.Scales.Dispose();
                q.Nested?.Absmax.Dispose();
            }
        }
    }

    private static Tensor Finite(Tensor t, string name, string source)
    {
        using var finite = t.detach().isfinite().all();
        return finite.item<bool>() ? t : throw new CheckpointFormatException(source, name, null, "holds NaN or Inf values");
    }
}
