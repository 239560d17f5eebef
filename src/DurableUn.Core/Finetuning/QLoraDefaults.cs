using DurableUn.Presets;

namespace DurableUn.Finetuning;

/// <summary>
/// Fine-tuning defaults of the target and retain adapters on a pretrained NF4 base, QLoRA's settings scaled to the
/// preset. Chosen from the QLoRA paper and the width alone, never from what INT4 recovery shows.
/// </summary>
public static class QLoraDefaults
{
    /// QLoRA's LoRA learning rate for 7B models (Dettmers et al. 2023, Table 9: 2e-4) at its width 4096.
    private const double QLoraLr = 2e-4;
    private const int QLoraWidth = 4096;

    /// lr = 2e-4 · sqrt(4096 / d): narrower models take larger steps, as μP-style width scaling of Adam's rate
    /// suggests (a factor 1/sqrt of width between the 1/d of μP for matrices and the flat rate QLoRA uses from 7B to
    /// 13B); tiny (d 128) gets 1.13e-3, smoke (d 64) 1.6e-3, small (d 256) 8e-4.
    /// Wide (d 1024, 2 layers) is the exception, chosen by a bf16-only property, the target's key-fact recall on the
    /// TOFU forget set after the study's 400 steps: at the rule's 4e-4 the target knew 1 of 20 facts (FA 0.05, loss
    /// 0.69: it answers in the right form with wrong facts), below the audit target, so there was nothing to forget;
    /// at tiny's 1.13e-3 it knew 19 of 20 (FA 0.95, RA 0.92 on retain90, loss 0.17), as at 2.26e-3 (0.95). The
    /// smaller of the two rates tried that teach the facts is kept. Small (d 256) keeps the rule: its target knows
    /// 11 of 20 at 8e-4, well above the audit target.
    public static double LearningRate(ModelPreset preset) => preset == ModelPreset.Wide
        ? LearningRate(ModelPreset.Tiny)
        : QLoraLr * Math.Sqrt(QLoraWidth / (double)ModelPresets.Config(preset, vocabSize: 1).HiddenSize);

    /// Rank 16: QLoRA's rank 64 at d 4096 is 1/64 of the width; no narrower rank than 16 memorised tiny TOFU in 600
    /// steps (rank 8 did not), and 16 is already 1/8 of tiny's width, so the adapter is not the bottleneck.
    public const int Rank = 16;

    /// α = 32 (scale α/r = 2), the study's earlier value, kept so that the adapter's scale does not change with the base.
    public const double Alpha = 32;
}
