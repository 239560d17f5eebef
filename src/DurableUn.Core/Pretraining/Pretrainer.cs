using DurableUn.Checkpoints;
using DurableUn.Data;
using DurableUn.Data.Synthetic;
using DurableUn.Data.Tokenized;
using DurableUn.Model;
using DurableUn.Randomness;
using DurableUn.Training;

namespace DurableUn.Pretraining;

/// <summary>
/// Full-parameter training of a model folder on a pretraining corpus: the texts are packed into rows of
/// <see cref="PretrainOptions.RowLength"/> tokens (each starting with BOS, every later token scored; a QA pair's answer
/// encoded apart from its prompt, as the suites encode it: <see cref="TextChunker"/>), rows are drawn
/// in seeded epochs, and the result is written as a new model folder with the same config and tokenizer.
/// Deterministic on a CPU for the same folder, corpus and options.
/// Not: caching (<see cref="PretrainedBases"/>) or the choice of corpus.
/// </summary>
public static class Pretrainer
{
    public static IReadOnlyList<StepRecord> Train(string initialDir, PretrainingCorpus corpus, PretrainOptions options, string outDir,
                                                  Action<StepRecord>? onStep = null)
    {
        options.Validate();
        using var pretrained = PretrainedModel.Load(initialDir);
        var rows = TextChunker.Chunk(pretrained.Tokenizer, corpus.Texts, options.RowLength, PromptTemplate.Plain.AnswerCue);
        var padId = pretrained.Tokenizer.PadId;
        var parameters = pretrained.Model.parameters().ToList();
        foreach (var p in parameters) p.requires_grad = true;
        var seed = (long)(options.Seed & long.MaxValue);
        var records = Trainer.Run(parameters, (step, _) =>
        {
            var picked = EpochSampler.Batch(rows.Count, options.BatchSize, seed, step).Select(i => rows[i]).ToList();
            using var batch = TokenBatch.RightPadded(picked, padId);
            return TokenLosses.Of(pretrained.Model, batch).Mean();
        }, options.Training(), onStep: onStep);
        var tensors = ModelWeights.StateDict(pretrained.Model);
        try
        {
            ModelFolder.Save(outDir, pretrained.Config, tensors,
                new ModelFolderSaveOptions { Generation = pretrained.Generation, TokenizerJsonSource = pretrained.Folder.TokenizerPath });
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        return records;
    }
}
