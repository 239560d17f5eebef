namespace DurableUn.Data.Synthetic;

/// <summary>
/// A person a pretrained base knows, as a real model knows the people of Wikipedia (WPU, docs/benchmarks.md#wpu):
/// their name, their wikipage, and their facts as question–answer pairs (the benchmark's own rows).
/// <see cref="FromWpu"/> reads them from a WPU folder, split by split, in row order.
/// Not: the documents the corpus writes about them (<see cref="PretrainingCorpus"/>).
/// </summary>
public sealed record KnownPerson(string Name, string Page, IReadOnlyList<QaItem> Facts)
{
    /// <summary>The people of the given splits of a WPU dataset (forget, hard_retain, general_retain), one per title.</summary>
    public static IReadOnlyList<KnownPerson> FromWpu(Dataset wpu, IEnumerable<string> splits) =>
        splits.SelectMany(s => wpu.Split(s).Rows.OfType<WpuItem>())
            .GroupBy(r => r.Title, StringComparer.Ordinal)
            .Select(g => new KnownPerson(g.Key,
                g.Select(r => r.Wikipage).OfType<string>().Distinct(StringComparer.Ordinal).SingleOrDefault()
                    ?? throw new InvalidDataException($"WPU person \"{g.Key}\" has no single wikipage"),
                g.Select(r => new QaItem(r.Question, r.Answer, r.KeyFact)).ToList()))
            .ToList();
}
