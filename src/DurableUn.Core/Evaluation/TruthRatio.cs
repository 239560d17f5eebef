using DurableUn.Statistics;

namespace DurableUn.Evaluation;

/// <summary>
/// TOFU's truth ratio from per-token mean NLLs (docs/metrics.md#tofu-metrics; OU memorization.py:truth_ratio):
/// R_i = GM_j P̄(ã_ij) / P̄(â_i) = exp(L(â_i) − mean_j L(ã_ij)), with â the paraphrased answer (forget,
/// retain) or the original (real authors, world facts) and ã_ij its perturbed answers.
/// Aggregates: forget <c>closer_to_1_better</c> = mean min(R, 1/R); others <c>true_better</c> = mean max(0, 1 − R).
/// Forget quality is the KS p-value between the unlearned and the retain model's R on the forget set.
/// OU computes R as a ratio of probabilities with 1e-10 added to the denominators; this uses the exact
/// exponential, which differs only when P̄(â) is itself near 1e-10 (mean NLL above ~23).
/// Not: computing the NLLs, or the legacy TOFU repo's variant that takes the mean over items of R itself.
/// </summary>
public static class TruthRatio
{
    /// <param name="answerMeanNll">L(â_i) per item.</param>
    /// <param name="perturbedMeanNll">L(ã_ij) per item, one list of perturbed answers each.</param>
    public static IReadOnlyList<double> PerItem(
        IReadOnlyList<double> answerMeanNll, IReadOnlyList<IReadOnlyList<double>> perturbedMeanNll)
    {
        if (answerMeanNll.Count != perturbedMeanNll.Count)
            throw new ArgumentException($"{answerMeanNll.Count} answers but {perturbedMeanNll.Count} perturbed sets.");
        return answerMeanNll.Zip(perturbedMeanNll, (answer, perturbed) =>
        {
            if (perturbed.Count == 0) throw new ArgumentException("Every item needs at least one perturbed answer.");
            return Math.Exp(answer - perturbed.Average());
        }).ToList();
    }

    /// Forget set: 1 when the model cannot tell the true answer from false ones, toward 0 when it can.
    public static MetricResult CloserToOneBetter(IReadOnlyList<double> ratios) =>
        Aggregate("truth_ratio_closer_to_1_better", ratios, r => Math.Min(r, 1 / r));

    /// Retain / real authors / world facts: 1 − R, floored at 0; high when the true answer is much likelier.
    public static MetricResult TrueBetter(IReadOnlyList<double> ratios) =>
        Aggregate("truth_ratio_true_better", ratios, r => Math.Max(0, 1 - r));

    /// TOFU forget quality: KS p-value between the unlearned and the retain model's forget-set ratios.
    public static MetricResult ForgetQuality(IReadOnlyList<double> unlearnedRatios, IReadOnlyList<double> retainRatios) =>
        new("forget_quality", KsTwoSample.Test(unlearnedRatios, retainRatios).PValue, unlearnedRatios);

    private static MetricResult Aggregate(string name, IReadOnlyList<double> ratios, Func<double, double> perItem)
    {
        if (ratios.Count == 0) throw new ArgumentException("Truth ratio needs at least one item.");
        var values = ratios.Select(perItem).ToList();
        return new MetricResult(name, values.Average(), values);
    }
}
