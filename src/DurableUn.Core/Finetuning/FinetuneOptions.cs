using DurableUn.Training;

namespace DurableUn.Finetuning;

/// <summary>
/// The recipe that makes a target (forget ∪ retain) or retain adapter. Defaults are for the tiny presets, where the
/// adapter must memorise its data within the study's time budget; a real 8B run would use QLoRA's 2e-4 and a few
/// epochs (docs/formats.md#qlora-settings). Every default was checked on the tiny preset (see the closing note of the
/// issue).
/// </summary>
public sealed record FinetuneOptions
{
    /// Optimizer steps. Tiny TOFU (200 QA pairs, batch 16) sees each pair ~40 times in 500 steps.
    public int Steps { get; init; } = 500;
    /// Peak LR. LoRA on a random frozen base needs far more than QLoRA's 2e-4 to memorise in few steps.
    public double LearningRate { get; init; } = 3e-3;
    /// Examples per step.
    public int BatchSize { get; init; } = 16;
    /// Linear warmup steps (≈ QLoRA's 3 %).
    public int WarmupSteps { get; init; } = 15;
    /// Cosine decay to 0 helps the last epochs settle on exact memorisation.
    public LrSchedule Schedule { get; init; } = LrSchedule.Cosine;
    /// Global gradient-norm clip (QLoRA: 0.3; 1.0 lets the high LR move faster early on).
    public double MaxGradNorm { get; init; } = 1.0;
    /// Seeds the adapter initialisation and the data order.
    public long Seed { get; init; }

    public FinetuneOptions Validate()
    {
        if (BatchSize < 1) throw new ArgumentException($"batch_size must be ≥ 1, got {BatchSize}");
        Training().Validate();
        return this;
    }

    public TrainingOptions Training() => new()
    {
        Steps = Steps, LearningRate = LearningRate, WarmupSteps = WarmupSteps, Schedule = Schedule,
        MaxGradNorm = MaxGradNorm, Seed = Seed, SnapshotEvery = 50,
    };
}
