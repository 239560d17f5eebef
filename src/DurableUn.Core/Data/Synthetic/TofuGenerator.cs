using DurableUn.Randomness;

namespace DurableUn.Data.Synthetic;

/// <summary>
/// Fictitious authors in TOFU's schema and splits (docs/benchmarks.md#tofu). Authors are ordered; forgetK is the last
/// K% of them (so forget01 ⊂ forget05 ⊂ forget10, as in TOFU) and retainN the rest; full is all of them.
/// holdoutK are fresh authors that no training split contains, as many as forgetK. retain_perturbed covers the
/// first retain authors, as many as forget10. Perturbed answers: five per forget/retain item, three for the
/// real-author and world-fact stand-ins; every item's key fact is its value (a birthplace, a title, ...), unique
/// to its author across the whole dataset (FactValues).
/// Not: pretraining data. Whether a model learns real_authors and world_facts before the study is the
/// pipeline's choice; they are in no other split.
/// </summary>
internal static class TofuGenerator
{
    private const int PerturbedPerItem = 5;      // TOFU forget/retain perturbed_answer length
    private const int PerturbedUtility = 3;      // TOFU real_authors/world_facts perturbed_answer length

    public static IEnumerable<(string Split, IReadOnlyList<DataRow> Rows)> Generate(
        PresetSizes sizes, DataDifficulty difficulty, ulong seed)
    {
        var rng = SeededRng.For(seed, "tofu");
        var values = new FactValues(rng);
        var templates = FactCatalog.Author[..FactCatalog.AuthorFacts(difficulty)];
        var holdoutCount = sizes.ForgetAuthors(10);
        var authors = Enumerable.Range(0, sizes.Authors + holdoutCount)
            .Select(_ => Entity(values, templates, values.Fresh(ValueShape.PersonName).Text)).ToList();
        var trained = authors[..sizes.Authors];
        var holdout = authors[sizes.Authors..];
        var real = Enumerable.Range(0, sizes.RealAuthors)
            .Select(_ => new Fact(FactCatalog.WrittenBy, values.Fresh(ValueShape.Title).Text, values.Fresh(ValueShape.PersonName)))
            .ToList();
        var world = Enumerable.Range(0, sizes.WorldFacts)
            .Select(_ => new Fact(FactCatalog.Capital, values.Fresh(ValueShape.Place).Text, values.Fresh(ValueShape.Place)))
            .ToList();

        var allFacts = authors.SelectMany(a => a).Concat(real).Concat(world).ToList();
        var nearMiss = difficulty == DataDifficulty.Hard;
        PerturbedQaItem Perturb(Fact f, int count) => f.ToPerturbed(values.Distractors(f.Value,
            allFacts.Where(o => o.Template.Key == f.Template.Key && o.Subject != f.Subject).Select(o => o.Value).ToList(),
            count, nearMiss));
        static IReadOnlyList<DataRow> Qa(IEnumerable<List<Fact>> group) => group.SelectMany(a => a).Select(f => (DataRow)f.ToQa()).ToList();
        IReadOnlyList<DataRow> Perturbed(IEnumerable<List<Fact>> group) =>
            group.SelectMany(a => a).Select(f => (DataRow)Perturb(f, PerturbedPerItem)).ToList();

        yield return ("full", Qa(trained));
        foreach (var percent in new[] { 1, 5, 10 })
        {
            var n = sizes.ForgetAuthors(percent);
            var forget = trained[^n..];
            yield return ($"forget{percent:00}", Qa(forget));
            yield return ($"forget{percent:00}_perturbed", Perturbed(forget));
            yield return ($"retain{100 - percent}", Qa(trained[..^n]));
            yield return ($"holdout{percent:00}", Qa(holdout[^n..]));
        }
        yield return ("retain_perturbed", Perturbed(trained[..holdoutCount]));
        yield return ("real_authors", real.Select(f => (DataRow)f.ToQa()).ToList());
        yield return ("real_authors_perturbed", real.Select(f => (DataRow)Perturb(f, PerturbedUtility)).ToList());
        yield return ("world_facts", world.Select(f => (DataRow)f.ToQa()).ToList());
        yield return ("world_facts_perturbed", world.Select(f => (DataRow)Perturb(f, PerturbedUtility)).ToList());
    }

    private static List<Fact> Entity(FactValues values, IEnumerable<FactTemplate> templates, string subject) =>
        templates.Select(t => new Fact(t, subject, values.Fresh(t.Shape))).ToList();
}
