using DurableUn.Adapters;
using DurableUn.Data.Tokenized;
using DurableUn.Model;
using DurableUn.Randomness;
using DurableUn.Training;
using TorchSharp.Modules;

namespace DurableUn.Finetuning;

/// <summary>
/// Fine-tunes the LoRA adapter of a QLoRA model on examples (the target on forget ∪ retain, the retain model on
/// retain only) with the shared training loop: mean token NLL over answer tokens (prompt masked).
/// The same loop trains every weight of a dense model (<see cref="Run(CausalLm, IReadOnlyList{Parameter}, IReadOnlyList{EncodedExample}, int, FinetuneOptions, Action{StepRecord})"/>):
/// the full fine-tunes that TOFU's and MUSE's targets are, which the fresh-adapter and full pipelines start from.
/// Not: evaluation, files.
/// </summary>
public static class Finetuner
{
    public static IReadOnlyList<StepRecord> Run(QLoraModel model, IReadOnlyList<EncodedExample> examples, int padId,
                                                FinetuneOptions options, Action<StepRecord>? onStep = null) =>
        Run(model.Model, model.TrainableParameters, examples, padId, options, onStep);

    /// <summary>Trains <paramref name="trainable"/> (the adapter, or every parameter of a dense model) on the examples.</summary>
    public static IReadOnlyList<StepRecord> Run(CausalLm model, IReadOnlyList<Parameter> trainable, IReadOnlyList<EncodedExample> examples, int padId,
                                                FinetuneOptions options, Action<StepRecord>? onStep = null)
    {
        options.Validate();
        model.train();
        try
        {
            return Trainer.Run(trainable, (step, _) =>
            {
                var picked = EpochSampler.Batch(examples.Count, options.BatchSize, options.Seed, step).Select(i => examples[i]).ToList();
                using var batch = TokenBatch.RightPadded(picked, padId);
                return TokenLosses.Of(model, batch).Mean();
            }, options.Training(), onStep: onStep);
        }
        finally
        {
            model.eval();
        }
    }
}
