using System.Text;

namespace DurableUn.Reporting;

/// <summary>
/// A <see cref="Table"/> as RFC 4180 CSV: a header line, one line per row, CRLF line ends; a field holding a comma,
/// a double quote, CR or LF is quoted with its quotes doubled. Cells are already invariant-culture text.
/// Not: the notes or title (CSV has no place for them; the Markdown and LaTeX tables carry them).
/// </summary>
public static class CsvTable
{
    public static string Render(Table table)
    {
        var sb = new StringBuilder();
        Line(sb, table.Header);
        foreach (var row in table.Rows) Line(sb, row);
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, IReadOnlyList<string> fields) =>
        sb.Append(string.Join(",", fields.Select(Quote))).Append("\r\n");

    public static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
