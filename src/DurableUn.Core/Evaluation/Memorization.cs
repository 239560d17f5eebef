namespace DurableUn.Evaluation;

/// <summary>
/// Exact memorisation and extraction strength from teacher-forced answers (docs/metrics.md#memorization;
/// OU memorization.py). Input per example: correct[t] = (argmax prediction == label) for each answer
/// token t, EOS position already dropped by the caller.
/// EM = fraction of correct positions. ES = 1 − k*/|y|, k* the smallest k such that every position ≥ k
/// is correct (k* = |y| when the last token is wrong, so ES = 0). OU's loop never reaches k = |y| and
/// reports 1/|y| in that case; this follows the definition instead.
/// Not: computing predictions, or OU's None/0 for answers with no tokens (they throw here).
/// </summary>
public static class Memorization
{
    public static MetricResult ExactMemorization(IReadOnlyList<IReadOnlyList<bool>> correct) =>
        Aggregate("exact_memorization", correct, c => (double)c.Count(ok => ok) / c.Count);

    public static MetricResult ExtractionStrength(IReadOnlyList<IReadOnlyList<bool>> correct) =>
        Aggregate("extraction_strength", correct, c =>
        {
            var kStar = c.Count;
            while (kStar > 0 && c[kStar - 1]) kStar--;                        // walk back over the correct suffix
            return 1.0 - (double)kStar / c.Count;
        });

    private static MetricResult Aggregate(
        string name, IReadOnlyList<IReadOnlyList<bool>> correct, Func<IReadOnlyList<bool>, double> perExample)
    {
        if (correct.Count == 0) throw new ArgumentException($"{name} needs at least one example.");
        if (correct.Any(c => c.Count == 0)) throw new ArgumentException($"{name}: an example has no answer tokens.");
        var values = correct.Select(perExample).ToList();
        return new MetricResult(name, values.Average(), values);
    }
}
