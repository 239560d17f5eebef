namespace DurableUn.Statistics;

/// <summary>The signed-rank statistic (the smaller of the positive and negative rank sums), its two-sided p, and
/// whether p came from the exact null distribution or the normal approximation.</summary>
public sealed record WilcoxonResult(double Statistic, double PValue, bool Exact);

/// <summary>
/// Wilcoxon signed-rank test, two-sided, of paired differences d = x − y, as scipy.stats.wilcoxon(d) with its
/// defaults (zero_method "wilcox": zero differences dropped; correction False; method "auto"; scipy 1.10):
/// - exact when there are at most 50 differences and none is zero: p = 2·min(P(W⁺ ≤ w), P(W⁺ ≥ w)) (1 at the
///   centre of the distribution) under W⁺'s null distribution, every sign pattern of ranks 1..n equally likely;
/// - otherwise the normal approximation on the nonzero differences: z = (T − n(n+1)/4)/σ with
///   σ² = (n(n+1)(2n+1) − ½Σ t(t² − 1))/24 (t: sizes of groups of tied |d|), p = 2·P(Z ≥ |z|).
/// One choice differs from scipy 1.10: tied |d| (equal average ranks) also take the normal approximation, since the
/// exact table assumes ranks 1..n (scipy 1.10 truncates a half-integer rank sum into it; later versions move to
/// a permutation test). All differences zero: nothing differs, p = 1 (scipy raises).
/// </summary>
public static class WilcoxonSignedRank
{
    /// Most differences for which "auto" uses the exact distribution (scipy's bound).
    public const int ExactLimit = 50;

    public static WilcoxonResult Test(IReadOnlyList<double> differences)
    {
        if (differences.Count == 0) throw new ArgumentException("the Wilcoxon test needs at least one paired difference");
        if (differences.Any(d => !double.IsFinite(d))) throw new ArgumentException("every paired difference must be finite");
        var nonzero = differences.Where(d => d != 0).ToArray();
        if (nonzero.Length == 0) return new WilcoxonResult(0, 1.0, Exact: false);
        var ranks = AverageRanks(nonzero.Select(Math.Abs).ToArray());
        var plus = nonzero.Select((d, i) => d > 0 ? ranks[i] : 0).Sum();
        var minus = nonzero.Select((d, i) => d < 0 ? ranks[i] : 0).Sum();
        var statistic = Math.Min(plus, minus);
        var ties = TieSizes(nonzero.Select(Math.Abs));
        var exact = differences.Count <= ExactLimit && nonzero.Length == differences.Count && ties.All(t => t == 1);
        return exact
            ? new WilcoxonResult(statistic, ExactPValue(nonzero.Length, (int)plus), Exact: true)
            : new WilcoxonResult(statistic, ApproximatePValue(nonzero.Length, statistic, ties), Exact: false);
    }

    private static double ExactPValue(int n, int plus)
    {
        // counts[s] = number of subsets of {1..n} whose sum is s (sign patterns with W⁺ = s); exact in long up to 2⁵⁰
        var max = n * (n + 1) / 2;
        var counts = new long[max + 1];
        counts[0] = 1;
        for (var r = 1; r <= n; r++)
            for (var s = max; s >= r; s--) counts[s] += counts[s - r];
        if (plus == max / 2) return 1.0;
        long below = 0, above = 0;
        for (var s = 0; s <= plus; s++) below += counts[s];
        for (var s = plus; s <= max; s++) above += counts[s];
        return Math.Min(1.0, 2 * Math.Min(below, above) / Math.Pow(2, n));
    }

    private static double ApproximatePValue(int n, double statistic, IReadOnlyList<int> ties)
    {
        var mean = n * (n + 1.0) / 4;
        var variance = n * (n + 1.0) * (2 * n + 1) - 0.5 * ties.Sum(t => t * ((double)t * t - 1));
        var z = (statistic - mean) / Math.Sqrt(variance / 24);
        return NormalDistribution.TwoSidedTail(z);
    }

    /// Ranks 1..n of the values, ties sharing their average rank (scipy.stats.rankdata's "average").
    private static double[] AverageRanks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            for (var k = start; k <= end; k++) ranks[order[k]] = (start + end) / 2.0 + 1;
            start = end + 1;
        }
        return ranks;
    }

    private static List<int> TieSizes(IEnumerable<double> values) => values.GroupBy(v => v).Select(g => g.Count()).ToList();
}
