using DurableUn.Data;
using Parquet.Schema;

namespace DurableUn.Tests.Data;

/// Each kind of malformed input fails with its own error, naming the file, the row and the field.
public class BadInputTests
{
    private static DataFormatException LoadFails(TempDir dir) =>
        Assert.Throws<DataFormatException>(() => DatasetFolder.Load(dir.Path));

    [Fact]
    public void A_Missing_Field_Names_File_Row_And_Field_And_Lists_The_Fields_Present()
    {
        // Given a TOFU row without an answer
        using var dir = new TempDir();
        var file = dir.File("forget10.json", """[{"question": "a", "answer": "b"}, {"question": "c", "reply": "d"}]""");
        // When loaded, then
        var e = LoadFails(dir);
        Assert.Equal((file, 1, "answer"), (e.File, e.Row, e.Field));
        Assert.Contains(file, e.Message);
        Assert.Contains("row 1", e.Message);
        Assert.Contains("missing (the row has: question, reply)", e.Message);
    }

    [Fact]
    public void A_Wrong_Type_Says_What_Was_Expected_And_Found()
    {
        // Given a perturbed row whose perturbed_answer is a string, not a list
        using var dir = new TempDir();
        dir.File("retain_perturbed.jsonl", """{"question": "a", "answer": "b", "perturbed_answer": "c"}""");
        // When loaded, then
        var e = LoadFails(dir);
        Assert.Equal((0, "perturbed_answer"), (e.Row, e.Field));
        Assert.Contains("expected a list of strings, found a string", e.Message);
    }

    [Fact]
    public void An_Empty_Split_Is_An_Error_Not_An_Empty_List()
    {
        // Given an empty JSON array
        using var dir = new TempDir();
        var file = dir.File("forget01.json", "[]");
        // When loaded, then
        var e = LoadFails(dir);
        Assert.Equal((file, (int?)null, (string?)null), (e.File, e.Row, e.Field));
        Assert.Contains("has no rows", e.Message);
    }

    [Fact]
    public void An_Unknown_Split_Name_Lists_The_Known_Ones()
    {
        // Given a loaded TOFU folder
        using var dir = new TempDir();
        dir.File("forget10.json", """{"question": "a", "answer": "b"}""");
        var data = DatasetFolder.Load(dir.Path);
        // When a split is asked for by a near-miss name, then
        var e = Assert.Throws<KeyNotFoundException>(() => data.Qa("forget_10"));
        Assert.Contains("'forget_10'", e.Message);
        Assert.Contains("forget10, retain90", e.Message);
    }

    [Fact]
    public void Invalid_Utf8_Names_The_Row_It_Occurs_In()
    {
        // Given a JSON Lines file whose second record holds the byte 0xFF
        using var dir = new TempDir();
        var file = dir.Combine("forget05.json");
        File.WriteAllBytes(file, [.. """{"question": "a", "answer": "b"}"""u8, (byte)'\n',
            .. """{"question": "c", "answer": "d"""u8, 0xFF, .. "\"}\n"u8]);
        // When loaded, then
        var e = LoadFails(dir);
        Assert.Equal((file, 1), (e.File, e.Row));
        Assert.Contains("invalid UTF-8", e.Message);
    }

    [Fact]
    public void Invalid_Utf8_Inside_A_Json_Array_Names_Its_Element()
    {
        // Given a JSON array whose first element holds the byte 0xC3 without its continuation
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Combine("forget05.json"), [.. """[{"question": "a"""u8, 0xC3, .. "\", \"answer\": \"b\"}]"u8]);
        // When loaded, then
        var e = LoadFails(dir);
        Assert.Equal(0, e.Row);
        Assert.Contains("invalid UTF-8", e.Message);
    }

    [Fact]
    public void Malformed_Json_Names_The_Row()
    {
        // Given a JSON array whose second element is cut off
        using var dir = new TempDir();
        dir.File("forget10.json", """[{"question": "a", "answer": "b"}, {"question": "c", """);
        // When loaded, then
        var e = LoadFails(dir);
        Assert.Equal(1, e.Row);
        Assert.Contains("invalid JSON", e.Message);
    }

    [Fact]
    public void A_Parquet_File_With_Another_Schema_Names_The_Missing_Column()
    {
        // Given a Parquet file with prompt/response columns where MUSE knowmem wants question/answer
        using var dir = new TempDir();
        var file = dir.Combine("knowmem/forget_qa.parquet");
        DatasetFolderTests.WriteParquet(file, [new Dictionary<string, object?> { ["prompt"] = "p", ["response"] = "r" }],
            new DataField<string>("prompt"), new DataField<string>("response"));
        // When loaded, then
        var e = LoadFails(dir);
        Assert.Equal((file, 0, "question"), (e.File, e.Row, e.Field));
        Assert.Contains("(the row has: prompt, response)", e.Message);
    }

    [Fact]
    public void A_Key_Fact_Span_That_Does_Not_Match_The_Answer_Is_Rejected()
    {
        // Given a row whose span covers "was" while key_fact says "Kiev"
        using var dir = new TempDir();
        dir.File("forget10.json",
            """{"question": "q", "answer": "Ana was in Kiev.", "key_fact": "Kiev", "key_fact_start": 4, "key_fact_end": 7}""");
        // When loaded, then
        var e = LoadFails(dir);
        Assert.Equal((0, "key_fact"), (e.Row, e.Field));
        Assert.Contains("answer[4..7] is 'was', not 'Kiev'", e.Message);
    }

    [Fact]
    public void A_Manifest_With_An_Unknown_Kind_Names_The_Field()
    {
        // Given dataset.json with a misspelt kind
        using var dir = new TempDir();
        dir.File("dataset.json", """{"schema_version": 1, "kind": "tofuu"}""");
        // When loaded, then
        var e = LoadFails(dir);
        Assert.Equal("kind", e.Field);
        Assert.Contains("'tofuu' is not one of tofu, muse, wpu", e.Message);
    }

    [Fact]
    public void A_Manifest_With_A_Forget_Size_Of_No_Items_Names_The_Field_And_Value()
    {
        using var dir = new TempDir();
        dir.File("dataset.json", """{"schema_version": 1, "kind": "tofu", "forget_size": 0}""");
        var e = LoadFails(dir);
        Assert.Equal("forget_size", e.Field);
        Assert.Contains("must be ≥ 1, got 0", e.Message);
    }
}
