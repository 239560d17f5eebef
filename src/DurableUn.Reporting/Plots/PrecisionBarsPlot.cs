using DurableUn.Deployment;
using DurableUn.Runs;
using ScottPlot;

namespace DurableUn.Reporting;

/// <summary>
/// FA by precision for one dataset under one metric: a group of bars per method (target first, retain last), a bar
/// per precision in a fixed colour, height = mean over seeds, error bar = sample std (none for one seed). A dashed
/// line marks the floor (retain model's FA at bf16), so recovery above it is visible at a glance (claims 1 and 2).
/// Not: RA (the tables carry it); missing cells simply have no bar.
/// </summary>
public static class PrecisionBarsPlot
{
    public static Figure Build(IReadOnlyList<MethodRow> rows, string dataset, string metric)
    {
        var precisions = RowOrder.Precisions(rows.SelectMany(r => r.Precisions));
        var plot = PlotCanvas.Create($"{dataset}: forget accuracy by precision", "method", $"FA ({metric})");
        var groupWidth = precisions.Count + 1;                         // one empty slot between groups

        for (var p = 0; p < precisions.Count; p++)
        {
            var bars = new List<Bar>();
            for (var g = 0; g < rows.Count; g++)
                if (rows[g].Fa(precisions[p]) is { } fa)
                    bars.Add(new Bar
                    {
                        Position = g * groupWidth + p,
                        Value = fa.Mean,
                        Error = fa.StandardDeviation,
                        FillColor = PlotCanvas.Palette.GetColor(p),
                    });
            var series = plot.Add.Bars(bars);
            series.LegendText = precisions[p].Name;
            series.Color = PlotCanvas.Palette.GetColor(p);
        }

        var ticks = rows.Select((r, g) => new Tick(g * groupWidth + (precisions.Count - 1) / 2.0, r.Label, true)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        if (rows.FirstOrDefault(r => r.Method.Role == ModelRole.Retain)?.Fa(Precision.Bf16) is { } floor)
        {
            var line = plot.Add.HorizontalLine(floor.Mean, 1.5f, Colors.Black, LinePattern.Dashed);
            line.LegendText = "floor (retain, bf16)";
        }
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);

        return PlotCanvas.Export(plot, Table.Slug("fa-by-precision", dataset, metric), $"{dataset}: FA by precision",
            $"Forget accuracy ({metric}) per method and precision, mean over seeds with sample-std error bars; dashed line: the floor.");
    }
}
