using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Model;

/// <summary>
/// A projection that can hand its weight to a fused matmul: one whose output is exactly x·Wᵀ in the hidden dtype
/// (no bias, no adapter, no dtype round trip). A LoRA layer with an adapter attached returns null, since LoRA applies
/// per original projection.
/// </summary>
public interface IFusableProjection
{
    /// <summary>[out, in] in <paramref name="dtype"/> (a new tensor or an alias the caller may dispose; never written), or null.</summary>
    Tensor? FusableWeight(ScalarType dtype);
}

/// <summary>
/// Concatenates the weights of sibling projections (q/k/v, gate/up) into one [Σout, in] matrix so a forward runs one
/// matmul instead of several (fewer libtorch calls per decode step, where the per-call overhead dominates).
/// Only in memory, for as long as a <see cref="CausalLm.FuseProjections"/> scope lives: Hugging Face names stay on
/// disk and in the module tree, and training never sees the fused copy. Each output row is the same dot product as
/// in the separate matmul; the summation order inside libtorch's GEMM may differ, so logits agree to fp32 rounding
/// (FusedProjectionTests: within 1e-5) and greedy outputs token for token with <see cref="Generation.Reference"/>.
/// </summary>
public static class FusedProjections
{
    /// <returns>The fused [Σout, in] weight, or null when any part cannot be fused (bias, adapter, other dtype).</returns>
    public static Tensor? Fuse(ScalarType dtype, params nn.Module<Tensor, Tensor>[] parts)
    {
        using var scope = NewDisposeScope();
        var weights = new List<Tensor>();
        foreach (var part in parts)
        {
            var w = part switch
            {
                Linear { bias: null } linear when linear.weight!.dtype == dtype => linear.weight.detach(),
                IFusableProjection fusable => fusable.FusableWeight(dtype),
                _ => null,
            };
            if (w is null) return null;
            weights.Add(w);
        }
        return cat(weights, 0).contiguous().DetachFromDisposeScope();            // (Σout, in)
    }
}
