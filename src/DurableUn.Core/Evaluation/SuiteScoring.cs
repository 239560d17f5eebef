using DurableUn.Data.Tokenized;
using DurableUn.Model;
using DurableUn.Tokenization;

namespace DurableUn.Evaluation;

/// <summary>
/// The two model passes every benchmark suite is made of, batched for a 2-core CPU: teacher-forced token scores
/// (<see cref="TokenScores.Of"/>) and greedy continuations (<see cref="Generation"/>, left-padded). Both sort the
/// inputs by length before batching, so a batch pads to a similar length instead of the longest of the split, and
/// return results in input order. Plus the text encodings MUSE needs (BOS + raw text, no template).
/// Not: any metric arithmetic, and not sampling (every suite decodes greedily).
/// </summary>
internal static class SuiteScoring
{
    /// Token scores of each example, in input order.
    public static IReadOnlyList<TokenScores> Score(CausalLm model, IReadOnlyList<EncodedExample> examples, int padId, int batchSize)
    {
        var order = Enumerable.Range(0, examples.Count).OrderBy(i => examples[i].Length).ToArray();
        var sorted = TokenScores.Of(model, order.Select(i => examples[i]).ToList(), padId, batchSize);
        var result = new TokenScores[examples.Count];
        for (var k = 0; k < order.Length; k++) result[order[k]] = sorted[k];
        return result;
    }

    /// Greedy continuation of each prompt, decoded without stop tokens, in input order (untrimmed: KnowMem's cut
    /// looks at leading newlines; ROUGE ignores whitespace).
    public static IReadOnlyList<string> Greedy(CausalLm model, ITokenizer tokenizer, IReadOnlyList<int[]> prompts,
                                              int maxNewTokens, int batchSize)
    {
        var stops = model.Config.EosTokenIds.Append(tokenizer.EosId).Distinct().ToList();
        var order = Enumerable.Range(0, prompts.Count).OrderBy(i => prompts[i].Length).ToArray();
        var result = new string[prompts.Count];
        foreach (var chunk in order.Chunk(batchSize))
        {
            var outputs = Generation.Greedy(model, chunk.Select(i => (IReadOnlyList<int>)prompts[i]).ToList(), maxNewTokens, stops, tokenizer.PadId);
            for (var k = 0; k < chunk.Length; k++)
                result[chunk[k]] = tokenizer.Decode(outputs[k].Where(id => !stops.Contains(id)));
        }
        return result;
    }

    /// <summary>
    /// Greedy answers to the templated questions (the encoder's prompt, as in training) of several splits in one
    /// generation pass, returned split by split: on a CPU a decoding step of a small model costs about the same for
    /// 16 or 64 sequences (measured: 60 questions × 48 tokens took 20 s in batches of 16, 4 s in one batch of 64), so
    /// pooling the splits' questions cuts the number of steps.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> GreedyAnswers(CausalLm model, QaEncoder encoder,
        IReadOnlyList<IReadOnlyList<string>> questionsBySplit, int maxNewTokens, int batchSize)
    {
        var prompts = questionsBySplit.SelectMany(q => q).Select(encoder.EncodePrompt).ToList();
        var answers = Greedy(model, encoder.Tokenizer, prompts, maxNewTokens, batchSize);
        var result = new List<IReadOnlyList<string>>();
        var at = 0;
        foreach (var questions in questionsBySplit)
        {
            result.Add(answers.Skip(at).Take(questions.Count).ToList());
            at += questions.Count;
        }
        return result;
    }

    /// <summary>
    /// BOS + the text's tokens, at most <paramref name="maxTokens"/> in all (BOS kept). A longer prompt keeps its
    /// last tokens, the words next to the continuation (<paramref name="keepEnd"/>); a longer text to score keeps its
    /// first. MUSE tokenizes prompts and texts with BOS and no template.
    /// </summary>
    public static int[] EncodeText(ITokenizer tokenizer, string text, int maxTokens, bool keepEnd)
    {
        int[] bos = tokenizer.BosId is int b ? [b] : [];
        var ids = tokenizer.Encode(text);
        var room = maxTokens - bos.Length;
        if (room < 1) throw new ArgumentException($"a token budget of {maxTokens} leaves no room for text");
        if (ids.Count <= room) return [.. bos, .. ids];
        return [.. bos, .. keepEnd ? ids.Skip(ids.Count - room) : ids.Take(room)];
    }

    /// Argmax-correct flags of each answer's tokens without the final EOS, the input of EM and ES (pitfall 1).
    public static IReadOnlyList<IReadOnlyList<bool>> AnswerCorrectness(IEnumerable<TokenScores> scores) =>
        scores.Select(s => (IReadOnlyList<bool>)s.Correct[..s.AnswerLength]).ToList();

    /// L(a): mean NLL over the scored tokens, EOS included (OU evaluate_probability).
    public static double MeanNll(TokenScores scores) =>
        scores.LogProbs.Length == 0
            ? throw new ArgumentException("an answer with no scored tokens has no probability")
            : -scores.LogProbs.Average();
}
