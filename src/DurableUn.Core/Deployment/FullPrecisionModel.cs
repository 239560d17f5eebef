using DurableUn.Tensors;
using DurableUn.Adapters;
using DurableUn.Model;
using static TorchSharp.torch;

namespace DurableUn.Deployment;

/// <summary>
/// A model at full precision, ready to be written as a GGUF: its Llama config, every weight in fp32 under its Hugging
/// Face name, and the tokenizer.json it was trained with. This is what a GGUF deployment takes as input, so any
/// pipeline (an adapter merged into its base, or whole-model weights) can hand over its own model. Disposing frees
/// the weights this object made (<see cref="Owned"/>), never a caller's.
/// </summary>
public sealed class FullPrecisionModel(LlamaConfig config, IReadOnlyDictionary<string, Tensor> weights, string tokenizerPath,
                                       IReadOnlyList<Tensor>? owned = null) : IDisposable
{
    public LlamaConfig Config { get; } = config;
    public IReadOnlyDictionary<string, Tensor> Weights { get; } = weights;
    public string TokenizerPath { get; } = tokenizerPath;
    private IReadOnlyList<Tensor> Owned { get; } = owned ?? [];

    /// <summary>
    /// The adapter pipeline's model at full precision, what merged-fp32 runs: each adapted projection is
    /// dequant(base) + scale·B·A in fp32 (PEFT's merge), the other projections their dequantized base, and the
    /// embeddings, norms and head as the base holds them.
    /// </summary>
    public static FullPrecisionModel Merged(QLoraModel model, string tokenizerPath)
    {
        using var _ = no_grad();
        var weights = new Dictionary<string, Tensor>(model.Base.Dense, StringComparer.Ordinal);
        var owned = new List<Tensor>();
        foreach (var (path, frozen) in model.Base.Projections)
        {
            using var scope = NewDisposeScope();
            var w = frozen.Weight(ScalarType.Float32);                                           // (out, in)
            if (model.Adapter.Layers.TryGetValue(path, out var adapter)) w = w.Add(adapter.Delta(model.Settings.Scale));
            var kept = w.contiguous().DetachFromDisposeScope();
            weights[$"{path}.weight"] = kept;
            owned.Add(kept);
        }
        return new FullPrecisionModel(model.Base.Config, weights, tokenizerPath, owned);
    }

    public void Dispose()
    {
        foreach (var t in Owned) t.Dispose();
    }
}
