using DurableUn.Statistics;

namespace DurableUn.Reporting;

/// <summary>
/// What a sweep shows, in sentences with the numbers (claims 3 and 4): how many runs were certified and at which ε,
/// which runs form the Pareto front over (FA↓, RA↑, Q-INT4↓) with their settings and objectives, the best run at each
/// objective and whether one run is best at all three, and the verdict of the phase-transition test exactly as the
/// sweep worded it.
/// Not: the test itself (<see cref="PhaseTransition"/>); not: the table or the plots (<see cref="SweepTable"/>,
/// <see cref="ParetoPlot"/>, <see cref="PhaseTransitionPlot"/>).
/// </summary>
public static class SweepFindings
{
    public static IReadOnlyList<string> Of(SweepReport sweep)
    {
        var front = ParetoFront.Of(sweep.Runs.Select(r => r.Point).ToList()).Select(p => p.Id).ToHashSet();
        var certified = sweep.Runs.Count(r => r.Certified);
        var epsilon = sweep.Epsilon is { } e ? $" at ε = {SeedSummary.Number(e)} (max over precisions of FA ≤ ε)" : "";
        return
        [
            $"{sweep.Runs.Count} runs; {certified} certified{epsilon}.",
            $"Pareto front over (FA↓, RA↑, Q-INT4↓): {front.Count} of {sweep.Runs.Count} runs — " +
            string.Join("; ", sweep.Runs.Where(r => front.Contains(r.Point.Id)).Select(Describe)) + ".",
            Trilemma(sweep.Runs),
            $"Phase transition (claim 4, RA against Q-INT4): {sweep.PhaseTransitionNote ?? "not tested in this report."}",
        ];
    }

    /// Claim 3 on this sweep: which run is best at each objective, and whether one run is best at all three.
    private static string Trilemma(IReadOnlyList<SweepRun> runs)
    {
        var (text, one) = Reporting.Trilemma.Of(runs.Select(r => r.Point).ToList(), "run")!.Value;
        return $"Trilemma (claim 3): {text}" +
               (one ? ", so this sweep shows no trilemma." : ".");
    }

    private static string Describe(SweepRun r) =>
        $"{r.Point.Id} ({string.Join(", ", r.Parameters.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))}): FA {SeedSummary.Number(r.Point.ForgetAccuracy)}, " +
        $"RA {SeedSummary.Number(r.Point.RetainAccuracy)}, Q-INT4 {SeedSummary.Number(r.Point.QInt4)}{(r.Certified ? ", certified" : "")}";
}
