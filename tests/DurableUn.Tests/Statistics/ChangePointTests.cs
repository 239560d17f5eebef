using DurableUn.Statistics;

namespace DurableUn.Tests.Statistics;

public class ChangePointTests
{
    private static (double X, double Y)[] Points(params double[] ys) =>
        ys.Select((y, i) => ((double)(i + 1), y)).ToArray();

    [Fact]
    public void A_Clean_Step_Should_Be_Found_Exactly_And_Called_Real()
    {
        // Given RA 0.1 at Q-INT4 levels 1..6 and 0.7 at 7..12 (collapse on the robust, low-x side)
        var points = Points(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7);
        // When the step is fitted
        var result = ChangePoint.Detect(points);
        // Then the split lies between x = 6 and 7, the means are 0.1 and 0.7, the fit is perfect
        Assert.Equal(6.5, result.Fit.Location);
        Assert.Equal(0.6, result.Fit.Step, 1e-12);
        Assert.Equal(0.0, result.Fit.ResidualSumOfSquares, 1e-24);
        Assert.Equal(6, result.Fit.Left.Count);
        // and only 2 of the C(12, 6) = 924 orderings of the y values (lows all left, or all right) are as
        // cleanly split, so the permutation p-value is near (1 + 999·2/924)/1000 ≈ 0.003
        Assert.True(result.PValueNoStep < 0.01, $"p = {result.PValueNoStep}");
        // and resamples that miss x = 6 or x = 7 move the midpoint by at most a step or two
        Assert.InRange(result.LocationLow, 5.0, 6.5);
        Assert.InRange(result.LocationHigh, 6.5, 8.0);
    }

    [Fact]
    public void Alternating_Noise_Should_Not_Be_Called_A_Step()
    {
        // Given RA alternating 0.50, 0.52 over twelve levels: no level shift at all
        var points = Points(0.50, 0.52, 0.50, 0.52, 0.50, 0.52, 0.50, 0.52, 0.50, 0.52, 0.50, 0.52);
        // When tested
        var result = ChangePoint.Detect(points);
        // Then the best split explains little: any split leaves both halves alternating, the step is
        // at most a few hundredths, and most shuffles of the same values split better (large p)
        Assert.True(Math.Abs(result.Fit.Step) < 0.02, $"step = {result.Fit.Step}");
        Assert.True(result.PValueNoStep > 0.2, $"p = {result.PValueNoStep}");
    }

    [Fact]
    public void A_Noisy_Step_Should_Report_Its_Means_Residual_And_Sides()
    {
        // Given five collapsed runs around 0.20 and five healthy runs around 0.60:
        //   left  0.21 0.19 0.22 0.18 0.20 → mean 0.20, squared deviations 1+1+4+4+0 (·1e-4) = 0.001
        //   right 0.62 0.58 0.61 0.59 0.60 → mean 0.60, likewise 0.001
        var points = Points(0.21, 0.19, 0.22, 0.18, 0.20, 0.62, 0.58, 0.61, 0.59, 0.60);
        // When fitted
        var result = ChangePoint.Detect(points);
        // Then the split is between 5 and 6, RA rises by 0.40 across it, RSS = 0.002
        Assert.Equal(5.5, result.Fit.Location);
        Assert.Equal((5.0, 6.0), (result.Fit.LastLeftX, result.Fit.FirstRightX));
        Assert.Equal(0.20, result.Fit.LeftMean, 1e-12);
        Assert.Equal(0.60, result.Fit.RightMean, 1e-12);
        Assert.Equal(0.40, result.Fit.Step, 1e-12);
        Assert.Equal(0.002, result.Fit.ResidualSumOfSquares, 1e-12);
        Assert.Equal([6.0, 7, 8, 9, 10], result.Fit.Right.Select(p => p.X));
        // and 2 of C(10, 5) = 252 orderings separate as well: p ≈ 0.009
        Assert.True(result.PValueNoStep < 0.05, $"p = {result.PValueNoStep}");
        Assert.InRange(result.LocationLow, 4.0, 5.5);
        Assert.InRange(result.LocationHigh, 5.5, 7.0);
    }

    [Fact]
    public void Too_Few_Points_Should_Be_Rejected_With_The_Reason()
    {
        // Given three points, which cannot form two segments of two
        // Then detection throws instead of inventing a step
        var error = Assert.Throws<ArgumentException>(() => ChangePoint.Detect(Points(0.1, 0.2, 0.3)));
        Assert.Contains("two segments", error.Message);
    }
}
