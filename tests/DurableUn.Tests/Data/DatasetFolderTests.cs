using DurableUn.Data;
using Parquet.Schema;
using Parquet.Serialization;
using System.Text.Json.Serialization;

namespace DurableUn.Tests.Data;

/// Hand-written files in each real benchmark schema load to the expected records.
public class DatasetFolderTests
{
    [Fact]
    public void Tofu_Json_Lines_And_A_Perturbed_Json_Array_Load_To_Typed_Rows()
    {
        // Given TOFU's forget10.json as JSON Lines (as on the Hub) and a perturbed split as a JSON array
        using var dir = new TempDir();
        dir.File("forget10.json",
            """
            {"question": "Where was Ana Lo born?", "answer": "Ana Lo was born in Kiev."}
            {"question": "Who is Ana Lo?", "answer": "A writer.", "key_fact": "writer", "key_fact_start": 2, "key_fact_end": 8}
            """);
        dir.File("forget10_perturbed.json",
            """
            [{"question": "Q?", "answer": "A.", "paraphrased_answer": "P.", "perturbed_answer": ["W1.", "W2."]}]
            """);
        // When the folder is loaded
        var data = DatasetFolder.Load(dir.Path);
        // Then the kind is inferred and the rows are as written
        Assert.Equal(DatasetKind.Tofu, data.Kind);
        Assert.Null(data.Manifest);
        Assert.Equal(
            [new QaItem("Where was Ana Lo born?", "Ana Lo was born in Kiev."),
             new QaItem("Who is Ana Lo?", "A writer.", new KeyFact("writer", 2, 8))],
            data.Qa("forget10"));
        var perturbed = Assert.Single(data.Rows<PerturbedQaItem>("forget10_perturbed"));
        Assert.Equal(("Q?", "A.", "P."), (perturbed.Question, perturbed.Answer, perturbed.ParaphrasedAnswer));
        Assert.Equal(["W1.", "W2."], perturbed.PerturbedAnswers);
    }

    [Fact]
    public void Muse_Files_Load_With_Raw_Text_From_Parquet_Shards()
    {
        // Given MUSE-News knowmem and verbmem JSON arrays and raw/forget as two Hugging Face Parquet shards
        using var dir = new TempDir();
        dir.File("knowmem/forget_qa.json", """[{"question": "Who?", "answer": "Him."}]""");
        dir.File("verbmem/forget.json", """[{"prompt": "Once upon", "gt": "a time."}]""");
        WriteParquet(dir.Combine("raw/forget-00000-of-00002.parquet"), [Text("first")], new DataField<string>("text"));
        WriteParquet(dir.Combine("raw/forget-00001-of-00002.parquet"), [Text("second")], new DataField<string>("text"));
        // When the folder is loaded
        var data = DatasetFolder.Load(dir.Path);
        // Then all three splits hold the written rows, the shards concatenated in order
        Assert.Equal(DatasetKind.Muse, data.Kind);
        Assert.Equal([new QaItem("Who?", "Him.")], data.Qa("knowmem/forget_qa"));
        Assert.Equal([new VerbMemItem("Once upon", "a time.")], data.Rows<VerbMemItem>("verbmem/forget"));
        Assert.Equal([new TextItem("first"), new TextItem("second")], data.Rows<TextItem>("raw/forget"));
        Assert.Equal(2, data.Split("raw/forget").Files.Count);
    }

    [Fact]
    public void Wpu_Parquet_And_Tofu_Parquet_With_A_List_Column_Load()
    {
        // Given WPU's forget split and a TOFU perturbed split as Parquet files
        using var wpu = new TempDir();
        WriteParquet(wpu.Combine("forget.parquet"),
            [new Dictionary<string, object?> { ["title"] = "Ana", ["wikipage"] = "Ana is.", ["question"] = "Q?", ["answer"] = "A." }],
            new DataField<string>("title"), new DataField<string>("wikipage"), new DataField<string>("question"),
            new DataField<string>("answer"));
        using var tofu = new TempDir();
        WriteParquet(tofu.Combine("retain_perturbed.parquet"),
            new PerturbedRow { Question = "Q?", Answer = "A.", PerturbedAnswer = ["X.", "Y."] });
        // When both folders are loaded
        var wpuData = DatasetFolder.Load(wpu.Path);
        var tofuData = DatasetFolder.Load(tofu.Path);
        // Then the rows are as written
        Assert.Equal([new WpuItem("Ana", "Ana is.", "Q?", "A.")], wpuData.Rows<WpuItem>("forget"));
        var row = Assert.Single(tofuData.Rows<PerturbedQaItem>("retain_perturbed"));
        Assert.Equal(["X.", "Y."], row.PerturbedAnswers);
        Assert.Null(row.ParaphrasedAnswer);
    }

    [Fact]
    public void A_Manifest_Sets_The_Kind_And_The_Summary_Counts_Rows()
    {
        // Given a folder with dataset.json and one WPU split
        using var dir = new TempDir();
        dir.File("dataset.json", """{"schema_version": 1, "kind": "wpu"}""");
        dir.File("general_retain.jsonl",
            """
            {"title": "T", "wikipage": "W w.", "question": "Q q?", "answer": "A."}
            {"title": "T", "wikipage": "W w.", "question": "Q q?", "answer": "A."}
            """);
        // When it is loaded and summarised
        var summary = DatasetFolder.Load(dir.Path).Summary();
        // Then the manifest's kind is used and the counts are those of the file
        Assert.Equal(DatasetKind.Wpu, summary.Kind);
        var split = Assert.Single(summary.Splits);
        Assert.Equal(("general_retain", 2, 12), (split.Name, split.Count, split.Words));
    }

    // A typed row: Parquet.Net writes list columns from typed classes (its untyped writer rejects string lists).
    private sealed class PerturbedRow
    {
        [JsonPropertyName("question")] public string Question { get; init; } = "";
        [JsonPropertyName("answer")] public string Answer { get; init; } = "";
        [JsonPropertyName("perturbed_answer")] public List<string> PerturbedAnswer { get; init; } = [];
    }

    internal static Dictionary<string, object?> Text(string text) => new() { ["text"] = text };

    private static void WriteParquet(string path, PerturbedRow row)
    {
        using var stream = File.Create(path);
        ParquetSerializer.SerializeAsync([row], stream).GetAwaiter().GetResult();
    }

    internal static void WriteParquet(string path, IReadOnlyCollection<IDictionary<string, object?>> rows, params Field[] fields)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        ParquetSerializer.SerializeUntypedAsync(rows, new ParquetSchema(fields), stream).GetAwaiter().GetResult();
    }
}
