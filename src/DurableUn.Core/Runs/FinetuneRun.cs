using System.Text.Json;
using System.Text.Json.Serialization;
using DurableUn.Adapters;
using DurableUn.Checkpoints;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Finetuning;
using DurableUn.IO;
using DurableUn.Training;

namespace DurableUn.Runs;

/// <summary>The run record written beside a fine-tuned adapter or fully fine-tuned model folder (run.json).</summary>
public sealed record FinetuneRecord
{
    [JsonPropertyName("base_model")] public required string BaseModel { get; init; }
    [JsonPropertyName("base_sha256")] public required string BaseSha256 { get; init; }
    [JsonPropertyName("data")] public required string Data { get; init; }
    [JsonPropertyName("data_sha256")] public required string DataSha256 { get; init; }
    [JsonPropertyName("split")] public required string Split { get; init; }
    [JsonPropertyName("examples")] public required int Examples { get; init; }
    [JsonPropertyName("options")] public required FinetuneOptions Options { get; init; }
    /// The adapter's LoRA options; null for a full fine-tune (every weight trained, no adapter).
    [JsonPropertyName("lora"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public LoraOptions? Lora { get; init; }
    [JsonPropertyName("curve")] public required IReadOnlyList<CurvePoint> Curve { get; init; }
    [JsonPropertyName("seconds")] public required double Seconds { get; init; }

    /// <summary>The one way a fine-tune's record is made (adapter or full fine-tune): folders as absolute paths, hashed now.</summary>
    public static FinetuneRecord For(string modelDir, string dataDir, FinetuneSplit split, int examples, FinetuneOptions options,
                                     LoraOptions? lora, IReadOnlyList<StepRecord> curve, double seconds) => new()
    {
        BaseModel = Path.GetFullPath(modelDir),
        BaseSha256 = ContentHash.OfFolder(modelDir),
        Data = Path.GetFullPath(dataDir),
        DataSha256 = ContentHash.OfFolder(dataDir),
        Split = split.ToString().ToLowerInvariant(),
        Examples = examples,
        Options = options,
        Lora = lora,
        Curve = curve.Select(s => new CurvePoint(s.Step, s.Loss, s.LearningRate)).ToList(),
        Seconds = seconds,
    };
}

/// <summary>
/// `durableun finetune`: an NF4 base from a model folder, a fresh LoRA adapter, fine-tuned on a dataset split,
/// written as a PEFT adapter folder plus run.json (resolved options, data hashes, loss curve). The folder is built
/// beside the destination and renamed into place, so an interrupted run leaves nothing half-written.
/// </summary>
public static class FinetuneRun
{
    public const string RecordFile = "run.json";

    public static FinetuneRecord Execute(string modelDir, string dataDir, FinetuneSplit split, FinetuneOptions options,
                                         QLoraOptions qlora, PromptTemplate template, string outDir, Action<StepRecord>? onStep = null, bool includeTexts = true)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var dataset = DatasetFolder.Load(dataDir);
        var task = UnlearningTask.From(dataset);
        using var pretrained = PretrainedModel.Load(modelDir);
        using var model = QLoraModel.FromPretrained(pretrained, qlora, options.Seed);
        var encoder = new QaEncoder(pretrained.Tokenizer, template);
        task.CheckFits(encoder, dataDir, pretrained.Config.Llama.MaxPositionEmbeddings);
        var examples = TrainingExamples.For(task, split, encoder, includeTexts);
        var curve = Finetuner.Run(model, examples, pretrained.Tokenizer.PadId, options, onStep);
        var record = FinetuneRecord.For(modelDir, dataDir, split, examples.Count, options, qlora.Lora, curve, watch.Elapsed.TotalSeconds);
        SaveAdapterFolder(outDir, model.Adapter, modelDir, dir =>
            File.WriteAllText(Path.Combine(dir, RecordFile), JsonSerializer.Serialize(record, JsonDefaults.Options)));
        return record;
    }

    /// <summary>Writes a PEFT folder (plus extra files) into a hidden sibling and renames it into place.</summary>
    public static void SaveAdapterFolder(string outDir, LoraAdapter adapter, string baseModel, Action<string>? extra = null)
    {
        DurableUn.IO.StagingFolder.Build(outDir, staging =>
        {
            Directory.CreateDirectory(staging);
            PeftAdapterFiles.Save(staging, adapter, baseModel);
            extra?.Invoke(staging);
        });
    }
}
