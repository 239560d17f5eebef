using DurableUn.Runs;
using DurableUn.Deployment;
using DurableUn.Experiments.Cells;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Sweeps;
using DurableUn.Pipelines;

namespace DurableUn.Reporting;

/// <summary>
/// The section a report opens with: the setting in one line (preset, pipelines, base, metric and floor, audit target,
/// seeds), then for each pipeline the five claims as a table (verdict and the numbers behind it, from
/// <see cref="ClaimChecks"/>), then the positive control's outcome. A sweep's summary starts with its Pareto front and
/// phase-transition findings. Everything is computed from the records; absent fields are named as absent.
/// Not: the evidence tables and plots (the sections below it).
/// </summary>
public static class ReportSummary
{
    public const string Title = "Summary";

    public static Section Build(ReportInput input, List<Table> tables)
    {
        var blocks = new List<Block> { new Paragraph(SettingLine(input)) };
        if (input.Sweep is { Runs.Count: > 0 } sweep) blocks.AddRange(SweepFindings.Of(sweep).Select(t => new Paragraph(t)));
        if (input.Cells.Count == 0 && input.Sweep is null)
        {
            blocks.Add(new Paragraph("No result records yet, so no claim can be judged."));
            return new Section(Title, blocks);
        }
        var (targets, auditName) = AuditTargets(input);
        var pipelines = Pipelines(input.Cells);
        foreach (var pipeline in pipelines)
        {
            var rows = input.Cells.Where(c => c.Pipeline == pipeline).ToList();
            var claims = ClaimChecks.All(new ClaimChecks.Evidence(
                rows.Where(c => !c.Control).ToList(), input.Certificates.Where(c => c.Pipeline == pipeline).ToList(), targets, auditName, input.Sweep));
            var table = ClaimsTable(claims, pipelines.Count > 1 ? pipeline : null);
            tables.Add(table);
            blocks.Add(new TableBlock(table));
            blocks.Add(new Paragraph(PositiveControl(rows, pipelines.Count > 1 ? pipeline : null)));
        }
        return new Section(Title, blocks);
    }

    /// The pipelines present, in the enum's order; a report with no rows yet still speaks of the default one.
    public static IReadOnlyList<Pipeline> Pipelines(IReadOnlyList<CellRecord> cells) =>
        cells.Count == 0 ? [Pipeline.Adapter] : cells.Select(c => c.Pipeline).Distinct().Order().ToList();

    public static Table ClaimsTable(IReadOnlyList<Claim> claims, Pipeline? pipeline) => new(
        pipeline is { } p ? Table.Slug("summary", p.Name()) : "summary",
        pipeline is { } q ? $"The paper's claims on this study, pipeline {q.Name()}" : "The paper's claims on this study",
        ["Claim", "Verdict", "Evidence"],
        claims.Select(c => (IReadOnlyList<string>)[$"{c.Number}. {c.Name}", c.VerdictText, c.Evidence]).ToList(),
        [Rules],
        TextColumns: 3);

    /// How each verdict is decided (<see cref="ClaimChecks"/>), printed under every claims table.
    public const string Rules =
        "Rules: 1 holds when no paired int8 test rejects \"same as bf16\" at α = 0.05 (without paired tests: every |Δ| ≤ the audit target); " +
        "2 holds when some paired int4 interval lies wholly above zero; 3 holds when no method is best at FA, RA and Q-INT4 at once; " +
        "4 is a sweep's change-point test; 5 holds when every saf certificate over {bf16, int8, int4} is stable. " +
        "\"not tested\" says why the records cannot decide. Numbers are computed from results.json.";

    /// The audit target per dataset: a study's calibration ε_audit, or a sweep's certificate ε for its one dataset.
    private static (IReadOnlyDictionary<string, double> Targets, string Name) AuditTargets(ReportInput input)
    {
        var targets = input.Calibrations.GroupBy(c => c.Dataset).ToDictionary(g => g.Key, g => g.First().AuditEpsilon);
        if (targets.Count > 0 || input.Sweep is not { Epsilon: { } eps } sweep) return (targets, "ε_audit");
        return (new Dictionary<string, double> { [sweep.Dataset] = eps }, "ε");
    }

    private static string SettingLine(ReportInput input)
    {
        var parts = new List<string>();
        if (input.Preset is { } preset) parts.Add($"preset {preset}");
        parts.Add($"pipeline{(Pipelines(input.Cells).Count > 1 ? "s" : "")} {string.Join(", ", Pipelines(input.Cells).Select(p => p.Name()))}");
        if (input.Base is { } b) parts.Add($"base {b}");
        var metrics = input.Cells.Select(c => c.Metric).Distinct().Order(StringComparer.Ordinal).ToList();
        parts.Add(metrics.Count == 0 ? "metric: no records yet" : $"metric {string.Join(", ", metrics)}");
        var floors = input.Cells.Where(c => c.Method == MeasuredModel.Retain && c.Precision == Precision.Bf16 && !c.Control)
            .GroupBy(c => c.Dataset).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {SeedSummary.Number(g.Average(c => c.Fa))}").ToList();
        parts.Add(floors.Count == 0 ? "floor: no retain model measured" : $"floor (retain model's FA bf16) {string.Join(", ", floors)}");
        var (targets, name) = AuditTargets(input);
        parts.Add(targets.Count == 0 ? $"{name}: none recorded"
            : $"{name} {string.Join(", ", targets.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key} {SeedSummary.Number(t.Value)}"))}");
        var seeds = input.Cells.Where(c => !c.Method.IsReference).Select(c => c.Seed).Distinct().Order().ToList();
        parts.Add(seeds.Count == 0 ? "no unlearning seeds yet" : $"seeds {string.Join(", ", seeds)}");
        return "Setting: " + string.Join("; ", parts) + ".";
    }

    /// The positive control (rows built so that rounding must erase the unlearning update): did its deployment bring the facts back?
    private static string PositiveControl(IReadOnlyList<CellRecord> rows, Pipeline? pipeline)
    {
        var prefix = pipeline is { } p ? $"Positive control ({p.Name()}): " : "Positive control: ";
        var control = rows.Where(c => c.Control).ToList();
        if (control.Count == 0) return prefix + "this study has no positive control, so a null result on claim 2 cannot be told from a measurement that misses recovery.";
        // The control is measured at bf16 and at the one deployment it was built for (merged-nf4 or model-fp4).
        var at = control.Select(c => c.Precision).FirstOrDefault(p => p != Precision.Bf16);
        var pairs = at is null ? [] : PrecisionPair.Of(control, at);
        if (pairs.Count == 0) return prefix + $"{control.Count} rows, but no unlearned control model measured at both bf16 and its deployment yet.";
        var tested = pairs.Where(x => x.Paired is not null).ToList();
        var largest = pairs.MaxBy(x => x.Difference)!;
        var outcome = tested.Count == 0
            ? "no paired test recorded, so whether the measurement sees recovery is not established"
            : tested.Any(x => x.Direction > 0)
                ? $"detected: {tested.Count(x => x.Direction > 0)} of {tested.Count} paired {at} intervals lie wholly above zero, so the measurement can see recovery"
                : $"missed: none of {tested.Count} paired {at} intervals lies above zero, so this measurement may not see recovery and a null on claim 2 is not evidence";
        return prefix + $"{outcome}. Largest FA_{at} − FA_bf16 = {PrecisionPair.Signed(largest.Difference)} ({largest.Model}; {largest.Describe()}).";
    }
}
