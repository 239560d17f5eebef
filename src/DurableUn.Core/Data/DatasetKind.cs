namespace DurableUn.Data;

/// The benchmark whose schema and folder layout a dataset follows (docs/design.md#data).
public enum DatasetKind
{
    /// TOFU: fictitious authors, QA with paraphrased and perturbed answers.
    Tofu,
    /// MUSE-News: raw articles, knowmem QA, verbmem passages, privleak texts.
    Muse,
    /// WPU (Wikipedia Person Unlearn): per-person documents with QA.
    Wpu,
}

/// <summary>
/// Size of a synthetic dataset. The counts per benchmark are in Synthetic/PresetSizes.cs.
/// </summary>
public enum DataPreset
{
    /// A few entities: unit tests that run in seconds.
    Smoke,
    /// The default study: small enough that a 2-core CPU fine-tunes a tiny model to memorise it in about a minute.
    Tiny,
    /// Real TOFU's author count and MUSE/WPU counts of the same order: closer to real behaviour, hours on a CPU.
    Small,
}

/// <summary>
/// How hard a synthetic dataset is to unlearn selectively. Two things change:
/// - facts per entity (TOFU authors 7 / 10 / 12; MUSE articles and WPU people 4 / 6 / 8): more facts per forget
///   entity means more to remove and more shared phrasing with the retain entities;
/// - TOFU's perturbed answers: Easy and Normal take wrong values from other entities of the same dataset (plausible,
///   no new words); Hard uses near misses of the true value (one name syllable, one date part or one word changed),
///   so the truth ratio must separate the true answer from very similar ones.
/// </summary>
public enum DataDifficulty
{
    Easy,
    Normal,
    Hard,
}
