namespace DurableUn.Statistics;

/// <summary>The KS statistic D, its p-value, and whether the exact or the asymptotic distribution gave it.</summary>
public sealed record KsResult(double Statistic, double PValue, KsMethod Method);

public enum KsMethod { Exact, Asymptotic }

/// <summary>
/// Two-sided two-sample Kolmogorov–Smirnov test equal to <c>scipy.stats.ks_2samp(x, y)</c> with its
/// defaults (alternative='two-sided', method='auto'), as in scipy 1.10 <c>stats/_stats_py.py</c>:
/// D = max |F_x − F_y| over the pooled points (ties handled by right-continuous ECDFs). With
/// max(n1, n2) ≤ 10000 the p-value is exact (Hodges 1958 lattice-path counts: equal sizes by
/// <c>_compute_prob_outside_square</c>, unequal by the "inside" recursion of Viehmann 2021,
/// arXiv:2102.08037, <c>_compute_outer_prob_inside_method</c>); when that fails numerically (a
/// probability outside [0, 1]) or the samples are larger, it is kstwo.sf(D, round(n1·n2/(n1+n2)))
/// (<see cref="KolmogorovDistribution"/>). TOFU's forget quality is this p-value on truth ratios.
/// Golden: Golden/ks_2samp.json (scripts/make_ks_golden.py).
/// Not: the one-sided alternatives, method='exact'/'asymp' overrides, or masked/NaN inputs (NaN throws).
/// </summary>
public static class KsTwoSample
{
    /// scipy's MAX_AUTO_N: 'auto' tries the exact distribution while both samples are at most this big.
    private const int MaxExactN = 10000;

    public static KsResult Test(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count == 0 || y.Count == 0) throw new ArgumentException("KS test needs two non-empty samples.");
        if (x.Any(double.IsNaN) || y.Any(double.IsNaN)) throw new ArgumentException("KS test inputs contain NaN.");
        int n1 = x.Count, n2 = y.Count;
        var d = Statistic(x, y);

        if (Math.Max(n1, n2) <= MaxExactN && TryExact(n1, n2, d, out var exactD, out var p))
            return new KsResult(exactD, p, KsMethod.Exact);

        // The exact path also snaps D to h/lcm; scipy reports that snapped D even when it then goes
        // asymptotic, and the snap changes D by at most rounding error.
        var dReported = Math.Max(n1, n2) <= MaxExactN ? SnapToLattice(n1, n2, d) : d;
        var en = Math.Round((double)n1 * n2 / (n1 + n2), MidpointRounding.ToEven);   // numpy's round: half to even
        var pAsymptotic = Math.Clamp(KolmogorovDistribution.Survival((int)en, dReported), 0.0, 1.0);
        return new KsResult(dReported, pAsymptotic, KsMethod.Asymptotic);
    }

    /// D = max over pooled points of |F1 − F2|, with F(t) = #{values ≤ t}/n (numpy searchsorted 'right').
    public static double Statistic(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var a = x.Order().ToArray();
        var b = y.Order().ToArray();
        int i = 0, j = 0;
        var d = 0.0;
        while (i < a.Length && j < b.Length)
        {
            var t = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] == t) i++;                            // step over ties in both samples
            while (j < b.Length && b[j] == t) j++;
            d = Math.Max(d, Math.Abs((double)i / a.Length - (double)j / b.Length));
        }
        return d;   // past the end of either sample the gap only shrinks toward 0
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    private static double SnapToLattice(int n1, int n2, double d)
    {
        var lcm = (long)(n1 / Gcd(n1, n2)) * n2;
        return Math.Round(d * lcm, MidpointRounding.ToEven) / lcm;
    }

    /// scipy's _attempt_exact_2kssamp, two-sided: D·lcm(n1, n2) is an integer h on the lattice.
    private static bool TryExact(int n1, int n2, double d, out double snappedD, out double p)
    {
        var g = Gcd(n1, n2);
        var lcm = (long)(n1 / g) * n2;
        var h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
        snappedD = (double)h / lcm;
        if (h == 0)
        {
            p = 1.0;
            return true;
        }
        p = n1 == n2 ? ProbOutsideSquare(n1, (int)h) : ProbOutsideInsideMethod(n1, n2, g, h);
        return p is >= 0 and <= 1 && double.IsFinite(p);
    }

    /// <summary>
    /// P(D_{n,n} ≥ h/n) = 2·Σ_{k≥1} (−1)^{k−1} C(2n, n−kh)/C(2n, n), written as
    /// 2·A1·(1 − A2·(1 − A3·(…))) with each ratio A_k a product of h factors, evaluated inside out
    /// (Horner) to avoid the cancellation of the alternating sum. scipy: _compute_prob_outside_square.
    /// </summary>
    private static double ProbOutsideSquare(int n, int h)
    {
        var p = 0.0;
        for (var k = n / h; k >= 0; k--)
        {
            var ratio = 1.0;
            for (var j = 0; j < h; j++)
                ratio = (n - k * h - j) * ratio / (n + k * h + j + 1);
            p = ratio * (1.0 - p);
        }
        return 2 * p;
    }

    /// <summary>
    /// 1 − P(every lattice path from (0,0) to (m,n) stays strictly inside |x/m − y/n| &lt; h/lcm), computed
    /// column by column as a probability rather than a path count so nothing overflows: A holds, for the
    /// current column i, the proportion of paths to (i, j) that have already left the band; inside the
    /// band A(i, j) = (i·A(i−1, j) + j·A(i, j−1)) / (i + j), outside it is 1. Only the window of j inside
    /// the band is kept. Viehmann (2021), as scipy's _compute_outer_prob_inside_method.
    /// </summary>
    private static double ProbOutsideInsideMethod(int m, int n, int g, long h)
    {
        if (m < n) (m, n) = (n, m);                                           // symmetric; the window runs over the shorter side
        long mg = m / g, ng = n / g;
        int minJ = 0, maxJ = (int)Math.Min((long)Math.Ceiling((double)h / mg), n + 1);
        var curLen = maxJ - minJ;
        var a = new double[Math.Min(2 * maxJ + 2, n + 1)];
        Array.Fill(a, 1.0);
        Array.Fill(a, 0.0, minJ, maxJ - minJ);                                // column 0 inside the band: no path has left
        for (var i = 1; i <= m; i++)
        {
            int lastMinJ = minJ, lastLen = curLen;
            minJ = (int)Math.Min(Math.Max(FloorDiv(ng * i - h, mg) + 1, 0), n);
            maxJ = (int)Math.Min(CeilDiv(ng * i + h, mg), n + 1);
            if (maxJ <= minJ) return 1.0;                                     // the band closed: every path left it
            var val = minJ == 0 ? 0.0 : 1.0;                                  // the cell below the window is outside
            for (var jj = 0; jj < maxJ - minJ; jj++)
            {
                var j = jj + minJ;
                val = (a[jj + minJ - lastMinJ] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curLen = maxJ - minJ;
            if (lastLen > curLen)
                Array.Fill(a, 1.0, maxJ - minJ, lastLen - curLen);            // cells that fell out of the window are outside
        }
        return a[maxJ - minJ - 1];
    }

    // scipy computes floor((ng*i - h)/mg) and ceil((ng*i + h)/mg) in floating point; on integers the
    // exact integer forms agree unless the numerator exceeds 2^53, far beyond n ≤ 10000.
    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
    private static long CeilDiv(long a, long b) => -FloorDiv(-a, b);
}
