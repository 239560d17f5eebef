namespace DurableUn.Statistics;

/// <summary>
/// Survival function of the two-sided one-sample Kolmogorov–Smirnov statistic D_n, P(D_n ≥ x) — scipy's
/// <c>kstwo.sf(x, n)</c>, which ks_2samp uses asymptotically with n = round(n1·n2/(n1+n2)). The choice of
/// method per region follows Simard &amp; L'Ecuyer (2011) as scipy 1.10 <c>stats/_ksstats.py:_kolmogn</c> does:
/// Ruben–Gambino closed forms at the ends, 2·smirnov(n, x) in the upper tail, the Durbin matrix
/// (Marsaglia–Tsang–Wang 2003) for small n·x², and the Pelz–Good (1976) expansion otherwise.
/// Departures, measured against scipy in the KS golden test: where scipy uses Pomeranz's recursion
/// (n ≤ 140, 0.754693 &lt; n·x² ≤ 4) this uses the Durbin matrix, which is also exact; and smirnov(n, x)
/// is summed in log space in doubles, not cephes' double-double arithmetic.
/// Not: the CDF for its own sake, the inverse, or the one-sided Smirnov test.
/// </summary>
public static class KolmogorovDistribution
{
    public static double Survival(int n, double x)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be positive.");
        if (x >= 1.0) return 0.0;
        if (x <= 0.0) return 1.0;
        var t = n * x;
        if (t <= 1.0)                                                         // Ruben–Gambino: 1/(2n) < x ≤ 1/n
        {
            if (t <= 0.5) return 1.0;
            var cdf = n <= 140 ? ProductFormula(n, t) : Math.Exp(LogFactorialOverPower(n) + n * Math.Log(2 * t - 1));
            return Clip(1.0 - cdf);
        }
        if (t >= n - 1) return Clip(2 * Math.Pow(1.0 - x, n));                // Ruben–Gambino: x ≥ 1 − 1/n
        if (x >= 0.5) return Clip(2 * Smirnov(n, x));                         // only one side can exceed x: exact

        var nxSquared = t * x;
        if (n <= 140)
            return nxSquared <= 4 ? Clip(1.0 - DurbinMatrixCdf(n, x)) : Clip(2 * Smirnov(n, x));
        if (nxSquared >= 370.0) return 0.0;
        if (nxSquared >= 2.2) return Clip(2 * Smirnov(n, x));
        var cdfProb = n <= 100000 && n * Math.Pow(x, 1.5) <= 1.4 ? DurbinMatrixCdf(n, x) : PelzGoodCdf(n, x);
        return Clip(1.0 - cdfProb);
    }

    private static double Clip(double p) => Math.Clamp(p, 0.0, 1.0);

    // P(D_n ≤ t/n) = n!/n^n · (2t − 1)^n for 1/2 < t ≤ 1, multiplied factor by factor to stay in range.
    private static double ProductFormula(int n, double t)
    {
        var p = 1.0;
        for (var i = 1; i <= n; i++) p *= i * (1.0 / n) * (2 * t - 1);
        return p;
    }

    // Stirling series for log(n!/n^n), with n·log n removed up front to avoid cancellation (scipy's coefficients).
    private static readonly double[] StirlingCoefficients =
    [
        -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
        8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
        -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    ];

    private static double LogFactorialOverPower(int n)
    {
        var rn = 1.0 / n;
        var series = StirlingCoefficients.Aggregate(0.0, (acc, c) => acc * (rn / n) + c);   // Horner, like np.polyval
        return Math.Log(n) / 2 - n + Math.Log(2 * Math.PI) / 2 + rn * series;
    }

    /// <summary>
    /// One-sided Smirnov survival P(D+_n ≥ x) by the Birnbaum–Tingey sum
    /// x·Σ_{j=0}^{⌊n(1−x)⌋} C(n, j)·(1 − x − j/n)^{n−j}·(x + j/n)^{j−1}; every term is positive, so the
    /// sum in log space keeps relative accuracy near 1e-13 for the n ks_2samp can reach.
    /// </summary>
    internal static double Smirnov(int n, double x)
    {
        if (n == 1) return x;
        var logTerms = new List<double>();
        var logBinomial = 0.0;                                               // log C(n, 0)
        for (var j = 0; j <= n; j++)
        {
            var below = (double)(n - j) / n - x;
            if (below <= 0) break;
            logTerms.Add(logBinomial + (n - j) * Math.Log(below) + (j - 1) * Math.Log(x + (double)j / n));
            logBinomial += Math.Log((double)(n - j) / (j + 1));
        }
        var max = logTerms.Max();
        return x * Math.Exp(max) * logTerms.Sum(l => Math.Exp(l - max));
    }

    /// <summary>
    /// P(D_n ≤ d) as the (k, k) entry of (n!/n^n)·H^n, with d = (k − h)/n and H the (2k−1)² Durbin matrix;
    /// powers by squaring, rescaled by 2^±128 with the exponent kept apart (scipy's _kolmogn_DMTW).
    /// </summary>
    private static double DurbinMatrixCdf(int n, double d)
    {
        var nd = n * d;
        if (nd <= 0.5) return 0.0;
        var k = (int)Math.Ceiling(nd);
        var h = k - nd;
        var m = 2 * k - 1;

        var v = new double[m];                                                // first column: (1 − h^(j+1))/(j+1)!
        var w = new double[m];                                                // w[j] = 1/j!
        var factorial = 1.0;
        for (var j = 1; j <= m; j++)
        {
            w[j - 1] = factorial;
            factorial /= j;
            v[j - 1] = (1.0 - Math.Pow(h, j)) * factorial;
        }
        v[m - 1] = (1.0 + Math.Pow(Math.Max(2 * h - 1.0, 0), m) - 2 * Math.Pow(h, m)) * factorial;

        var H = new double[m, m];
        for (var i = 1; i < m; i++)
            for (var r = i - 1; r < m; r++) H[r, i] = w[r - i + 1];
        for (var r = 0; r < m; r++) H[r, 0] = v[r];
        for (var c = 0; c < m; c++) H[m - 1, c] = v[m - 1 - c];

        var power = Identity(m);
        int exponent = 0, hExponent = 0;
        for (var e = n; e > 0; e /= 2)
        {
            if (e % 2 == 1)
            {
                power = Multiply(power, H);
                exponent += hExponent;
            }
            H = Multiply(H, H);
            hExponent *= 2;
            if (Math.Abs(H[k - 1, k - 1]) > Math.ScaleB(1.0, 128))
            {
                ScaleInPlace(H, Math.ScaleB(1.0, -128));
                hExponent += 128;
            }
        }

        var p = power[k - 1, k - 1];
        for (var i = 1; i <= n; i++)                                          // times n!/n^n
        {
            p = i * p / n;
            if (Math.Abs(p) < Math.ScaleB(1.0, -128))
            {
                p *= Math.ScaleB(1.0, 128);
                exponent -= 128;
            }
        }
        return Clip(Math.ScaleB(p, exponent));
    }

    private static double[,] Identity(int m)
    {
        var a = new double[m, m];
        for (var i = 0; i < m; i++) a[i, i] = 1.0;
        return a;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var m = a.GetLength(0);
        var c = new double[m, m];
        for (var i = 0; i < m; i++)
            for (var l = 0; l < m; l++)
            {
                var ail = a[i, l];
                if (ail == 0) continue;
                for (var j = 0; j < m; j++) c[i, j] += ail * b[l, j];
            }
        return c;
    }

    private static void ScaleInPlace(double[,] a, double s)
    {
        for (var i = 0; i < a.GetLength(0); i++)
            for (var j = 0; j < a.GetLength(1); j++) a[i, j] *= s;
    }

    /// <summary>
    /// Pelz–Good: P(D_n ≤ x) ≈ K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^{3/2}, z = x√n, each K written with
    /// Jacobi theta transforms so the series converge fast for small z (scipy's _kolmogn_PelzGood).
    /// </summary>
    private static double PelzGoodCdf(int n, double x)
    {
        var z = Math.Sqrt(n) * x;
        double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
        double pi2 = Math.PI * Math.PI, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
        var qLog = -pi2 / 8 / z2;
        if (qLog < -708) return 0.0;                                          // z below ~0.0417: the CDF underflows
        var q = Math.Exp(qLog);

        double k1a = -z2, k1b = pi2 / 4;
        double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4, k2c = pi4 * (1 - 2 * z2) / 16;
        double k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
        double k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * Math.Pow(z, 8);

        var terms = new double[4];
        var maxK = (int)Math.Ceiling(16 * z / Math.PI);
        for (var k = maxK; k > 0; k--)                                        // Horner over odd m = 2k − 1
        {
            double m = 2 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
            var qPower = Math.Pow(q, 8 * k);
            terms[0] = terms[0] * qPower + 1.0;
            terms[1] = terms[1] * qPower + (k1a + k1b * m2);
            terms[2] = terms[2] * qPower + (k2a + k2b * m2 + k2c * m4);
            terms[3] = terms[3] * qPower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
        }
        var sqrt2Pi = Math.Sqrt(2 * Math.PI);
        double[] divisors = [z, 6 * z4, 72 * Math.Pow(z, 7), 6480 * Math.Pow(z, 10)];
        for (var i = 0; i < 4; i++) terms[i] = terms[i] * q * sqrt2Pi / divisors[i];

        // The sums over all integers k in K2 and K3.
        var qAll = Math.Exp(-pi2 / 2 / z2);
        double k2Extra = 0, k3Extra = 0;
        var sqrt3z = Math.Sqrt(3) * z;
        for (var k = maxK; k > 0; k--)
        {
            double k2 = (double)k * k, qk = Math.Pow(qAll, k2), kPi = Math.PI * k;
            k2Extra += k2 * qk;
            k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * k2 * qk;
        }
        terms[2] += k2Extra * pi2 * sqrt2Pi / (-36 * z3);
        terms[3] += k3Extra * pi2 * sqrt2Pi / (216 * z6);
        for (var i = 0; i < 4; i++) terms[i] /= Math.Pow(n, i / 2.0);
        return terms.Sum();
    }
}
