using DurableUn.Adapters;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Deployment;
using DurableUn.Model;

namespace DurableUn.Evaluation;

/// <summary>FA and RA of one model at one precision under the headline metric, each item's score kept; beside them
/// the answer probability (TOFU's forget_Q_A_Prob and retain_Q_A_Prob: per item exp of the mean answer-token
/// log-probability, EOS included, then the mean) and ROUGE-L recall of the greedy answer on the same items, and, when
/// the metric is not token accuracy, token accuracy's FA and RA too (<see cref="Secondary"/>: token_accuracy_fa,
/// token_accuracy_ra), so a reader can compare the headline metric with the teacher-forced ones.</summary>
public sealed record PrecisionMeasurement(Precision Precision, MetricResult Forget, MetricResult Retain)
{
    public IReadOnlyDictionary<string, double> Secondary { get; init; } = new Dictionary<string, double>();
    public required MetricResult ForgetProbability { get; init; }
    public required MetricResult RetainProbability { get; init; }
    public required MetricResult ForgetRouge { get; init; }
    public required MetricResult RetainRouge { get; init; }

    /// <summary>The GGUF file's types and llama.cpp's fallbacks (GGUF precisions only).</summary>
    public GgufDeploymentInfo? Gguf { get; init; }
}

/// <summary>
/// Measures a QLoRA model at every requested precision: deploy (an explicit transform returning a new model),
/// measure FA on the forget items and RA on the retain-eval items under one metric, with the answer probability and
/// ROUGE-L recall beside it, dispose the deployed copy. GGUF precisions hand the merged full-precision model (with the
/// encoder's tokenizer.json) to <see cref="GgufEvaluation"/>, which llama.cpp measures. The original model is never
/// modified. Not: the benchmark suites (see <see cref="Evaluation"/>).
/// </summary>
public static class PrecisionEvaluation
{
    /// Names of the per-item scores recorded beside the headline metric.
    public const string AnswerProbabilityName = "answer_prob";
    public const string RougeName = "rouge_l_recall";

    public static IReadOnlyList<PrecisionMeasurement> Measure(QLoraModel model, IReadOnlyList<Precision> precisions, AccuracyMetric metric,
                                                              QaEncoder encoder, IReadOnlyList<QaItem> forget, IReadOnlyList<QaItem> retain)
    {
        var results = new List<PrecisionMeasurement>(precisions.Count);
        foreach (var precision in precisions)
        {
            if (precision.Space == PrecisionSpace.Gguf)
            {
                using var full = FullPrecisionModel.Merged(model, TokenizerJson(encoder));
                results.Add(GgufEvaluation.Measure(full, precision, metric, encoder.Template, forget, retain));
                continue;
            }
            using var deployed = Deployer.Deploy(model, precision);
            results.Add(Measure(deployed.Model, precision, metric, encoder, forget, retain));
        }
        return results;
    }

    /// <summary>
    /// One deployed model on forget ∪ retain. Cost: one teacher-forced forward pass over all items in batches of
    /// similar length (token accuracy and the answer probability both read it, so the probability costs nothing
    /// beyond the token-accuracy pass every cell already ran) and one pooled greedy decode of up to 48 tokens (the
    /// generated headline metric and ROUGE-L both read it). A token-accuracy headline adds that decode, for ROUGE-L.
    /// </summary>
    public static PrecisionMeasurement Measure(CausalLm model, Precision precision, AccuracyMetric metric, QaEncoder encoder,
                                               IReadOnlyList<QaItem> forget, IReadOnlyList<QaItem> retain)
    {
        if (forget.Count == 0 || retain.Count == 0) throw new ArgumentException("no items to evaluate");
        IReadOnlyList<IReadOnlyList<QaItem>> lists = [forget, retain];
        var items = forget.Concat(retain).ToList();
        var scores = QaAccuracy.Score(model, encoder, items);                                              // teacher-forced
        var answers = QaAccuracy.GreedyAnswers(model, encoder, items.Select(i => i.Question).ToList(), QaAccuracy.MaxNewTokens);
        var tokens = QaAccuracy.Split(AccuracyMetric.TokenAccuracy.Name(), scores.Select(QaAccuracy.TokenAccuracy).ToList(), lists);
        var headline = metric == AccuracyMetric.TokenAccuracy
            ? tokens
            : QaAccuracy.Split(metric.Name(), items.Zip(answers, (item, answer) => QaAccuracy.OfAnswer(metric, item, answer)).ToList(), lists);
        var probability = QaAccuracy.Split(AnswerProbabilityName,
            AnswerProbability.Mean(AnswerProbabilityName, scores.Select(SuiteScoring.MeanNll).ToList()).PerExample, lists);
        var rouge = QaAccuracy.Split(RougeName,
            items.Zip(answers, (item, answer) => QaAccuracy.OfAnswer(AccuracyMetric.RougeRecall, item, answer)).ToList(), lists);
        var secondary = new Dictionary<string, double>(StringComparer.Ordinal);
        if (metric != AccuracyMetric.TokenAccuracy)
            (secondary[$"{tokens[0].Name}_fa"], secondary[$"{tokens[0].Name}_ra"]) = (tokens[0].Aggregate, tokens[1].Aggregate);
        return new PrecisionMeasurement(precision, headline[0], headline[1])
        {
            Secondary = secondary,
            ForgetProbability = probability[0], RetainProbability = probability[1],
            ForgetRouge = rouge[0], RetainRouge = rouge[1],
        };
    }

    /// <summary>The per-item recovery table of a run: each forget item's score and answer probability at each precision.</summary>
    /// <summary>The tokenizer.json a GGUF export embeds: the one the encoder's tokenizer was loaded from.</summary>
    private static string TokenizerJson(QaEncoder encoder) => encoder.Tokenizer is Tokenization.HfTokenizer hf
        ? hf.Path
        : throw new ArgumentException("a GGUF precision writes the model's tokenizer.json into the file; this encoder's tokenizer was not loaded from one");

    /// <summary>The per-item recovery table of a run: each forget item's score at each precision.</summary>
    public static IReadOnlyList<ItemRecovery> Items(IReadOnlyList<QaItem> forget, IReadOnlyList<PrecisionMeasurement> measured) =>
        forget.Select((item, i) => new ItemRecovery
        {
            ItemId = $"forget-{i:D4}",
            Question = item.Question,
            Answer = item.Answer,
            Scores = measured.ToDictionary(m => m.Precision, m => m.Forget.PerExample[i]),
            AnswerProbability = measured.ToDictionary(m => m.Precision, m => m.ForgetProbability.PerExample[i]),
        }).ToList();
}
