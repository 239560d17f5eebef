namespace DurableUn.Data;

/// <summary>
/// A dataset file that cannot be read as the benchmark schema it should hold. The message always names the
/// file, and the row (0-based record index) and field when the problem lies in one; the same three are exposed
/// as properties so that a caller can show them however it likes.
/// Not: used for a split name that does not exist (that is a <see cref="KeyNotFoundException"/> listing the
/// known names) or for I/O failures such as a missing folder.
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string file, int? row, string? field, string problem, Exception? inner = null)
        : base(Describe(file, row, field, problem), inner)
    {
        File = file;
        Row = row;
        Field = field;
    }

    public string File { get; }

    /// 0-based index of the record (the JSON array element, the JSONL record, the Parquet row); null when the
    /// problem concerns the whole file (no rows, unreadable container).
    public int? Row { get; }

    public string? Field { get; }

    private static string Describe(string file, int? row, string? field, string problem)
    {
        var where = file;
        if (row is { } r) where += $", row {r}";
        if (field is not null) where += $", field '{field}'";
        return $"{where}: {problem}";
    }
}
