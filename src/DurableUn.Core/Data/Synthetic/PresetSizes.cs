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

    /// <summary>
    /// The preset grown until the benchmark's forget set (TOFU forget10, MUSE knowmem forget_qa, WPU forget) holds at
    /// least <paramref name="forgetItems"/> QA items: every count of forget, retain and holdout entities is multiplied
    /// by the smallest integer that gets there, so the proportions stay the preset's (TOFU: forget10 is 10 % of the
    /// authors and holdout10 as large). The utility and ICL sets (real authors, world facts, ICL pairs) and relatives per
    /// WPU person stay as they are: they are not forget or retain data.
    /// </summary>
    public PresetSizes WithForgetItems(DatasetKind kind, DataDifficulty difficulty, int forgetItems)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(forgetItems, 1);
        var now = ForgetItems(kind, difficulty);
        var factor = Math.Max(1, (forgetItems + now - 1) / now);
        return this with
        {
            Authors = Authors * factor, ForgetArticles = ForgetArticles * factor, RetainArticles = RetainArticles * factor,
            HoldoutArticles = HoldoutArticles * factor, ForgetPeople = ForgetPeople * factor, GeneralPeople = GeneralPeople * factor,
        };
    }

    /// QA items of the forget set the unlearning task reads (TOFU: forget10).
    public int ForgetItems(DatasetKind kind, DataDifficulty difficulty) => kind switch
    {
        DatasetKind.Tofu => ForgetAuthors(10) * FactCatalog.AuthorFacts(difficulty),
        DatasetKind.Muse => ForgetArticles * FactCatalog.EntityFacts(difficulty),
        DatasetKind.Wpu => ForgetPeople * FactCatalog.EntityFacts(difficulty),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
