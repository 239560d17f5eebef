using DurableUn.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace DurableUn.Adapters;

/// <summary>
/// The <see cref="IProjectionFactory"/> of the QLoRA regime: each projection becomes a <see cref="LoraLinear"/> over the
/// given frozen base weight, with the adapter's A and B when the path is a target. Nothing is copied: the base weights
/// and adapter tensors handed in are the ones the layers use. Checks that each base weight has the shape the model asks for.
/// Not: biases (Llama has none; <see cref="QLoraBase"/> rejects configs with them).
/// </summary>
public sealed class LoraProjections(
    IReadOnlyDictionary<string, FrozenWeight> baseWeights,
    IReadOnlyDictionary<string, LoraWeights> adapter,
    LoraLayerSettings settings,
    bool registerAdapter) : IProjectionFactory
{
    public nn.Module<Tensor, Tensor> Create(string path, int inFeatures, int outFeatures, bool bias)
    {
        if (bias) throw new NotSupportedException($"{path}: projections with a bias are not supported in the QLoRA regime");
        if (!baseWeights.TryGetValue(path, out var weight))
            throw new ArgumentException($"{path}: no base weight for this projection");
        if (!weight.Shape.SequenceEqual([outFeatures, inFeatures]))
            throw new ArgumentException($"{path}: base weight has shape [{string.Join(", ", weight.Shape)}], the model expects [{outFeatures}, {inFeatures}]");
        return new LoraLinear(weight, adapter.GetValueOrDefault(path), settings, registerAdapter);
    }
}
