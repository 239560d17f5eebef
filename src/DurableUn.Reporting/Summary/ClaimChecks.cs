using DurableUn.Pipelines;
using DurableUn.Runs;
using DurableUn.Deployment;
using System.Globalization;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Sweeps;
using DurableUn.Methods;
using DurableUn.Statistics;

namespace DurableUn.Reporting;

/// <summary>
/// The paper's five claims (docs/design.md#claims-under-test) decided on the result records of one pipeline, each with the
/// numbers behind it. Rules, stated in each verdict's evidence:
/// 1 INT8 benign: holds when no recorded paired int8-vs-bf16 test rejects at α = 0.05; without paired tests, when
///   every |FA_int8 − FA_bf16| ≤ the dataset's audit target.
/// 2 INT4 recovers: holds when some unlearned model's paired int4-vs-bf16 interval lies wholly above zero; does not
///   hold when no interval does (or no FA rose at all); untested without paired tests.
/// 3 trilemma: holds when on every benchmark no method is best at FA, RA and Q-INT4 at once.
/// 4 phase transition: the sweep's change-point test (significant step, RA lower at low Q-INT4); a study has no sweep.
/// 5 certification: holds when every certificate of DurableUn-SAF over {bf16, int8, int4} is stable (all seeds pass).
/// A benchmark whose target already passes the audit (it never learned the forget facts) is left out of 1, 2, 3 and 5,
/// and a claim left with nothing says so instead of a verdict.
/// Not: running tests (the evaluation records them per row) or rendering.
/// </summary>
public static class ClaimChecks
{
    /// The usual 5 %, the same level as the phase-transition test.
    public const double Alpha = PhaseTransition.Alpha;

    /// What the checks read: one pipeline's rows (positive control excluded), its certificates, the audit target per
    /// dataset (named <paramref name="AuditName"/> in the text), and the sweep when the report is a sweep's.
    public sealed record Evidence(
        IReadOnlyList<CellRecord> Cells,
        IReadOnlyList<CertificateSummary> Certificates,
        IReadOnlyDictionary<string, double> AuditTargets,
        string AuditName,
        SweepReport? Sweep);

    public static IReadOnlyList<Claim> All(Evidence evidence)
    {
        var unknowing = Unknowing(evidence);
        var known = evidence with
        {
            Cells = evidence.Cells.Where(c => !unknowing.Contains(c.Dataset)).ToList(),
            Certificates = evidence.Certificates.Where(c => !unknowing.Contains(c.Dataset)).ToList(),
        };
        var left = unknowing.Count == 0 ? ""
            : $" Left out: {string.Join(", ", unknowing)}, whose target never learned the forget facts (its FA bf16 is already at or below {evidence.AuditName}).";
        Claim WithExclusion(Claim c) => c with { Evidence = c.Evidence + left };
        var nothingLeft = unknowing.Count > 0 && known.Cells.Count == 0;
        Claim OrUntestable(int n, string name, Func<Evidence, Claim> check) => nothingLeft
            ? new Claim(n, name, Verdict.Untested,
                $"Cannot be tested: the target does not know the forget facts on {string.Join(", ", unknowing)} (FA bf16 at or below {evidence.AuditName}), " +
                "so every method passes without forgetting anything and no precision can recover what was never learned.")
            : WithExclusion(check(known));
        return
        [
            OrUntestable(1, "INT8 is benign", Int8Benign),
            OrUntestable(2, "INT4 recovers forgotten facts", Int4Recovers),
            OrUntestable(3, "FA–RA–Q-INT4 trilemma", TrilemmaHolds),
            PhaseTransitionClaim(evidence.Sweep),
            OrUntestable(5, "DurableUn-SAF certifies over {bf16, int8, int4}", Certifies),
        ];
    }

    /// The pipeline of the evidence's rows (one per evidence), whose INT8 and INT4 deployments the claims read.
    private static Pipeline PipelineOf(Evidence e) => e.Cells.FirstOrDefault()?.Pipeline ?? Pipeline.Adapter;

    /// Datasets whose target's FA bf16 (mean over its rows) is at or below the audit target.
    public static IReadOnlyList<string> Unknowing(Evidence evidence) =>
        evidence.Cells.Where(c => c.Method == MeasuredModel.Target && c.Precision == Precision.Bf16)
            .GroupBy(c => c.Dataset)
            .Where(g => evidence.AuditTargets.TryGetValue(g.Key, out var eps) && g.Average(c => c.Fa) <= eps)
            .Select(g => g.Key).Order(StringComparer.Ordinal).ToList();

    private static Claim Int8Benign(Evidence e)
    {
        const string name = "INT8 is benign";
        var pairs = PrecisionPair.Of(e.Cells, PipelineOf(e).Int8());
        if (pairs.Count == 0) return new Claim(1, name, Verdict.Untested, "No unlearned model was measured at both bf16 and int8.");
        var largest = pairs.MaxBy(p => Math.Abs(p.Difference))!;
        var head = $"Largest |FA_int8 − FA_bf16| = {SeedSummary.Number(Math.Abs(largest.Difference))} over {pairs.Count} unlearned models: {largest.Model}" +
                   (largest.Paired is null ? "." : $"; {largest.Describe()}.");
        var tested = pairs.Where(p => p.Paired is not null).ToList();
        if (tested.Count > 0)
        {
            var rejecting = tested.Where(p => p.Paired!.PValue < Alpha).ToList();
            return new Claim(1, name, rejecting.Count == 0 ? Verdict.Holds : Verdict.DoesNotHold,
                head + $" {rejecting.Count} of {tested.Count} paired int8 tests reject \"same as bf16\" at α = {Alpha.ToString(CultureInfo.InvariantCulture)}" +
                (rejecting.Count > 0 ? $" (e.g. {rejecting.MaxBy(p => Math.Abs(p.Difference))!.Model})." : "."));
        }
        var judged = pairs.Where(p => e.AuditTargets.ContainsKey(p.Deployed.Dataset)).ToList();
        if (judged.Count == 0)
            return new Claim(1, name, Verdict.Untested, head + $" No paired test recorded and no {e.AuditName} to compare the differences with.");
        var over = judged.Where(p => Math.Abs(p.Difference) > e.AuditTargets[p.Deployed.Dataset]).ToList();
        return new Claim(1, name, over.Count == 0 ? Verdict.Holds : Verdict.DoesNotHold,
            head + $" No paired test recorded, so judged by |Δ| ≤ {e.AuditName} ({AuditList(e, judged)}): {over.Count} of {judged.Count} models exceed it.");
    }

    private static Claim Int4Recovers(Evidence e)
    {
        const string name = "INT4 recovers forgotten facts";
        var pairs = PrecisionPair.Of(e.Cells, PipelineOf(e).Int4());
        if (pairs.Count == 0) return new Claim(2, name, Verdict.Untested, "No unlearned model was measured at both bf16 and int4.");
        var largest = pairs.MaxBy(p => p.Difference)!;
        var head = $"Largest FA_int4 − FA_bf16 = {PrecisionPair.Signed(largest.Difference)} over {pairs.Count} unlearned models: {largest.Model}; {largest.Describe()}; " +
                   $"ratio {Recovery.Format(Ratio(largest))} beside the floor {FloorText(e.Cells, largest.Deployed)}.";
        var tested = pairs.Where(p => p.Paired is not null).ToList();
        if (tested.Count > 0)
        {
            var up = tested.Count(p => p.Direction > 0);
            return new Claim(2, name, up > 0 ? Verdict.Holds : Verdict.DoesNotHold,
                head + $" {up} of {tested.Count} paired int4 intervals lie wholly above zero.");
        }
        if (largest.Difference <= 0)
            return new Claim(2, name, Verdict.DoesNotHold, head + " No model's FA rose at int4.");
        return new Claim(2, name, Verdict.Untested, head + " No paired test recorded, so this rise cannot be told from item noise.");
    }

    private static Claim TrilemmaHolds(Evidence e)
    {
        const string name = "FA–RA–Q-INT4 trilemma";
        if (e.Sweep is { Runs.Count: > 0 } sweep)
        {
            var (text, one) = Trilemma.Of(sweep.Runs.Select(r => r.Point).ToList(), "run")!.Value;
            return new Claim(3, name, one ? Verdict.DoesNotHold : Verdict.Holds, $"Over {sweep.Runs.Count} sweep runs: {text}.");
        }
        var findings = new List<(string Group, string Text, bool One)>();
        foreach (var (dataset, metric) in MethodRow.Groups(e.Cells))
        {
            var points = MethodRow.Of(e.Cells, dataset, metric)
                .Where(r => !r.Method.IsReference)
                .Select(r => (r.Label, fa: r.Fa(Precision.Bf16), ra: r.Ra(Precision.Bf16), q: r.Fa(PipelineOf(e).Int4())))
                .Where(x => x.fa is not null && x.ra is not null && x.q is not null)
                .Select(x => new SweepPoint(x.Label, x.fa!.Value.Mean, x.ra!.Value.Mean, x.q!.Value.Mean)).ToList();
            if (points.Count < 2) continue;
            var (text, one) = Trilemma.Of(points, "method")!.Value;
            findings.Add(($"{dataset} ({points.Count} methods, seed means)", text, one));
        }
        if (findings.Count == 0)
            return new Claim(3, name, Verdict.Untested, "Needs at least two unlearned methods measured at bf16 and int4 on one benchmark.");
        return new Claim(3, name, findings.Any(f => f.One) ? Verdict.DoesNotHold : Verdict.Holds,
            string.Join(" ", findings.Select(f => $"{f.Group}: {f.Text}.")));
    }

    private static Claim PhaseTransitionClaim(SweepReport? sweep)
    {
        const string name = "Phase transition: RA collapses once Q-INT4 is low";
        if (sweep is null)
            return new Claim(4, name, Verdict.Untested,
                "A study runs each method at one calibrated setting, so it has no dense sweep to fit a step in RA over Q-INT4; `durableun sweep` runs one and its report tests this claim.");
        if (sweep.ChangePoint is not { } cp)
            return new Claim(4, name, Verdict.Untested, sweep.PhaseTransitionNote ?? $"No change point was fitted on the {sweep.Runs.Count} sweep runs.");
        var supports = cp.PValueNoStep < Alpha && cp.Fit.LeftMean < cp.Fit.RightMean;
        var numbers = $"Step at Q-INT4 = {SeedSummary.Number(cp.Fit.Location)} (interval {SeedSummary.Number(cp.LocationLow)}–{SeedSummary.Number(cp.LocationHigh)}), " +
                      $"RA {SeedSummary.Number(cp.Fit.LeftMean)} below it and {SeedSummary.Number(cp.Fit.RightMean)} above, permutation p = {PrecisionPair.PValue(cp.PValueNoStep)}.";
        return new Claim(4, name, supports ? Verdict.Holds : Verdict.DoesNotHold,
            numbers + (sweep.PhaseTransitionNote is { } note ? " " + note : ""));
    }

    private static Claim Certifies(Evidence e)
    {
        const string name = "DurableUn-SAF certifies over {bf16, int8, int4}";
        if (e.Sweep is { } sweep)
            return new Claim(5, name, Verdict.Untested,
                $"A sweep runs one seed per point, so it gives no certificate over seeds; {sweep.Runs.Count(r => r.Certified)} of {sweep.Runs.Count} runs pass max_p FA_p ≤ ε" +
                (sweep.Epsilon is { } eps ? $" = {SeedSummary.Number(eps)}." : "."));
        var paper = new[] { Precision.Bf16, PipelineOf(e).Int8(), PipelineOf(e).Int4() };
        var certificates = e.Certificates.Where(c => paper.All(c.Precisions.Contains))
            .OrderBy(c => c.Dataset, StringComparer.Ordinal).ByMethod(c => c.Method).ThenBy(c => c.Setting.Name, StringComparer.Ordinal).ToList();
        if (certificates.Count == 0)
            return new Claim(5, name, Verdict.Untested, "No certificate over {bf16, int8, int4} yet.");
        // A method certifies when its certificate is stable on every benchmark it ran on.
        var byMethod = certificates.GroupBy(Label).ToList();
        var certifying = byMethod.Where(g => g.All(c => c.Stable)).Select(g => g.Key).ToList();
        var epsilons = string.Join(", ", certificates.Select(c => c.Epsilon).Distinct().Order().Select(SeedSummary.Number));
        var list = $"At ε = {epsilons}: {certificates.Count(c => c.Stable)} of {certificates.Count} certificates are stable (every seed passes); " +
                   $"methods stable on every benchmark: {(certifying.Count == 0 ? "none" : string.Join(", ", certifying))} ({certifying.Count} of {byMethod.Count}).";
        var saf = certificates.Where(c => c.Method.Method == MethodCatalog.Saf).ToList();
        if (saf.Count == 0) return new Claim(5, name, Verdict.Untested, list + " This study did not run saf.");
        var safText = " saf: " + string.Join(", ", saf.Select(c => $"{c.Dataset} {c.PassingSeeds}/{c.Seeds} seeds")) + ".";
        return new Claim(5, name, saf.All(c => c.Stable) ? Verdict.Holds : Verdict.DoesNotHold, list + safText);
    }

    /// A certificate's method with its setting when not the calibrated one ("salun (published)").
    private static string Label(CertificateSummary c) => c.Setting == CellSetting.Calibrated ? c.Method.Name : $"{c.Method} ({c.Setting})";


    private static double? Ratio(PrecisionPair p) => Recovery.Factor(
        new SeedSummary(p.Bf16.Fa, 0, 1), new SeedSummary(p.Deployed.Fa, 0, 1));

    /// The retain model's FA bf16 (mean over seeds) on the pair's dataset and metric, the accuracy of a model that never saw the facts.
    public static string FloorText(IReadOnlyList<CellRecord> cells, CellRecord row) =>
        SeedSummary.Of(cells.Where(c => c.Method == MeasuredModel.Retain && c.Precision == Precision.Bf16 && c.Dataset == row.Dataset && c.Metric == row.Metric)
            .Select(c => c.Fa).ToList()) is { } floor
            ? SeedSummary.Number(floor.Mean)
            : "(no retain model measured)";

    private static string AuditList(Evidence e, IReadOnlyList<PrecisionPair> pairs) =>
        string.Join(", ", pairs.Select(p => p.Deployed.Dataset).Distinct().Order(StringComparer.Ordinal)
            .Select(d => $"{d} {SeedSummary.Number(e.AuditTargets[d])}"));
}
