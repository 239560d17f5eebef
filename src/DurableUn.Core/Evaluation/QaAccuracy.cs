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
    /// Longest greedy answer, in tokens: the cut every FA/RA measurement decodes to.
    public const int MaxNewTokens = 48;

    /// <param name="batchSize">Sequences scored together (teacher forcing: memory grows with length × batch).</param>
    /// <param name="generationBatchSize">Sequences decoded together: a decode step of a small model costs about the same
    /// for 16 or 64 sequences on a CPU, so one batch of 64 takes a quarter of the steps (SuiteScoring.GreedyAnswers).</param>
    public static MetricResult Measure(CausalLm model, QaEncoder encoder, IReadOnlyList<QaItem> items, AccuracyMetric metric,
                                       int maxNewTokens = MaxNewTokens, int batchSize = 16, int generationBatchSize = 64) =>
        Measure(model, encoder, [items], metric, maxNewTokens, batchSize, generationBatchSize)[0];

    /// <summary>
    /// The metric on several item lists (FA's forget items and RA's retain items) in one pass over all of them: one
    /// teacher-forced pass, or one pooled greedy decode, instead of one per list. Decoding is what a measurement
    /// costs, and a decode step of a small model costs about the same for 20 or 64 sequences, so pooling the lists
    /// halves it. Each item's score does not depend on the items decoded beside it (left padding is masked; the
    /// fast decoder's tests compare batched with one-by-one answers).
    /// </summary>
    public static IReadOnlyList<MetricResult> Measure(CausalLm model, QaEncoder encoder, IReadOnlyList<IReadOnlyList<QaItem>> lists, AccuracyMetric metric,
                                                      int maxNewTokens = MaxNewTokens, int batchSize = 16, int generationBatchSize = 64)
    {
        if (lists.Any(l => l.Count == 0)) throw new ArgumentException("no items to evaluate");
        var items = lists.SelectMany(l => l).ToList();
        var perItem = metric == AccuracyMetric.TokenAccuracy
            ? Score(model, encoder, items, batchSize).Select(TokenAccuracy).ToList()
            : items.Zip(GreedyAnswers(model, encoder, items.Select(i => i.Question).ToList(), maxNewTokens, generationBatchSize),
                        (item, answer) => OfAnswer(metric, item, answer)).ToList();
        return Split(metric.Name(), perItem, lists);
    }

    /// <summary>One teacher-forced pass over the items' question + answer (EOS last), batched by length, in item order.</summary>
    public static IReadOnlyList<TokenScores> Score(CausalLm model, QaEncoder encoder, IReadOnlyList<QaItem> items, int batchSize = 16) =>
        SuiteScoring.Score(model, items.Select(i => encoder.Encode(i.Question, i.Answer)).ToList(), encoder.Tokenizer.PadId, batchSize);

    /// Token accuracy of one item: the share of its answer tokens (EOS excluded) whose argmax is the label.
    public static double TokenAccuracy(TokenScores scores) =>
        scores.AnswerLength == 0 ? 0.0 : scores.Correct.Take(scores.AnswerLength).Count(c => c) / (double)scores.AnswerLength;

    /// Token accuracy of one teacher-forced answer scored by another engine (llama.cpp): the share of its tokens, EOS
    /// (the last) left out, that are the argmax.
    internal static double TokenAccuracy(IReadOnlyList<bool> correct)
    {
        var length = Math.Max(0, correct.Count - 1);
        return length == 0 ? 0.0 : correct.Take(length).Count(c => c) / (double)length;
    }

    /// A generated metric's score of one greedy answer against its item.
    public static double OfAnswer(AccuracyMetric metric, QaItem item, string answer) => metric switch
    {
        AccuracyMetric.RougeRecall => RougeL.Score(item.Answer, answer, useStemmer: true).Recall,
        AccuracyMetric.ExactMatch => RougeL.Tokenize(item.Answer, false).SequenceEqual(RougeL.Tokenize(answer, false)) ? 1.0 : 0.0,
        AccuracyMetric.KeyFact => ContainsKeyFact(item, answer) ? 1.0 : 0.0,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "not a generated metric"),
    };

    /// <summary>Per-item values of the pooled lists cut back into one <see cref="MetricResult"/> per list.</summary>
    public static IReadOnlyList<MetricResult> Split(string name, IReadOnlyList<double> perItem, IReadOnlyList<IReadOnlyList<QaItem>> lists)
    {
        var results = new List<MetricResult>(lists.Count);
        var at = 0;
        foreach (var list in lists)
        {
            var values = perItem.Skip(at).Take(list.Count).ToList();
            results.Add(new MetricResult(name, values.Average(), values));
            at += list.Count;
        }
        return results;
    }

    /// <summary>Greedy answers to the questions, decoded without the stop token, trimmed (batched by prompt length).</summary>
    public static IReadOnlyList<string> GreedyAnswers(CausalLm model, QaEncoder encoder, IReadOnlyList<string> questions, int maxNewTokens, int batchSize = 64) =>
        SuiteScoring.Greedy(model, encoder.Tokenizer, questions.Select(encoder.EncodePrompt).ToList(), maxNewTokens, batchSize)
            .Select(a => a.Trim()).ToList();

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
