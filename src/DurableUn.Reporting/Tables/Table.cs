namespace DurableUn.Reporting;

/// <summary>
/// A finished table: formatted cells (invariant culture), a title and footnotes. The renderers
/// (<see cref="MarkdownTable"/>, <see cref="LatexTable"/>, <see cref="CsvTable"/>, <see cref="HtmlTable"/>) only
/// escape and lay it out, so all four show the same numbers. The first <see cref="TextColumns"/> columns are
/// labels (left-aligned); the rest are numbers (right-aligned).
/// Not: number formatting or any arithmetic; the builders (<see cref="ResultsTable"/>, ...) do that.
/// </summary>
/// <param name="Id">File name stem, also the LaTeX label: lower-case letters, digits, '-', '_' and '.'.</param>
public sealed record Table(
    string Id,
    string Title,
    IReadOnlyList<string> Header,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    IReadOnlyList<string> Notes,
    int TextColumns = 1)
{
    /// The first <paramref name="count"/> rows, with a note pointing at the full CSV when rows were left out.
    public Table Head(int count) => Rows.Count <= count
        ? this
        : this with
        {
            Rows = Rows.Take(count).ToList(),
            Notes = [.. Notes, $"{count} of {Rows.Count} rows shown; all are in tables/{Id}.csv."],
        };

    /// A file-safe id from free text ("TOFU / npo" → "tofu-npo").
    public static string Slug(params string[] parts)
    {
        var text = string.Join("-", parts).ToLowerInvariant();
        var chars = text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' ? c : '-').ToArray();
        return string.Join("-", new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
    }
}
