using System.Text;

namespace DurableUn.Reporting;

/// <summary>
/// report.html: one self-contained file (an inline stylesheet, every plot as inline SVG; no script, no link, no
/// font or image fetched), so it opens offline and can be mailed or archived as it is.
/// Not: interactivity (no JavaScript), or a table of contents.
/// </summary>
public static class HtmlReport
{
    /// Plots sit two to a row at 1200 px and wrap on narrow screens; number columns align right for comparison.
    private const string Style = """
        body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #111; background: #fff; }
        h1 { font-size: 24px; } h2 { font-size: 20px; border-bottom: 1px solid #ccc; margin-top: 32px; }
        table { border-collapse: collapse; margin: 12px 0 4px; font-size: 13px; }
        caption { text-align: left; font-weight: bold; padding: 4px 0; }
        th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid #333; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .note { font-size: 12px; color: #555; margin: 2px 0; }
        figure { display: inline-block; margin: 8px; width: 560px; vertical-align: top; }
        figure svg { width: 100%; height: auto; }
        figcaption { font-size: 12px; color: #333; }
        """;

    public static string Render(ReportDocument document)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
          .Append(HtmlTable.Encode(document.Title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        sb.Append("<h1>").Append(HtmlTable.Encode(document.Title)).Append("</h1>\n");
        foreach (var line in document.Preamble) sb.Append("<p>").Append(HtmlTable.Encode(line)).Append("</p>\n");
        foreach (var section in document.Sections)
        {
            sb.Append("<section>\n<h2>").Append(HtmlTable.Encode(section.Title)).Append("</h2>\n");
            foreach (var block in section.Blocks)
            {
                switch (block)
                {
                    case Paragraph p:
                        sb.Append("<p>").Append(HtmlTable.Encode(p.Text)).Append("</p>\n");
                        break;
                    case TableBlock t:
                        sb.Append(HtmlTable.Render(t.Table));
                        break;
                    case FigureBlock f:
                        sb.Append("<figure id=\"fig-").Append(f.Figure.Id).Append("\">\n").Append(ViewBoxed(f.Figure.Svg))
                          .Append("\n<figcaption>").Append(HtmlTable.Encode(f.Figure.Caption)).Append("</figcaption>\n</figure>\n");
                        break;
                }
            }
            sb.Append("</section>\n");
        }
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// ScottPlot writes a fixed width and height; a viewBox lets the figure scale to the column's width instead.
    private static string ViewBoxed(string svg) =>
        svg.Replace($"width=\"{PlotCanvas.Width}\" height=\"{PlotCanvas.Height}\">",
            $"viewBox=\"0 0 {PlotCanvas.Width} {PlotCanvas.Height}\" width=\"{PlotCanvas.Width}\" height=\"{PlotCanvas.Height}\">");
}
