using DurableUn.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DurableUn.Data;

/// <summary>
/// Writes typed rows as a JSON array with one object per line (UTF-8, no BOM, "\n"), atomically: the bytes go to a
/// temporary file beside the target, which is then renamed over it, so a reader never sees a partial file.
/// The output is a pure function of the rows, which is what makes synthetic datasets byte-identical per seed.
/// Not: Parquet or JSON Lines output (the readers accept those; the product only needs one written form).
/// </summary>
public static class RowFileWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Keep apostrophes and non-ASCII letters readable, as in the benchmarks' own files.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, IEnumerable<DataRow> rows)
    {
        using var buffer = new MemoryStream();
        buffer.Write("["u8);
        var first = true;
        foreach (var row in rows)
        {
            buffer.Write(first ? "\n"u8 : ",\n"u8);
            first = false;
            using var w = new Utf8JsonWriter(buffer, Options);
            RowCodec.Write(w, row);
        }
        buffer.Write("\n]\n"u8);
        AtomicFile.WriteAllBytes(path, buffer.ToArray());
    }
}
