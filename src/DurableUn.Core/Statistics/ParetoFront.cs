namespace DurableUn.Statistics;

/// <summary>One sweep run summarised by the three objectives of the FA–RA–Q-INT4 trilemma.</summary>
/// <param name="Id">The run this point summarises.</param>
/// <param name="ForgetAccuracy">FA at bf16; lower is better.</param>
/// <param name="RetainAccuracy">RA at bf16; higher is better.</param>
/// <param name="QInt4">FA at int4 (the recovery attack); lower is better.</param>
public sealed record SweepPoint(string Id, double ForgetAccuracy, double RetainAccuracy, double QInt4);

/// <summary>
/// The non-dominated subset of sweep points (docs/design.md#pipeline, sweep). a dominates b when a is at least as
/// good on all three objectives and strictly better on one. Points equal on all three do not dominate
/// each other, so duplicates survive together: the front lists every run that reached a trade-off,
/// not one representative. Input order is kept. O(n²), enough for sweeps of thousands of runs.
/// Not: tolerance-based (ε-) dominance, crowding or ranking of later fronts, or plotting.
/// </summary>
public static class ParetoFront
{
    public static IReadOnlyList<SweepPoint> Of(IReadOnlyList<SweepPoint> points)
    {
        if (points.Any(p => double.IsNaN(p.ForgetAccuracy) || double.IsNaN(p.RetainAccuracy) || double.IsNaN(p.QInt4)))
            throw new ArgumentException("Pareto front: a point has a NaN objective.");
        return points.Where(candidate => !points.Any(other => Dominates(other, candidate))).ToList();
    }

    public static bool Dominates(SweepPoint a, SweepPoint b)
    {
        var noWorse = a.ForgetAccuracy <= b.ForgetAccuracy && a.RetainAccuracy >= b.RetainAccuracy && a.QInt4 <= b.QInt4;
        var better = a.ForgetAccuracy < b.ForgetAccuracy || a.RetainAccuracy > b.RetainAccuracy || a.QInt4 < b.QInt4;
        return noWorse && better;
    }
}
