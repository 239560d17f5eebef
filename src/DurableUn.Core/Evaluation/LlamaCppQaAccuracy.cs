using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.LlamaCpp;

namespace DurableUn.Evaluation;

/// <summary>One list's measurement by llama.cpp: the metric, the answer probability, teacher-forced token accuracy, and
/// each greedy answer.</summary>
public sealed record LlamaCppQaResult(MetricResult Score, MetricResult Probability, MetricResult TokenAccuracy, MetricResult Rouge, IReadOnlyList<string> Answers);

/// <summary>
/// <see cref="QaAccuracy"/> with llama.cpp's engine in place of ours: the same items, the same prompt (the encoder's
/// template and BOS rule, over the GGUF file's own tokenizer through <see cref="LlamaCppTokenizer"/>), the same
/// greedy decode (cut at a stop id, stops removed, trimmed) and the same per-item scores; plus each answer's
/// probability, exp of the mean log-probability of the answer tokens and EOS (TOFU's P̄, <see cref="AnswerProbability"/>),
/// from llama.cpp's logits. All items of all lists run in llama.cpp batches of several sequences, and one prefill of
/// each prompt serves both the probability and the greedy answer (<see cref="LlamaCppInference.ScoreAndAnswer"/>).
/// Not: the benchmark suites' other metrics (truth ratio, MIA) on a GGUF.
/// </summary>
public static class LlamaCppQaAccuracy
{
    public static IReadOnlyList<LlamaCppQaResult> Measure(LlamaCppModel model, QaEncoder encoder, IReadOnlyList<IReadOnlyList<QaItem>> lists,
                                                          AccuracyMetric metric, int maxNewTokens = 48, LlamaCppSettings? settings = null)
    {
        if (lists.Any(l => l.Count == 0)) throw new ArgumentException("no items to evaluate");
        var items = lists.SelectMany(l => l).ToList();
        var examples = items.Select(i => encoder.Encode(i.Question, i.Answer)).ToList();
        var stops = Stops(model, encoder);
        var measured = LlamaCppInference.ScoreAndAnswer(model, examples.Select(e => ((IReadOnlyList<int>)e.PromptIds, (IReadOnlyList<int>)e.CompletionIds)).ToList(),
                                                        maxNewTokens, stops, settings);
        var scored = measured.Select(m => m.Score).ToList();
        var probability = scored.Select(s => Math.Exp(s.LogProbs.Average())).ToList();
        var answers = measured.Select(m => Answer(encoder, m.Greedy, stops)).ToList();
        var tokenAccuracy = scored.Select(s => QaAccuracy.TokenAccuracy(s.Correct)).ToList();
        IReadOnlyList<double> perItem = metric == AccuracyMetric.TokenAccuracy
            ? tokenAccuracy
            : items.Zip(answers, (item, answer) => QaAccuracy.OfAnswer(metric, item, answer)).ToList();
        var scores = QaAccuracy.Split(metric.Name(), perItem, lists);
        var probabilities = QaAccuracy.Split(PrecisionEvaluation.AnswerProbabilityName, probability, lists);
        var tokens = QaAccuracy.Split(AccuracyMetric.TokenAccuracy.Name(), tokenAccuracy, lists);
        var rouge = QaAccuracy.Split(PrecisionEvaluation.RougeName,
            items.Zip(answers, (item, answer) => QaAccuracy.OfAnswer(AccuracyMetric.RougeRecall, item, answer)).ToList(), lists);
        var at = 0;
        var results = new List<LlamaCppQaResult>(lists.Count);
        for (var l = 0; l < lists.Count; l++)
        {
            results.Add(new LlamaCppQaResult(scores[l], probabilities[l], tokens[l], rouge[l], answers.Skip(at).Take(lists[l].Count).ToList()));
            at += lists[l].Count;
        }
        return results;
    }

    /// <summary>A greedy continuation as <see cref="QaAccuracy.GreedyAnswers"/> gives it: stop ids removed, trimmed.</summary>
    private static string Answer(QaEncoder encoder, IEnumerable<int> ids, IReadOnlySet<int> stops) =>
        encoder.Tokenizer.Decode(ids.Where(id => !stops.Contains(id))).Trim();

    /// <summary>The encoder's EOS and the file's end-of-generation tokens (our decode stops at the config's EOS ids
    /// and the tokenizer's EOS; a file carries its EOS and llama.cpp marks the rest).</summary>
    private static HashSet<int> Stops(LlamaCppModel model, QaEncoder encoder) => [.. model.EndOfGeneration, encoder.Tokenizer.EosId];
}
