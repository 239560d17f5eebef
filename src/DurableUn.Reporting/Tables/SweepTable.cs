using DurableUn.Statistics;

namespace DurableUn.Reporting;

/// <summary>
/// Every run of a sweep: its hyperparameters (the union of names, sorted, as applied), FA, RA, Q-INT4, whether it is on the
/// Pareto front of (FA↓, RA↑, Q-INT4↓) and whether it was certified. Runs stay in the sweep's order.
/// Not: the change point (the phase-transition plot and its caption carry it).
/// </summary>
public static class SweepTable
{
    public static Table Build(SweepReport sweep)
    {
        var parameters = sweep.Runs.SelectMany(r => r.Parameters.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var front = ParetoFront.Of(sweep.Runs.Select(r => r.Point).ToList()).Select(p => p.Id).ToHashSet();
        var lines = sweep.Runs.Select(r => (IReadOnlyList<string>)
        [
            r.Point.Id,
            .. parameters.Select(p => r.Parameters.TryGetValue(p, out var v) ? v : SeedSummary.Missing),
            SeedSummary.Number(r.Point.ForgetAccuracy),
            SeedSummary.Number(r.Point.RetainAccuracy),
            SeedSummary.Number(r.Point.QInt4),
            front.Contains(r.Point.Id) ? "yes" : "no",
            r.Certified ? "yes" : "no",
        ]).ToList();
        return new Table(Table.Slug("sweep", sweep.Dataset, sweep.Method), $"{sweep.Dataset} / {sweep.Method}: sweep runs",
            ["Run", .. parameters, "FA", "RA", "Q-INT4", "Pareto front", "Certified"], lines,
            [$"{sweep.Runs.Count} runs, {front.Count} on the Pareto front (no run beats them on FA, RA and Q-INT4 at once)."]);
    }
}
