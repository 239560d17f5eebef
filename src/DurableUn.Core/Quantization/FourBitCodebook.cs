namespace DurableUn.Quantization;

/// <summary>
/// A 16-entry code table plus what nearest-code search needs: the codes in ascending value order and the fp32
/// midpoints between neighbours. bitsandbytes' reference backend (backends/default/ops.py, <c>_get_4bit_quantize_bounds</c>)
/// quantizes with <c>bucketize(scaled, midpoints)</c> and maps the sorted position back through <c>argsort(code)</c>;
/// bucketize puts a value equal to a midpoint in the lower bucket, so ties go to the lower code value.
/// Not: the search itself (see <see cref="Blockwise4Bit"/>).
/// </summary>
internal sealed class FourBitCodebook
{
    /// <summary>Value of each 4-bit code, indexed by the code.</summary>
    public float[] Values { get; }

    /// <summary>SortedCodes[i] is the code with the i-th smallest value (stable order for equal values).</summary>
    public int[] SortedCodes { get; }

    /// <summary>Midpoints[i] = (value of SortedCodes[i] + value of SortedCodes[i+1]) / 2, computed in fp32 as torch does.</summary>
    public float[] Midpoints { get; }

    public FourBitCodebook(float[] values)
    {
        Values = values;
        // OrderBy is stable, matching torch.argsort on CPU for FP4's two zeros (codes 0 and 8).
        SortedCodes = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        Midpoints = Enumerable.Range(0, values.Length - 1)
            .Select(i => (values[SortedCodes[i]] + values[SortedCodes[i + 1]]) / 2f)
            .ToArray();
    }

    /// <summary>The code for one scaled value in [-1, 1]: the first sorted position whose upper midpoint is ≥ the value.</summary>
    public int Nearest(float scaled)
    {
        int position = 0;
        while (position < Midpoints.Length && scaled > Midpoints[position]) position++;
        return SortedCodes[position];
    }
}
