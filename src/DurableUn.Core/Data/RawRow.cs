namespace DurableUn.Data;

/// <summary>
/// One record as read from a JSON, JSONL or Parquet file, before it becomes a typed row: field name to a
/// normalised value (string, long, double, bool, null, List&lt;object?&gt; or a nested dictionary). The accessors
/// check presence and type and throw a <see cref="DataFormatException"/> naming file, row and field.
/// Not: schema knowledge (which fields a benchmark needs lives in RowCodec).
/// </summary>
internal sealed class RawRow(string file, int row, IReadOnlyDictionary<string, object?> fields)
{
    public string File { get; } = file;
    public int Row { get; } = row;

    public string String(string field) =>
        OptionalString(field) ?? throw Error(field, $"missing{AvailableFields()}");

    public string? OptionalString(string field) => Value(field) switch
    {
        null => null,
        string s => s,
        var other => throw Error(field, $"expected a string, found {Describe(other)}"),
    };

    public IReadOnlyList<string> StringList(string field) => Value(field) switch
    {
        null => throw Error(field, $"missing{AvailableFields()}"),
        List<object?> items => items.Select((item, i) => item as string
            ?? throw Error(field, $"expected a list of strings, element {i} is {Describe(item)}")).ToList(),
        var other => throw Error(field, $"expected a list of strings, found {Describe(other)}"),
    };

    public int? OptionalInt(string field) => Value(field) switch
    {
        null => null,
        long n when n is >= int.MinValue and <= int.MaxValue => (int)n,
        var other => throw Error(field, $"expected an integer, found {Describe(other)}"),
    };

    public DataFormatException Error(string field, string problem) => new(File, Row, field, problem);

    // A JSON null and an absent field mean the same: no value.
    private object? Value(string field) => fields.TryGetValue(field, out var v) ? v : null;

    private string AvailableFields() =>
        fields.Count == 0 ? " (the row has no fields)" : $" (the row has: {string.Join(", ", fields.Keys)})";

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string => "a string",
        long or double => $"the number {value}",
        bool b => b ? "true" : "false",
        List<object?> => "a list",
        _ => "an object",
    };
}
