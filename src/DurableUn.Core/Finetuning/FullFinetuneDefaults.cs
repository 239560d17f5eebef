using DurableUn.Presets;

namespace DurableUn.Finetuning;

/// <summary>
/// Defaults of the pipelines that start from a full fine-tune (fresh-adapter and full): the fine-tune's learning rate
/// and the calibration ladder of full-parameter unlearning. Chosen from published settings and bf16-only properties
/// (does the target know the forget facts?), never from what INT4 recovery shows.
/// </summary>
public static class FullFinetuneDefaults
{
    /// <summary>
    /// Learning rate of the full fine-tune of target and retain models (every preset): TOFU fine-tunes its 7B targets
    /// at 1e-5, which at these widths and 300–400 steps does not teach the facts, so the rate is the smallest on
    /// {1e-4, 3e-4, 1e-3} at which the tiny TOFU target's key-fact recall on the forget set (bf16 only) reaches the
    /// adapter target's 0.75. Probe (tiny, pretrained base, 400 steps, 2026-12-07): 1e-4 → the target knows 10 of 20
    /// facts (FA 0.50, loss 0.61; the retain model's RA 0.42); 3e-4 → 20 of 20 (FA 1.00, loss 0.07; retain RA 1.00).
    /// No INT4 number existed for either probe. Smoke was not probed: at 3e-4 × 300 steps its TOFU target knows 2 of
    /// 20 (its WPU target every forget fact), enough for the CI studies to run every path.
    /// </summary>
    public static double LearningRate(ModelPreset preset) => 3e-4;

    /// <summary>
    /// Learning rates of the calibration ladder for full-parameter unlearning: FailureLLMUnlearning unlearns at 1e-5
    /// (and open-unlearning's TOFU recipes at 1e-5), so the ladder runs from 1e-6 up past it, about 3× apart, to 1e-3,
    /// where the presets' small models first forget within the ladder's 20 steps.
    /// </summary>
    public static IReadOnlyList<double> UnlearningLadder { get; } = [1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3];
}
