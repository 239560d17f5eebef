using System.Text;
using DurableUn.Data;
using System.Text.Json.Serialization;
using Parquet;
using Parquet.Serialization;

namespace DurableUn.Tests.Data;

/// A record over the 1 MiB limit is refused as soon as the reader passes the limit, naming the file and the row,
/// and reading a file holds at most a bounded multiple of the limit however large the file is; valid files read
/// the same, whatever their form.
public class BoundedReadingTests
{
    private const int Limit = 1 << 20;

    /// 16 MiB: the window (at most the limit plus one 64 KiB chunk, grown by doubling) and the parse of one record
    /// take a few MiB; reading a 50 MB file whole took more than 200 MB.
    private const long BoundedBytes = 16 << 20;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_50_MB_Record_Is_Refused_Naming_File_And_Row_Without_Reading_The_File_Whole(bool array)
    {
        // Given a QA file whose only record is a 50 MB question, as one JSON Lines line or one JSON array element
        using var dir = new TempDir();
        var file = dir.Combine(array ? "forget.json" : "forget.jsonl");
        using (var out_ = File.Create(file))
        {
            out_.Write(array ? "[{\"answer\": \"b\", \"question\": \""u8 : "{\"answer\": \"b\", \"question\": \""u8);
            var block = Encoding.ASCII.GetBytes(new string('x', 1 << 20));
            for (var i = 0; i < 50; i++) out_.Write(block);
            out_.Write(array ? "\"}]\n"u8 : "\"}\n"u8);
        }
        // When it is loaded
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var e = Assert.Throws<DataFormatException>(() => QaFile.Load(file));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        // Then it is refused naming the file, the row and the limit it passed, having allocated a bounded amount
        Assert.Equal((file, 0), (e.File, e.Row));
        Assert.Contains($"more than {Limit} bytes", e.Message);
        Assert.True(allocated < BoundedBytes, $"reading allocated {allocated} bytes");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_Record_Of_Exactly_The_Limit_Is_Read_And_One_Byte_More_Is_Refused_Naming_Its_Row(bool array)
    {
        using var dir = new TempDir();
        // Given a valid short row, then a row of exactly 1 MiB
        var file = dir.Combine("forget.json");
        File.WriteAllText(file, Rows(array, Row("q0", 64), Row("q1", Limit)));
        // When loaded, then both are read whole
        var rows = QaFile.Load(file);
        Assert.Equal(Limit - Row("q1", 0).Length, rows[1].Answer.Length);
        // Given the same second row one byte longer / Then it is refused as row 1
        File.WriteAllText(file, Rows(array, Row("q0", 64), Row("q1", Limit + 1)));
        var e = Assert.Throws<DataFormatException>(() => QaFile.Load(file));
        Assert.Equal(1, e.Row);
        Assert.Contains($"at most {Limit} bytes", e.Message);
    }

    [Fact]
    public void A_File_Of_Many_Small_Rows_Reads_The_Same_As_A_Json_Array_As_Json_Lines_And_With_A_Byte_Order_Mark()
    {
        // Given 20 000 rows (2 MB, so records straddle every read of the file) written in three forms
        using var dir = new TempDir();
        var rows = Enumerable.Range(0, 20_000).Select(i => Row($"question {i} ü", 60 + i % 200)).ToArray();
        var array = dir.File("array.json", Rows(true, rows));
        var lines = dir.File("lines.jsonl", Rows(false, rows));
        var marked = dir.Combine("marked.json");
        File.WriteAllBytes(marked, [.. "\uFEFF"u8, .. File.ReadAllBytes(array)]);
        // When each is loaded, then each holds every row, in order, with the same contents
        var expected = QaFile.Load(array);
        Assert.Equal(20_000, expected.Count);
        Assert.Equal("question 19999 ü", expected[^1].Question);
        Assert.Equal(expected, QaFile.Load(lines));
        Assert.Equal(expected, QaFile.Load(marked));
    }

    [Fact]
    public void Blank_Lines_Do_Not_Count_As_Rows_And_A_Last_Line_Needs_No_Newline()
    {
        using var dir = new TempDir();
        var file = dir.File("forget.jsonl", "\n  \r\n" + Row("a", 0) + "\n\n" + Row("b", 0) + "\n" + """{"question": "c", "answer": 5}""");
        // When loaded / Then the wrong type is named in row 2, counting only the records
        var e = Assert.Throws<DataFormatException>(() => QaFile.Load(file));
        Assert.Equal(2, e.Row);
    }

    [Theory]
    [InlineData("""[{"question": "a", "answer": "b"},]""", 1)]
    [InlineData("""[{"question": "a", "answer": "b"} {"question": "c", "answer": "d"}]""", 1)]
    [InlineData("""[{"question": "a", "answer": "b"}] x""", 1)]
    [InlineData("""[{"question": "a", "answer": "b"}""", 1)]
    public void Malformed_Json_Around_The_Elements_Names_The_Row_After_The_Last_Good_One(string text, int row)
    {
        using var dir = new TempDir();
        var file = dir.File("forget.json", text);
        var e = Assert.Throws<DataFormatException>(() => QaFile.Load(file));
        Assert.Equal(row, e.Row);
        Assert.Contains("invalid JSON", e.Message);
    }

    [Fact]
    public async Task A_Parquet_File_Of_Several_Row_Groups_Numbers_Its_Rows_Across_Them()
    {
        // Given a Parquet file of two-row groups whose second group's second row is over the limit
        using var dir = new TempDir();
        var file = dir.Combine("forget.parquet");
        ParquetRow[] rows = [new("q0", "a"), new("q1", "b"), new("q2", "c"), new("q3", new string('x', Limit + 1))];
        await ParquetSerializer.SerializeAsync(rows, file, new ParquetOptions { RowGroupSize = 2 });
        await using (var reader = await ParquetReader.CreateAsync(file)) Assert.Equal(2, reader.RowGroupCount);
        // When loaded / Then the row is numbered across the groups and its length is the text it holds
        var e = Assert.Throws<DataFormatException>(() => QaFile.Load(file));
        Assert.Equal(3, e.Row);
        Assert.Contains($"{Limit + 1 + 2} bytes", e.Message);
        // Given the same rows with the long one cut to one byte / Then all four are read in order
        rows[3] = new("q3", "d");
        await ParquetSerializer.SerializeAsync(rows, file, new ParquetOptions { RowGroupSize = 2 });
        Assert.Equal(["q0", "q1", "q2", "q3"], QaFile.Load(file).Select(r => r.Question));
    }

    private sealed class ParquetRow(string question, string answer)
    {
        [JsonPropertyName("question")] public string Question { get; set; } = question;
        [JsonPropertyName("answer")] public string Answer { get; set; } = answer;
    }

    [Fact]
    public void A_Manifest_Over_The_Limit_Is_Refused_Before_It_Is_Read()
    {
        // Given a dataset folder whose dataset.json is 2 MiB of blanks around a valid object
        using var dir = new TempDir();
        var manifest = dir.File("dataset.json", """{"schema_version": 1, "kind": "tofu"}""" + new string(' ', 2 << 20));
        dir.File("forget01.json", Rows(true, Row("q", 0)));
        // When loaded / Then the manifest is refused by its length
        var e = Assert.Throws<DataFormatException>(() => DatasetFolder.Load(dir.Path));
        Assert.Equal(manifest, e.File);
        Assert.Contains($"is {new FileInfo(manifest).Length} bytes long", e.Message);
    }

    // One QA record whose answer pads it to exactly `bytes` bytes of JSON (ASCII), or "" padding when bytes is 0.
    private static string Row(string question, int bytes)
    {
        var empty = $$"""{"question": "{{question}}", "answer": ""}""";
        return bytes == 0 ? empty : empty.Insert(empty.Length - 2, new string('y', bytes - Encoding.UTF8.GetByteCount(empty)));
    }

    private static string Rows(bool array, params string[] rows) =>
        array ? "[\n" + string.Join(",\n", rows) + "\n]\n" : string.Join("\n", rows) + "\n";
}
