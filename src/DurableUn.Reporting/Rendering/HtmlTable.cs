using System.Net;
using System.Text;

namespace DurableUn.Reporting;

/// <summary>
/// A <see cref="Table"/> as an HTML table with a caption, number columns classed "num" (right-aligned by the
/// report's stylesheet), and notes in a paragraph below. All text is HTML-encoded: item questions are user data.
/// Not: styling; <see cref="HtmlReport"/> holds the one inline stylesheet.
/// </summary>
public static class HtmlTable
{
    public static string Render(Table table)
    {
        var sb = new StringBuilder();
        sb.Append("<table id=\"").Append(table.Id).Append("\">\n<caption>").Append(Encode(table.Title)).Append("</caption>\n<thead><tr>");
        for (var i = 0; i < table.Header.Count; i++)
            sb.Append(i < table.TextColumns ? "<th>" : "<th class=\"num\">").Append(Encode(table.Header[i])).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            sb.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
                sb.Append(i < table.TextColumns ? "<td>" : "<td class=\"num\">").Append(Encode(row[i])).Append("</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody>\n</table>\n");
        foreach (var note in table.Notes) sb.Append("<p class=\"note\">").Append(Encode(note)).Append("</p>\n");
        return sb.ToString();
    }

    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}
