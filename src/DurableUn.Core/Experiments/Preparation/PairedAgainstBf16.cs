using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Statistics;

namespace DurableUn.Experiments.Preparation;

/// <summary>
/// A precision's forget-set scores against the same model's bf16 scores, item by item: the headline metric (exact
/// McNemar when its scores are 0/1, as key-fact recall's are; Wilcoxon otherwise) and the answer probability
/// (Wilcoxon). This is what says whether FA_p − FA_bf16 is recovery or noise; none at bf16 itself or when bf16 was
/// not measured.
/// </summary>
internal static class PairedAgainstBf16
{
    public static IReadOnlyList<PairedDifference> Of(PrecisionMeasurement at, PrecisionMeasurement? bf16, AccuracyMetric metric)
    {
        if (bf16 is null || at.Precision == Precision.Bf16) return [];
        return
        [
            PairedComparison.Of(metric.Name(), metric.IsZeroOne() ? PairedTest.McNemarExact : PairedTest.Wilcoxon,
                                at.Forget.PerExample, bf16.Forget.PerExample),
            PairedComparison.Of(PrecisionEvaluation.AnswerProbabilityName, PairedTest.Wilcoxon,
                                at.ForgetProbability.PerExample, bf16.ForgetProbability.PerExample),
        ];
    }
}
