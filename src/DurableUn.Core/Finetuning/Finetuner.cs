using DurableUn.Adapters;
using DurableUn.Data.Tokenized;
using DurableUn.Randomness;
using DurableUn.Training;

namespace DurableUn.Finetuning;

/// <summary>
/// Fine-tunes the LoRA adapter of a QLoRA model on examples (the target on forget ∪ retain, the retain model on
/// retain only) with the shared training loop: mean token NLL over answer tokens (prompt masked).
/// Not: full fine-tuning of the base (the regime freezes it), evaluation.
/// </summary>
public static class Finetuner
{
    public static IReadOnlyList<StepRecord> Run(QLoraModel model, IReadOnlyList<EncodedExample> examples, int padId,
                                                FinetuneOptions options, Action<StepRecord>? onStep = null)
    {
        options.Validate();
        model.Model.train();
        try
        {
            return Trainer.Run(model.TrainableParameters, (step, _) =>
            {
                var picked = EpochSampler.Batch(examples.Count, options.BatchSize, options.Seed, step).Select(i => examples[i]).ToList();
                using var batch = TokenBatch.RightPadded(picked, padId);
                return TokenLosses.Of(model.Model, batch).Mean();
            }, options.Training(), onStep: onStep);
        }
        finally
        {
            model.Model.eval();
        }
    }
}
