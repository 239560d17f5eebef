using DurableUn.Adapters;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Deployment;
using DurableUn.Evaluation;

namespace DurableUn.Evaluation;

/// <summary>FA and RA of one model at one precision, with each forget item's score, and, when the metric is not token
/// accuracy, token accuracy's FA and RA too (<see cref="Secondary"/>: token_accuracy_fa, token_accuracy_ra), so a reader
/// can compare the headline metric with the teacher-forced one.</summary>
public sealed record PrecisionMeasurement(Precision Precision, MetricResult Forget, MetricResult Retain)
{
    public IReadOnlyDictionary<string, double> Secondary { get; init; } = new Dictionary<string, double>();
}

/// <summary>
/// Measures a QLoRA model at every requested precision: deploy (an explicit transform returning a new model),
/// measure FA on the forget items and RA on the retain-eval items under one metric, dispose the deployed copy.
/// The original model is never modified. Not: the benchmark suites (see <see cref="Evaluation"/>).
/// </summary>
public static class PrecisionEvaluation
{
    public static IReadOnlyList<PrecisionMeasurement> Measure(QLoraModel model, IReadOnlyList<Precision> precisions, AccuracyMetric metric,
                                                              QaEncoder encoder, IReadOnlyList<QaItem> forget, IReadOnlyList<QaItem> retain)
    {
        var results = new List<PrecisionMeasurement>(precisions.Count);
        foreach (var precision in precisions)
        {
            using var deployed = Deployer.Deploy(model, precision);
            var secondary = new Dictionary<string, double>(StringComparer.Ordinal);
            if (metric != AccuracyMetric.TokenAccuracy)
            {
                var name = AccuracyMetric.TokenAccuracy.Name();
                var tokens = QaAccuracy.Measure(deployed.Model, encoder, [forget, retain], AccuracyMetric.TokenAccuracy);
                (secondary[$"{name}_fa"], secondary[$"{name}_ra"]) = (tokens[0].Aggregate, tokens[1].Aggregate);
            }
            var headline = QaAccuracy.Measure(deployed.Model, encoder, [forget, retain], metric);
            results.Add(new PrecisionMeasurement(precision, headline[0], headline[1]) { Secondary = secondary });
        }
        return results;
    }

    /// <summary>The per-item recovery table of a run: each forget item's score at each precision.</summary>
    public static IReadOnlyList<ItemRecovery> Items(IReadOnlyList<QaItem> forget, IReadOnlyList<PrecisionMeasurement> measured) =>
        forget.Select((item, i) => new ItemRecovery
        {
            ItemId = $"forget-{i:D4}",
            Question = item.Question,
            Answer = item.Answer,
            Scores = measured.ToDictionary(m => m.Precision, m => m.Forget.PerExample[i]),
        }).ToList();
}
