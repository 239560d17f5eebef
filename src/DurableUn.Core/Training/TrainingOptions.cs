namespace DurableUn.Training;

/// <summary>Learning-rate shape after warmup.</summary>
public enum LrSchedule { Constant, Cosine }

/// <summary>
/// Options of one optimisation run. Defaults follow QLoRA's recipe (artidoro/qlora: AdamW, constant LR after
/// warmup, max_grad_norm 0.3, β2 0.999, no weight decay) except where a reason says otherwise.
/// </summary>
public sealed record TrainingOptions
{
    /// Optimizer steps (each may accumulate several micro-batches).
    public int Steps { get; init; } = 100;
    /// Peak learning rate. QLoRA uses 2e-4 for LoRA on 7B; tiny models tolerate more (presets set their own).
    public double LearningRate { get; init; } = 2e-4;
    /// Linear warmup from 0 over this many steps (QLoRA: 3 % of training).
    public int WarmupSteps { get; init; }
    /// Shape after warmup; cosine decays to 0 at the last step.
    public LrSchedule Schedule { get; init; } = LrSchedule.Constant;
    /// Clip the global gradient L2 norm to this (QLoRA: 0.3); 0 disables clipping.
    public double MaxGradNorm { get; init; } = 0.3;
    /// Micro-batches whose gradients are averaged into one step.
    public int GradientAccumulation { get; init; } = 1;
    /// AdamW decoupled weight decay (QLoRA and open-unlearning finetune: 0).
    public double WeightDecay { get; init; }
    /// AdamW β1 (PyTorch default).
    public double Beta1 { get; init; } = 0.9;
    /// AdamW β2 (QLoRA: 0.999).
    public double Beta2 { get; init; } = 0.999;
    /// AdamW ε (PyTorch default).
    public double Epsilon { get; init; } = 1e-8;
    /// Seeds torch's generator (dropout, init) so a CPU run repeats bit for bit.
    public long Seed { get; init; }
    /// Keep an in-memory copy of the parameters every this many steps: the "last good" state restored when a
    /// loss or gradient becomes NaN/Inf.
    public int SnapshotEvery { get; init; } = 10;

    public TrainingOptions Validate()
    {
        if (Steps < 0) throw new ArgumentException($"steps must be ≥ 0, got {Steps}");
        if (!(LearningRate >= 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"lr must be ≥ 0 and finite, got {LearningRate}");
        if (WarmupSteps < 0) throw new ArgumentException($"warmup_steps must be ≥ 0, got {WarmupSteps}");
        if (!(MaxGradNorm >= 0)) throw new ArgumentException($"max_grad_norm must be ≥ 0, got {MaxGradNorm}");
        if (GradientAccumulation < 1) throw new ArgumentException($"gradient_accumulation must be ≥ 1, got {GradientAccumulation}");
        if (!(WeightDecay >= 0)) throw new ArgumentException($"weight_decay must be ≥ 0, got {WeightDecay}");
        if (!(Beta1 is >= 0 and < 1)) throw new ArgumentException($"beta1 must be in [0, 1), got {Beta1}");
        if (!(Beta2 is >= 0 and < 1)) throw new ArgumentException($"beta2 must be in [0, 1), got {Beta2}");
        if (!(Epsilon > 0)) throw new ArgumentException($"epsilon must be > 0, got {Epsilon}");
        if (SnapshotEvery < 1) throw new ArgumentException($"snapshot_every must be ≥ 1, got {SnapshotEvery}");
        return this;
    }

    /// <summary>The learning rate at optimizer step <paramref name="step"/> (0-based).</summary>
    public double LearningRateAt(int step)
    {
        if (step < WarmupSteps) return LearningRate * (step + 1) / (WarmupSteps + 1);
        if (Schedule == LrSchedule.Constant) return LearningRate;
        var span = Math.Max(1, Steps - WarmupSteps);
        var progress = Math.Min(1.0, (double)(step - WarmupSteps) / span);
        return LearningRate * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
