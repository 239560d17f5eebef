namespace DurableUn.Pretraining;

/// <summary>Which corpus a preset base is pretrained on (docs/benchmarks.md#wpu).</summary>
public enum BaseVariant
{
    /// The study's base: general text plus every WPU person (forget, hard_retain, general_retain), so WPU's target is
    /// this base itself, as a real model knows Wikipedia's people from pretraining. The default.
    Target,
    /// The same corpus without WPU's forget people (the retain people kept): the model that never saw them, WPU's
    /// floor.
    Floor,
}
