using System.Globalization;
using System.Text.Json.Serialization;

namespace DurableUn.Statistics;

/// <summary>
/// Claim 4 put to the test on one sweep: "once Q-INT4 is low enough, RA collapses". The sweep's points are fitted
/// with one step in y = RA_bf16 over x = Q-INT4 (<see cref="ChangePoint"/>); the claim holds on this sweep only if
/// the step is significant (permutation p &lt; <see cref="Alpha"/>) AND RA is lower on the low-Q-INT4 side. Both
/// other outcomes (no significant step, or RA higher at low Q-INT4) are findings too, and the verdict says which.
/// Not: the fit (<see cref="ChangePoint"/>); not: a test over several sweeps or seeds.
/// </summary>
public sealed record PhaseTransition
{
    /// Significance level of the permutation test; the usual 5 %.
    public const double Alpha = 0.05;

    /// Q-INT4 where the fitted step sits (midpoint between the last point below and the first above).
    [JsonPropertyName("location")] public required double Location { get; init; }
    [JsonPropertyName("location_low")] public required double LocationLow { get; init; }
    [JsonPropertyName("location_high")] public required double LocationHigh { get; init; }
    /// Two-sided coverage of the bootstrap percentile interval [location_low, location_high].
    [JsonPropertyName("confidence")] public required double Confidence { get; init; }
    [JsonPropertyName("bootstrap_fits")] public required int BootstrapFits { get; init; }
    /// Mean RA of the points with Q-INT4 below the location, and above it.
    [JsonPropertyName("ra_below")] public required double RaBelow { get; init; }
    [JsonPropertyName("ra_above")] public required double RaAbove { get; init; }
    /// ra_above − ra_below: how much RA falls when Q-INT4 goes below the location (negative: RA rises).
    [JsonPropertyName("ra_drop")] public required double RaDrop { get; init; }
    /// Permutation p-value of "RA does not depend on Q-INT4", the split search included.
    [JsonPropertyName("p_value")] public required double PValue { get; init; }
    [JsonPropertyName("significant")] public required bool Significant { get; init; }
    /// Significant and RA lower below the location: what claim 4 predicts.
    [JsonPropertyName("supports_claim")] public required bool SupportsClaim { get; init; }
    [JsonPropertyName("points_below")] public required IReadOnlyList<string> PointsBelow { get; init; }
    [JsonPropertyName("points_above")] public required IReadOnlyList<string> PointsAbove { get; init; }
    [JsonPropertyName("verdict")] public required string Verdict { get; init; }

    /// <summary>The change-point search over (Q-INT4, RA), or null when the points cannot form two segments of distinct Q-INT4.</summary>
    public static ChangePointResult? Detect(IReadOnlyList<SweepPoint> points, ChangePointOptions options)
    {
        var xy = points.Select(p => (p.QInt4, p.RetainAccuracy)).OrderBy(p => p.QInt4).ToList();
        return ChangePoint.Fit(xy, options.MinSegmentSize) is null ? null : ChangePoint.Detect(xy, options);
    }

    /// Why <see cref="Detect"/> gave nothing, for the report.
    public static string NoFitReason(IReadOnlyList<SweepPoint> points, ChangePointOptions options) =>
        $"No change point: {points.Count} finished points ({points.Select(p => p.QInt4).Distinct().Count()} distinct Q-INT4 values) " +
        $"cannot form two segments of at least {options.MinSegmentSize} points with distinct Q-INT4; claim 4 is untested on this sweep.";

    public static PhaseTransition From(ChangePointResult result, IReadOnlyList<SweepPoint> points, ChangePointOptions options)
    {
        var fit = result.Fit;
        var drop = fit.RightMean - fit.LeftMean;
        var significant = result.PValueNoStep < Alpha;
        var below = points.Where(p => p.QInt4 < fit.Location).Select(p => p.Id).ToList();
        var above = points.Where(p => p.QInt4 > fit.Location).Select(p => p.Id).ToList();
        string N(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
        var coverage = (100 * options.Confidence).ToString("F0", CultureInfo.InvariantCulture);
        var alpha = Alpha.ToString(CultureInfo.InvariantCulture);
        var where = $"{N(fit.Location)} ({coverage} % bootstrap interval {N(result.LocationLow)}–{N(result.LocationHigh)})";
        var sides = $"RA {N(fit.LeftMean)} over the {below.Count} points below ({string.Join(", ", below)}), " +
                    $"{N(fit.RightMean)} over the {above.Count} above ({string.Join(", ", above)})";
        var verdict = !significant
            ? $"No significant step (permutation p = {N(result.PValueNoStep)} ≥ {alpha}): the best split, at Q-INT4 = {where}, gives {sides}, " +
              "and shuffling RA over the points gives a step at least this large at least as often as p says. This sweep does not show the phase transition of claim 4."
            : drop > 0
                ? $"Significant drop (permutation p = {N(result.PValueNoStep)} < {alpha}): RA falls by {N(drop)} once Q-INT4 goes below {where}: {sides}. " +
                  "This sweep supports claim 4."
                : $"Significant step in the opposite direction (permutation p = {N(result.PValueNoStep)} < {alpha}): RA is {N(-drop)} HIGHER below Q-INT4 = {where}: {sides}. " +
                  "This sweep contradicts claim 4.";
        return new PhaseTransition
        {
            Location = fit.Location, LocationLow = result.LocationLow, LocationHigh = result.LocationHigh, Confidence = options.Confidence,
            BootstrapFits = result.BootstrapFitsUsed, RaBelow = fit.LeftMean, RaAbove = fit.RightMean, RaDrop = drop,
            PValue = result.PValueNoStep, Significant = significant, SupportsClaim = significant && drop > 0,
            PointsBelow = below, PointsAbove = above, Verdict = verdict,
        };
    }
}
