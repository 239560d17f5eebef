using System.Text.RegularExpressions;
using DurableUn.Data;
using DurableUn.Data.Synthetic;
using DurableUn.Presets;
using DurableUn.Pretraining;

namespace DurableUn.Tests.Pretraining;

/// <summary>The smoke preset's two corpora (the base's and the floor's) and the three smoke benchmarks they are built against.</summary>
public sealed class WpuPeopleCorpusFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("durableun-wpu-corpus-").FullName;
    public PretrainOptions Options { get; } = PretrainOptions.For(ModelPreset.Smoke);
    public PretrainingCorpus Base { get; }
    public PretrainingCorpus Floor { get; }
    public Dataset Tofu { get; }
    public Dataset Muse { get; }
    public Dataset Wpu { get; }

    public WpuPeopleCorpusFixture()
    {
        Base = PresetBase.Corpus(ModelPreset.Smoke, 0, Options);
        Floor = PresetBase.Corpus(ModelPreset.Smoke, 0, Options, variant: BaseVariant.Floor);
        Tofu = SyntheticDatasets.Write(DatasetKind.Tofu, DataPreset.Smoke, 0, Path.Combine(Root, "tofu"));
        Muse = SyntheticDatasets.Write(DatasetKind.Muse, DataPreset.Smoke, 0, Path.Combine(Root, "muse"));
        Wpu = SyntheticDatasets.Write(DatasetKind.Wpu, DataPreset.Smoke, 0, Path.Combine(Root, "wpu"));
    }

    public IReadOnlyList<KnownPerson> People(params string[] splits) => KnownPerson.FromWpu(Wpu, splits);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public sealed class WpuPeopleCorpusTests(WpuPeopleCorpusFixture f) : IClassFixture<WpuPeopleCorpusFixture>
{
    [Fact]
    public void The_base_corpus_holds_every_wpu_persons_page_as_often_as_the_options_say()
    {
        var people = f.People("forget", "hard_retain", "general_retain");
        Assert.Equal(f.Wpu.Split("forget").Rows.Concat(f.Wpu.Split("hard_retain").Rows).Concat(f.Wpu.Split("general_retain").Rows)
            .OfType<WpuItem>().Select(r => r.Title).Distinct().Count(), people.Count);
        Assert.True(f.Options.PeopleRepeats > 0);
        foreach (var person in people)
            Assert.Equal(f.Options.PeopleRepeats, f.Base.Texts.Count(t => t == person.Page));
    }

    [Fact]
    public void The_base_corpus_names_no_tofu_author_and_no_muse_project()
    {
        var corpus = string.Join("\n", f.Base.Texts.Concat(f.Base.HeldOut));
        // The subjects, read back from the first fact's question of each entity (FactCatalog's birthplace and town templates).
        var authors = f.Tofu.Qa("full").Select(q => Regex.Match(q.Question, @"^Where was (.+) born\?$")).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().ToList();
        var projects = f.Muse.Qa("knowmem/forget_qa").Concat(f.Muse.Qa("knowmem/retain_qa"))
            .Select(q => Regex.Match(q.Question, @"^In which town is (.+) being built\?$")).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(authors);
        Assert.NotEmpty(projects);
        foreach (var subject in authors.Concat(projects))
            Assert.DoesNotMatch($@"(?i)\b{Regex.Escape(subject)}\b", corpus);
    }

    [Fact]
    public void The_floor_corpus_is_the_base_corpus_without_exactly_the_forget_peoples_documents()
    {
        var forget = f.People("forget");
        Assert.NotEmpty(forget);
        var forgetDocuments = forget.SelectMany(p => PretrainingCorpus.PersonDocuments(p, f.Options.Seed, f.Options.PeopleRepeats)).Select(d => d.Text).ToList();
        var remaining = new List<string>(f.Base.Texts);
        foreach (var text in forgetDocuments) Assert.True(remaining.Remove(text), "every forget document is in the base corpus");
        Assert.Equal(remaining, f.Floor.Texts);
        Assert.Equal(f.Base.HeldOut, f.Floor.HeldOut);
        foreach (var person in forget)
            Assert.DoesNotContain(f.Floor.Texts, t => t.Contains(person.Page, StringComparison.Ordinal));
        foreach (var person in f.People("hard_retain", "general_retain"))
            Assert.Contains(person.Page, f.Floor.Texts);
    }

    [Fact]
    public void The_floor_corpus_states_no_forget_fact_of_wpu()
    {
        var floor = string.Join("\n", f.Floor.Texts);
        var facts = f.Wpu.Qa("forget").Select(q => q.KeyFact!.Text).ToList();
        Assert.NotEmpty(facts);
        foreach (var fact in facts)
            Assert.DoesNotMatch($@"(?i)\b{Regex.Escape(fact)}\b", floor);
    }
}
