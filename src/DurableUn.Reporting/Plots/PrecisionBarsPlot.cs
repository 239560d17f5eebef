using DurableUn.Deployment;
using DurableUn.Runs;
using ScottPlot;

namespace DurableUn.Reporting;

/// <summary>
/// FA by precision for one dataset under one metric, as horizontal bars so that method names read along the left axis
/// and never overlap however many methods there are: a band per method (target first at the top, retain last), a bar
/// per precision in a fixed colour, length = mean over seeds, error bar = sample std over seeds (none for one seed). A
/// dashed line marks the floor (retain model's FA at bf16) and a dotted one the audit target, so recovery above the
/// floor and past the audit is visible at a glance (claims 1 and 2). The plot grows with the number of bars.
/// Not: RA (the tables carry it); missing cells simply have no bar.
/// </summary>
public static class PrecisionBarsPlot
{
    public static Figure Build(IReadOnlyList<MethodRow> rows, string dataset, string metric, double? auditTarget = null)
    {
        var precisions = RowOrder.Precisions(rows.SelectMany(r => r.Precisions));
        var plot = PlotCanvas.Create($"{dataset}: forget accuracy by precision", $"FA ({metric})", "");

        for (var p = 0; p < precisions.Count; p++)
        {
            var bars = new List<Bar>();
            for (var g = 0; g < rows.Count; g++)
                if (rows[g].Fa(precisions[p]) is { } fa)
                    bars.Add(new Bar
                    {
                        Position = PlotCanvas.SlotY(rows.Count, g, precisions.Count, p),
                        Value = fa.Mean,
                        Error = fa.StandardDeviation,
                        FillColor = PlotCanvas.Palette.GetColor(p),
                        Size = 0.8,
                    });
            var series = plot.Add.Bars(bars);
            series.Horizontal = true;
            series.LegendText = precisions[p].Name;
            series.Color = PlotCanvas.Palette.GetColor(p);
        }

        PlotCanvas.MethodTicks(plot, rows.Select(r => r.Label).ToList(), precisions.Count);
        if (rows.FirstOrDefault(r => r.Method.Role == ModelRole.Retain)?.Fa(Precision.Bf16) is { } floor)
        {
            var line = plot.Add.VerticalLine(floor.Mean, 1.5f, Colors.Black, LinePattern.Dashed);
            line.LegendText = $"floor (retain, bf16) {SeedSummary.Number(floor.Mean)}";
        }
        if (auditTarget is { } eps)
        {
            var line = plot.Add.VerticalLine(eps, 1.5f, Colors.DarkRed, LinePattern.Dotted);
            line.LegendText = $"audit target ε {SeedSummary.Number(eps)}";
        }
        plot.Axes.Margins(left: 0);
        plot.ShowLegend(Edge.Right);

        return PlotCanvas.Export(plot, Table.Slug("fa-by-precision", dataset, metric), $"{dataset}: FA by precision",
            $"Forget accuracy ({metric}) per method and precision, mean over seeds with sample-std error bars (none for one seed); " +
            "dashed line: the floor; dotted line: the audit target.",
            PlotCanvas.HeightFor(rows.Count * (precisions.Count + 1)));
    }
}
