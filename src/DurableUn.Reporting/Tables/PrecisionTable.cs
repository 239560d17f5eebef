using System.Globalization;
using DurableUn.Experiments.Results;

namespace DurableUn.Reporting;

/// <summary>
/// The long table for one dataset under one metric: a row per (method, precision) for every precision the
/// records name (bf16, int8, int4, nf4, merged-nf4, ...), with FA and RA as mean ± sample std over seeds.
/// Long rather than wide because the set of precisions is open and a wide table of ten of them does not fit a page.
/// When any row recorded them, the answer probability and ROUGE-L recall of forget and retain sets follow (mean over
/// the seeds that have them); otherwise a note says they were not recorded.
/// Not: ratios or certificates (see <see cref="ResultsTable"/>).
/// </summary>
public static class PrecisionTable
{
    public static readonly IReadOnlyList<string> Header = ["Method", "Precision", "Seeds", "FA", "RA"];

    public static Table Build(IReadOnlyList<CellRecord> cells, string dataset, string metric)
    {
        var lines = new List<IReadOnlyList<string>>();
        var rows = MethodRow.Of(cells, dataset, metric);
        var group = rows.SelectMany(r => r.Cells).ToList();
        var extra = Extra.Where(e => group.Any(c => e.Value(c) is not null)).ToList();
        foreach (var row in rows)
            foreach (var precision in row.Precisions)
            {
                var fa = row.Fa(precision);
                var at = row.Cells.Where(c => c.Precision == precision).ToList();
                lines.Add([row.Label, precision.Name, (fa?.Count ?? 0).ToString(CultureInfo.InvariantCulture),
                    SeedSummary.Format(fa), SeedSummary.Format(row.Ra(precision)),
                    .. extra.Select(e => SeedSummary.Format(SeedSummary.Of(at.Select(e.Value).OfType<double>().ToList())))]);
            }
        var missing = Extra.Except(extra).Select(e => e.Header).ToList();
        return new Table(Table.Slug("precisions", dataset, metric), $"{dataset}: FA and RA at every precision ({metric})",
            [.. Header, .. extra.Select(e => e.Header)], lines,
            [
                $"Metric: {metric}. Cells: mean ± sample std (n − 1) over seeds; a single seed shows its value.", ResultsTable.Floor(rows),
                .. missing.Count == 0 ? Array.Empty<string>() : [$"Not recorded in these rows: {string.Join(", ", missing)}."],
            ],
            TextColumns: 2);
    }

    /// The other per-row numbers of a record, each shown only when some row of the table has it.
    private static readonly IReadOnlyList<(string Header, Func<CellRecord, double?> Value)> Extra =
    [
        ("FA prob", c => c.FaProb), ("RA prob", c => c.RaProb), ("FA ROUGE-L", c => c.FaRouge), ("RA ROUGE-L", c => c.RaRouge),
    ];
}
