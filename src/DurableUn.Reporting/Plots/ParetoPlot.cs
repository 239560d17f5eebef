using DurableUn.Statistics;
using ScottPlot;

namespace DurableUn.Reporting;

/// <summary>
/// The sweep's trilemma in one picture (claim 3): each run at (FA, RA), coloured by Q-INT4 (viridis: dark = low,
/// the good end), Pareto-front runs ringed in red and certified runs crossed. The front is taken here with
/// <see cref="ParetoFront.Of"/> over all three objectives, so a ringed point may look dominated in this 2-D view
/// when it wins on Q-INT4.
/// Not: the hyperparameters of each run (see <see cref="SweepTable"/>).
/// </summary>
public static class ParetoPlot
{
    public static Figure Build(SweepReport sweep)
    {
        var points = sweep.Runs.Select(r => r.Point).ToList();
        var plot = PlotCanvas.Create($"{sweep.Dataset} / {sweep.Method}: FA–RA–Q-INT4 trade-off", "FA (bf16) ↓", "RA (bf16) ↑");
        var scale = new ColorScale(new ScottPlot.Colormaps.Viridis(), points.Min(p => p.QInt4), points.Max(p => p.QInt4));

        foreach (var p in points)
            plot.Add.Marker(p.ForgetAccuracy, p.RetainAccuracy, MarkerShape.FilledCircle, 10, scale.ColorOf(p.QInt4));

        var front = ParetoFront.Of(points);
        var ring = plot.Add.Markers(front.Select(p => p.ForgetAccuracy).ToArray(), front.Select(p => p.RetainAccuracy).ToArray(),
            MarkerShape.OpenCircle, 18, Colors.Red);
        ring.LegendText = "Pareto front";
        ring.MarkerLineWidth = 2;

        var certified = sweep.Runs.Where(r => r.Certified).Select(r => r.Point).ToList();
        if (certified.Count > 0)
        {
            var cross = plot.Add.Markers(certified.Select(p => p.ForgetAccuracy).ToArray(), certified.Select(p => p.RetainAccuracy).ToArray(),
                MarkerShape.Eks, 12, Colors.Black);
            cross.LegendText = "certified";
            cross.MarkerLineWidth = 2;
        }

        var bar = plot.Add.ColorBar(scale, Edge.Right);
        bar.Label = "Q-INT4 ↓";
        plot.ShowLegend(Alignment.LowerRight);

        return PlotCanvas.Export(plot, Table.Slug("pareto", sweep.Dataset, sweep.Method), $"{sweep.Dataset} / {sweep.Method}: Pareto scatter",
            $"{points.Count} sweep runs; colour = Q-INT4 ({SeedSummary.Number(scale.Min)} dark to {SeedSummary.Number(scale.Max)} yellow); " +
            $"red rings: the {front.Count} runs on the 3-objective Pareto front; crosses: certified runs ({certified.Count}).");
    }
}
