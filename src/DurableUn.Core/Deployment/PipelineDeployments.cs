using DurableUn.Pipelines;

namespace DurableUn.Deployment;

/// <summary>
/// Which deployments belong to each <see cref="Pipeline"/> (docs/design.md#pipelines): what a study measures by
/// default, which precision stands for the paper's Q-INT8 and Q-INT4 columns, and which precisions make no sense
/// (an adapter-space precision in the full pipeline, which has no adapter).
/// </summary>
public static class PipelineDeployments
{
    /// <summary>
    /// The study's default precisions: the paper's bf16, INT8 and INT4 in the pipeline's own space, plus the deployments
    /// where recovery is published for it — merged into the target's own NF4 blocks for fresh-adapter (PEFT's merge into
    /// a 4-bit base), and bitsandbytes' whole-model 4-bit formats (FP4 is load_in_4bit's default, NF4 QLoRA's) for full.
    /// </summary>
    public static IReadOnlyList<Precision> DefaultPrecisions(this Pipeline pipeline) => pipeline switch
    {
        Pipeline.Adapter => [Precision.Bf16, Precision.Int8, Precision.Int4],
        Pipeline.FreshAdapter => [Precision.Bf16, Precision.Int8, Precision.Int4, Precision.MergedNf4, Precision.MergedInt4],
        Pipeline.Full => [Precision.Bf16, Precision.ModelInt8, Precision.ModelInt4, Precision.ModelFp4, Precision.ModelNf4],
        _ => throw new ArgumentOutOfRangeException(nameof(pipeline), pipeline, null),
    };

    /// <summary>The precision of the paper's Q-INT8 column in this pipeline.</summary>
    public static Precision Int8(this Pipeline pipeline) => pipeline == Pipeline.Full ? Precision.ModelInt8 : Precision.Int8;

    /// <summary>The precision of the paper's Q-INT4 column (INT4, groups of 64, round to nearest) in this pipeline.</summary>
    public static Precision Int4(this Pipeline pipeline) => pipeline == Pipeline.Full ? Precision.ModelInt4 : Precision.Int4;

    /// <summary>Null when <paramref name="precision"/> deploys a model of this pipeline, else why not.</summary>
    public static string? Refusal(this Pipeline pipeline, Precision precision) =>
        pipeline == Pipeline.Full && precision.Space is PrecisionSpace.Adapter or PrecisionSpace.Merged
            ? $"precision {precision.Name} quantizes or merges a LoRA adapter, and the full pipeline has none; use the model-* precisions (model-int8, model-fp4, model-nf4, model-int4)"
            : null;

    /// <summary>
    /// The deployment at which a study's positive control is built and measured: the merge into the NF4 base that PEFT
    /// does before shipping a QLoRA model (adapter, fresh-adapter), or bitsandbytes' default whole-model 4-bit format
    /// FP4 (full), where Zhang et al. publish recovery.
    /// </summary>
    public static Precision ControlPrecision(this Pipeline pipeline) => pipeline == Pipeline.Full ? Precision.ModelFp4 : Precision.MergedNf4;
}
