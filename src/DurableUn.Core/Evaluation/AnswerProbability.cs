namespace DurableUn.Evaluation;

/// <summary>
/// TOFU's Probability metric from per-token mean NLLs (docs/metrics.md#tofu-metrics; OU src/evals/metrics/utils.py
/// evaluate_probability and memorization.py probability_w_options). With L(a) the mean NLL over an answer's
/// tokens including the appended EOS, P̄(a) = exp(−L(a)) is the length-normalised probability.
/// - forget / retain (and WPU's splits): mean_i P̄(a_i);
/// - real authors / world facts: mean_i P̄(a_i) / (P̄(a_i) + Σ_j P̄(ã_ij)), the true answer against its wrong options.
/// Not: computing the NLLs (the suites score the model), or OU's 1e-10 added to the denominator (P̄(a) &gt; 0 here).
/// </summary>
public static class AnswerProbability
{
    /// P̄ per answer; the aggregate is their mean.
    public static MetricResult Mean(string name, IReadOnlyList<double> answerMeanNll)
    {
        if (answerMeanNll.Count == 0) throw new ArgumentException($"{name} needs at least one answer.");
        var values = answerMeanNll.Select(l => Math.Exp(-l)).ToList();
        return new MetricResult(name, values.Average(), values);
    }

    /// P̄(a) / (P̄(a) + Σ_j P̄(ã_j)) per item; the aggregate is their mean.
    public static MetricResult AgainstOptions(string name, IReadOnlyList<double> answerMeanNll,
                                              IReadOnlyList<IReadOnlyList<double>> perturbedMeanNll)
    {
        if (answerMeanNll.Count != perturbedMeanNll.Count)
            throw new ArgumentException($"{answerMeanNll.Count} answers but {perturbedMeanNll.Count} perturbed sets.");
        if (answerMeanNll.Count == 0) throw new ArgumentException($"{name} needs at least one answer.");
        var values = answerMeanNll.Zip(perturbedMeanNll, (answer, perturbed) =>
        {
            var p = Math.Exp(-answer);
            return p / (p + perturbed.Sum(l => Math.Exp(-l)));
        }).ToList();
        return new MetricResult(name, values.Average(), values);
    }
}
