using DurableUn.Data;
using DurableUn.Data.Synthetic;

namespace DurableUn.Tests.Data.Synthetic;

public class SyntheticDatasetsTests
{
    public static TheoryData<DatasetKind> Kinds => [DatasetKind.Tofu, DatasetKind.Muse, DatasetKind.Wpu];

    [Theory, MemberData(nameof(Kinds))]
    public void A_Synthetic_Folder_Has_Every_Split_Of_The_Layout_And_Loads_Like_A_Real_One(DatasetKind kind)
    {
        // Given a smoke dataset written to disk
        using var dir = new TempDir();
        SyntheticDatasets.Write(kind, DataPreset.Smoke, seed: 1, dir.Combine("data"));
        // When the folder is loaded by the loader real data goes through
        var data = DatasetFolder.Load(dir.Combine("data"));
        // Then every split of the benchmark is present and non-empty, and the manifest records how it was made
        Assert.Equal(DatasetLayout.Splits(kind).Select(s => s.Name), data.Splits.Select(s => s.Name));
        Assert.All(data.Splits, s => Assert.NotEmpty(s.Rows));
        Assert.Equal(new DatasetManifest(kind, SyntheticDatasets.Generator, 1, DataPreset.Smoke, DataDifficulty.Normal),
            data.Manifest);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void The_Same_Seed_Writes_Byte_Identical_Files(DatasetKind kind)
    {
        // Given two folders written with the same arguments
        using var dir = new TempDir();
        SyntheticDatasets.Write(kind, DataPreset.Smoke, seed: 42, dir.Combine("a"));
        SyntheticDatasets.Write(kind, DataPreset.Smoke, seed: 42, dir.Combine("b"));
        // When their files are compared
        var a = Files(dir.Combine("a"));
        var b = Files(dir.Combine("b"));
        // Then names and bytes are equal
        Assert.Equal(a.Keys, b.Keys);
        Assert.All(a, kv => Assert.Equal(kv.Value, b[kv.Key]));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Different_Seeds_Make_Different_People(DatasetKind kind)
    {
        // Given two seeds
        using var dir = new TempDir();
        var one = SyntheticDatasets.Write(kind, DataPreset.Smoke, seed: 1, dir.Combine("a"));
        var two = SyntheticDatasets.Write(kind, DataPreset.Smoke, seed: 2, dir.Combine("b"));
        // When the questions (which name the subjects) are compared, then they differ
        Assert.NotEqual(Questions(one), Questions(two));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Every_Key_Fact_Span_Lies_In_Its_Answer_And_Equals_The_Key_Fact(DatasetKind kind)
    {
        // Given a dataset
        using var dir = new TempDir();
        var data = SyntheticDatasets.Write(kind, DataPreset.Smoke, seed: 3, dir.Combine("d"), DataDifficulty.Hard);
        // When every QA-shaped item is inspected, then each has a key fact that is exactly its span of the answer
        var items = QaItems(data).ToList();
        Assert.NotEmpty(items);
        Assert.All(items, q =>
        {
            Assert.NotNull(q.KeyFact);
            Assert.InRange(q.KeyFact.Start, 0, q.KeyFact.End);
            Assert.InRange(q.KeyFact.End, q.KeyFact.Start, q.Answer.Length);
            Assert.Equal(q.KeyFact.Text, q.Answer[q.KeyFact.Start..q.KeyFact.End]);
        });
    }

    [Theory, MemberData(nameof(Kinds))]
    public void No_Fact_Value_Belongs_To_Two_Questions(DatasetKind kind)
    {
        // Given a tiny dataset (the same question about the same subject may appear in several splits)
        using var dir = new TempDir();
        var data = SyntheticDatasets.Write(kind, DataPreset.Tiny, seed: 5, dir.Combine("d"));
        // When key facts are grouped by value, then each value answers one question only (one person, one fact)
        var clashes = QaItems(data).GroupBy(q => q.KeyFact!.Text)
            .Where(g => g.Select(q => q.Question).Distinct().Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(clashes);
    }

    [Fact]
    public void Tofu_Forget_Splits_Are_Nested_And_Retain_Is_Their_Complement()
    {
        // Given the tiny TOFU stand-in (20 authors: forget01 = 1 author, forget05 = 1, forget10 = 2)
        using var dir = new TempDir();
        var data = SyntheticDatasets.Write(DatasetKind.Tofu, DataPreset.Tiny, seed: 9, dir.Combine("d"));
        var full = data.Qa("full");
        // When the splits are compared as sets, then forget ⊂ full, retain = full \ forget, holdout ∩ full = ∅
        foreach (var (forget, retain) in new[] { ("forget01", "retain99"), ("forget05", "retain95"), ("forget10", "retain90") })
        {
            Assert.Subset(full.ToHashSet(), data.Qa(forget).ToHashSet());
            Assert.Equal(full.Except(data.Qa(forget)), data.Qa(retain));
        }
        Assert.Subset(data.Qa("forget10").ToHashSet(), data.Qa("forget01").ToHashSet());
        Assert.Equal(2 * 10, data.Qa("forget10").Count);   // 2 authors × 10 facts at Normal difficulty
        Assert.Empty(data.Qa("holdout10").Intersect(full));
    }

    [Fact]
    public void A_Forget_Size_Gives_Tofu_At_Least_That_Many_Forget_Items_In_Forget10_s_Proportions()
    {
        // Given tiny TOFU grown to 200 forget items, so that one forget answer is 1/200 = 0.005 of FA
        using var dir = new TempDir();
        var data = SyntheticDatasets.Write(DatasetKind.Tofu, DataPreset.Tiny, seed: 9, dir.Combine("d"), forgetSize: 200);
        // Then forget10 holds 20 authors × 10 facts, 10 % of the 200 authors in full (TOFU's own 200 × 20 split),
        // retain90 the other 90 %, and holdout10 as many fresh authors as forget10
        Assert.Equal(200, data.Qa("forget10").Count);
        Assert.Equal(2000, data.Qa("full").Count);
        Assert.Equal(1800, data.Qa("retain90").Count);
        Assert.Equal(200, data.Qa("holdout10").Count);
        // and the manifest says how it was made
        Assert.Equal(200, DatasetManifest.Read(Path.Combine(data.Directory, DatasetLayout.ManifestFile)).ForgetSize);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_Forget_Size_Grows_Every_Benchmark_s_Forget_Set_To_At_Least_That_Size(DatasetKind kind)
    {
        using var dir = new TempDir();
        var data = SyntheticDatasets.Write(kind, DataPreset.Smoke, seed: 2, dir.Combine("d"), forgetSize: 30);
        var task = DurableUn.Runs.UnlearningTask.From(data);
        Assert.InRange(task.Forget.Count, 30, 2 * 30);
    }

    [Fact]
    public void Without_A_Forget_Size_The_Manifest_Is_Byte_For_Byte_What_It_Was()
    {
        // (so the data hash, and every cell and cached base keyed on it, is unchanged at the preset's size)
        using var dir = new TempDir();
        var data = SyntheticDatasets.Write(DatasetKind.Tofu, DataPreset.Smoke, seed: 1, dir.Combine("d"));
        Assert.DoesNotContain("forget_size", File.ReadAllText(Path.Combine(data.Directory, DatasetLayout.ManifestFile)));
    }

    [Fact]
    public void Tofu_Perturbed_Items_Have_Five_Or_Three_Distinct_Wrong_Answers()
    {
        // Given the smoke TOFU stand-in at Hard difficulty (near-miss distractors)
        using var dir = new TempDir();
        var data = SyntheticDatasets.Write(DatasetKind.Tofu, DataPreset.Smoke, seed: 4, dir.Combine("d"), DataDifficulty.Hard);
        // When the perturbed splits are read, then forget/retain have 5 and the utility sets 3, none equal to the answer
        foreach (var (split, count) in new[] { ("forget10_perturbed", 5), ("retain_perturbed", 5), ("real_authors_perturbed", 3), ("world_facts_perturbed", 3) })
            Assert.All(data.Rows<PerturbedQaItem>(split), p =>
            {
                Assert.Equal(count, p.PerturbedAnswers.Distinct().Count());
                Assert.DoesNotContain(p.Answer, p.PerturbedAnswers);
                Assert.NotNull(p.ParaphrasedAnswer);
            });
    }

    [Theory, MemberData(nameof(Kinds))]
    public void The_Tiny_Preset_Keeps_The_Word_Vocabulary_Small(DatasetKind kind)
    {
        // Given the tiny preset at Hard difficulty, the largest vocabulary tiny can have
        using var dir = new TempDir();
        var data = SyntheticDatasets.Write(kind, DataPreset.Tiny, seed: 6, dir.Combine("d"), DataDifficulty.Hard);
        // When the words of all its text are collected, then there are well under a few thousand
        var words = data.AllText().SelectMany(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
        Assert.InRange(words.Count, 50, 2000);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void The_Largest_Preset_At_Hard_Difficulty_Fits_The_Lexicon(DatasetKind kind)
    {
        // Given the most values a dataset draws (Small, Hard: 220 TOFU authors × 12 unique facts)
        using var dir = new TempDir();
        // When it is written, then every split loads with rows (no "ran out of distinct values")
        var data = SyntheticDatasets.Write(kind, DataPreset.Small, seed: 8, dir.Combine("d"), DataDifficulty.Hard);
        Assert.All(data.Splits, s => Assert.NotEmpty(s.Rows));
    }

    [Fact]
    public void Writing_Over_An_Existing_Folder_Is_Refused()
    {
        // Given a folder that exists
        using var dir = new TempDir();
        // When a dataset is written there, then nothing is mixed into it
        Assert.Throws<IOException>(() => SyntheticDatasets.Write(DatasetKind.Wpu, DataPreset.Smoke, 1, dir.Path));
    }

    private static IEnumerable<QaItem> QaItems(Dataset data) => data.Splits
        .Where(s => s.Spec.Rows is RowKind.Qa or RowKind.PerturbedQa or RowKind.Wpu)
        .SelectMany(s => data.Qa(s.Name));

    private static List<string> Questions(Dataset data) => QaItems(data).Select(q => q.Question).ToList();

    private static Dictionary<string, byte[]> Files(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);
}
