namespace DurableUn.Data;

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
