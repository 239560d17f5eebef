namespace DurableUn.Evaluation;

/// <summary>
/// How FA and RA are measured (docs/design.md#forget-and-retain-accuracy). Every report names the one it used.
/// </summary>
public enum AccuracyMetric
{
    /// Teacher-forced answer-token accuracy: the fraction of answer tokens (EOS excluded) whose argmax equals the
    /// label. Cheap, deterministic, and sensitive to partial recovery, but its floor is 0.4–0.5 on templated answers;
    /// every cell records it beside the headline metric.
    TokenAccuracy,
    /// ROUGE-L recall of the greedy answer against the reference (rouge_score tokenizer, Porter stemmer; TOFU's).
    RougeRecall,
    /// 1 when the greedy answer equals the reference after ROUGE tokenisation (case and punctuation ignored).
    ExactMatch,
    /// 1 when the greedy answer contains the item's key fact (synthetic data marks it; ROUGE tokenisation). The
    /// headline metric of study, sweep and certify: its floor on never-seen facts is near 0.
    KeyFact,
}

public static class AccuracyMetrics
{
    /// snake_case names used on the command line and in results.json.
    public static string Name(this AccuracyMetric metric) => metric switch
    {
        AccuracyMetric.TokenAccuracy => "token_accuracy",
        AccuracyMetric.RougeRecall => "rouge_l_recall",
        AccuracyMetric.ExactMatch => "exact_match",
        AccuracyMetric.KeyFact => "key_fact",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    /// True for metrics whose per-item score is 0 or 1 (a paired comparison of them is an exact McNemar test).
    public static bool IsZeroOne(this AccuracyMetric metric) => metric is AccuracyMetric.KeyFact or AccuracyMetric.ExactMatch;

    public static AccuracyMetric Parse(string name) =>
        Enum.GetValues<AccuracyMetric>().FirstOrDefault(m => m.Name() == name) is var m && m.Name() == name
            ? m
            : throw new ArgumentException($"unknown metric \"{name}\"; known: {string.Join(", ", Enum.GetValues<AccuracyMetric>().Select(x => x.Name()))}");
}
