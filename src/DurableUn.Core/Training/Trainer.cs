using DurableUn.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Training;

/// <summary>One optimizer step as seen from outside: the step, its LR, its mean loss and the pre-clip grad norm.</summary>
public sealed record StepRecord(int Step, double LearningRate, double Loss, double GradNorm);

/// <summary>A loss became NaN/Inf. The parameters were restored to the last good snapshot before this was thrown.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);

/// <summary>
/// The optimisation loop shared by fine-tuning and every unlearning method: AdamW, warmup then constant or cosine
/// LR, global-norm gradient clipping, gradient accumulation, and NaN/Inf detection that restores the last good
/// parameters and stops with a message naming the step. The loss is a function of (step, micro-batch), so the
/// caller decides what a batch is; the beforeStep hook lets a method edit gradients (SalUn, SURE masks).
/// Not: data loading, evaluation, checkpoint files (callers write what they need from the returned records).
/// </summary>
public static class Trainer
{
    /// <param name="parameters">The trainable parameters; nothing else is touched.</param>
    /// <param name="loss">Returns the scalar loss of micro-batch <c>micro</c> of optimizer step <c>step</c>.</param>
    /// <param name="beforeStep">Called after gradients are accumulated and clipped, before the optimizer step.</param>
    /// <param name="onStep">Progress callback, once per optimizer step.</param>
    public static IReadOnlyList<StepRecord> Run(
        IReadOnlyList<Parameter> parameters,
        Func<int, int, Tensor> loss,
        TrainingOptions options,
        Action<int>? beforeStep = null,
        Action<StepRecord>? onStep = null)
    {
        options.Validate();
        if (parameters.Count == 0) throw new ArgumentException("no trainable parameters were given");
        manual_seed(options.Seed);
        using var optimizer = new AdamW(parameters, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
        var records = new List<StepRecord>(options.Steps);
        var snapshot = Snapshot(parameters);
        var snapshotStep = 0;
        try
        {
            for (var step = 0; step < options.Steps; step++)
            {
                using var scope = NewDisposeScope();
                var lr = options.LearningRateAt(step);
                optimizer.LearningRate = lr;
                optimizer.ZeroGrad();
                var total = 0.0;
                for (var micro = 0; micro < options.GradientAccumulation; micro++)
                {
                    var value = loss(step, micro);
                    var scalar = value.item<float>();
                    if (!double.IsFinite(scalar))
                        throw Diverged(parameters, snapshot, snapshotStep, $"loss is {scalar} at step {step} (micro-batch {micro})");
                    value.Over(options.GradientAccumulation).backward();
                    total += scalar;
                }
                var norm = GradNorm(parameters);
                if (!double.IsFinite(norm))
                    throw Diverged(parameters, snapshot, snapshotStep, $"gradient norm is {norm} at step {step}");
                if (options.MaxGradNorm > 0) nn.utils.clip_grad_norm_(parameters, options.MaxGradNorm);
                beforeStep?.Invoke(step);
                optimizer.Step();
                var record = new StepRecord(step, lr, total / options.GradientAccumulation, norm);
                records.Add(record);
                onStep?.Invoke(record);
                if ((step + 1) % options.SnapshotEvery == 0)
                {
                    foreach (var t in snapshot) t.Dispose();
                    snapshot = Snapshot(parameters);
                    snapshotStep = step + 1;
                }
            }
        }
        finally
        {
            foreach (var t in snapshot) t.Dispose();
            foreach (var p in parameters) p.grad?.zero_();
        }
        return records;
    }

    /// <summary>Global L2 norm of all gradients (parameters without a gradient count as zero).</summary>
    public static double GradNorm(IEnumerable<Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        var sum = 0.0;
        foreach (var p in parameters)
            if (p.grad is { } g) sum += g.to_type(ScalarType.Float64).Square().sum().item<double>();
        return Math.Sqrt(sum);
    }

    private static List<Tensor> Snapshot(IEnumerable<Parameter> parameters)
    {
        using var _ = no_grad();
        return parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToList();
    }

    private static TrainingDivergedException Diverged(IReadOnlyList<Parameter> parameters, List<Tensor> snapshot, int snapshotStep, string what)
    {
        using (no_grad())
            for (var i = 0; i < parameters.Count; i++) parameters[i].copy_(snapshot[i]);
        return new TrainingDivergedException(
            $"Training diverged: {what}. The parameters were restored to the last good state (after step {snapshotStep}). " +
            "Lower the learning rate or clip gradients harder.");
    }
}
