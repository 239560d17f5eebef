using DurableUn.Deployment;
using DurableUn.Experiments.Results;
using ScottPlot;

namespace DurableUn.Reporting;

/// <summary>
/// Recovery on one benchmark under one metric (claims 1 and 2): for each unlearned method (a band, first at the top)
/// and each deployed precision other than bf16 (a row in the band, fixed colour), one marker per seed at
/// FA_p − FA_bf16, with the paired per-item 95 % interval as a horizontal bar when the row recorded one. A solid
/// line marks zero: markers right of it are facts the deployment brought back. Seeds are drawn one by one rather than
/// averaged, because each seed's interval is its own test.
/// Returns null when no unlearned model was measured at bf16 and another precision.
/// Not: the ratio FA_int4 / FA_bf16 (the heatmap and tables carry it, beside the floor).
/// </summary>
public static class RecoveryPlot
{
    public static Figure? Build(IReadOnlyList<CellRecord> cells, string dataset, string metric)
    {
        var group = cells.Where(c => c.Dataset == dataset && c.Metric == metric).ToList();
        var precisions = RowOrder.Precisions(group.Select(c => c.Precision)).Where(p => p != Precision.Bf16).ToList();
        var pairs = precisions.SelectMany(p => PrecisionPair.Of(group, p)).ToList();
        if (pairs.Count == 0) return null;
        var methods = MethodRow.Of(group, dataset, metric).Where(r => !r.Method.IsReference).ToList();

        var plot = PlotCanvas.Create($"{dataset}: recovery FA_p − FA_bf16", $"FA_p − FA_bf16 ({metric}); > 0: facts came back", "");
        var zero = plot.Add.VerticalLine(0, 1.5f, Colors.Black);
        zero.LegendText = "zero (no change)";
        for (var p = 0; p < precisions.Count; p++)
        {
            var colour = PlotCanvas.Palette.GetColor(p + 1);      // bf16 keeps colour 0 in the FA bars; int8, int4, ... match them
            var xs = new List<double>();
            var ys = new List<double>();
            var low = new List<double>();
            var high = new List<double>();
            for (var g = 0; g < methods.Count; g++)
            {
                var ofRow = pairs.Where(x => x.Deployed.Precision == precisions[p] && x.Deployed.Method == methods[g].Method && x.Deployed.Setting == methods[g].Setting)
                    .OrderBy(x => x.Deployed.Seed).ToList();
                for (var s = 0; s < ofRow.Count; s++)
                {
                    // Seeds spread over the middle 60 % of the row so their intervals do not hide each other.
                    var y = PlotCanvas.SlotY(methods.Count, g, precisions.Count, p) + (ofRow.Count == 1 ? 0 : 0.3 - 0.6 * s / (ofRow.Count - 1));
                    xs.Add(ofRow[s].Difference);
                    ys.Add(y);
                    var paired = ofRow[s].Paired;
                    low.Add(paired is null ? 0 : Math.Max(0, ofRow[s].Difference - paired.CiLow));
                    high.Add(paired is null ? 0 : Math.Max(0, paired.CiHigh - ofRow[s].Difference));
                }
            }
            if (xs.Count == 0) continue;
            var intervals = new ScottPlot.Plottables.ErrorBar(xs, ys, low, high, null, null) { Color = colour, LineWidth = 1.5f };
            plot.Add.Plottable(intervals);
            var markers = plot.Add.Markers(xs.ToArray(), ys.ToArray(), MarkerShape.FilledCircle, 8, colour);
            markers.LegendText = precisions[p].Name;
        }
        PlotCanvas.MethodTicks(plot, methods.Select(r => r.Label).ToList(), precisions.Count);
        plot.ShowLegend(Edge.Right);

        var withInterval = pairs.Count(x => x.Paired is not null);
        return PlotCanvas.Export(plot, Table.Slug("recovery", dataset, metric), $"{dataset}: recovery by precision",
            $"FA at each deployed precision minus FA bf16 ({metric}), one marker per unlearned model (seed); bars: the paired per-item 95 % " +
            $"interval ({withInterval} of {pairs.Count} rows recorded one{(withInterval == 0 ? ": no paired test recorded, so no interval is drawn" : "")}); " +
            "solid line: zero.",
            PlotCanvas.HeightFor(methods.Count * (precisions.Count + 1)));
    }
}
