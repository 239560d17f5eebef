namespace DurableUn.Data.Synthetic;

/// <summary>
/// How many entities each synthetic benchmark has per preset. Tiny is sized so that a 2-core CPU can fine-tune a
/// tiny model to memorise it in about a minute (a few thousand answer words); Small matches real TOFU's 200 authors
/// and is of the order of WPU's forget_100.
/// Not: facts per entity (DataDifficulty, FactCatalog).
/// </summary>
internal sealed record PresetSizes(
    int Authors, int RealAuthors, int WorldFacts,
    int ForgetArticles, int RetainArticles, int HoldoutArticles, int IclPairs,
    int ForgetPeople, int RelativesPerPerson, int GeneralPeople)
{
    public static PresetSizes For(DataPreset preset) => preset switch
    {
        DataPreset.Smoke => new(Authors: 10, RealAuthors: 3, WorldFacts: 4,
            ForgetArticles: 2, RetainArticles: 2, HoldoutArticles: 2, IclPairs: 3,
            ForgetPeople: 1, RelativesPerPerson: 1, GeneralPeople: 2),
        DataPreset.Tiny => new(Authors: 20, RealAuthors: 10, WorldFacts: 12,
            ForgetArticles: 4, RetainArticles: 8, HoldoutArticles: 8, IclPairs: 5,
            ForgetPeople: 2, RelativesPerPerson: 2, GeneralPeople: 6),
        DataPreset.Small => new(Authors: 200, RealAuthors: 50, WorldFacts: 60,
            ForgetArticles: 20, RetainArticles: 40, HoldoutArticles: 40, IclPairs: 10,
            ForgetPeople: 10, RelativesPerPerson: 2, GeneralPeople: 40),
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, null),
    };

    /// TOFU's forget share in authors: p% of them, at least one (TOFU: 1/5/10% of 200 = 2/10/20).
    public int ForgetAuthors(int percent) => Math.Max(1, (int)Math.Round(Authors * percent / 100.0));
}
