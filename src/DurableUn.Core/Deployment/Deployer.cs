using DurableUn.Tensors;
using DurableUn.Adapters;
using DurableUn.Quantization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Deployment;

/// <summary>
/// Deploys a QLoRA model at a <see cref="Precision"/> (docs/design.md#precisions): an explicit transform that returns a
/// new model and leaves the original (its adapter Parameters, its base) untouched.
/// <list type="bullet">
/// <item>bf16: A and B cast to bf16 and back; base dequantized to and multiplied in bf16.</item>
/// <item>adapter space: A and B quantized and dequantized (<see cref="Quantizer.RoundTrip"/>); the base unchanged. With
/// fp32 compute the deployed A and B are then folded into the dequantized base for inference (one matmul per projection).
/// INT4 groups run along each row (the matmul's reduction axis). B is [out, r]: when r is shorter than the group, the
/// group is the whole row of r values, since a group cannot straddle rows; a row longer than the group must be a
/// multiple. merged-int4 follows the same rule on the merged [out, in] weight.</item>
/// <item>merged: W = dequant(base) + scale·B·A in fp32 (PEFT tuners/lora/bnb.py merge), then merged-nf4 re-quantizes
/// with the base's own format, blocksize and double quantization; merged-int4/int8 quantize W in those formats;
/// merged-fp32 keeps W exact. Projections without an adapter keep their base weight.</item>
/// <item>whole model (model-*): as merged, but every projection is quantized in the precision's own format, adapter or
/// not, the way bitsandbytes' <c>load_in_4bit</c>/<c>load_in_8bit</c> loads a checkpoint; embeddings, norms and lm_head
/// stay as they are. On a model whose projections are dense (the full pipeline) this is the whole-model deployment.
/// model-int8 also quantizes each projection's input as LLM.int8() does (<see cref="LlmInt8"/>).</item>
/// </list>
/// Not: GGUF precisions (<see cref="GgufDeployment"/>); not: activation quantization other than model-int8's; not: writing files.
/// </summary>
public static class Deployer
{
    public static DeployedModel Deploy(QLoraModel model, Precision precision)
    {
        using var _ = no_grad();
        var settings = model.Settings with { Dropout = 0, Transform = null, MergedTransform = null };   // deployed models run inference only
        return precision.Space switch
        {
            PrecisionSpace.Bf16 => Adapted(model, precision, settings with { ComputeDtype = ScalarType.BFloat16 },
                (t, _) => t.to_type(ScalarType.BFloat16).to_type(ScalarType.Float32)),
            PrecisionSpace.Adapter => Adapted(model, precision, settings, (t, name) => Quantizer.RoundTrip(t, Precision.AlongRows(precision.Format!, t.shape[^1], name), name)),
            PrecisionSpace.Merged => Merged(model, precision, settings, model.Adapter.Layers.Keys,
                (path, baseWeight) => MergeSpec(precision, baseWeight, $"{path}.weight", model.Base.Options)),
            PrecisionSpace.Model => Merged(model, precision,
                precision.OutlierThreshold is { } t ? settings with { BaseMatmul = (x, w) => LlmInt8.Matmul(x, w, t) } : settings, model.Base.Projections.Keys,
                (path, baseWeight) => Precision.AlongRows(precision.Format!, baseWeight.Shape[^1], $"{path}.weight")),
            PrecisionSpace.Gguf => throw new ArgumentException($"{precision} is run by llama.cpp, not as our model: see GgufDeployment"),
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
        };
    }

    private static DeployedModel Adapted(QLoraModel model, Precision precision, LoraLayerSettings settings, Func<Tensor, string, Tensor> transform)
    {
        var layers = model.Adapter.Layers.ToDictionary(
            kv => kv.Key,
            kv => new LoraWeights(Frozen(Deployed(transform, kv.Value.A, $"{kv.Key}.lora_A.weight", precision)),
                                  Frozen(Deployed(transform, kv.Value.B, $"{kv.Key}.lora_B.weight", precision))),
            StringComparer.Ordinal);
        var resident = Resident(model.Base.Projections, settings.ComputeDtype);
        if (settings.ComputeDtype != ScalarType.Float32)
            foreach (var (path, adapter) in layers)
            {
                // Never materialised here, but a scale·B·A that overflows fp32 makes every forward pass Inf (or, after
                // RMSNorm, a flat distribution): checked once, as the fp32 fold below checks its sum.
                using var delta = adapter.Delta(settings.Scale);
                FiniteCheck.Weight(delta, $"{path}.weight", $"the {precision} adapter's scale·B·A");
            }
        if (settings.ComputeDtype != ScalarType.Float32)
            return new DeployedModel(precision, model.Base.Build(layers, settings, registerAdapter: true, resident), new Dictionary<string, FrozenWeight>(), resident, layers);
        // fp32 compute: the deployed A and B are folded into the resident weight, W + scale·B·A, so a deployed model
        // runs one matmul per projection, as a dense one does. x·(W + sBA)ᵀ and x·Wᵀ + s·(x·Aᵀ)·Bᵀ differ by fp32
        // summation order only (DeployerTests: logits within 1e-5); the quantized A and B are kept as they were.
        // bf16 compute keeps them apart: there the base product is rounded to bf16 before the fp32 delta is added.
        foreach (var (path, adapter) in layers)
        {
            using var scope = NewDisposeScope();
            var dense = resident[path];
            var folded = FiniteCheck.Weight(dense.Dense!.Add(adapter.Delta(settings.Scale)), $"{path}.weight", $"folding the {precision} adapter into the base");   // (out, in) fp32
            resident[path] = FrozenWeight.FromDense(folded);
            dense.Dense!.Dispose();
        }
        var deployed = model.Base.Build(new Dictionary<string, LoraWeights>(), settings, registerAdapter: true, resident);
        return new DeployedModel(precision, deployed, new Dictionary<string, FrozenWeight>(), resident, layers);
    }

    /// <summary>The projections at <paramref name="paths"/> merged with their adapter (if any) and quantized with <paramref name="spec"/>.</summary>
    private static DeployedModel Merged(QLoraModel model, Precision precision, LoraLayerSettings settings, IEnumerable<string> paths,
                                        Func<string, FrozenWeight, QuantSpec> spec)
    {
        var projections = new Dictionary<string, FrozenWeight>(model.Base.Projections, StringComparer.Ordinal);
        var merged = new Dictionary<string, FrozenWeight>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            using var scope = NewDisposeScope();
            var baseWeight = model.Base.Projections[path];
            var name = $"{path}.weight";
            var w = FiniteCheck.Weight(MergedWeight(model, path, settings.Scale), name, "merging the adapter (W + scale·B·A)");   // (out, in) fp32
            var weight = precision.Format is null
                ? FrozenWeight.FromDense(w)
                : FrozenWeight.FromQuantized(Quantizer.Quantize(w, spec(path, baseWeight), name));
            if (weight.Quantized is { } q) scope.Detach(new[] { q.Codes, q.Scales, q.ZeroPoints, q.Nested?.Absmax }.OfType<Tensor>());
            projections[path] = merged[path] = weight;
        }
        var resident = Resident(projections, settings.ComputeDtype);
        var deployed = model.Base.Build(new Dictionary<string, LoraWeights>(), settings, registerAdapter: true, resident);
        return new DeployedModel(precision, deployed, merged, resident, new Dictionary<string, LoraWeights>());
    }

    /// <summary>dequant(base) + scale·B·A of one projection in fp32, or the base weight alone where it has no adapter layer.</summary>
    internal static Tensor MergedWeight(QLoraModel model, string path, double scale)
    {
        var w = model.Base.Projections[path].Weight(ScalarType.Float32);                               // (out, in)
        return model.Adapter.Layers.TryGetValue(path, out var adapter) ? w.Add(adapter.Delta(scale)) : w;
    }

    /// <summary>
    /// Every projection dequantized once into the compute dtype (the values each forward would have made, so logits are
    /// unchanged): a deployed model's weights are fixed, and dequantizing the whole base on every decode step made a
    /// deployed model's step ~10× a dense one's. Memory: one dense copy of the projections, 4 bytes per weight in fp32
    /// (tiny preset ≈ 3.1 MB, small ≈ 25 MB) or 2 in bf16, beside the shared base; freed with the deployed model.
    /// </summary>
    private static Dictionary<string, FrozenWeight> Resident(IReadOnlyDictionary<string, FrozenWeight> projections, ScalarType dtype) =>
        projections.ToDictionary(kv => kv.Key, kv => kv.Value.Dequantized(dtype), StringComparer.Ordinal);

    /// <summary>
    /// How a merged-* precision quantizes the merged weight of the projection whose base is <paramref name="baseWeight"/>:
    /// merged-nf4 keeps the base's own quant parameters (PEFT re-creates Params4bit with the same quant_state settings;
    /// a dense base takes <paramref name="baseOptions"/>'), the other formats their own groups along rows.
    /// </summary>
    public static QuantSpec MergeSpec(Precision precision, FrozenWeight baseWeight, string name, QLoraOptions baseOptions)
    {
        if (precision.Format!.Format != QuantFormat.Nf4) return Precision.AlongRows(precision.Format, baseWeight.Shape[^1], name);
        return baseWeight.Quantized is { Format: QuantFormat.Nf4 or QuantFormat.Fp4 } q
            ? new QuantSpec(QuantFormat.Nf4) { BlockSize = q.BlockSize, DoubleQuant = q.Nested is not null }
            : new QuantSpec(QuantFormat.Nf4) { BlockSize = baseOptions.BlockSize, DoubleQuant = baseOptions.DoubleQuant };
    }

    private static Parameter Frozen(Tensor t) => new(t, requires_grad: false);

    /// <summary>A or B as deployed, checked finite (a bf16 cast or a quantize round trip of an extreme value can overflow).</summary>
    private static Tensor Deployed(Func<Tensor, string, Tensor> transform, Tensor t, string name, Precision precision) =>
        FiniteCheck.Weight(transform(t, name), name, $"deploying at {precision}");
}
