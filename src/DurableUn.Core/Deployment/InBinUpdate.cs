using DurableUn.Tensors;
using DurableUn.Adapters;
using DurableUn.Quantization;
using static TorchSharp.torch;

namespace DurableUn.Deployment;

/// <summary>
/// The part of an unlearning update that a quantized deployment rounds away (docs/design.md#positive-control): for each
/// projection as the precision quantizes it (merged weight, or the whole model's), the target's weight W_t plus as much
/// of each element's update Δ = W_u − W_t as keeps that element in its target's quantization bin; every group's
/// absmax element keeps its target value and no element passes it, so every scale stays the target's too. Quantizing
/// the result gives exactly the target's codes and scales: deployed at that precision it IS the deployed target, while
/// at full precision it keeps every sub-step part of the update. Built from the mechanism alone, with no tuning.
/// Formats: the absmax-scaled ones (NF4, FP4, symmetric INT4, INT8 per row).
/// </summary>
public static class InBinUpdate
{
    /// <summary>Bisection rounds per element: the kept fraction of Δ is exact to 2⁻²⁴ of the element's update.</summary>
    private const int Rounds = 24;

    /// <summary>Projection path → the in-bin weight (out, in) fp32, for every projection the precision quantizes.</summary>
    public static Dictionary<string, Tensor> Of(QLoraModel target, QLoraModel unlearned, Precision precision)
    {
        if (precision.Space is not (PrecisionSpace.Merged or PrecisionSpace.Model) || precision.Format is not { } format ||
            format.Format is not (QuantFormat.Nf4 or QuantFormat.Fp4 or QuantFormat.Int4 or QuantFormat.Int8))
            throw new ArgumentException($"an in-bin update needs a merged-* or model-* precision of an absmax format (nf4, fp4, int4, int8), got {precision.Name}");
        using var _ = no_grad();
        var paths = precision.Space == PrecisionSpace.Model ? target.Base.Projections.Keys : target.Adapter.Layers.Keys;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            using var scope = NewDisposeScope();
            var baseWeight = target.Base.Projections[path];
            var spec = precision.Space == PrecisionSpace.Merged
                ? Deployer.MergeSpec(precision, baseWeight, $"{path}.weight", target.Base.Options)
                : Precision.AlongRows(format, baseWeight.Shape[^1], $"{path}.weight");
            var wt = Deployer.MergedWeight(target, path, target.Settings.Scale);                   // (out, in)
            var wu = Deployer.MergedWeight(unlearned, path, unlearned.Settings.Scale);             // (out, in)
            result[path] = Clip(wt, wu, spec).MoveToOuterDisposeScope();
        }
        return result;
    }

    /// <summary>W_t + s⊙Δ with each element's s ∈ [0, 1] the largest (to 2⁻²⁴) that keeps its code; absmax elements pinned.</summary>
    internal static Tensor Clip(Tensor wt, Tensor wu, QuantSpec spec)
    {
        var shape = wt.shape;
        var t = wt.reshape(-1);
        var absmax = GroupAbsmax(wt, spec);                                                             // (n,) each element's group absmax
        var pinned = t.abs().ge(absmax);                                                                // the elements that set a scale
        var delta = where(pinned, zeros_like(t), wu.reshape(-1).sub(t));                                 // (n,)
        var codes = QuantizationShifts.Codes(Quantizer.Quantize(wt, spec));                            // (n,)
        Tensor Candidate(Tensor s) => minimum(maximum(t.Add(s.mul(delta)), absmax.neg()), absmax);
        bool[] Keeps(Tensor s) => QuantizationShifts.Codes(Quantizer.Quantize(Candidate(s).reshape(shape), spec)).eq(codes).data<bool>().ToArray();
        var lo = zeros_like(t);
        var hi = ones_like(t);
        var whole = tensor(Keeps(hi));
        lo = where(whole, hi, lo);                                                                      // whole update already in bin
        for (var i = 0; i < Rounds; i++)
        {
            var mid = lo.Add(hi).Over(2.0);
            var keeps = tensor(Keeps(mid));
            lo = where(keeps, mid, lo);
            hi = where(keeps, hi, mid);
        }
        var clipped = Candidate(lo);
        if (!QuantizationShifts.Codes(Quantizer.Quantize(clipped.reshape(shape), spec)).eq(codes).all().item<bool>())
            throw new InvalidOperationException("in-bin update: a code moved after clipping (the group scales changed)");
        return clipped.reshape(shape);
    }

    /// <summary>Each element's group absmax, in the tensor's flat order, grouped as <paramref name="spec"/> quantizes.</summary>
    private static Tensor GroupAbsmax(Tensor w, QuantSpec spec)
    {
        var n = w.numel();
        return spec.Format switch
        {
            QuantFormat.Nf4 or QuantFormat.Fp4 => Blocks.Head(
                Blocks.PadToBlocks(w.reshape(-1), spec.BlockSize!.Value).view(-1, spec.BlockSize!.Value).abs().amax([1L], keepdim: true)
                    .expand(-1, spec.BlockSize!.Value), n),
            QuantFormat.Int4 => w.reshape(-1, spec.BlockSize!.Value).abs().amax([1L], keepdim: true).expand(-1, spec.BlockSize!.Value).reshape(-1),
            QuantFormat.Int8 => w.abs().amax([1L], keepdim: true).expand_as(w).reshape(-1),
            _ => throw new NotSupportedException($"no in-bin update for {spec.Format}"),
        };
    }
}
