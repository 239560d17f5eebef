using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Adapters;

/// <summary>
/// Merges a LoRA adapter into dense weights exactly, W ← W + scale·B·A in fp32, as PEFT's <c>merge_and_unload</c> does
/// on an unquantized base (huggingface/peft tuners/lora/layer.py <c>Linear.merge</c>, <c>get_delta_weight</c>): the usual
/// way a fine-tune reaches llama.cpp. Every merged weight is checked finite before it replaces the old one.
/// Not: merging into a quantized base (that is a deployment: <see cref="Deployment.Deployer"/>, merged-*); not: unmerging.
/// </summary>
public static class LoraMerge
{
    /// <summary>
    /// Replaces each adapted <c>{path}.weight</c> of <paramref name="weights"/> (Hugging Face names) by its merged fp32
    /// weight and disposes the old tensor; other entries are left as they are.
    /// </summary>
    public static void Into(IDictionary<string, Tensor> weights, LoraAdapter adapter)
    {
        using var _ = no_grad();
        foreach (var (path, lora) in adapter.Layers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var name = $"{path}.weight";
            if (!weights.TryGetValue(name, out var w)) throw new KeyNotFoundException($"the adapter targets {path}, but the weights have no {name}");
            using var delta = lora.Delta(adapter.Options.Scale);                   // (out, in)
            if (!w.shape.SequenceEqual(delta.shape))
                throw new ArgumentException($"{name} has shape [{string.Join(", ", w.shape)}], the adapter's B·A is [{string.Join(", ", delta.shape)}]");
            var merged = delta.Add(w);                   // fp32 (type promotion), a new tensor; w untouched until swapped
            try
            {
                FiniteCheck.Weight(merged, name, "merging the adapter (W + scale·B·A)");
            }
            catch (OverflowException)
            {
                merged.Dispose();
                throw;
            }
            weights[name] = merged;
            w.Dispose();
        }
    }
}
