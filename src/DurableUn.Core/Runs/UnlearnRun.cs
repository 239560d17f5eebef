using DurableUn.Adapters;
using DurableUn.Data.Tokenized;
using DurableUn.Methods;
using DurableUn.Training;

namespace DurableUn.Runs;

/// <summary>An unlearned model (the caller disposes it) with its loss curve and resolved options.</summary>
public sealed record UnlearnResult(QLoraModel Model, IReadOnlyList<StepRecord> Curve, IReadOnlyDictionary<string, object> Options);

/// <summary>
/// One unlearning run in the QLoRA regime: the trainable model is the target's NF4 base with a copy of the target
/// adapter; the frozen reference is the target itself (same base objects, no second copy of the base); the method
/// trains the adapter copy on forget QA (the anchor) paired with retain QA. SAF's fake-quantized views share the
/// adapter Parameters through <see cref="QLoraModel.View"/>.
/// Not: evaluation or files (the unlearn command and the study write those).
/// </summary>
public static class UnlearnRun
{
    /// <summary>Unlearns with the method's defaults and <c>--set</c> assignments (a bad key or value fails before training).</summary>
    public static UnlearnResult Execute(QLoraModel target, MethodEntry entry, IEnumerable<string> assignments,
                                        UnlearningTask task, QaEncoder encoder, long seed, Action<StepRecord>? onStep = null) =>
        Execute(target, entry.Build(assignments), task, encoder, seed, onStep);

    /// <summary>Unlearns with typed options of the entry's type (validated before training).</summary>
    public static UnlearnResult Execute(QLoraModel target, MethodEntry entry, IMethodOptions options,
                                        UnlearningTask task, QaEncoder encoder, long seed, Action<StepRecord>? onStep = null) =>
        Execute(target, entry.Build(options), task, encoder, seed, onStep);

    private static UnlearnResult Execute(QLoraModel target, (IUnlearningMethod Method, IReadOnlyDictionary<string, object> Resolved) built,
                                         UnlearningTask task, QaEncoder encoder, long seed, Action<StepRecord>? onStep)
    {
        var (method, resolved) = built;
        var model = target.WithAdapter(target.Adapter);
        try
        {
            var context = new UnlearningContext
            {
                Model = model.Model,
                Reference = target.Model,
                Trainable = model.TrainableParameters,
                MakeView = model.View,
                MakeMergedView = model.MergedView,
                Seed = seed,
                Data = new UnlearningData(
                    task.Forget.Select(i => encoder.Encode(i.Question, i.Answer)).ToList(),
                    task.Retain.Select(i => encoder.Encode(i.Question, i.Answer)).ToList(),
                    encoder.Tokenizer.PadId, encoder),
            };
            target.Model.eval();
            model.Model.train();
            var curve = Unlearner.Run(context, method, onStep);
            model.Model.eval();
            return new UnlearnResult(model, curve, resolved);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
