using DurableUn.Statistics;

namespace DurableUn.Tests.Statistics;

/// Claim 4 as a test with three possible answers: supported, contradicted, or no significant step.
public sealed class PhaseTransitionTests
{
    private static readonly ChangePointOptions Options = new() { BootstrapSamples = 200, Permutations = 199 };

    private static IReadOnlyList<SweepPoint> Points(params (double Q, double Ra)[] runs) =>
        runs.Select((r, i) => new SweepPoint($"pt{i:D4}", 0.1, r.Ra, r.Q)).ToList();

    [Fact]
    public void Collapse_At_Low_QInt4_Should_Support_The_Claim_With_Its_Numbers()
    {
        // Given RA ≈ 0.2 for Q-INT4 ≤ 0.08 and RA ≈ 0.8 for Q-INT4 ≥ 0.30, five points each
        //   the best split lies between 0.08 and 0.30: location 0.19; RA below = 0.2, above = 0.8, drop 0.6
        var points = Points((0.01, 0.20), (0.03, 0.21), (0.05, 0.19), (0.07, 0.20), (0.08, 0.20),
                            (0.30, 0.79), (0.35, 0.80), (0.40, 0.81), (0.45, 0.80), (0.50, 0.80));
        // When the transition is tested
        var t = PhaseTransition.From(PhaseTransition.Detect(points, Options)!, points, Options);
        // Then it is significant (a shuffle reproduces a 5 | 5 split with probability 2 / C(10,5) ≈ 0.008), and supports the claim
        Assert.Equal(0.19, t.Location, 12);
        Assert.Equal(0.20, t.RaBelow, 12);
        Assert.Equal(0.80, t.RaAbove, 12);
        Assert.Equal(0.60, t.RaDrop, 12);
        Assert.True(t.Significant, $"p = {t.PValue}");
        Assert.True(t.SupportsClaim);
        Assert.Equal(["pt0000", "pt0001", "pt0002", "pt0003", "pt0004"], t.PointsBelow);
        Assert.Equal(["pt0005", "pt0006", "pt0007", "pt0008", "pt0009"], t.PointsAbove);
        Assert.StartsWith("Significant drop", t.Verdict);
        Assert.Contains("RA falls by 0.600 once Q-INT4 goes below 0.190 (", t.Verdict);
    }

    [Fact]
    public void A_Step_Upward_Should_Be_Reported_As_Contradicting_The_Claim()
    {
        // Given the mirror image: RA high where Q-INT4 is low
        var points = Points((0.01, 0.80), (0.03, 0.81), (0.05, 0.79), (0.07, 0.80), (0.08, 0.80),
                            (0.30, 0.20), (0.35, 0.19), (0.40, 0.21), (0.45, 0.20), (0.50, 0.20));
        // When tested
        var t = PhaseTransition.From(PhaseTransition.Detect(points, Options)!, points, Options);
        // Then a significant step, in the opposite direction
        Assert.True(t.Significant);
        Assert.False(t.SupportsClaim);
        Assert.True(t.RaDrop < 0);
        Assert.Contains("opposite direction", t.Verdict);
        Assert.Contains("contradicts claim 4", t.Verdict);
    }

    [Fact]
    public void Flat_RA_Should_Give_No_Significant_Step()
    {
        // Given RA alternating around 0.5 with no relation to Q-INT4
        var points = Points((0.1, 0.52), (0.2, 0.48), (0.3, 0.51), (0.4, 0.49), (0.5, 0.50), (0.6, 0.52), (0.7, 0.47), (0.8, 0.51));
        // When tested
        var t = PhaseTransition.From(PhaseTransition.Detect(points, Options)!, points, Options);
        // Then no significant step is claimed
        Assert.False(t.Significant, $"p = {t.PValue}");
        Assert.False(t.SupportsClaim);
        Assert.StartsWith("No significant step", t.Verdict);
    }

    [Fact]
    public void Too_Few_Points_Should_Give_No_Fit_And_Say_Why()
    {
        // Given three points: two segments of two cannot be formed
        var points = Points((0.1, 0.5), (0.2, 0.4), (0.3, 0.3));
        // Then there is no detection, and the reason says the claim is untested
        Assert.Null(PhaseTransition.Detect(points, Options));
        Assert.Contains("claim 4 is untested", PhaseTransition.NoFitReason(points, Options));
    }
}
