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
    public static UnlearnResult Execute(QLoraModel target, MethodEntry entry, IEnumerable<string> assignments,
                                        UnlearningTask task, QaEncoder encoder, long seed, Action<StepRecord>? onStep = null)
    {
        var (method, resolved) = entry.Build(assignments);   // fails on a bad key or value before anything trains
        var model = target.WithAdapter(target.Adapter);
        try
        {
            var context = new UnlearningContext
            {
                Model = model.Model,
                Reference = target.Model,
                Trainable = model.TrainableParameters,
                MakeView = model.View,
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
