using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Adapters;

/// <summary>
/// The two LoRA matrices of one projection, PEFT's <c>lora_A.weight</c> [r, in] and <c>lora_B.weight</c> [out, r],
/// fp32. In a live model they are the trainable Parameters themselves; in a snapshot, detached copies.
/// </summary>
public sealed record LoraWeights(Tensor A, Tensor B)
{
    /// <summary>ΔW = scale · B · A, (out, in), a new tensor without gradient history.</summary>
    public Tensor Delta(double scale)
    {
        using var _ = no_grad();
        return B.matmul(A).TimesInPlace(scale);   // (out, r)·(r, in)
    }
}
