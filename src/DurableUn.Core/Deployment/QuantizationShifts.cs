using DurableUn.Tensors;
using DurableUn.Adapters;
using DurableUn.Quantization;
using static TorchSharp.torch;

namespace DurableUn.Deployment;

/// <summary>
/// The quantization recovery mechanism measured from weights alone: for an unlearned model against
/// its target at one precision, per tensor group, the fraction of quantization codes that differ and the distribution
/// of |Δw| in units of half a quantization step (<see cref="QuantizationShift"/>). Groups and specs are the
/// deployment's own (<see cref="Deployer"/>): adapter precisions quantize A and B with INT4 groups along rows; merged
/// precisions quantize scale·B·A added to the dequantized base, merged-nf4 with the base's blocksize; whole-model
/// precisions quantize every projection, each model's merged over its own base.
/// The step is the target's: INT4 scale (absmax/7), INT8 row absmax/127, INT4-asym (max−min)/15, and for NF4/FP4 the
/// mean gap of the codebook (2/15, both span [−1, 1]) times the block absmax. Where the target's group is all zero
/// (a fresh adapter's B) the unlearned group's step is the unit; a group whose step is 0 in both counts a move as
/// infinitely many half-steps and no move as 0.
/// GGUF precisions compare the two models' files as llama.cpp quantized them (<see cref="GgufShifts"/>).
/// Not: bf16 and merged-fp32, which have no codes (empty result).
/// </summary>
public static class QuantizationShifts
{
    /// <summary>Lower edges of the histogram bins in half-steps; the last bin is open.</summary>
    public static IReadOnlyList<double> BinEdges { get; } = [0, 0.25, 0.5, 1, 2];

    /// <summary>Mean gap between adjacent NF4 or FP4 code values: both codebooks run from −1 to 1 in 16 codes.</summary>
    private const float FourBitMeanGap = 2f / 15f;

    /// <param name="tokenizerPath">The models' tokenizer.json, which a GGUF precision writes into its files (<see cref="GgufShifts"/>).</param>
    public static IReadOnlyList<QuantizationShift> Measure(QLoraModel target, QLoraModel unlearned, Precision precision, string? tokenizerPath = null)
    {
        if (precision.Gguf is { } type)
        {
            var tokenizer = tokenizerPath ?? throw new ArgumentException($"{precision}: code flips of GGUF files need the tokenizer.json to write them");
            using var t = FullPrecisionModel.Merged(target, tokenizer);
            using var u = FullPrecisionModel.Merged(unlearned, tokenizer);
            return GgufShifts.Measure(t, u, type);
        }
        if (precision.Format is null) return [];
        using var _ = no_grad();
        var groups = new Dictionary<string, List<(Tensor Flipped, Tensor HalfSteps)>>(StringComparer.Ordinal);
        void Add(string group, (Tensor, Tensor) m)
        {
            if (!groups.TryGetValue(group, out var list)) groups[group] = list = [];
            list.Add(m);
        }
        using var scope = NewDisposeScope();
        if (precision.Space == PrecisionSpace.Model)
        {
            // Every projection, as the whole-model deployment quantizes it; each model merged over its own base (in the
            // full pipeline the unlearned model's base is its own weights, not the target's).
            foreach (var (path, baseWeight) in target.Base.Projections)
            {
                var spec = Precision.AlongRows(precision.Format, baseWeight.Shape[^1], $"{path}.weight");
                Add("model", Compare(Deployer.MergedWeight(target, path, target.Settings.Scale), Deployer.MergedWeight(unlearned, path, unlearned.Settings.Scale), spec));
            }
            return groups.Select(g => Summarize(g.Key, g.Value)).ToList();
        }
        foreach (var (path, t) in target.Adapter.Layers)
        {
            var u = unlearned.Adapter.Layers.TryGetValue(path, out var w) ? w
                : throw new ArgumentException($"the unlearned adapter has no layer {path}, which the target has");
            if (precision.Space == PrecisionSpace.Adapter)
            {
                Add("A", Compare(t.A, u.A, Precision.AlongRows(precision.Format, t.A.shape[^1], $"{path}.lora_A.weight")));
                Add("B", Compare(t.B, u.B, Precision.AlongRows(precision.Format, t.B.shape[^1], $"{path}.lora_B.weight")));
            }
            else
            {
                var spec = Deployer.MergeSpec(precision, target.Base.Projections[path], $"{path}.weight", target.Base.Options);
                Add("merged", Compare(Deployer.MergedWeight(target, path, target.Settings.Scale), Deployer.MergedWeight(unlearned, path, unlearned.Settings.Scale), spec));
            }
        }
        return groups.Select(g => Summarize(g.Key, g.Value)).ToList();
    }

    /// <summary>Per element: whether the code differs (bool) and |Δw| / half the target's step.</summary>
    internal static (Tensor Flipped, Tensor HalfSteps) Compare(Tensor target, Tensor unlearned, QuantSpec spec)
    {
        var t = target.detach().to_type(ScalarType.Float32);
        var u = unlearned.detach().to_type(ScalarType.Float32);
        var qt = Quantizer.Quantize(t, spec);
        var qu = Quantizer.Quantize(u, spec);
        var n = t.numel();
        var flipped = Codes(qt).ne(Codes(qu));                                                        // (n,)
        // The target's step; where the target's group is all zero (a fresh adapter's B = 0) it has none, and the
        // unlearned group's own step, the one its deployment rounds with, is the unit instead.
        var targetStep = Step(qt, t);                                                                  // (n,)
        var step = where(targetStep.AboveMask(0), targetStep, Step(qu, u));                            // (n,)
        var delta = (u - t).abs().reshape(-1);                                                         // (n,)
        var half = step.Over(2);
        var ratio = where(half.AboveMask(0), delta / half.AtLeast(float.Epsilon), zeros_like(delta).Filled(delta.AboveMask(0), float.PositiveInfinity));
        return (flipped.reshape(n), ratio);
    }

    /// <summary>One code per element, in the tensor's flat order.</summary>
    internal static Tensor Codes(QuantizedTensor q)
    {
        var n = q.NumElements;
        if (q.Format is QuantFormat.Nf4 or QuantFormat.Fp4)
        {
            var bytes = q.Codes.to_type(ScalarType.Int32);                                             // (ceil(n/2),)
            return stack([bytes.bitwise_right_shift(4), bytes.bitwise_and(15)], 1).reshape(-1).narrow(0, 0, n); // element 2k high, 2k+1 low
        }
        return q.Codes.to_type(ScalarType.Int32).reshape(-1).narrow(0, 0, n);
    }

    /// <summary>The quantization step of each element's group, block or row.</summary>
    private static Tensor Step(QuantizedTensor q, Tensor weight)
    {
        var n = q.NumElements;
        switch (q.Format)
        {
            case QuantFormat.Nf4 or QuantFormat.Fp4:
                var blocks = Blocks.PadToBlocks(weight.reshape(-1), q.BlockSize).view(-1, q.BlockSize);   // (nb, B)
                var absmax = blocks.abs().amax([1L], keepdim: true);                                       // (nb, 1)
                return absmax.Times(FourBitMeanGap).expand_as(blocks).reshape(-1).narrow(0, 0, n);
            case QuantFormat.Int8:
                return q.Scales.to_type(ScalarType.Float32).Over(127f).unsqueeze(1).expand(-1, q.BlockSize).reshape(-1);
            case QuantFormat.Int4 or QuantFormat.Int4Asym:
                return q.Scales.to_type(ScalarType.Float32).reshape(-1, 1).expand(-1, q.BlockSize).reshape(-1);
            default:
                throw new NotSupportedException($"no code-flip statistics for {q.Format}");
        }
    }

    internal static QuantizationShift Summarize(string group, List<(Tensor Flipped, Tensor HalfSteps)> parts)
    {
        var flipped = cat(parts.Select(p => p.Flipped).ToArray());
        var ratios = cat(parts.Select(p => p.HalfSteps).ToArray()).to_type(ScalarType.Float64).data<double>().ToArray();
        Array.Sort(ratios);
        var n = ratios.Length;
        var histogram = BinEdges.Select((lo, i) =>
        {
            var hi = i + 1 < BinEdges.Count ? BinEdges[i + 1] : double.PositiveInfinity;
            return (double)ratios.Count(r => r >= lo && r < hi) / n;
        }).ToList();
        var median = n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
        return new QuantizationShift
        {
            Group = group, Elements = n, CodesFlipped = flipped.to_type(ScalarType.Float64).mean().item<double>(),
            HalfStepHistogram = histogram, MedianHalfSteps = median,
        };
    }
}
