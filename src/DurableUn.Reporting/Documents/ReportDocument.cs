namespace DurableUn.Reporting;

/// <summary>A piece of a report section: a sentence, a table or a figure.</summary>
public abstract record Block;
public sealed record Paragraph(string Text) : Block;
public sealed record TableBlock(Table Table) : Block;
public sealed record FigureBlock(Figure Figure) : Block;

public sealed record Section(string Title, IReadOnlyList<Block> Blocks);

/// <summary>
/// What a report says, decided once and rendered twice (<see cref="MarkdownReport"/>, <see cref="HtmlReport"/>), so
/// report.md and report.html cannot drift apart. <see cref="Tables"/> are the full tables written as .tex and .csv
/// (a section may show only the head of one); <see cref="DataTables"/> are written as .csv only.
/// </summary>
public sealed record ReportDocument(
    string Title,
    IReadOnlyList<string> Preamble,
    IReadOnlyList<Section> Sections,
    IReadOnlyList<Table> Tables,
    IReadOnlyList<Table> DataTables,
    IReadOnlyList<Figure> Figures);
