using System.Text;

namespace DurableUn.Reporting;

/// <summary>
/// A <see cref="Table"/> as a GitHub pipe table, notes below it as an italic paragraph. A '|' inside a cell is
/// escaped and line breaks become spaces, because either would break the row.
/// Not: column padding to equal widths (renderers align them; diffs stay smaller without it).
/// </summary>
public static class MarkdownTable
{
    public static string Render(Table table)
    {
        var sb = new StringBuilder();
        Row(sb, table.Header);
        sb.Append('|');
        for (var i = 0; i < table.Header.Count; i++) sb.Append(i < table.TextColumns ? " --- |" : " ---: |");
        sb.Append('\n');
        foreach (var row in table.Rows) Row(sb, row);
        foreach (var note in table.Notes) sb.Append('\n').Append('*').Append(Escape(note)).Append("*\n");
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, IReadOnlyList<string> cells) =>
        sb.Append("| ").Append(string.Join(" | ", cells.Select(Escape))).Append(" |\n");

    public static string Escape(string text) =>
        text.Replace("\\", "\\\\").Replace("|", "\\|").Replace("*", "\\*").Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');
}
