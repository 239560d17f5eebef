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
    /// OU trains every unlearning method for 10 epochs over the forget set (finetune.yaml num_train_epochs).
    public const int Epochs = 10;
    /// Those epochs over OU's forget10 (400 items) at batch 32: 10 · ⌈400/32⌉ = 130 steps; the default where the
    /// forget set is not known yet (a method's options record).
    public const int Steps = Epochs * ((400 + BatchSize - 1) / BatchSize);

    /// <summary>The published schedule's steps on a forget set of <paramref name="forgetItems"/>: 10 epochs at
    /// <paramref name="batchSize"/>. On a 20-item synthetic forget set that is 10 steps, where 130 steps would pass over it
    /// 130 times or more — not the published setting.</summary>
    public static int StepsFor(int forgetItems, int batchSize) => Epochs * ((forgetItems + batchSize - 1) / batchSize);
}
