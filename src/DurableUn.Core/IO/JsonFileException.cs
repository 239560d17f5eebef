namespace DurableUn.IO;

/// <summary>
/// A JSON file that cannot be what its reader expects: names the file, the field (a JSON path such as
/// <c>$.seeds[0].fa</c>, when one is at fault) and what is wrong, in one line. A <see cref="FormatException"/>, so
/// callers that catch bad input keep catching it.
/// </summary>
public sealed class JsonFileException(string file, string? field, string detail)
    : FormatException(field is null ? $"{file}: {detail}" : $"{file}: field {field}: {detail}")
{
    public string File { get; } = file;
    public string? Field { get; } = field;
}
