using DurableUn.Deployment;
using DurableUn.Experiments.Results;
using DurableUn.Runs;

namespace DurableUn.Reporting;

/// <summary>
/// The cells behind one table row: one method at one setting on one dataset under one metric, every seed and
/// precision. Label is the method, with the setting added only when the method was run at more than one
/// setting on that dataset ("salun (published)"), so the usual single-setting table stays short.
/// Not: formatting; the table builders print what these summaries return.
/// </summary>
public sealed record MethodRow(string Dataset, string Metric, MeasuredModel Method, CellSetting Setting, string Label, IReadOnlyList<CellRecord> Cells)
{
    public SeedSummary? Fa(Precision precision) => SeedSummary.Of(At(precision).Select(c => c.Fa).ToList());
    public SeedSummary? Ra(Precision precision) => SeedSummary.Of(At(precision).Select(c => c.Ra).ToList());
    public int Seeds => Cells.Select(c => c.Seed).Distinct().Count();
    public IReadOnlyList<Precision> Precisions => RowOrder.Precisions(Cells.Select(c => c.Precision));

    private IEnumerable<CellRecord> At(Precision precision) => Cells.Where(c => c.Precision == precision);

    /// The (dataset, metric) pairs present, each of which gets its own tables: numbers under two metrics never share a column.
    public static IReadOnlyList<(string Dataset, string Metric)> Groups(IReadOnlyList<CellRecord> cells)
    {
        RejectDuplicates(cells);
        return cells.Select(c => (c.Dataset, c.Metric)).Distinct()
            .OrderBy(g => g.Dataset, StringComparer.Ordinal).ThenBy(g => g.Metric, StringComparer.Ordinal).ToList();
    }

    /// Rows of one (dataset, metric) group in <see cref="RowOrder"/>: target, methods by name, retain.
    public static IReadOnlyList<MethodRow> Of(IReadOnlyList<CellRecord> cells, string dataset, string metric)
    {
        var group = cells.Where(c => c.Dataset == dataset && c.Metric == metric).ToList();
        var settingsPerMethod = group.GroupBy(c => c.Method).ToDictionary(g => g.Key, g => g.Select(c => c.Setting).Distinct().Count());
        return group.GroupBy(c => (c.Method, c.Setting))
            .ByMethod(g => g.Key.Method).ThenBy(g => g.Key.Setting.Name, StringComparer.Ordinal)
            .Select(g => new MethodRow(dataset, metric, g.Key.Method, g.Key.Setting,
                settingsPerMethod[g.Key.Method] > 1 ? $"{g.Key.Method} ({g.Key.Setting})" : g.Key.Method.Name,
                g.ToList()))
            .ToList();
    }

    /// Two records for the same model and precision would silently weigh one run twice in a mean: refuse them.
    private static void RejectDuplicates(IReadOnlyList<CellRecord> cells)
    {
        var duplicate = cells.GroupBy(c => (c.Dataset, c.Method, c.Setting, c.Seed, c.Precision, c.Metric))
            .FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Report: {duplicate.Count()} result records for the same cell {duplicate.Key}; merge or delete the extra ones.");
    }
}
