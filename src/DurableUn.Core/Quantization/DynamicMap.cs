using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// bitsandbytes' signed 8-bit "dynamic" code (bitsandbytes/functional.py <c>create_dynamic_map(signed=True,
/// max_exponent_bits=7, total_bits=8)</c>; Dettmers 2016, arXiv:1511.04561), the code double quantization puts the
/// absmax on (QLoRA's "FP8"). For each decade i = 0..6 it takes the 2^i midpoints of linspace(0.1, 1, 2^i + 1), scales
/// them by 10^(i−6), adds their negatives, then 0 and 1: 127 + 127 + 2 = 256 values, sorted. The midpoints come from
/// torch's own fp32 linspace, whose rounding changed between torch releases: against torch 1.13, 42 of the 256 values
/// differ by 1-2 ulps (DynamicMapTests). bnb builds the map at run time, so its exact bits depend on the user's torch;
/// a checkpoint carries its map as <c>nested_quant_map</c>, and a loader should use that one.
/// Not: the unsigned map; not: maps with a linear region (total_bits − 1 &gt; max_exponent_bits).
/// </summary>
public static class DynamicMap
{
    /// <summary>The 256 code values in ascending order (the <c>nested_quant_map</c> of a bnb checkpoint).</summary>
    public static IReadOnlyList<float> Values { get; } = Create();

    /// <summary>fp32 midpoints between neighbouring values, for bucketize-style nearest search (ties to the lower code).</summary>
    internal static float[] Midpoints { get; } =
        Enumerable.Range(0, 255).Select(i => (Values[i] + Values[i + 1]) / 2f).ToArray();

    /// <summary>The code of one value in [-1, 1]: the first position whose upper midpoint is ≥ the value.</summary>
    internal static byte Nearest(float scaled)
    {
        int position = 0;
        while (position < Midpoints.Length && scaled > Midpoints[position]) position++;
        return (byte)position;
    }

    private static float[] Create()
    {
        // 10^(i−6) as Python computes 10 ** (-6 + i) in double, then torch casts it to fp32 for the multiply.
        double[] decades = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0];
        var values = new List<float> { 0f, 1f };
        for (int i = 0; i < decades.Length; i++)
        {
            int fractionItems = (1 << i) + 1;   // 2^(i + non_sign_bits − max_exponent_bits) + 1, with 7 − 7 = 0
            using var bounds = linspace(0.1, 1.0, fractionItems, ScalarType.Float32);          // (2^i + 1,)
            using var means = bounds.narrow(0, 0, fractionItems - 1).Add(bounds.narrow(0, 1, fractionItems - 1)).Over(2f); // (2^i,)
            using var scaled = means.Times((float)decades[i]);
            foreach (float m in scaled.data<float>().ToArray())
            {
                values.Add(m);
                values.Add(-m);
            }
        }
        values.Sort();
        return values.ToArray();
    }
}
