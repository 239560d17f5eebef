using DurableUn.IO;

namespace DurableUn.Reporting;

/// <summary>
/// Writes a report folder: report.md, report.html, tables/{id}.tex and tables/{id}.csv for every table (plus
/// tables/cells.csv, the raw records), plots/{id}.svg and plots/{id}.png for every figure. Each file is written
/// atomically; the same input gives the same bytes (no clock, no random, ordinal sorting everywhere).
/// Not: deleting files of an earlier report that this one no longer produces, or reading results from disk.
/// </summary>
public static class ReportWriter
{
    /// Returns the paths written, relative to <paramref name="outDir"/>, in the order written.
    public static IReadOnlyList<string> Write(ReportInput input, string outDir)
    {
        var document = ReportComposer.Compose(input);
        Directory.CreateDirectory(Path.Combine(outDir, "tables"));
        Directory.CreateDirectory(Path.Combine(outDir, "plots"));
        var written = new List<string>();

        void Put(string relative, string text) { AtomicFile.WriteAllText(Path.Combine(outDir, relative), text); written.Add(relative); }
        void PutBytes(string relative, byte[] bytes) { AtomicFile.WriteAllBytes(Path.Combine(outDir, relative), bytes); written.Add(relative); }

        foreach (var table in document.Tables)
        {
            Put($"tables/{table.Id}.tex", LatexTable.Render(table));
            Put($"tables/{table.Id}.csv", CsvTable.Render(table));
        }
        foreach (var table in document.DataTables) Put($"tables/{table.Id}.csv", CsvTable.Render(table));
        foreach (var figure in document.Figures)
        {
            Put($"plots/{figure.Id}.svg", figure.Svg);
            PutBytes($"plots/{figure.Id}.png", figure.Png);
        }
        Put("report.md", MarkdownReport.Render(document));
        Put("report.html", HtmlReport.Render(document));
        return written;
    }
}
