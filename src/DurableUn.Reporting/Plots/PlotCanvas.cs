using System.Text.RegularExpressions;
using ScottPlot;

namespace DurableUn.Reporting;

/// <summary>
/// Shared look and export of every ScottPlot figure: one size, one font, one palette, SVG and PNG from the same plot.
/// The SVG is post-processed in two ways: the XML declaration goes (it is invalid inside HTML), and every element id
/// is renumbered "{figure id}-{n}" in order of appearance. ScottPlot numbers clip paths from a process-wide counter
/// ("cl_4"), so without this the same input would give different bytes on a second run, and two figures inlined in
/// one page would clip each other's data (url(#id) resolves to the first element with that id in the document).
/// Not: plot content (each builder in this folder owns one kind of figure).
/// </summary>
internal static partial class PlotCanvas
{
    public const int Width = 800;
    public const int Height = 450;
    /// DejaVu Sans is what Debian's fonts-dejavu-core installs, the one font package SkiaSharp's text needs on CI.
    public const string FontName = "DejaVu Sans";
    /// Tableau's Category10: distinguishable, colour-blind-tolerant, and a fixed colour per series index.
    public static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    public static Plot Create(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    public static Figure Export(Plot plot, string id, string title, string caption, int height = Height)
    {
        var svg = Renumber(plot.GetSvgXml(Width, height), id);
        var png = plot.GetImageBytes(Width, height, ImageFormat.Png);
        return new Figure(id, title, caption, svg, png);
    }

    /// Pixels per bar (or per marker row) in the plots with one row per method and precision. A method's band is
    /// (precisions + 1) rows, so with even one precision its 12 px tick label has 20 px to itself; more would only
    /// stretch the 16-method plots past a screen.
    public const int RowPixels = 10;

    /// Height of a plot with <paramref name="slots"/> rows of <see cref="RowPixels"/>, plus room for title, axis and
    /// legend; never below the standard height, so small plots keep the common shape.
    public static int HeightFor(int slots) => Math.Max(Height, 140 + slots * RowPixels);

    /// Method names on the left axis, one per band of <paramref name="band"/> slots, the first method at the top.
    public static void MethodTicks(Plot plot, IReadOnlyList<string> labels, int band)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            labels.Select((label, g) => new Tick(BandCentre(labels.Count, g, band), label, true)).ToArray());
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
    }

    /// Y of slot <paramref name="slot"/> (0 = top) in band <paramref name="g"/> of <paramref name="bands"/>, one empty slot between bands.
    public static double SlotY(int bands, int g, int band, int slot) => (bands - 1 - g) * (band + 1) + (band - 1 - slot);

    public static double BandCentre(int bands, int g, int band) => (bands - 1 - g) * (band + 1) + (band - 1) / 2.0;

    internal static string Renumber(string svg, string prefix)
    {
        svg = XmlDeclaration().Replace(svg, "");
        var ids = IdAttribute().Matches(svg).Select(m => m.Groups[1].Value).Distinct().ToList();
        var names = ids.Select((old, i) => (old, fresh: $"{prefix}-{i}")).ToDictionary(p => p.old, p => p.fresh);
        svg = IdAttribute().Replace(svg, m => $"id=\"{names[m.Groups[1].Value]}\"");
        return Reference().Replace(svg, m => names.TryGetValue(m.Groups[2].Value, out var fresh) ? $"{m.Groups[1].Value}#{fresh}" : m.Value);
    }

    [GeneratedRegex(@"^\s*<\?xml[^>]*\?>\s*")] private static partial Regex XmlDeclaration();
    [GeneratedRegex("\\bid=\"([^\"]+)\"")] private static partial Regex IdAttribute();
    [GeneratedRegex("(url\\(|href=\")#([^)\"]+)")] private static partial Regex Reference();
}
