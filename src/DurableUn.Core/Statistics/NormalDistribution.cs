namespace DurableUn.Statistics;

/// <summary>
/// The standard normal's two-sided tail, P(|Z| ≥ z) = erfc(z/√2), to about 1e-15 relative (.NET has no erfc).
/// Below x = 1 erfc = 1 − erf with erf's series of positive terms, erf(x) = 2/√π·e^{−x²}·Σ 2ⁿx^{2n+1}/(2n+1)!!
/// (no cancellation; erfc ≥ 0.157 there, so 1 − erf keeps its digits); from x = 1 the continued fraction
/// erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3⁄2/(x + …)))), evaluated by the modified Lentz method, which
/// converges in a few dozen terms there and keeps full relative precision far into the tail.
/// </summary>
internal static class NormalDistribution
{
    public static double TwoSidedTail(double z) => Erfc(Math.Abs(z) / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        if (x < 1) return 1 - ErfSeries(x);
        const double tiny = 1e-300;
        var f = x;
        var c = x;
        var d = 0.0;
        for (var k = 1; k < 10_000; k++)
        {
            var a = k / 2.0;
            d = x + a * d;
            d = Math.Abs(d) < tiny ? 1 / tiny : 1 / d;
            c = x + a / c;
            if (Math.Abs(c) < tiny) c = tiny;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Math.Exp(-x * x) / (Math.Sqrt(Math.PI) * f);
    }

    private static double ErfSeries(double x)
    {
        var term = x;
        var sum = x;
        for (var n = 1; term > 1e-17 * sum; n++)
        {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }
}
