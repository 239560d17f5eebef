using System.Buffers;
using System.Text.Json;
using Parquet.Serialization;

namespace DurableUn.Data;

/// <summary>
/// Reads every record of one file into <see cref="RawRow"/>s: a JSON array of objects, JSON Lines (one object per
/// line; TOFU's ".json" files are JSON Lines, so the form is told from the first character, not the extension),
/// or Parquet (columns become fields; list columns become lists). Invalid UTF-8, malformed JSON and non-object
/// records are reported with the row they occur in. Where the caller's schema is a single text
/// (<c>stringsAreText</c>), a record may also be a bare JSON string: MUSE's load_data writes raw/*.json
/// and privleak/*.json as lists of strings, read as rows with one field, <c>text</c>.
/// A record (a JSON Lines line, a JSON array element, a Parquet row's strings) may hold at most
/// <see cref="MaxRecordBytes"/>: a longer one is refused, naming file, row and length, before it is parsed, so one
/// huge line costs a scan of its bytes and never the tokenizing and scoring of it.
/// Not: streaming. Files are read whole so that nothing half-loaded ever reaches a caller.
/// </summary>
internal static class RowFileReader
{
    /// <summary>
    /// 1 MiB: far above any benchmark row (a TOFU answer is ~200 bytes, a MUSE-News article ~5–30 KB) and far
    /// beyond what any model context here takes (2048 tokens are ~10 KB of text), yet small enough that a record
    /// which reaches it is read and refused in milliseconds. Stated in README.md.
    /// </summary>
    public const int MaxRecordBytes = 1 << 20;

    public static IReadOnlyList<RawRow> Read(string file, bool stringsAreText = false) =>
        Directory.Exists(file) ? throw new DataFormatException(file, null, null, "is a folder, not a file (expected a JSON, JSON Lines or Parquet data file)")
        : !File.Exists(file) ? throw new FileNotFoundException($"{file}: file not found", file)
        : Path.GetExtension(file).Equals(".parquet", StringComparison.OrdinalIgnoreCase) ? ReadParquet(file) : ReadJson(file, stringsAreText);

    private static List<RawRow> ReadJson(string file, bool stringsAreText)
    {
        var bytes = File.ReadAllBytes(file);
        if (bytes.AsSpan().StartsWith("\uFEFF"u8)) bytes = bytes[3..];   // a UTF-8 byte-order mark is not content
        var badUtf8 = FirstInvalidUtf8(bytes);
        var first = Array.FindIndex(bytes, b => !char.IsWhiteSpace((char)b));
        return first >= 0 && bytes[first] == (byte)'[' ? ReadArray(file, bytes, badUtf8, stringsAreText) : ReadLines(file, bytes, badUtf8, stringsAreText);
    }

    private static List<RawRow> ReadArray(string file, byte[] bytes, int? badUtf8, bool stringsAreText)
    {
        var rows = new List<RawRow>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            reader.Read();   // '['
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = reader.TokenStartIndex;
                var end = FindEnd(bytes, reader);
                ThrowIfTooLong(file, rows.Count, end - start);
                ThrowIfInvalidUtf8(file, rows.Count, badUtf8, start, end);
                using var doc = JsonDocument.ParseValue(ref reader);
                rows.Add(ToRow(file, rows.Count, doc.RootElement, stringsAreText));
            }
            if (reader.Read()) throw new JsonException("content after the closing ']'");
        }
        catch (JsonException e)
        {
            ThrowIfInvalidUtf8(file, rows.Count, badUtf8, 0, bytes.Length);
            throw new DataFormatException(file, rows.Count, null, $"invalid JSON: {e.Message}", e);
        }
        return rows;
    }

    private static List<RawRow> ReadLines(string file, byte[] bytes, int? badUtf8, bool stringsAreText)
    {
        var rows = new List<RawRow>();
        var lineStart = 0;
        while (lineStart < bytes.Length)
        {
            var newline = Array.IndexOf(bytes, (byte)'\n', lineStart);
            var lineEnd = newline < 0 ? bytes.Length : newline;
            var line = bytes.AsMemory(lineStart, lineEnd - lineStart);
            if (!line.Span.Trim(" \t\r"u8).IsEmpty)
            {
                ThrowIfTooLong(file, rows.Count, line.Length);
                ThrowIfInvalidUtf8(file, rows.Count, badUtf8, lineStart, lineEnd);
                JsonDocument doc;
                try { doc = JsonDocument.Parse(line); }
                catch (JsonException e)
                {
                    throw new DataFormatException(file, rows.Count, null, $"invalid JSON: {e.Message}", e);
                }
                using (doc) rows.Add(ToRow(file, rows.Count, doc.RootElement, stringsAreText));
            }
            lineStart = lineEnd + 1;
        }
        return rows;
    }

    private static RawRow ToRow(string file, int row, JsonElement element, bool stringsAreText)
    {
        if (stringsAreText && element.ValueKind == JsonValueKind.String)
            return new RawRow(file, row, new Dictionary<string, object?> { ["text"] = element.GetString() });
        if (element.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(file, row, null, $"expected a JSON object, found {element.ValueKind}");
        return new RawRow(file, row, (Dictionary<string, object?>)Normalize(element)!);
    }

    private static object? Normalize(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var n) ? (object)n : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => e.EnumerateArray().Select(Normalize).ToList(),
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => Normalize(p.Value)),
        _ => null,
    };

    private static List<RawRow> ReadParquet(string file)
    {
        IList<Dictionary<string, object>> data;
        try
        {
            using var stream = File.OpenRead(file);
            data = ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult().Data;
        }
        catch (Exception e) when (e is not (FileNotFoundException or UnauthorizedAccessException or OutOfMemoryException))
        {
            // Parquet.Net reports a file without the PAR1 magic as an IOException that does not name the file
            throw new DataFormatException(file, null, null, $"not a readable Parquet file: {e.Message}", e);
        }
        return data.Select((fields, i) =>
        {
            var row = fields.ToDictionary(kv => kv.Key, kv => NormalizeParquet(kv.Value));
            ThrowIfTooLong(file, i, row.Values.Sum(TextBytes));
            return new RawRow(file, i, row);
        }).ToList();
    }

    private static object? NormalizeParquet(object? value) => value switch
    {
        null or string or bool or double => value,
        ReadOnlyMemory<char> chars => chars.ToString(),   // Parquet.Net may hand strings over as char memory
        float f => (double)f,
        sbyte or byte or short or ushort or int or uint or long => Convert.ToInt64(value),
        IDictionary<string, object?> d => d.ToDictionary(kv => kv.Key, kv => NormalizeParquet(kv.Value)),
        System.Collections.IEnumerable list => list.Cast<object?>().Select(NormalizeParquet).ToList(),
        _ => value,
    };

    // The end of the JSON value starting at the reader's current token, found on a copy of the reader.
    private static long FindEnd(byte[] bytes, Utf8JsonReader copy)
    {
        try { copy.Skip(); return copy.BytesConsumed; }
        catch (JsonException) { return bytes.Length; }
    }

    private static void ThrowIfTooLong(string file, int row, long bytes)
    {
        if (bytes > MaxRecordBytes)
            throw new DataFormatException(file, row, null, $"the record is {bytes} bytes long; a record may hold at most {MaxRecordBytes} bytes (1 MiB)");
    }

    // The UTF-8 length of a Parquet row's strings (lists and nested records included).
    private static long TextBytes(object? value) => value switch
    {
        string s => System.Text.Encoding.UTF8.GetByteCount(s),
        IDictionary<string, object?> d => d.Values.Sum(TextBytes),
        IEnumerable<object?> list => list.Sum(TextBytes),
        _ => 0,
    };

    private static void ThrowIfInvalidUtf8(string file, int row, int? badUtf8, long start, long end)
    {
        if (badUtf8 is { } at && at >= start && at < end)
            throw new DataFormatException(file, row, null, $"invalid UTF-8 at byte {at}");
    }

    private static int? FirstInvalidUtf8(byte[] bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return null;   // the common case, without a UTF-16 copy of the file
        var status = System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out var read, out _,
            replaceInvalidSequences: false);
        return status == OperationStatus.InvalidData ? read : null;
    }
}
