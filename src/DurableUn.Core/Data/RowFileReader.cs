using System.Buffers;
using System.Text.Json;
using Parquet;
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
/// huge line costs one bounded read and never the tokenizing and scoring of it. JSON files are read record by record
/// (<see cref="JsonRecordSplitter"/>), holding the rows parsed so far plus at most one record and one read chunk;
/// Parquet files row group by row group (a group is as large as its writer made it, and its rows are measured once
/// it is decoded). Every row is read before any is returned, so nothing half-loaded ever reaches a caller.
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
        var rows = new List<RawRow>();
        // unbuffered (bufferSize 1): the splitter reads in chunks of its own, into its own window
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        JsonRecordSplitter.Split(file, stream, MaxRecordBytes, (row, record, offset) =>
        {
            ThrowIfTooLong(file, row, record.Length);
            ThrowIfInvalidUtf8(file, row, record.Span, offset);
            JsonDocument doc;
            try { doc = JsonDocument.Parse(record); }
            catch (JsonException e)
            {
                throw new DataFormatException(file, row, null, $"invalid JSON: {e.Message}", e);
            }
            using (doc) rows.Add(ToRow(file, row, doc.RootElement, stringsAreText));   // strings are copied out: the splitter reuses the bytes
        });
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

    // Row group by row group, so that the file is never decoded whole; each row is measured as it is converted.
    private static List<RawRow> ReadParquet(string file)
    {
        var rows = new List<RawRow>();
        try
        {
            using var stream = File.OpenRead(file);
            var reader = ParquetReader.CreateAsync(stream, leaveStreamOpen: true).GetAwaiter().GetResult();
            var groups = reader.RowGroupCount;
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            for (var group = 0; group < groups; group++)
            {
                var data = ParquetSerializer.DeserializeUntypedAsync(stream, rowGroupIndex: group).GetAwaiter().GetResult().Data;
                foreach (var fields in data)
                {
                    var row = fields.ToDictionary(kv => kv.Key, kv => NormalizeParquet(kv.Value));
                    ThrowIfTooLong(file, rows.Count, row.Values.Sum(TextBytes));
                    rows.Add(new RawRow(file, rows.Count, row));
                }
            }
        }
        catch (Exception e) when (e is not (DataFormatException or FileNotFoundException or UnauthorizedAccessException or OutOfMemoryException))
        {
            // Parquet.Net reports a file without the PAR1 magic as an IOException that does not name the file
            throw new DataFormatException(file, null, null, $"not a readable Parquet file: {e.Message}", e);
        }
        return rows;
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

    private static void ThrowIfTooLong(string file, int row, long bytes)
    {
        if (bytes > MaxRecordBytes) throw RecordTooLong(file, row, $"{bytes}");
    }

    /// <summary>The refusal of a record over the limit; <paramref name="length"/> is its length in bytes, or "more
    /// than N" when it was refused before its end was read.</summary>
    internal static DataFormatException RecordTooLong(string file, int row, string length) =>
        new(file, row, null, $"the record is {length} bytes long; a record may hold at most {MaxRecordBytes} bytes (1 MiB)");

    // The UTF-8 length of a Parquet row's strings (lists and nested records included).
    private static long TextBytes(object? value) => value switch
    {
        string s => System.Text.Encoding.UTF8.GetByteCount(s),
        IDictionary<string, object?> d => d.Values.Sum(TextBytes),
        IEnumerable<object?> list => list.Sum(TextBytes),
        _ => 0,
    };

    /// <summary>Refuses a record holding invalid UTF-8, naming the byte's offset in the file.</summary>
    internal static void ThrowIfInvalidUtf8(string file, int row, ReadOnlySpan<byte> record, long offset)
    {
        if (System.Text.Unicode.Utf8.IsValid(record)) return;   // the common case, without a UTF-16 copy of the record
        var status = System.Text.Unicode.Utf8.ToUtf16(record, new char[record.Length], out var read, out _,
            replaceInvalidSequences: false);
        if (status == OperationStatus.InvalidData)
            throw new DataFormatException(file, row, null, $"invalid UTF-8 at byte {offset + read}");
    }
}
