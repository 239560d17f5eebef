using System.Globalization;
using DurableUn.Experiments;

namespace DurableUn.Reporting;

/// <summary>
/// The raw result records as one tidy table (one row per record, numbers at full round-trip precision), written
/// only as CSV so that anyone can redo the arithmetic of the other tables. The benchmark's own metrics become
/// extra columns, the union of their names sorted; a record without one leaves the cell empty.
/// Not: part of report.md or report.html (it is data, not a summary).
/// </summary>
public static class CellsTable
{
    public static Table Build(IReadOnlyList<CellRecord> cells)
    {
        var extra = cells.SelectMany(c => c.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var precisionOrder = RowOrder.Precisions(cells.Select(c => c.Precision)).ToList();
        var lines = cells
            .OrderBy(c => c.Dataset, StringComparer.Ordinal).ByMethod(c => c.Method)
            .ThenBy(c => c.Setting, StringComparer.Ordinal).ThenBy(c => c.Seed)
            .ThenBy(c => precisionOrder.IndexOf(c.Precision))
            .ThenBy(c => c.Metric, StringComparer.Ordinal)
            .Select(c => (IReadOnlyList<string>)
            [
                c.Dataset, c.Method, c.Setting, c.Seed.ToString(CultureInfo.InvariantCulture), c.Precision, c.Metric,
                Exact(c.Fa), Exact(c.Ra),
                .. extra.Select(k => c.Metrics.TryGetValue(k, out var v) ? Exact(v) : ""),
            ]).ToList();
        return new Table("cells", "Result records",
            ["dataset", "method", "setting", "seed", "precision", "metric", "fa", "ra", .. extra], lines, [], TextColumns: 6);
    }

    private static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
