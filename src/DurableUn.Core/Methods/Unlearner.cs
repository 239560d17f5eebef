using DurableUn.Training;

namespace DurableUn.Methods;

/// <summary>
/// Runs one unlearning method: validates its options, prepares it at θ0, then trains <see cref="UnlearningContext.Trainable"/>
/// with the shared <see cref="Trainer"/> on the batcher's batches, the method's gradient edit as the before-step hook.
/// Loop settings besides lr and steps are open-unlearning's (HF Trainer): AdamW, constant LR, no weight decay,
/// gradient clipping at 1.0. Returns the loss curve. Not: evaluation, checkpoints (the caller's).
/// </summary>
public static class Unlearner
{
    /// HF TrainingArguments.max_grad_norm, which open-unlearning inherits.
    public const double MaxGradNorm = 1.0;

    public static IReadOnlyList<StepRecord> Run(UnlearningContext context, IUnlearningMethod method, Action<StepRecord>? onStep = null)
    {
        var options = method.Options;
        options.Validate();
        if (context.Trainable.Count == 0) throw new ArgumentException("no trainable parameters were given");
        var batcher = new UnlearningBatcher(context.Data, (ulong)context.Seed, options.BatchSize, method.Extras);
        method.Prepare(context);
        var training = new TrainingOptions { Steps = options.Steps, LearningRate = options.Lr, Seed = context.Seed, MaxGradNorm = MaxGradNorm };
        return Trainer.Run(context.Trainable, (step, _) => method.Loss(context, batcher.Batch(step)), training,
            beforeStep: _ => method.EditGradients(context), onStep: onStep);
    }
}
