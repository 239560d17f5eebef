using System.Globalization;
using DurableUn.Deployment;
using DurableUn.Experiments.Results;
using DurableUn.Runs;

namespace DurableUn.Reporting;

/// <summary>
/// The paper's main table for one dataset under one metric: a row per method (target first, retain last as the
/// floor), columns FA_bf16, RA_bf16, Q-INT8 (FA at int8), Q-INT4 (FA at int4), recovery factor and cert rate.
/// Cells are mean ± sample std over seeds. Cert rate comes from the certificates of the same dataset, method,
/// setting and metric ("2/3 @ ε=0.047"); a row without one shows "—". Beside the recovery factor, the mechanism at
/// int4 (<see cref="ShiftColumns"/>): the share of A's and B's INT4 codes the unlearning changed and the median move in
/// half INT4 steps, so a reader sees whether forgetting happened below the grid (recoverable) or across it.
/// Not: other precisions (see <see cref="PrecisionTable"/>) or the benchmark's own metrics.
/// </summary>
public static class ResultsTable
{
    public static readonly IReadOnlyList<string> Header =
        ["Method", "Seeds", "FA bf16", "RA bf16", "Q-INT8", "Q-INT4", "Recovery", ShiftColumns.FlippedHeader, ShiftColumns.MedianHeader, "Cert rate"];

    public static Table Build(IReadOnlyList<CellRecord> cells, IReadOnlyList<CertificateSummary> certificates, string dataset, string metric)
    {
        var rows = MethodRow.Of(cells, dataset, metric);
        var lines = rows.Select(r => (IReadOnlyList<string>)
        [
            r.Method.Role == ModelRole.Retain ? $"{r.Label} (floor)" : r.Label,
            r.Seeds.ToString(CultureInfo.InvariantCulture),
            SeedSummary.Format(r.Fa(Precision.Bf16)),
            SeedSummary.Format(r.Ra(Precision.Bf16)),
            SeedSummary.Format(r.Fa(Precision.Int8)),
            SeedSummary.Format(r.Fa(Precision.Int4)),
            Recovery.Format(Recovery.Factor(r.Fa(Precision.Bf16), r.Fa(Precision.Int4))),
            ShiftColumns.Flipped(r, Precision.Int4),
            ShiftColumns.Median(r, Precision.Int4),
            CertRate(certificates, r),
        ]).ToList();

        return new Table(Table.Slug("results", dataset, metric), $"{dataset}: forgetting by precision ({metric})",
            Header, lines,
            [
                $"Metric: {metric}. FA = forget-set accuracy, RA = retain-set accuracy; Q-INT8, Q-INT4 = FA at int8, int4.",
                "Cells: mean ± sample std (n − 1) over seeds; a single seed shows its value; — = not measured yet.",
                Known(rows),
                Floor(rows),
                Recovery.Footnote,
                ShiftColumns.Footnote,
            ]);
    }

    /// How well the target (before unlearning) knows the forget facts: its FA bf16, the ceiling every method starts from.
    public static string Known(IReadOnlyList<MethodRow> rows) =>
        rows.FirstOrDefault(r => r.Method.Role == ModelRole.Target)?.Fa(Precision.Bf16) is { } known
            ? $"Target: FA bf16 of the target model (how well it knows the forget facts) = {known.Format()}."
            : "Target: no target-model results yet.";

    /// The floor: FA of the retain model, which never saw the forget set (docs/design.md#forget-and-retain-accuracy).
    public static string Floor(IReadOnlyList<MethodRow> rows) =>
        rows.FirstOrDefault(r => r.Method.Role == ModelRole.Retain)?.Fa(Precision.Bf16) is { } floor
            ? $"Floor: FA bf16 of the retain model (never trained on the forget set) = {floor.Format()}."
            : "Floor: no retain-model results yet.";

    private static string CertRate(IReadOnlyList<CertificateSummary> certificates, MethodRow row)
    {
        var matching = certificates
            .Where(c => c.Dataset == row.Dataset && c.Method == row.Method && c.Setting == row.Setting && c.Metric == row.Metric)
            .OrderBy(c => c.Epsilon)
            .Select(c => $"{c.PassingSeeds}/{c.Seeds} @ ε={c.Epsilon.ToString("0.###", CultureInfo.InvariantCulture)}")
            .ToList();
        return matching.Count == 0 ? SeedSummary.Missing : string.Join("; ", matching);
    }
}
