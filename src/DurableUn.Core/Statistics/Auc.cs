namespace DurableUn.Statistics;

/// <summary>
/// Area under the ROC curve as the Mann–Whitney probability P(s₊ &gt; s₋) + ½·P(s₊ = s₋) over all
/// positive/negative pairs, which equals sklearn's <c>roc_auc_score</c> (the trapezoid over ROC points
/// counts a tie as half). O((n₊ + n₋)·log) by ranking with average ranks for ties.
/// Not: confidence intervals, partial AUC, or label conventions (MUSE's is Evaluation's <c>PrivLeak</c>).
/// </summary>
public static class Auc
{
    public static double Compute(IReadOnlyList<double> positiveScores, IReadOnlyList<double> negativeScores)
    {
        if (positiveScores.Count == 0 || negativeScores.Count == 0)
            throw new ArgumentException("AUC needs at least one positive and one negative score.");
        var pooled = positiveScores.Select(s => (Score: s, Positive: true))
            .Concat(negativeScores.Select(s => (Score: s, Positive: false)))
            .OrderBy(p => p.Score)
            .ToArray();
        if (pooled.Any(p => double.IsNaN(p.Score))) throw new ArgumentException("AUC scores contain NaN.");

        // Sum of the positives' ranks (1-based, ties get the average rank of their run).
        var rankSum = 0.0;
        for (var start = 0; start < pooled.Length;)
        {
            var end = start;
            while (end < pooled.Length && pooled[end].Score == pooled[start].Score) end++;
            var averageRank = (start + 1 + end) / 2.0;
            for (var i = start; i < end; i++)
                if (pooled[i].Positive) rankSum += averageRank;
            start = end;
        }
        double nPos = positiveScores.Count, nNeg = negativeScores.Count;
        return (rankSum - nPos * (nPos + 1) / 2) / (nPos * nNeg);             // U / (n₊·n₋)
    }
}
