using System.Text.RegularExpressions;

namespace DurableUn.Evaluation;

/// <summary>Precision, recall and F1 of one ROUGE comparison, as rouge_score's <c>Score</c> tuple.</summary>
public sealed record RougeScore(double Precision, double Recall, double FMeasure);

/// <summary>Which number of a <see cref="RougeScore"/> a ROUGE-L metric reports.</summary>
public enum RougeMeasure
{
    /// TOFU and open-unlearning QA (stemmer on): LCS / |reference tokens|.
    Recall,
    /// MUSE VerbMem and KnowMem (muse_bench: stemmer off).
    FMeasure,
}

/// <summary>
/// ROUGE-L exactly as google-research rouge_score computes <c>rougeL</c> (rouge/tokenize.py,
/// rouge/rouge_scorer.py:_score_lcs, rouge/scoring.py:fmeasure): lowercase, every run of characters
/// outside [a-z0-9] becomes one space, split on whitespace, Porter-stem tokens longer than 3 characters,
/// then precision = LCS/|prediction|, recall = LCS/|target|, F1 = 2PR/(P+R) (0 when P+R = 0); all
/// three are 0 when either side has no tokens. Golden: Golden/rouge_l.json (scripts/make_rouge_golden.py).
/// Not: rougeLsum (summary-level union LCS over newline-split sentences), ROUGE-N, or bootstrap aggregation.
/// </summary>
public static partial class RougeL
{
    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();

    public static IReadOnlyList<string> Tokenize(string text, bool useStemmer)
    {
        // Python's str.lower() and .NET's invariant lowering agree on ASCII. Non-ASCII letters whose
        // lower case is ASCII (the Kelvin sign, dotted capital I) are not checked against Python.
        var spaced = NonAlphanumeric().Replace(text.ToLowerInvariant(), " ");
        return spaced.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(token => useStemmer && token.Length > 3 ? PorterStemmer.Stem(token) : token)
            .ToList();
    }

    public static RougeScore Score(string target, string prediction, bool useStemmer)
    {
        var reference = Tokenize(target, useStemmer);
        var generated = Tokenize(prediction, useStemmer);
        if (reference.Count == 0 || generated.Count == 0) return new RougeScore(0, 0, 0);
        var lcs = LongestCommonSubsequence(reference, generated);
        var precision = (double)lcs / generated.Count;
        var recall = (double)lcs / reference.Count;
        var f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        return new RougeScore(precision, recall, f);
    }

    /// Length of the longest common subsequence, by the usual dynamic programme kept to two rows.
    public static int LongestCommonSubsequence(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
                current[j] = a[i - 1] == b[j - 1]
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }

    /// <summary>Mean ROUGE-L over pairs (targets[i], predictions[i]); per-example values keep input order.</summary>
    public static MetricResult Evaluate(
        IReadOnlyList<string> targets, IReadOnlyList<string> predictions, RougeMeasure measure, bool useStemmer)
    {
        if (targets.Count != predictions.Count)
            throw new ArgumentException($"{targets.Count} targets but {predictions.Count} predictions.");
        if (targets.Count == 0) throw new ArgumentException("ROUGE-L needs at least one pair.");
        var values = targets.Zip(predictions, (t, p) => Score(t, p, useStemmer))
            .Select(s => measure == RougeMeasure.Recall ? s.Recall : s.FMeasure)
            .ToList();
        var name = measure == RougeMeasure.Recall ? "rougeL_recall" : "rougeL_f1";
        return new MetricResult(name, values.Average(), values);
    }
}
