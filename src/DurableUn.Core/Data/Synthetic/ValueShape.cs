using DurableUn.Randomness;

namespace DurableUn.Data.Synthetic;

/// <summary>
/// How a fact value is built: a few independently drawn parts and the way they are joined ("March", "4", "1961"
/// → "March 4, 1961"). Keeping the parts lets the generator make near misses (redraw one part) for hard
/// distractors. The shapes here are the only vocabulary the synthetic benchmarks use for fact values.
/// Not: uniqueness (FactValues tracks which values are taken).
/// </summary>
internal sealed record ValueShape(string Name, Func<SeededRng, string>[] Parts, Func<string[], string> Join)
{
    public string Render(string[] parts) => Join(parts);

    private static string Syllables(SeededRng rng, int count) =>
        Lexicon.Capitalize(string.Concat(Enumerable.Range(0, count).Select(_ => rng.Pick(Lexicon.Syllables))));

    private static Func<SeededRng, string> From(IReadOnlyList<string> words) => rng => rng.Pick(words);

    public static readonly ValueShape PersonName = new("person name",
        [rng => Syllables(rng, 2), rng => Syllables(rng, 2 + rng.Next(2))], p => $"{p[0]} {p[1]}");

    public static readonly ValueShape Place = new("place",
        [rng => Syllables(rng, 1), rng => rng.Pick(Lexicon.Syllables), From(Lexicon.PlaceEndings)], string.Concat);

    public static readonly ValueShape BirthDate = new("date",
        [From(Lexicon.Months), rng => (1 + rng.Next(28)).ToString(), rng => (1920 + rng.Next(80)).ToString()],
        p => $"{p[0]} {p[1]}, {p[2]}");

    public static readonly ValueShape RecentDate = new("date",
        [From(Lexicon.Months), rng => (1 + rng.Next(28)).ToString(), rng => (2001 + rng.Next(24)).ToString()],
        p => $"{p[0]} {p[1]}, {p[2]}");

    public static readonly ValueShape Genre = new("genre",
        [From(Lexicon.GenreModifiers), From(Lexicon.Genres), From(Lexicon.GenreTopics)], p => $"{p[0]} {p[1]} about {p[2]}");

    public static readonly ValueShape Job = new("job",
        [From(Lexicon.JobModifiers), From(Lexicon.Jobs)], p => $"{p[0]} {p[1]}");

    public static readonly ValueShape Title = new("title",
        [From(Lexicon.Adjectives), From(Lexicon.Nouns)], p => $"The {p[0]} {p[1]}");

    public static readonly ValueShape Award = new("award",
        [rng => Syllables(rng, 2), From(Lexicon.AwardKinds)], p => $"the {p[0]} {p[1]}");

    public static readonly ValueShape School = new("school",
        [rng => Syllables(rng, 2), From(Lexicon.SchoolKinds)], p => $"{p[0]} {p[1]}");

    public static readonly ValueShape Organization = new("organization",
        [rng => Syllables(rng, 2), From(Lexicon.OrganizationKinds)], p => $"the {p[0]} {p[1]}");

    public static readonly ValueShape Project = new("project",
        [From(Lexicon.Adjectives), From(Lexicon.Nouns)], p => $"the {p[0]} {p[1]} project");

    public static readonly ValueShape Cost = new("cost",
        [rng => (11 + rng.Next(989)).ToString(), From(Lexicon.CostUnits)], p => $"{p[0]} {p[1]}");

    public static readonly ValueShape Length = new("length",
        [rng => (2 + rng.Next(98)).ToString(), rng => rng.Next(10).ToString()], p => $"{p[0]}.{p[1]} kilometres");
}
