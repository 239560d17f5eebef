using ScottPlot;

namespace DurableUn.Reporting;

/// <summary>
/// A colormap stretched over a value range, in the shape ScottPlot's colour bar reads (<see cref="IHasColorAxis"/>),
/// for plots that colour their own markers or cells. A range of one value maps everything to the middle colour.
/// </summary>
internal sealed class ColorScale(IColormap colormap, double min, double max) : IHasColorAxis
{
    public IColormap Colormap { get; set; } = colormap;
    public double Min => min;
    public double Max => max;
    public ScottPlot.Range GetRange() => max > min ? new(min, max) : new(min - 0.5, max + 0.5);
    public Color ColorOf(double value) => Colormap.GetColor(max > min ? (value - min) / (max - min) : 0.5);
}
