namespace DurableUn.Methods;

/// <summary>
/// The loop defaults every method starts from, taken from open-unlearning's TOFU recipe (docs/methods.md#loop-defaults:
/// configs/trainer/finetune.yaml, docs/repro.md) unless a method's options say otherwise.
/// </summary>
public static class MethodDefaults
{
    /// OU finetune.yaml and docs/repro.md: lr 1e-5 (MUSE and FailureLLM scripts use the same).
    public const double Lr = 1e-5;
    /// OU docs/repro.md: effective batch 32 (4 per device × 4 accumulation × 2 GPUs).
    public const int BatchSize = 32;
    /// OU: 10 epochs over forget10 (400 items) at batch 32 = 10 · ⌈400/32⌉ = 130 steps.
    public const int Steps = 130;
}
