using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// The activation side of LLM.int8() (Dettmers et al. 2022; bitsandbytes <c>MatMul8bitLt</c> with
/// <c>has_fp16_weights=False</c>): the input features (columns of x) in which any element's magnitude exceeds the
/// threshold stay in full precision, every other feature is quantized per token (row-wise absmax to int8), and both parts
/// multiply the int8-dequantized weight (bitsandbytes also takes the outlier columns' weights from its int8 copy).
/// Threshold 0 turns the decomposition off, as <c>llm_int8_threshold=0</c> does: every feature is quantized.
/// </summary>
public static class LlmInt8
{
    /// <summary>bitsandbytes' default <c>llm_int8_threshold</c>.</summary>
    public const double DefaultThreshold = 6.0;

    /// <param name="x">(…, in) activations.</param>
    /// <param name="w">(out, in) weight, already int8-dequantized (per-row absmax).</param>
    public static Tensor Matmul(Tensor x, Tensor w, double threshold)
    {
        using var scope = NewDisposeScope();
        var shape = x.shape;
        var flat = x.reshape(-1, shape[^1]);                                                   // (n, in)
        var outlier = threshold > 0 ? flat.abs().amax([0L]).AboveMask(threshold) : zeros(shape[^1], ScalarType.Bool, x.device); // (in,)
        var regular = flat.Filled(outlier, 0.0);                                                 // (n, in)
        var scale = regular.abs().amax([1L], keepdim: true).AtLeast(1e-12).Over(127.0);          // (n, 1) per-token step
        var quantized = regular.div(scale).round().Clamped(-127, 127).mul(scale);                 // (n, in) int8 round trip
        var mixed = quantized.Add(flat.mul(outlier.to_type(flat.dtype)));                          // outlier features exact
        var y = nn.functional.linear(mixed, w);                                                  // (n, out)
        return y.reshape([.. shape[..^1], w.shape[0]]).MoveToOuterDisposeScope();
    }
}
