using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Model;

namespace DurableUn.Evaluation;

/// <summary>
/// FA or RA of a model on QA items under one <see cref="AccuracyMetric"/>: the aggregate is the mean over items,
/// and the per-example values are each item's score in [0, 1] (the per-item recovery table reads them).
/// Generation-based metrics decode greedily up to <c>maxNewTokens</c>, cut at EOS.
/// Not: TOFU's probability/truth ratio or MUSE's metrics (see the benchmark suites).
/// </summary>
public static class QaAccuracy
{
    public static MetricResult Measure(CausalLm model, QaEncoder encoder, IReadOnlyList<QaItem> items, AccuracyMetric metric,
                                       int maxNewTokens = 48, int batchSize = 16)
    {
        if (items.Count == 0) throw new ArgumentException("no items to evaluate");
        var name = metric.Name();
        if (metric == AccuracyMetric.TokenAccuracy)
        {
            var scores = TokenScores.Of(model, items.Select(i => encoder.Encode(i.Question, i.Answer)).ToList(), encoder.Tokenizer.PadId, batchSize);
            var values = scores.Select(s => s.AnswerLength == 0 ? 0.0 : s.Correct.Take(s.AnswerLength).Count(c => c) / (double)s.AnswerLength).ToList();
            return new MetricResult(name, values.Average(), values);
        }
        var answers = GreedyAnswers(model, encoder, items.Select(i => i.Question).ToList(), maxNewTokens, batchSize);
        var perItem = items.Zip(answers, (item, answer) => metric switch
        {
            AccuracyMetric.RougeRecall => RougeL.Score(item.Answer, answer, useStemmer: true).Recall,
            AccuracyMetric.ExactMatch => RougeL.Tokenize(item.Answer, false).SequenceEqual(RougeL.Tokenize(answer, false)) ? 1.0 : 0.0,
            AccuracyMetric.KeyFact => ContainsKeyFact(item, answer) ? 1.0 : 0.0,
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
        }).ToList();
        return new MetricResult(name, perItem.Average(), perItem);
    }

    /// <summary>Greedy answers to the questions, decoded without the stop token.</summary>
    public static IReadOnlyList<string> GreedyAnswers(CausalLm model, QaEncoder encoder, IReadOnlyList<string> questions, int maxNewTokens, int batchSize = 16)
    {
        var tok = encoder.Tokenizer;
        var stops = model.Config.EosTokenIds.Append(tok.EosId).Distinct().ToList();
        var options = new GenerationOptions { MaxNewTokens = maxNewTokens, StopTokens = stops };
        var answers = new List<string>(questions.Count);
        foreach (var chunk in questions.Chunk(batchSize))
        {
            var prompts = chunk.Select(q => (IReadOnlyList<int>)encoder.EncodePrompt(q)).ToList();
            foreach (var output in Generation.Generate(model, prompts, tok.PadId, options))
                answers.Add(tok.Decode(output.Where(id => !stops.Contains(id))).Trim());
        }
        return answers;
    }

    private static bool ContainsKeyFact(QaItem item, string answer)
    {
        if (item.KeyFact is null) throw new ArgumentException($"the item \"{item.Question}\" has no key fact; key_fact accuracy needs synthetic data or key_fact fields");
        var fact = RougeL.Tokenize(item.KeyFact.Text, false);
        var said = RougeL.Tokenize(answer, false);
        if (fact.Count == 0) return false;
        for (var i = 0; i + fact.Count <= said.Count; i++)
            if (said.Skip(i).Take(fact.Count).SequenceEqual(fact)) return true;
        return false;
    }
}
