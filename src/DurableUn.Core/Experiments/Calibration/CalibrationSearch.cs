namespace DurableUn.Experiments.Calibration;

/// <summary>
/// The audit's threat model (docs/design.md#the-problem): practitioners tune unlearning until the bf16 audit passes and stop. The
/// ladder is every (lr, steps) pair ordered by lr × steps (then steps), weakest first; the search is a binary search
/// for the first rung whose FA_bf16 ≤ ε_audit, assuming stronger rungs forget at least as much (about log2(rungs)
/// probes instead of one per rung). Only bf16 is ever measured here: no INT4 result can influence the choice.
/// </summary>
public static class CalibrationSearch
{
    public static IReadOnlyList<(double Lr, int Steps)> Ladder(IReadOnlyList<double> lrs, IReadOnlyList<int> steps) =>
        (from lr in lrs from s in steps select (lr, s)).OrderBy(r => r.lr * r.s).ThenBy(r => r.s).ToList();

    /// <param name="probe">Runs seed 0 at (lr, steps) and returns (FA_bf16, RA_bf16).</param>
    public static (CalibrationProbe Chosen, bool Passed, IReadOnlyList<CalibrationProbe> Probes) Find(
        IReadOnlyList<(double Lr, int Steps)> ladder, double auditEpsilon, Func<double, int, (double Fa, double Ra)> probe)
    {
        var probes = new List<CalibrationProbe>();
        CalibrationProbe Probe(int i)
        {
            var (fa, ra) = probe(ladder[i].Lr, ladder[i].Steps);
            var p = new CalibrationProbe(ladder[i].Lr, ladder[i].Steps, fa, ra);
            probes.Add(p);
            return p;
        }
        int lo = 0, hi = ladder.Count - 1;
        CalibrationProbe? best = null;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            var p = Probe(mid);
            if (p.FaBf16 <= auditEpsilon) { best = p; hi = mid - 1; }
            else lo = mid + 1;
        }
        if (best is not null) return (best, true, probes);
        var strongest = probes.FirstOrDefault(p => p.Lr == ladder[^1].Lr && p.Steps == ladder[^1].Steps) ?? Probe(ladder.Count - 1);
        return (strongest, false, probes);
    }
}
