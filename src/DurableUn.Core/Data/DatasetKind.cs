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
