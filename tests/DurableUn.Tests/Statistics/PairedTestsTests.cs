using System.Text.Json;
using DurableUn.Statistics;

namespace DurableUn.Tests.Statistics;

/// Golden: Golden/paired_tests.json from Golden/make_paired_golden.py, scipy 1.10.1: binomtest(k, n, 0.5).pvalue
/// (exact McNemar) on 17 discordant splits from 1 to 1400 pairs; wilcoxon(d) with its defaults on 11 difference
/// vectors (exact n ≤ 50, approximate past 50, zeros, ties, a far tail, scipy's documented example) and one with
/// method='approx' (ties below 51, where we approximate by design); bootstrap(..., method='percentile') with 200 000
/// resamples on three samples.
public class PairedTestsTests
{
    // Relative band for p-values: our sums and scipy's differ only in rounding order (binom.cdf goes through the
    // incomplete beta function; the normal tail through our own erfc, accurate to ~1e-15).
    private const double Band = 1e-11;

    private static JsonElement Golden(string section)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "paired_tests.json")));
        return document.RootElement.GetProperty(section).Clone();
    }

    private static List<double> Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToList();

    [Fact]
    public void Exact_McNemar_Should_Equal_Scipy_Binomtest_On_Every_Golden_Split()
    {
        foreach (var c in Golden("mcnemar").EnumerateArray())
        {
            // Given the discordant pairs one way and the other
            var (first, second) = (c.GetProperty("only_first").GetInt32(), c.GetProperty("only_second").GetInt32());
            // When tested, then p is binomtest's
            AssertRelative(c.GetProperty("pvalue").GetDouble(), McNemarExact.PValue(first, second), $"{first} vs {second}");
        }
    }

    [Fact]
    public void Exact_McNemar_Should_Be_Symmetric_And_One_Without_Discordant_Pairs()
    {
        Assert.Equal(McNemarExact.PValue(3, 17), McNemarExact.PValue(17, 3));
        Assert.Equal(1.0, McNemarExact.PValue(0, 0));
    }

    [Fact]
    public void Wilcoxon_Should_Equal_Scipy_On_Every_Golden_Vector()
    {
        foreach (var c in Golden("wilcoxon").EnumerateArray())
        {
            // Given paired differences and scipy's statistic and p
            var name = c.GetProperty("name").GetString();
            var result = WilcoxonSignedRank.Test(Doubles(c.GetProperty("d")));
            // Then both agree, and the branch is scipy's (n ≤ 50 without zeros or ties is exact)
            Assert.True(c.GetProperty("statistic").GetDouble() == result.Statistic, $"{name}: T {result.Statistic}");
            AssertRelative(c.GetProperty("pvalue").GetDouble(), result.PValue, name!);
        }
    }

    [Fact]
    public void Wilcoxon_Should_Use_The_Exact_Table_Only_Without_Zeros_Or_Ties_Up_To_Fifty_Items()
    {
        Assert.True(WilcoxonSignedRank.Test([0.1, -0.2, 0.3, 0.4]).Exact);
        Assert.False(WilcoxonSignedRank.Test([0.0, -0.2, 0.3, 0.4]).Exact);
        Assert.False(WilcoxonSignedRank.Test([0.2, -0.2, 0.3, 0.4]).Exact);
        Assert.False(WilcoxonSignedRank.Test(Enumerable.Range(1, 51).Select(i => (double)i).ToList()).Exact);
    }

    [Fact]
    public void Wilcoxon_Of_No_Difference_At_All_Should_Be_One()
    {
        Assert.Equal(1.0, WilcoxonSignedRank.Test([0.0, 0.0, 0.0]).PValue);
    }

    [Fact]
    public void Percentile_Bootstrap_Should_Match_Scipy_Within_Its_Monte_Carlo_Error()
    {
        foreach (var c in Golden("bootstrap").EnumerateArray())
        {
            // Given a sample and scipy's 200 000-resample percentile interval of its mean
            var name = c.GetProperty("name").GetString();
            var (low, high) = (c.GetProperty("low").GetDouble(), c.GetProperty("high").GetDouble());
            // When we bootstrap it with the default 10 000 resamples
            var (ourLow, ourHigh) = PairedBootstrap.MeanInterval(Doubles(c.GetProperty("d")));
            // Then each end is within 5 % of the interval's width: a 2.5 % percentile of 10 000 resampled means has
            // a Monte Carlo standard deviation of about 0.7 % of the width (normal means), so this is ~7 of them
            var band = 0.05 * (high - low);
            Assert.True(Math.Abs(ourLow - low) <= band, $"{name}: low {ourLow} vs {low}");
            Assert.True(Math.Abs(ourHigh - high) <= band, $"{name}: high {ourHigh} vs {high}");
        }
    }

    [Fact]
    public void Bootstrap_Should_Repeat_With_Its_Seed_And_Collapse_On_A_Constant_Difference()
    {
        double[] d = [0.1, -0.05, 0.2, 0.0, 0.03];
        Assert.Equal(PairedBootstrap.MeanInterval(d), PairedBootstrap.MeanInterval(d));
        Assert.Equal((0.25, 0.25), PairedBootstrap.MeanInterval([0.25, 0.25, 0.25]));
    }

    [Fact]
    public void A_Paired_Comparison_Should_Report_The_Mean_Difference_With_Interval_And_Test()
    {
        // Given key-fact recall of 10 items at bf16 and at a precision: 3 items recovered, 1 lost
        double[] bf16 = [0, 0, 0, 0, 1, 1, 0, 0, 1, 0];
        double[] at = [1, 1, 1, 0, 0, 1, 0, 0, 1, 0];
        // When compared
        var paired = PairedComparison.Of("key_fact", PairedTest.McNemarExact, at, bf16);
        // Then the difference is 0.5 − 0.3, p is the binomial test of 3 against 1, and the interval holds 0.2
        Assert.Equal(0.2, paired.Difference, 12);
        Assert.Equal(McNemarExact.PValue(3, 1), paired.PValue);
        Assert.InRange(0.2, paired.CiLow, paired.CiHigh);
        Assert.Equal((10, PairedTest.McNemarExact), (paired.Items, paired.Test));
    }

    [Fact]
    public void McNemar_Should_Refuse_Scores_That_Are_Not_Zero_Or_One()
    {
        var error = Assert.Throws<ArgumentException>(() => PairedComparison.Of("answer_prob", PairedTest.McNemarExact, [0.5], [0.0]));
        Assert.Contains("0/1", error.Message);
    }

    private static void AssertRelative(double expected, double actual, string name) =>
        Assert.True(Math.Abs(actual - expected) <= Band * Math.Abs(expected), $"{name}: {actual} vs scipy {expected}");
}
