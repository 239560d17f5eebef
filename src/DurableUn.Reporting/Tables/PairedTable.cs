using System.Globalization;
using DurableUn.Experiments.Results;
using DurableUn.Pipelines;

namespace DurableUn.Reporting;

/// <summary>
/// Every paired per-item test the records hold (a deployed precision against bf16 on the same model and items): the
/// model, the precision, the per-item score, the mean difference with its bootstrap 95 % interval, the test and its
/// p-value. This is the evidence behind claims 1 and 2 of the summary, one row per test. Rows of the positive control
/// say so in the method column.
/// Not: the tests themselves (the evaluation records them in <see cref="CellRecord.Paired"/>).
/// </summary>
public static class PairedTable
{
    public static readonly IReadOnlyList<string> Header =
        ["Dataset", "Pipeline", "Method", "Seed", "Precision", "Score", "Difference", "95 % CI", "Test", "p", "Items"];

    /// Null when no record holds a paired test (bf16 rows never do; rows written before they were recorded neither).
    public static Table? Build(IReadOnlyList<CellRecord> cells)
    {
        var precisions = RowOrder.Precisions(cells.Select(c => c.Precision)).ToList();
        var lines = cells.Where(c => c.Paired.Count > 0)
            .OrderBy(c => c.Dataset, StringComparer.Ordinal).ThenBy(c => c.Pipeline).ThenBy(c => c.Control).ByMethod(c => c.Method)
            .ThenBy(c => c.Setting.Name, StringComparer.Ordinal).ThenBy(c => c.Seed).ThenBy(c => precisions.IndexOf(c.Precision))
            .SelectMany(c => c.Paired.OrderBy(p => p.Score, StringComparer.Ordinal).Select(p => (IReadOnlyList<string>)
            [
                c.Dataset, c.Pipeline.Name(),
                c.Method.Name + (c.Setting == CellSetting.Calibrated ? "" : $" ({c.Setting})") + (c.Control ? " [positive control]" : ""),
                c.Seed.ToString(CultureInfo.InvariantCulture), c.Precision.Name, p.Score,
                PrecisionPair.Signed(p.Difference), $"[{PrecisionPair.Signed(p.CiLow)}, {PrecisionPair.Signed(p.CiHigh)}]",
                PrecisionPair.TestName(p.Test), PrecisionPair.PValue(p.PValue), p.Items.ToString(CultureInfo.InvariantCulture),
            ])).ToList();
        if (lines.Count == 0) return null;
        return new Table("paired", "Paired per-item tests against bf16", Header, lines,
            ["Difference = mean over forget items of (score at the precision − score at bf16) on the same model; 95 % CI by bootstrap over items; " +
             "exact McNemar for 0/1 scores, Wilcoxon signed-rank for continuous ones, both two-sided."],
            TextColumns: 6);
    }
}
