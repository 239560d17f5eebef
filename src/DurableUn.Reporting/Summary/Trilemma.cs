using DurableUn.Statistics;

namespace DurableUn.Reporting;

/// <summary>
/// Claim 3 on one set of points (sweep runs, or a study's methods on one benchmark): the best point at each objective
/// (lowest FA, highest RA, lowest Q-INT4) and whether one point is best at all three at once, which would break the
/// trilemma. Ties count as best.
/// </summary>
public static class Trilemma
{
    /// Null for no points. <paramref name="noun"/> names what a point is in the text ("run", "method").
    public static (string Text, bool OneBestAtAll)? Of(IReadOnlyList<SweepPoint> points, string noun)
    {
        if (points.Count == 0) return null;
        var fa = points.MinBy(p => p.ForgetAccuracy)!;
        var ra = points.MaxBy(p => p.RetainAccuracy)!;
        var q = points.MinBy(p => p.QInt4)!;
        var all = points.Where(p => p.ForgetAccuracy == fa.ForgetAccuracy && p.RetainAccuracy == ra.RetainAccuracy && p.QInt4 == q.QInt4)
            .Select(p => p.Id).ToList();
        var text = $"lowest FA {SeedSummary.Number(fa.ForgetAccuracy)} ({fa.Id}), highest RA {SeedSummary.Number(ra.RetainAccuracy)} ({ra.Id}), " +
                   $"lowest Q-INT4 {SeedSummary.Number(q.QInt4)} ({q.Id}); " +
                   (all.Count > 0 ? $"{string.Join(", ", all)} reaches all three at once" : $"no {noun} reaches all three at once");
        return (text, all.Count > 0);
    }
}
