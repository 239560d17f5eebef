namespace DurableUn.Statistics;

/// <summary>
/// Exact McNemar test of paired 0/1 scores: under "no difference" each discordant pair (1 at one condition, 0 at the
/// other) is equally likely either way, so the count one way is Binomial(n, ½) over the n discordant pairs; the
/// two-sided p is scipy.stats.binomtest(k, n, 0.5).pvalue, which for p = ½ is min(1, 2·P(X ≤ min(k, n − k))).
/// With no discordant pair (which binomtest refuses, n ≥ 1) nothing differs and p = 1.
/// </summary>
public static class McNemarExact
{
    /// <param name="onlyFirst">Pairs scored 1 at the first condition and 0 at the second.</param>
    /// <param name="onlySecond">Pairs scored 0 at the first condition and 1 at the second.</param>
    public static double PValue(int onlyFirst, int onlySecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(onlyFirst);
        ArgumentOutOfRangeException.ThrowIfNegative(onlySecond);
        var n = onlyFirst + onlySecond;
        var k = Math.Min(onlyFirst, onlySecond);
        if (2 * k == n) return 1.0;   // also n = 0
        // P(X ≤ k) = Σ_{i ≤ k} C(n, i)/2ⁿ, summed relative to its largest term C(n, k)/2ⁿ (k < n/2) in log space, so
        // hundreds of pairs neither overflow C(n, i) nor underflow 2⁻ⁿ.
        var logTerm = -n * Math.Log(2);              // log of C(n, 0)/2ⁿ
        for (var i = 1; i <= k; i++) logTerm += Math.Log((n - i + 1) / (double)i);
        var sum = 1.0;                               // the terms i = k, k − 1, …, 0 over the term at k
        var ratio = 1.0;
        for (var i = k; i >= 1; i--)
        {
            ratio *= i / (double)(n - i + 1);        // C(n, i − 1)/C(n, i)
            sum += ratio;
        }
        return Math.Min(1.0, 2 * Math.Exp(logTerm + Math.Log(sum)));
    }
}
