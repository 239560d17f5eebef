using System.Globalization;
using DurableUn.Experiments;

namespace DurableUn.Reporting;

/// <summary>
/// The long table for one dataset under one metric: a row per (method, precision) for every precision the
/// records name (bf16, int8, int4, nf4, merged-nf4, ...), with FA and RA as mean ± sample std over seeds.
/// Long rather than wide because the set of precisions is open and a wide table of ten of them does not fit a page.
/// Not: ratios or certificates (see <see cref="ResultsTable"/>).
/// </summary>
public static class PrecisionTable
{
    public static readonly IReadOnlyList<string> Header = ["Method", "Precision", "Seeds", "FA", "RA"];

    public static Table Build(IReadOnlyList<CellRecord> cells, string dataset, string metric)
    {
        var lines = new List<IReadOnlyList<string>>();
        var rows = MethodRow.Of(cells, dataset, metric);
        foreach (var row in rows)
            foreach (var precision in row.Precisions)
            {
                var fa = row.Fa(precision);
                lines.Add([row.Label, precision.Name, (fa?.Count ?? 0).ToString(CultureInfo.InvariantCulture),
                    SeedSummary.Format(fa), SeedSummary.Format(row.Ra(precision))]);
            }
        return new Table(Table.Slug("precisions", dataset, metric), $"{dataset}: FA and RA at every precision ({metric})",
            Header, lines,
            [$"Metric: {metric}. Cells: mean ± sample std (n − 1) over seeds; a single seed shows its value.", ResultsTable.Floor(rows)],
            TextColumns: 2);
    }
}
