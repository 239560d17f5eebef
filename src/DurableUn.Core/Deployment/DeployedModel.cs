using DurableUn.Adapters;
using DurableUn.Model;

namespace DurableUn.Deployment;

/// <summary>
/// A model as deployed at one <see cref="Precision"/>: a new <see cref="CausalLm"/> over the original's base, with the
/// deployed adapter (adapter space) or the merged, re-quantized weights it made (merged). Disposing it frees what the
/// deployment made and nothing of the original. Not: saving (the bnb and PEFT writers take a base or an adapter).
/// </summary>
public sealed class DeployedModel(Precision precision, CausalLm model, IReadOnlyDictionary<string, FrozenWeight> merged,
    IReadOnlyDictionary<string, FrozenWeight> resident, IReadOnlyDictionary<string, LoraWeights> adapter) : IDisposable
{
    public Precision Precision { get; } = precision;

    /// <summary>Inference model; nothing in it requires gradients.</summary>
    public CausalLm Model { get; } = model;

    /// <summary>Merged projection weights (merged precisions only; empty otherwise).</summary>
    public IReadOnlyDictionary<string, FrozenWeight> MergedWeights { get; } = merged;

    /// <summary>The dense projection weights the model multiplies with, dequantized once at deployment (compute dtype).</summary>
    public IReadOnlyDictionary<string, FrozenWeight> ResidentWeights { get; } = resident;

    /// <summary>The adapter as deployed (A and B after the precision's round trip; bf16 and adapter space only, else empty).
    /// With fp32 compute it is already folded into <see cref="ResidentWeights"/>; kept to inspect and compare.</summary>
    public IReadOnlyDictionary<string, LoraWeights> Adapter { get; } = adapter;

    public void Dispose()
    {
        Model.Dispose();
        foreach (var w in Adapter.Values) { w.A.Dispose(); w.B.Dispose(); }
        foreach (var w in ResidentWeights.Values) w.Dense?.Dispose();
        foreach (var w in MergedWeights.Values)
        {
            w.Dense?.Dispose();
            if (w.Quantized is { } q)
            {
                q.Codes.Dispose();
                q.Scales.Dispose();
                q.ZeroPoints?.Dispose();
                q.Nested?.Absmax.Dispose();
            }
        }
    }
}
