using System.Text.Json.Serialization;
using DurableUn.Data;
using DurableUn.Pipelines;
using DurableUn.Presets;
using DurableUn.Pretraining;

namespace DurableUn.Experiments.Specs;

/// <summary>
/// What the shared artifacts of a study or sweep are built from: the preset base model, the synthetic data, and the
/// target and retain adapters fine-tuned on it (WPU's target is the base itself and its retain model a second base:
/// <see cref="TargetIsBase"/>). A sweep takes these from the study of the same preset
/// (<see cref="StudySpec.Preparation"/>), so both start from the same target and the same floor.
/// Not: what is measured or unlearned afterwards (metric, precisions, methods live in the study or sweep spec).
/// </summary>
public sealed record PreparationSpec
{
    [JsonPropertyName("preset")] public required ModelPreset Preset { get; init; }
    /// Where the forget facts live and what unlearning trains (docs/design.md#pipelines). Written only when it is not
    /// the adapter pipeline, so specs written before pipelines existed load and compare unchanged.
    [JsonPropertyName("pipeline"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Pipeline Pipeline { get; init; }
    /// Seed of the synthetic data and of the preset model's initialisation.
    [JsonPropertyName("data_seed")] public required ulong DataSeed { get; init; }
    /// Fine-tuning steps of the target and retain adapters (full fine-tunes in the fresh-adapter and full pipelines).
    [JsonPropertyName("finetune_steps")] public required int FinetuneSteps { get; init; }
    /// Fine-tuning learning rate of the target and retain adapters.
    [JsonPropertyName("finetune_lr")] public required double FinetuneLr { get; init; }
    /// Whether raw texts (MUSE articles, WPU pages) are trained on besides the QA pairs.
    [JsonPropertyName("train_on_texts")] public bool TrainOnTexts { get; init; }
    /// The NF4 base: pretrained (cached) or random; missing in files written before bases were pretrained.
    [JsonPropertyName("base")] public BaseModel Base { get; init; } = BaseModel.Pretrained;
    /// Pretraining steps of the base; null = the preset's default.
    [JsonPropertyName("pretrain_steps")] public int? PretrainSteps { get; init; }
    /// Cache of pretrained bases; a machine's path, not part of the preparation's identity (null = user cache).
    [JsonIgnore] public string? CacheDir { get; init; }
    /// The pretraining options of the base (the preset's, with this spec's data seed and steps).
    [JsonIgnore] public PretrainOptions Pretraining =>
        PretrainOptions.For(Preset) with { Seed = DataSeed, Steps = PretrainSteps ?? PretrainOptions.For(Preset).Steps };
    /// Least number of forget QA items of the synthetic data (PresetSizes.WithForgetItems grows every entity count in
    /// proportion); null = the preset's own size, and then not written, so spec files of that size stay byte for byte as before.
    [JsonPropertyName("forget_size"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? ForgetSize { get; init; }
    [JsonPropertyName("lora_rank")] public required int LoraRank { get; init; }
    [JsonPropertyName("lora_alpha")] public required double LoraAlpha { get; init; }

    /// <summary>
    /// Whether the forget facts of <paramref name="d"/> are in the pretrained base itself: WPU's people on the
    /// pretrained base (docs/benchmarks.md#wpu), whose target is that base, unlearned with a new adapter (B = 0) or, in
    /// the full pipeline, in every weight, and whose floor is the base pretrained without the forget people. TOFU and
    /// MUSE fine-tune their facts into a target; so does WPU on a random base, which knows nobody.
    /// </summary>
    public bool TargetIsBase(DatasetKind d) => d == DatasetKind.Wpu && Base == BaseModel.Pretrained;

    public PreparationSpec Validate()
    {
        if (FinetuneSteps < 1) throw new ArgumentException($"finetune_steps must be ≥ 1, got {FinetuneSteps}");
        if (!(FinetuneLr > 0)) throw new ArgumentException($"finetune_lr must be > 0, got {FinetuneLr}");
        if (ForgetSize is < 1) throw new ArgumentException($"forget_size must be ≥ 1, got {ForgetSize}");
        if (PretrainSteps is < 1) throw new ArgumentException($"pretrain_steps must be ≥ 1, got {PretrainSteps}");
        if (LoraRank < 1) throw new ArgumentException($"lora_rank must be ≥ 1, got {LoraRank}");
        if (!(LoraAlpha > 0)) throw new ArgumentException($"lora_alpha must be > 0, got {LoraAlpha}");
        return this;
    }
}
