namespace DurableUn.Data;

/// One line of `durableun data show`: a split's name, schema, row count, file count and whitespace-separated words.
public sealed record SplitSummary(string Name, RowKind Rows, int Count, int Files, int Words);

/// <summary>
/// What a dataset folder holds, for `durableun data show`: kind, manifest and per-split counts.
/// Not: rendering (the CLI draws the table).
/// </summary>
public sealed record DatasetSummary(
    string Directory, DatasetKind Kind, DatasetManifest? Manifest, IReadOnlyList<SplitSummary> Splits)
{
    public int TotalRows => Splits.Sum(s => s.Count);
    public int TotalWords => Splits.Sum(s => s.Words);
}
