using DurableUn.Data;
using DurableUn.Runs;

namespace DurableUn.Tests.Data;

/// <summary>
/// The benchmarks' own files load unmodified: MUSE-News as muse_bench's load_data writes it (raw/ and privleak/ are
/// JSON lists of strings), WPU as its dataset card describes it (hard_retain rows without wikipage), and folders
/// that lack splits a command does not need.
/// </summary>
public class RealLayoutTests
{
    [Fact]
    public void Muse_Raw_And_Privleak_Lists_Of_Strings_Load_As_Texts_With_The_Right_Counts()
    {
        // Given a MUSE data/news folder in muse_bench's layout
        using var dir = new TempDir();
        dir.File("raw/forget.json", """["BBC article one.", "BBC article two.", "Three."]""");
        dir.File("raw/retain1.json", """["Kept one.", "Kept two."]""");
        dir.File("raw/holdout.json", """["Unseen."]""");
        dir.File("privleak/forget.json", """["p1", "p2"]""");
        dir.File("privleak/holdout.json", """["h1", "h2", "h3", "h4"]""");
        dir.File("knowmem/forget_qa.json", """[{"question": "Who?", "answer": "Him."}]""");
        dir.File("knowmem/retain_qa.json", """[{"question": "What?", "answer": "That."}]""");
        dir.File("verbmem/forget.json", """[{"prompt": "Once", "gt": "upon a time."}]""");
        // When it is loaded
        var data = DatasetFolder.Load(dir.Path);
        // Then every list of strings is a split of texts with its own count
        Assert.Equal(DatasetKind.Muse, data.Kind);
        Assert.Equal(["BBC article one.", "BBC article two.", "Three."], data.Rows<TextItem>("raw/forget").Select(t => t.Text));
        Assert.Equal((2, 1, 2, 4), (data.Rows<TextItem>("raw/retain1").Count, data.Rows<TextItem>("raw/holdout").Count,
            data.Rows<TextItem>("privleak/forget").Count, data.Rows<TextItem>("privleak/holdout").Count));
        // and the unlearning task takes the raw texts as training text
        var task = UnlearningTask.From(data);
        Assert.Equal(3, task.ForgetTexts.Count);
    }

    [Fact]
    public void A_String_Where_A_Qa_Row_Is_Expected_Is_Still_An_Error_Naming_The_File_And_Row()
    {
        using var dir = new TempDir();
        dir.File("knowmem/forget_qa.json", """["not a question"]""");
        var e = Assert.Throws<DataFormatException>(() => DatasetFolder.Load(dir.Path));
        Assert.Contains("forget_qa.json", e.Message);
        Assert.Contains("row 0", e.Message);
    }

    [Fact]
    public void Wpu_Hard_Retain_Without_Wikipage_Loads_And_The_Task_Uses_It()
    {
        // Given WPU forget rows with pages and hard_retain rows with title, question and answer only (the card's fields)
        using var dir = new TempDir();
        dir.File("forget.jsonl", """
            {"title": "Ana Vell", "wikipage": "Ana Vell is a painter.", "question": "What is Ana Vell?", "answer": "A painter."}
            {"title": "Ana Vell", "wikipage": "Ana Vell is a painter.", "question": "Where does Ana Vell paint?", "answer": "In Oslo."}
            """);
        dir.File("hard_retain.jsonl", """
            {"title": "Bo Vell", "question": "What is Bo Vell?", "answer": "A sailor."}
            """);
        // When loaded and turned into an unlearning task, general_retain being absent
        var data = DatasetFolder.Load(dir.Path);
        var task = UnlearningTask.From(data);
        // Then the counts are right, the page-less row has no wikipage, and retain is hard_retain alone
        Assert.Null(Assert.Single(data.Rows<WpuItem>("hard_retain")).Wikipage);
        Assert.Equal((2, 1), (task.Forget.Count, task.Retain.Count));
        Assert.Equal(["Ana Vell is a painter."], task.ForgetTexts);
        Assert.Empty(task.RetainTexts);
    }

    [Fact]
    public void Wpu_Forget_Rows_Need_Their_Page_For_Fine_Tuning()
    {
        using var dir = new TempDir();
        dir.File("forget.jsonl", """{"title": "Ana", "question": "Q?", "answer": "A."}""");
        dir.File("general_retain.jsonl", """{"title": "Cy", "question": "Q?", "answer": "A."}""");
        var e = Assert.Throws<DataFormatException>(() => UnlearningTask.From(DatasetFolder.Load(dir.Path)));
        Assert.Contains("forget.jsonl", e.Message);
        Assert.Contains("wikipage", e.Message);
    }

    [Fact]
    public void A_Split_That_Is_A_Directory_Of_The_Wrong_Shape_Or_Unreadable_Is_An_Error()
    {
        using var dir = new TempDir();
        dir.File("forget.jsonl", """{"title": "Ana", "wikipage": "P.", "question": "Q?", "answer": "A."}""");
        Directory.CreateDirectory(Path.Combine(dir.Path, "hard_retain.json"));
        var e = Assert.ThrowsAny<Exception>(() => DatasetFolder.Load(dir.Path));
        Assert.Contains("hard_retain.json", e.Message);
    }

    [Fact]
    public void A_Muse_Folder_Without_Privleak_Gives_Its_Other_Metrics_And_Says_Why_The_Auc_Ones_Are_Missing()
    {
        // Given the synthetic MUSE smoke folder with its privleak splits removed
        using var setup = new DurableUn.Tests.Evaluation.SmokeSetup(DatasetKind.Muse);
        var copy = new TempDir();
        foreach (var file in Directory.EnumerateFiles(setup.Data.Directory, "*", SearchOption.AllDirectories)
                     .Where(f => !Path.GetRelativePath(setup.Data.Directory, f).StartsWith("privleak", StringComparison.Ordinal)))
            copy.File(Path.GetRelativePath(setup.Data.Directory, file), File.ReadAllText(file));
        // When the MUSE suite runs on it
        using (copy)
        {
            var result = DurableUn.Evaluation.MuseSuite.Evaluate(setup.Model, setup.Encoder, DatasetFolder.Load(copy.Path), new DurableUn.Evaluation.MuseOptions());
            // Then knowmem/verbmem are there and privleak is absent with the reason
            Assert.True(result.Has("verbmem_f") && result.Has("knowmem_f"));
            Assert.Contains("no privleak/forget texts", result.Absent["privleak"]);
            Assert.Contains("mia_loss_auc", result.Absent.Keys);
        }
    }
}
