namespace DurableUn.Data;

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
