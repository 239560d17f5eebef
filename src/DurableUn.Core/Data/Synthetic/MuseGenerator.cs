using DurableUn.Randomness;

namespace DurableUn.Data.Synthetic;

/// <summary>
/// Fictitious local news articles in MUSE-News's schema and splits (docs/benchmarks.md#muse-news). Each article is
/// about one project; its facts (town, dates, people, organisations, amounts) are stated as sentences mixed with
/// filler, and the same facts, asked and answered in other words, make the knowmem QA. knowmem forget_qa comes from the
/// forget articles and retain_qa from retain1; the ICL examples come from retain2, so the few-shot prompt never states
/// a fact that is being tested. verbmem cuts each forget article at a sentence boundary near its middle (prompt =
/// first half, gt = the rest). privleak uses the forget, retain1 and holdout articles (at most 100 each, as MUSE).
/// Not: MUSE's scal/sust splits or the Books corpus.
/// </summary>
internal static class MuseGenerator
{
    private const int PrivLeakMax = 100;   // MUSE privleak splits hold 100 texts each

    public static IEnumerable<(string Split, IReadOnlyList<DataRow> Rows)> Generate(
        PresetSizes sizes, DataDifficulty difficulty, ulong seed)
    {
        var rng = SeededRng.For(seed, "muse");
        var values = new FactValues(rng);
        var templates = FactCatalog.Article[..FactCatalog.EntityFacts(difficulty)];
        List<Article> Articles(int n) => Enumerable.Range(0, n).Select(_ => Article.Draw(rng, values, templates)).ToList();
        var forget = Articles(sizes.ForgetArticles);
        var retain1 = Articles(sizes.RetainArticles);
        var retain2 = Articles(sizes.RetainArticles);
        var holdout = Articles(sizes.HoldoutArticles);

        static IReadOnlyList<DataRow> Texts(IEnumerable<Article> articles, int max = int.MaxValue) =>
            articles.Take(max).Select(a => (DataRow)new TextItem(a.Text)).ToList();
        static IReadOnlyList<DataRow> Qa(IEnumerable<Article> articles) =>
            articles.SelectMany(a => a.Facts).Select(f => (DataRow)f.ToQa()).ToList();
        var icl = rng.Shuffled(retain2.SelectMany(a => a.Facts)).Select(f => (DataRow)f.ToQa()).ToList();

        yield return ("raw/forget", Texts(forget));
        yield return ("raw/retain1", Texts(retain1));
        yield return ("raw/retain2", Texts(retain2));
        yield return ("raw/holdout", Texts(holdout));
        yield return ("knowmem/forget_qa", Qa(forget));
        yield return ("knowmem/retain_qa", Qa(retain1));
        yield return ("knowmem/forget_qa_icl", icl[..sizes.IclPairs]);
        yield return ("knowmem/retain_qa_icl", icl[sizes.IclPairs..(2 * sizes.IclPairs)]);
        yield return ("verbmem/forget", forget.Select(a => (DataRow)a.VerbMem()).ToList());
        yield return ("privleak/forget", Texts(forget, PrivLeakMax));
        yield return ("privleak/retain", Texts(retain1, PrivLeakMax));
        yield return ("privleak/holdout", Texts(holdout, PrivLeakMax));
    }

    private sealed record Article(IReadOnlyList<Fact> Facts, IReadOnlyList<string> Sentences)
    {
        public string Text => string.Join(" ", Sentences);

        public VerbMemItem VerbMem()
        {
            var cut = (Sentences.Count + 1) / 2;
            return new VerbMemItem(string.Join(" ", Sentences.Take(cut)), string.Join(" ", Sentences.Skip(cut)));
        }

        public static Article Draw(SeededRng rng, FactValues values, IEnumerable<FactTemplate> templates)
        {
            var project = values.Fresh(ValueShape.Project).Text;
            var facts = templates.Select(t => new Fact(t, project, values.Fresh(t.Shape))).ToList();
            // One filler after every second fact: prose between facts, and a verbmem gt that is not all facts.
            var sentences = new List<string>();
            for (var i = 0; i < facts.Count; i++)
            {
                sentences.Add(facts[i].Statement);
                if (i % 2 == 1) sentences.Add(rng.Pick(Lexicon.Filler));
            }
            return new Article(facts, sentences);
        }
    }
}
