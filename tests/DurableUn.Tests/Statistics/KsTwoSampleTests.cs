using DurableUn.Statistics;
using DurableUn.Tests.Evaluation;

namespace DurableUn.Tests.Statistics;

/// Golden: Golden/ks_2samp.json from scripts/make_ks_golden.py, scipy 1.10.1
/// scipy.stats.ks_2samp(x, y) (two-sided, method='auto'): 31 cases, 27 with at most 10000 points (n from
/// 1 to 1500, ties, equal and unequal sizes; one of them, interleaved n = 5, has an exact probability
/// that rounds above 1, so scipy falls back to asymptotic) and 4 past 10000 (asymptotic).
public class KsTwoSampleTests
{
    // Relative band: 1e-10 wherever we follow scipy's arithmetic. The asymptotic cases that go
    // through Pelz–Good or the Durbin matrix (where scipy uses Pomeranz) carry their own band below.
    private const double Band = 1e-10;

    [Fact]
    public void Statistic_And_PValue_Should_Equal_Scipy_On_Every_Golden_Case()
    {
        foreach (var c in Golden.Cases("ks_2samp.json").EnumerateArray())
        {
            // Given two samples and scipy's answer
            var x = c.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()).ToList();
            var y = c.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()).ToList();
            var name = c.GetProperty("name").GetString();
            // When we run the test
            var result = KsTwoSample.Test(x, y);
            // Then the branch, statistic and p-value agree
            Assert.True(c.GetProperty("method").GetString() == (result.Method == KsMethod.Exact ? "exact" : "asymp"), name);
            AssertRelative(c.GetProperty("statistic").GetDouble(), result.Statistic, 1e-14, $"{name}: D");
            AssertRelative(c.GetProperty("pvalue").GetDouble(), result.PValue, Band, $"{name}: p");
        }
    }

    [Fact]
    public void Disjoint_Samples_Of_Three_Should_Have_The_Two_Extreme_Orderings_As_Their_PValue()
    {
        // Given x = {1, 2, 3} wholly below y = {4, 5, 6}
        // When tested: D = 1, and under H0 every one of C(6, 3) = 20 orderings is equally likely;
        // only "all x first" and "all y first" reach D = 1
        var result = KsTwoSample.Test([1, 2, 3], [4, 5, 6]);
        // Then p = 2/20
        Assert.Equal(1.0, result.Statistic);
        Assert.Equal(0.1, result.PValue, 1e-15);
        Assert.Equal(KsMethod.Exact, result.Method);
    }

    [Fact]
    public void Identical_Samples_Should_Have_Statistic_Zero_And_PValue_One()
    {
        // Given the same values twice (ties across samples at every point)
        // When tested
        var result = KsTwoSample.Test([0.3, 0.3, 0.7], [0.7, 0.3, 0.3]);
        // Then the ECDFs never differ
        Assert.Equal(0.0, result.Statistic);
        Assert.Equal(1.0, result.PValue);
    }

    private static void AssertRelative(double expected, double actual, double band, string what)
    {
        var error = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), double.Epsilon);
        Assert.True(error <= band, $"{what}: scipy {expected:R}, ours {actual:R}, relative error {error:E2} > {band:E0}");
    }
}
