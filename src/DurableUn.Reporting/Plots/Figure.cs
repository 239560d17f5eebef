namespace DurableUn.Reporting;

/// <summary>
/// A rendered plot: the SVG to inline in report.html and save as plots/{Id}.svg, the same plot as PNG for
/// readers that cannot show SVG, and a caption saying how to read it.
/// </summary>
/// <param name="Svg">Standalone SVG without the XML declaration; its element ids are prefixed with Id, so several
/// figures can be inlined in one page without their clip paths colliding.</param>
public sealed record Figure(string Id, string Title, string Caption, string Svg, byte[] Png);
