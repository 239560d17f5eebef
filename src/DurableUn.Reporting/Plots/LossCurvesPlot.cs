using ScottPlot;

namespace DurableUn.Reporting;

/// <summary>
/// Training and unlearning loss per optimizer step: one plot per dataset (the curve name's part before the first
/// '/'), one line per curve, legend = the rest of the name ("target", "npo/seed0"). Unlearning losses are often
/// negative (gradient ascent), so the y axis is not clamped at zero.
/// Not: learning-rate curves or smoothing.
/// </summary>
public static class LossCurvesPlot
{
    public static IReadOnlyList<Figure> Build(IReadOnlyList<LossCurve> curves) =>
        curves.Where(c => c.Points.Count > 0)
            .GroupBy(c => Prefix(c.Name))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Plot(g.Key, g.OrderBy(c => c.Name, StringComparer.Ordinal).ToList()))
            .ToList();

    private static Figure Plot(string group, IReadOnlyList<LossCurve> curves)
    {
        var plot = PlotCanvas.Create($"{group}: loss curves", "optimizer step", "loss");
        for (var i = 0; i < curves.Count; i++)
        {
            var line = plot.Add.ScatterLine(
                curves[i].Points.Select(p => (double)p.Step).ToArray(), curves[i].Points.Select(p => p.Loss).ToArray(),
                PlotCanvas.Palette.GetColor(i));
            line.LineWidth = 2;
            line.LegendText = curves[i].Name.Length > group.Length ? curves[i].Name[(group.Length + 1)..] : curves[i].Name;
        }
        plot.ShowLegend(Alignment.UpperRight);
        return PlotCanvas.Export(plot, Table.Slug("loss", group), $"{group}: loss curves",
            $"Loss per optimizer step for {curves.Count} run(s) on {group}.");
    }

    private static string Prefix(string name) => name.Split('/')[0];
}
