using DurableUn.Reporting;
using static DurableUn.Tests.Reporting.ReportFixtures;

namespace DurableUn.Tests.Reporting;

/// <summary>
/// The figures render through ScottPlot to SVG and PNG with their text and colours. Text needs a font: on Debian
/// SkiaSharp finds fonts-dejavu-core's files; without any font the titles would be missing from the SVG.
/// </summary>
public class PlotTests
{
    [Fact]
    public void Precision_Bars_Should_Draw_One_Colour_Per_Precision_With_Text()
    {
        // Given the fixture's tofu rows (precisions bf16, int8, int4)
        var rows = MethodRow.Of(Cells(), "tofu", Metric);
        // When the grouped bar chart is drawn
        var figure = PrecisionBarsPlot.Build(rows, "tofu", Metric);
        // Then the SVG has the first three Category10 colours, the title and the method labels, and a PNG came out
        foreach (var colour in new[] { "#1F77B4", "#FF7F0E", "#2CA02C" }) Assert.Contains(colour, figure.Svg, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<text", figure.Svg);
        Assert.StartsWith("<svg", figure.Svg);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], figure.Png.Take(4));
    }

    [Fact]
    public void Every_Figure_Kind_Should_Render_From_Hand_Made_Records()
    {
        // Given the full fixture
        var rows = MethodRow.Of(Cells(), "tofu", Metric);
        // When each kind of figure is drawn
        Figure[] figures =
        [
            RecoveryHeatmapPlot.Build(rows, Metric)!, ParetoPlot.Build(Sweep()), PhaseTransitionPlot.Build(Sweep()),
            .. LossCurvesPlot.Build(Curves()),
        ];
        // Then each has SVG with text and a caption; the phase plot states the fitted change point
        Assert.All(figures, f => Assert.Contains("<text", f.Svg));
        Assert.Equal(["recovery-heatmap-answer_token_accuracy", "pareto-tofu-saf", "phase-transition-tofu-saf", "loss-tofu"], figures.Select(f => f.Id));
        Assert.StartsWith("Change point at Q-INT4 = 0.200", figures[2].Caption);   // midway between 0.05 and 0.35
    }

    [Fact]
    public void Svg_Ids_Should_Be_Renumbered_Under_The_Figure_Id()
    {
        // Given ScottPlot-style SVG with a process-counter clip path id
        const string svg = "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<svg><clipPath id=\"cl_17\"/><g clip-path=\"url(#cl_17)\"/></svg>";
        // When renumbered for figure "f"
        var fresh = PlotCanvas.Renumber(svg, "f");
        // Then the id is stable and unique to the figure, references follow, and the XML declaration is gone
        Assert.Equal("<svg><clipPath id=\"f-0\"/><g clip-path=\"url(#f-0)\"/></svg>", fresh);
    }
}
