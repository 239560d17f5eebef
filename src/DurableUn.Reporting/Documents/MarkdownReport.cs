using System.Text;

namespace DurableUn.Reporting;

/// <summary>
/// report.md: the title, the preamble, then each section with its tables as pipe tables and its figures as
/// images linking plots/{id}.svg next to the file, each followed by its caption.
/// Not: inlining the SVG (Markdown viewers disagree on inline SVG; report.html inlines them).
/// </summary>
public static class MarkdownReport
{
    public static string Render(ReportDocument document)
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(MarkdownTable.Escape(document.Title)).Append("\n\n");
        foreach (var line in document.Preamble) sb.Append(MarkdownTable.Escape(line)).Append("\n\n");
        foreach (var section in document.Sections)
        {
            sb.Append("## ").Append(MarkdownTable.Escape(section.Title)).Append("\n\n");
            foreach (var block in section.Blocks)
            {
                switch (block)
                {
                    case Paragraph p:
                        sb.Append(MarkdownTable.Escape(p.Text)).Append("\n\n");
                        break;
                    case TableBlock t:
                        sb.Append("### ").Append(MarkdownTable.Escape(t.Table.Title)).Append("\n\n").Append(MarkdownTable.Render(t.Table)).Append('\n');
                        break;
                    case FigureBlock f:
                        sb.Append("![").Append(MarkdownTable.Escape(f.Figure.Title)).Append("](plots/").Append(f.Figure.Id).Append(".svg)\n\n")
                          .Append('*').Append(MarkdownTable.Escape(f.Figure.Caption)).Append("*\n\n");
                        break;
                }
            }
        }
        return sb.ToString();
    }
}
