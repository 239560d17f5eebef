using ScottPlot;

namespace DurableUn.Reporting;

/// <summary>
/// Recovery factor (FA_int4 / FA_bf16, see <see cref="Recovery"/>) as a method × dataset heatmap under one metric,
/// each cell labelled with its value. Claim 2 says harder datasets recover more: that reads along a row. Cells
/// with no factor (unmeasured, 0/0) and infinite ones are drawn grey and labelled "—" or "∞", since a colour
/// scale has no place for infinity.
/// Returns null when no cell has a factor at all (no method measured at both bf16 and int4 yet).
/// Not: spread over seeds (the factor is a ratio of means).
/// </summary>
public static class RecoveryHeatmapPlot
{
    public static Figure? Build(IReadOnlyList<MethodRow> rows, string metric)
    {
        var datasets = rows.Select(r => r.Dataset).Distinct().Order(StringComparer.Ordinal).ToList();
        var methods = rows.Select(r => r.Label).Distinct().ToList();
        var values = new double[methods.Count, datasets.Count];
        for (var m = 0; m < methods.Count; m++)
            for (var d = 0; d < datasets.Count; d++)
                values[m, d] = rows.FirstOrDefault(r => r.Label == methods[m] && r.Dataset == datasets[d]) is { } row
                    ? Recovery.Factor(row.Fa(RowOrder.Bf16), row.Fa(RowOrder.Int4)) ?? double.NaN
                    : double.NaN;

        if (values.Cast<double>().All(double.IsNaN)) return null;

        var plot = PlotCanvas.Create($"Recovery factor FA_int4 / FA_bf16 ({metric})", "dataset", "method");
        var finite = new double[methods.Count, datasets.Count];
        for (var m = 0; m < methods.Count; m++)
            for (var d = 0; d < datasets.Count; d++)
                finite[m, d] = double.IsFinite(values[m, d]) ? values[m, d] : double.NaN;
        var heatmap = plot.Add.Heatmap(finite);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.NaNCellColor = Colors.LightGray;
        // Row m spans y ∈ [rows−m−1, rows−m] so the first method sits at the top, as in the tables.
        if (finite.Cast<double>().All(double.IsNaN)) heatmap.ManualRange = new ScottPlot.Range(0, 1);   // only ∞ cells: any scale will do
        heatmap.Extent = new CoordinateRect(0, datasets.Count, 0, methods.Count);
        plot.Add.ColorBar(heatmap, Edge.Right);

        for (var m = 0; m < methods.Count; m++)
            for (var d = 0; d < datasets.Count; d++)
            {
                var text = plot.Add.Text(Recovery.Format(double.IsNaN(values[m, d]) ? null : values[m, d]), d + 0.5, methods.Count - m - 0.5);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontSize = 14;
                text.LabelFontColor = Colors.White;
                text.LabelBackgroundColor = Colors.Black.WithAlpha(0.5);
                text.LabelFontName = PlotCanvas.FontName;
            }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            datasets.Select((d, i) => new Tick(i + 0.5, d, true)).ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            methods.Select((name, m) => new Tick(methods.Count - m - 0.5, name, true)).ToArray());
        plot.Axes.SetLimits(0, datasets.Count, 0, methods.Count);
        plot.HideGrid();

        return PlotCanvas.Export(plot, Table.Slug("recovery-heatmap", metric), "Recovery factor by method and dataset",
            $"FA_int4 / FA_bf16 ({metric}), ratio of seed means. Grey: no factor (— unmeasured or 0/0, ∞ when FA_bf16 = 0).");
    }
}
