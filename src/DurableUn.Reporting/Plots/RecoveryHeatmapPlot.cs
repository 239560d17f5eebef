using DurableUn.Deployment;
using ScottPlot;

namespace DurableUn.Reporting;

/// <summary>
/// Recovery factor (FA_int4 / FA_bf16, see <see cref="Recovery"/>) as a method × dataset heatmap under one metric,
/// each cell labelled with its value. Claim 2 says harder datasets recover more: that reads along a row. Cells
/// with no factor (unmeasured, 0/0) and infinite ones are drawn grey and labelled "—" or "∞", since a colour
/// scale has no place for infinity. Cells are ScottPlot rectangles rather than its bitmap Heatmap: Skia's SVG
/// backend places that bitmap at twice its size, and Chromium showed the inlined plot blank.
/// Returns null when no cell has a factor at all (no method measured at both bf16 and int4 yet).
/// Not: spread over seeds (the factor is a ratio of means).
/// </summary>
public static class RecoveryHeatmapPlot
{
    public static Figure? Build(IReadOnlyList<MethodRow> rows, string metric)
    {
        var datasets = rows.Select(r => r.Dataset).Distinct().Order(StringComparer.Ordinal).ToList();
        var methods = rows.Select(r => r.Label).Distinct().ToList();
        double? FactorAt(int m, int d) => rows.FirstOrDefault(r => r.Label == methods[m] && r.Dataset == datasets[d]) is { } row
            ? Recovery.Factor(row.Fa(Precision.Bf16), row.Fa(Precision.Int4))
            : null;
        var cells = (from m in Enumerable.Range(0, methods.Count) from d in Enumerable.Range(0, datasets.Count)
                     select (m, d, factor: FactorAt(m, d))).ToList();
        if (cells.All(c => c.factor is null)) return null;

        var finite = cells.Where(c => c.factor is { } f && double.IsFinite(f)).Select(c => c.factor!.Value).ToList();
        var scale = new ColorScale(new ScottPlot.Colormaps.Viridis(), finite.DefaultIfEmpty(1).Min(), finite.DefaultIfEmpty(1).Max());
        var plot = PlotCanvas.Create($"Recovery factor FA_int4 / FA_bf16 ({metric})", "dataset", "method");
        foreach (var (m, d, factor) in cells)
        {
            // Row m spans y ∈ [rows − m − 1, rows − m], so the first method sits at the top, as in the tables.
            var top = methods.Count - m;
            var cell = plot.Add.Rectangle(d, d + 1, top - 1, top);
            cell.FillColor = factor is { } f && double.IsFinite(f) ? scale.ColorOf(f) : Colors.LightGray;
            cell.LineColor = Colors.White;
            var text = plot.Add.Text(Recovery.Format(factor), d + 0.5, top - 0.5);
            text.Alignment = Alignment.MiddleCenter;
            text.LabelFontSize = 14;
            text.LabelFontColor = Colors.White;
            text.LabelBackgroundColor = Colors.Black.WithAlpha(0.5);
            text.LabelFontName = PlotCanvas.FontName;
        }
        plot.Add.ColorBar(scale, Edge.Right);
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
