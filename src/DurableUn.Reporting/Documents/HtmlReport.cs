using System.Text;
using System.Text.RegularExpressions;

namespace DurableUn.Reporting;

/// <summary>
/// report.html: one self-contained file (an inline stylesheet, every plot as inline SVG; no script, no link, no
/// font or image fetched), so it opens offline and can be mailed or archived as it is. Under the title, one line of
/// links to the sections (the table of contents), then the summary, so the first screen holds the findings.
/// Not: interactivity (no JavaScript; tables are scanned, not sorted).
/// </summary>
public static partial class HtmlReport
{
    /// Tables: the header row sticks to the top of the window while a long table scrolls under it, rows are striped
    /// and numbers align right in tabular figures, so a column can be scanned. Plots take the text column's width
    /// (up to 960 px, where their 12 px labels print at about their own size).
    private const string Style = """
        body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #111; background: #fff; max-width: 1400px; }
        h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 20px; border-bottom: 1px solid #ccc; margin-top: 32px; }
        nav.contents { font-size: 13px; margin-bottom: 12px; } nav.contents a { margin-right: 12px; }
        table { border-collapse: collapse; margin: 12px 0 4px; font-size: 13px; }
        caption { text-align: left; font-weight: bold; padding: 4px 0; }
        th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid #333; position: sticky; top: 0; background: #fff; z-index: 1; }
        tbody tr:nth-child(even) { background: #f6f6f6; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .note { font-size: 12px; color: #555; margin: 2px 0; }
        table[id^="summary"] td:nth-child(1) { min-width: 180px; }
        table[id^="summary"] td:nth-child(2) { font-weight: bold; white-space: nowrap; }
        figure { display: block; margin: 12px 0; max-width: 960px; }
        figure svg { width: 100%; height: auto; }
        figcaption { font-size: 12px; color: #333; }
        """;

    public static string Render(ReportDocument document)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
          .Append(HtmlTable.Encode(document.Title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        sb.Append("<h1>").Append(HtmlTable.Encode(document.Title)).Append("</h1>\n");
        sb.Append("<nav class=\"contents\">Contents: ");
        foreach (var section in document.Sections)
            sb.Append("<a href=\"#").Append(SectionId(section)).Append("\">").Append(HtmlTable.Encode(section.Title)).Append("</a>");
        sb.Append("</nav>\n");
        foreach (var line in document.Preamble) sb.Append("<p>").Append(HtmlTable.Encode(line)).Append("</p>\n");
        foreach (var section in document.Sections)
        {
            sb.Append("<section id=\"").Append(SectionId(section)).Append("\">\n<h2>").Append(HtmlTable.Encode(section.Title)).Append("</h2>\n");
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

    /// Section anchors: "sec-" and the title's slug, unique because section titles are.
    public static string SectionId(Section section) => "sec-" + Table.Slug(section.Title);

    /// ScottPlot writes a fixed width and height on the root element; a viewBox lets the figure scale to the
    /// column's width instead, keeping its shape (plots differ in height: one row per method and precision).
    private static string ViewBoxed(string svg) =>
        RootSize().Replace(svg, m => $"viewBox=\"0 0 {m.Groups[1].Value} {m.Groups[2].Value}\" {m.Value}", 1);

    [GeneratedRegex("width=\"(\\d+)\" height=\"(\\d+)\"")] private static partial Regex RootSize();
}
