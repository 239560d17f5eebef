using ScottPlot;

namespace DurableUn.Reporting;

/// <summary>
/// Claim 4, the phase transition: RA against Q-INT4 over the sweep's runs, with the fitted step from
/// <see cref="ChangePoint"/> drawn as its two segment means, a dashed line at the change point and a shaded band
/// for its bootstrap interval. Without a fit (too few runs) the points are drawn alone and the caption says so.
/// Not: the fit itself (it arrives in <see cref="SweepReport.ChangePoint"/>).
/// </summary>
public static class PhaseTransitionPlot
{
    public static Figure Build(SweepReport sweep)
    {
        var points = sweep.Runs.Select(r => r.Point).ToList();
        var plot = PlotCanvas.Create($"{sweep.Dataset} / {sweep.Method}: RA against Q-INT4", "Q-INT4 (FA at int4)", "RA (bf16)");
        var runs = plot.Add.ScatterPoints(points.Select(p => p.QInt4).ToArray(), points.Select(p => p.RetainAccuracy).ToArray(), PlotCanvas.Palette.GetColor(0));
        runs.MarkerSize = 8;
        runs.LegendText = "sweep runs";

        string caption;
        if (sweep.ChangePoint is { } cp)
        {
            if (double.IsFinite(cp.LocationLow) && double.IsFinite(cp.LocationHigh))
            {
                var band = plot.Add.HorizontalSpan(cp.LocationLow, cp.LocationHigh, PlotCanvas.Palette.GetColor(1).WithAlpha(0.2));
                band.LegendText = "change point interval";
            }
            var at = plot.Add.VerticalLine(cp.Fit.Location, 2, PlotCanvas.Palette.GetColor(1), LinePattern.Dashed);
            at.LegendText = "change point";
            double minX = points.Min(p => p.QInt4), maxX = points.Max(p => p.QInt4);
            var left = plot.Add.Line(minX, cp.Fit.LeftMean, cp.Fit.Location, cp.Fit.LeftMean);
            var right = plot.Add.Line(cp.Fit.Location, cp.Fit.RightMean, maxX, cp.Fit.RightMean);
            foreach (var segment in new[] { left, right })
            {
                segment.Color = PlotCanvas.Palette.GetColor(3);
                segment.LineWidth = 2;
            }
            left.LegendText = "segment means";
            caption = $"Change point at Q-INT4 = {SeedSummary.Number(cp.Fit.Location)} " +
                      $"(interval {SeedSummary.Number(cp.LocationLow)}–{SeedSummary.Number(cp.LocationHigh)}, {cp.BootstrapFitsUsed} bootstrap fits); " +
                      $"RA {SeedSummary.Number(cp.Fit.LeftMean)} left of it, {SeedSummary.Number(cp.Fit.RightMean)} right; " +
                      $"permutation p = {SeedSummary.Number(cp.PValueNoStep)} for no step.";
        }
        else caption = "No change point was fitted for this sweep.";
        plot.ShowLegend(Alignment.LowerRight);

        return PlotCanvas.Export(plot, Table.Slug("phase-transition", sweep.Dataset, sweep.Method),
            $"{sweep.Dataset} / {sweep.Method}: phase transition", caption);
    }
}
