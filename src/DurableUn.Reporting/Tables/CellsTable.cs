using System.Globalization;
using DurableUn.Experiments.Results;
using DurableUn.Pipelines;

namespace DurableUn.Reporting;

/// <summary>
/// The raw result records as one tidy table (one row per record, numbers at full round-trip precision; answer
/// probability and ROUGE-L empty where the row did not record them; paired tests are in the paired table), written
/// only as CSV so that anyone can redo the arithmetic of the other tables. The benchmark's own metrics become
/// extra columns, the union of their names sorted; a record without one leaves the cell empty, and a metric undefined
/// for that model reads "undefined" with the reasons in the table's notes.
/// Not: part of report.md or report.html (it is data, not a summary).
/// </summary>
public static class CellsTable
{
    public static Table Build(IReadOnlyList<CellRecord> cells)
    {
        var extra = cells.SelectMany(c => c.Metrics.Keys.Concat(c.Undefined.Keys)).Distinct().Order(StringComparer.Ordinal).ToList();
        var precisionOrder = RowOrder.Precisions(cells.Select(c => c.Precision)).ToList();
        var lines = cells
            .OrderBy(c => c.Dataset, StringComparer.Ordinal).ByMethod(c => c.Method)
            .ThenBy(c => c.Setting.Name, StringComparer.Ordinal).ThenBy(c => c.Seed)
            .ThenBy(c => precisionOrder.IndexOf(c.Precision))
            .ThenBy(c => c.Metric, StringComparer.Ordinal)
            .Select(c => (IReadOnlyList<string>)
            [
                c.Dataset, c.Pipeline.Name(), c.Method.Name, c.Setting.Name, c.Seed.ToString(CultureInfo.InvariantCulture), c.Precision.Name, c.Metric,
                c.Control ? "yes" : "no",
                Exact(c.Fa), Exact(c.Ra), Exact(c.FaProb), Exact(c.RaProb), Exact(c.FaRouge), Exact(c.RaRouge),
                .. extra.Select(k => c.Metrics.TryGetValue(k, out var v) ? Exact(v) : c.Undefined.ContainsKey(k) ? "undefined" : ""),
            ]).ToList();
        return new Table("cells", "Result records",
            ["dataset", "pipeline", "method", "setting", "seed", "precision", "metric", "control", "fa", "ra", "fa_prob", "ra_prob", "fa_rouge", "ra_rouge", .. extra],
            lines, UndefinedNotes(cells), TextColumns: 8);
    }

    /// One note per distinct (metric, reason), naming the records it applies to.
    private static IReadOnlyList<string> UndefinedNotes(IReadOnlyList<CellRecord> cells) =>
        cells.SelectMany(c => c.Undefined.Select(u => (Metric: u.Key, Reason: u.Value, Cell: c)))
            .GroupBy(x => (x.Metric, x.Reason))
            .OrderBy(g => g.Key.Metric, StringComparer.Ordinal).ThenBy(g => g.Key.Reason, StringComparer.Ordinal)
            .Select(g => $"{g.Key.Metric} undefined for {string.Join(", ", g.Select(x => $"{x.Cell.Dataset}/{x.Cell.Method}/seed {x.Cell.Seed}/{x.Cell.Precision}").Distinct())}: {g.Key.Reason}")
            .ToList();

    private static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// Empty for a number the row did not record (rows written before answer probability and ROUGE-L were).
    private static string Exact(double? value) => value is { } v ? Exact(v) : "";
}
