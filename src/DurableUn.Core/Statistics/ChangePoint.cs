namespace DurableUn.Statistics;

/// <summary>How the change-point search and its uncertainty run; every default has its reason.</summary>
public sealed record ChangePointOptions
{
    /// Fewest points a segment may hold: 2 lets a segment mean be checked against a second point.
    public int MinSegmentSize { get; init; } = 2;
    /// Bootstrap resamples for the location interval; 1000 gives percentiles stable to a grid step or so.
    public int BootstrapSamples { get; init; } = 1000;
    /// Permutations for the "is there a real drop" p-value; the smallest reportable p is 1/(n+1).
    public int Permutations { get; init; } = 999;
    /// Two-sided coverage of the bootstrap percentile interval.
    public double Confidence { get; init; } = 0.95;
    /// Seed of System.Random, whose seeded sequence is fixed across .NET versions, so reports repeat.
    public int Seed { get; init; } = 0;
}

/// <summary>A fitted step. Step = RightMean − LeftMean, the change in y when x crosses Location upward.</summary>
public sealed record ChangePointFit(
    double Location,
    double LastLeftX,
    double FirstRightX,
    double LeftMean,
    double RightMean,
    double Step,
    double ResidualSumOfSquares,
    IReadOnlyList<(double X, double Y)> Left,
    IReadOnlyList<(double X, double Y)> Right);

/// <summary>The fit, a bootstrap percentile interval for its location, and a permutation p-value for "no step".</summary>
public sealed record ChangePointResult(
    ChangePointFit Fit,
    double LocationLow,
    double LocationHigh,
    int BootstrapFitsUsed,
    double PValueNoStep);

/// <summary>
/// Detects the sweep's phase transition (claim 4: once Q-INT4 is low enough, RA collapses) as a single
/// step in y = RA over x = Q-INT4. Model: piecewise constant, two means and one split, fitted by least
/// squares over every split that separates distinct x values. Piecewise constant rather than linear
/// because the claim is a level shift: with the handful of points a sweep yields, two free slopes
/// would absorb a collapse into a steep line and leave nothing to test. Location = midpoint between
/// the last x on the left and the first on the right.
/// Uncertainty: a pairs bootstrap (resample points with replacement, refit) gives a percentile interval
/// for the location. Significance: a permutation test of "y does not depend on x" whose statistic is
/// the best split's drop in squared error, re-searched over all splits for each permutation, so the
/// search itself is accounted for.
/// Not: several change points, heteroscedastic noise models, or ordering of the input (it sorts by x).
/// </summary>
public static class ChangePoint
{
    public static ChangePointResult Detect(IReadOnlyList<(double X, double Y)> points, ChangePointOptions? options = null)
    {
        options ??= new ChangePointOptions();
        if (points.Any(p => !double.IsFinite(p.X) || !double.IsFinite(p.Y)))
            throw new ArgumentException("Change point: every x and y must be finite.");
        var sorted = points.OrderBy(p => p.X).ToArray();
        var fit = Fit(sorted, options.MinSegmentSize)
                  ?? throw new ArgumentException(
                      $"Change point: {points.Count} points cannot form two segments of at least {options.MinSegmentSize} with distinct x.");

        var random = new Random(options.Seed);
        var locations = new List<double>();
        for (var b = 0; b < options.BootstrapSamples; b++)
        {
            var resample = Enumerable.Range(0, sorted.Length).Select(_ => sorted[random.Next(sorted.Length)])
                .OrderBy(p => p.X).ToArray();
            if (Fit(resample, options.MinSegmentSize) is { } refit) locations.Add(refit.Location);
        }
        locations.Sort();
        var tail = (1 - options.Confidence) / 2;

        var observedGain = SumOfSquares(sorted) - fit.ResidualSumOfSquares;
        var atLeastAsLarge = 0;
        var ys = sorted.Select(p => p.Y).ToArray();
        for (var r = 0; r < options.Permutations; r++)
        {
            random.Shuffle(ys);
            var permuted = sorted.Select((p, i) => (p.X, ys[i])).ToArray();
            var gain = SumOfSquares(permuted) - Fit(permuted, options.MinSegmentSize)!.ResidualSumOfSquares;
            if (gain >= observedGain - 1e-12 * Math.Max(1, observedGain)) atLeastAsLarge++;   // ties count against the step
        }

        return new ChangePointResult(
            fit,
            locations.Count > 0 ? Percentile.OfSorted(locations, tail) : double.NaN,
            locations.Count > 0 ? Percentile.OfSorted(locations, 1 - tail) : double.NaN,
            locations.Count,
            (1.0 + atLeastAsLarge) / (1.0 + options.Permutations));
    }

    /// Best least-squares step over points sorted by x, or null when no split is allowed.
    public static ChangePointFit? Fit(IReadOnlyList<(double X, double Y)> sorted, int minSegmentSize)
    {
        ChangePointFit? best = null;
        for (var split = minSegmentSize; split <= sorted.Count - minSegmentSize; split++)
        {
            if (sorted[split - 1].X == sorted[split].X) continue;             // equal x cannot sit on both sides
            var left = sorted.Take(split).ToList();
            var right = sorted.Skip(split).ToList();
            var rss = SumOfSquares(left) + SumOfSquares(right);
            if (best is not null && rss >= best.ResidualSumOfSquares) continue;   // first (leftmost) best split wins ties
            double leftMean = left.Average(p => p.Y), rightMean = right.Average(p => p.Y);
            best = new ChangePointFit(
                (left[^1].X + right[0].X) / 2, left[^1].X, right[0].X,
                leftMean, rightMean, rightMean - leftMean, rss, left, right);
        }
        return best;
    }

    /// Σ (y − ȳ)²: a segment's residual under its own mean, or the whole set's under "no step".
    private static double SumOfSquares(IReadOnlyList<(double X, double Y)> points)
    {
        var mean = points.Average(p => p.Y);
        return points.Sum(p => (p.Y - mean) * (p.Y - mean));
    }
}
