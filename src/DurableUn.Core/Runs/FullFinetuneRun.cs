using System.Text.Json;
using DurableUn.Checkpoints;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Finetuning;
using DurableUn.IO;
using DurableUn.Model;
using DurableUn.Training;

namespace DurableUn.Runs;

/// <summary>
/// A full fine-tune: every weight of a dense model folder trained on a dataset split (the target on forget ∪ retain,
/// the retain model on retain), written as a new model folder (HF layout, same config and tokenizer) plus run.json.
/// TOFU's and MUSE's published targets are full fine-tunes; the fresh-adapter and full pipelines start from this.
/// Not: quantizing the result (the fresh-adapter pipeline does that when it loads the folder as its QLoRA base).
/// </summary>
public static class FullFinetuneRun
{
    public static FinetuneRecord Execute(string modelDir, string dataDir, FinetuneSplit split, FinetuneOptions options,
                                         PromptTemplate template, string outDir, Action<StepRecord>? onStep = null, bool includeTexts = true)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var dataset = DatasetFolder.Load(dataDir);
        var task = UnlearningTask.From(dataset);
        using var pretrained = PretrainedModel.Load(modelDir);
        var trainable = pretrained.Model.parameters().ToList();
        foreach (var p in trainable) p.requires_grad = true;
        var encoder = new QaEncoder(pretrained.Tokenizer, template);
        task.CheckFits(encoder, dataDir, pretrained.Config.Llama.MaxPositionEmbeddings);
        var examples = TrainingExamples.For(task, split, encoder, includeTexts);
        var curve = Finetuner.Run(pretrained.Model, trainable, examples, pretrained.Tokenizer.PadId, options, onStep);
        var record = FinetuneRecord.For(modelDir, dataDir, split, examples.Count, options, lora: null, curve, watch.Elapsed.TotalSeconds);
        StagingFolder.Build(outDir, staging =>
        {
            SaveModel(pretrained, pretrained.Model, staging);
            File.WriteAllText(Path.Combine(staging, FinetuneRun.RecordFile), JsonSerializer.Serialize(record, JsonDefaults.Options));
        });
        return record;
    }

    /// <summary>Writes <paramref name="model"/>'s weights as a model folder with <paramref name="source"/>'s config and tokenizer.</summary>
    public static void SaveModel(PretrainedModel source, CausalLm model, string dir)
    {
        var tensors = ModelWeights.StateDict(model);
        try
        {
            ModelFolder.Save(dir, source.Config, tensors,
                new ModelFolderSaveOptions { Generation = source.Generation, TokenizerJsonSource = source.Folder.TokenizerPath });
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
