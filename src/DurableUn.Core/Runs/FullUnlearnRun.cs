using DurableUn.Adapters;
using DurableUn.Checkpoints;
using DurableUn.Data.Tokenized;
using DurableUn.Methods;
using DurableUn.Model;
using DurableUn.Training;

namespace DurableUn.Runs;

/// <summary>
/// One unlearning run of the full pipeline: every weight of the dense target is trained (AdamW), as
/// FailureLLMUnlearning's trainer does (Zhang et al., ICLR 2025); the frozen reference is the target as loaded for
/// measurement. The result comes back as a <see cref="QLoraModel"/> over a dense (unquantized) base holding the
/// unlearned weights, with a zero adapter, so it is deployed and measured like every other model; no adapter is made.
/// Not: evaluation or files (the study writes the model folder).
/// </summary>
public static class FullUnlearnRun
{
    /// <param name="targetDir">The full target's model folder (the trainable copy is loaded from it).</param>
    /// <param name="reference">The target as measured: a dense base with a zero adapter.</param>
    public static UnlearnResult Execute(string targetDir, QLoraModel reference, MethodEntry entry, IMethodOptions options,
                                        UnlearningTask task, QaEncoder encoder, long seed, Action<StepRecord>? onStep = null)
    {
        var (method, resolved) = entry.Build(options);
        using var pretrained = PretrainedModel.Load(targetDir);
        var model = pretrained.Model;
        var trainable = model.parameters().ToList();
        foreach (var p in trainable) p.requires_grad = true;
        var views = new List<CausalLm>();
        try
        {
            var context = new UnlearningContext
            {
                Model = model,
                Reference = reference.Model,
                Trainable = trainable,
                MakeView = transform =>
                {
                    var view = DenseView.Of(model, transform);
                    views.Add(view);
                    return view;
                },
                Seed = seed,
                Data = new UnlearningData(
                    task.Forget.Select(i => encoder.Encode(i.Question, i.Answer)).ToList(),
                    task.Retain.Select(i => encoder.Encode(i.Question, i.Answer)).ToList(),
                    encoder.Tokenizer.PadId, encoder),
            };
            reference.Model.eval();
            model.train();
            var curve = Unlearner.Run(context, method, onStep);
            model.eval();
            var weights = ModelWeights.StateDict(model);
            try
            {
                var unlearned = QLoraModel.FromWeights(model.Config, weights, reference.Base.Options with { Lora = reference.Adapter.Options });
                return new UnlearnResult(unlearned, curve, resolved);
            }
            finally
            {
                foreach (var t in weights.Values) t.Dispose();
            }
        }
        finally
        {
            foreach (var v in views) v.Dispose();
        }
    }

    /// <summary>Writes the unlearned weights as a model folder (the target's config and tokenizer) plus extra files, staged and renamed into place.</summary>
    public static void Save(QLoraModel unlearned, PretrainedModel target, string outDir, Action<string>? extra = null)
    {
        using var _ = TorchSharp.torch.no_grad();
        var tensors = new Dictionary<string, TorchSharp.torch.Tensor>(unlearned.Base.Dense, StringComparer.Ordinal);
        var owned = unlearned.Base.Projections.ToDictionary(kv => $"{kv.Key}.weight", kv => kv.Value.Weight(TorchSharp.torch.ScalarType.Float32), StringComparer.Ordinal);
        foreach (var (name, t) in owned) tensors[name] = t;
        try
        {
            IO.StagingFolder.Build(outDir, staging =>
            {
                ModelFolder.Save(staging, target.Config, tensors,
                    new ModelFolderSaveOptions { Generation = target.Generation, TokenizerJsonSource = target.Folder.TokenizerPath });
                extra?.Invoke(staging);
            });
        }
        finally
        {
            foreach (var t in owned.Values) t.Dispose();
        }
    }
}
