namespace DurableUn.Evaluation;

/// <summary>
/// Harmonic mean n / Σ 1/x_i, as TOFU's model utility over its nine numbers ({Prob, ROUGE-L recall,
/// truth ratio true_better} × {retain, real authors, world facts}; OU hm_aggregate → scipy.stats.hmean).
/// Any zero makes it 0 (the limit, and what scipy returns). Per-example values are the inputs.
/// Not: weights, or negative inputs (they throw: the harmonic mean of scores in [0, 1] has no use for them).
/// </summary>
public static class HarmonicMean
{
    public static MetricResult Compute(string name, IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("Harmonic mean needs at least one value.");
        if (values.Any(v => v < 0 || double.IsNaN(v)))
            throw new ArgumentException($"Harmonic mean needs non-negative values: {string.Join(", ", values)}.");
        var mean = values.Contains(0.0) ? 0.0 : values.Count / values.Sum(v => 1 / v);
        return new MetricResult(name, mean, values);
    }
}
