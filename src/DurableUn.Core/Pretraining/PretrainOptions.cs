using System.Text.Json.Serialization;
using DurableUn.Presets;
using DurableUn.Training;

namespace DurableUn.Pretraining;

/// <summary>
/// How a preset base is pretrained (full parameters, on <see cref="Data.Synthetic.PretrainingCorpus"/>). Every
/// field is part of the cache key, so changing one trains a new base. Defaults have their reason beside them.
/// </summary>
public sealed record PretrainOptions
{
    /// Seed of the corpus, of the row order and of the trainer.
    [JsonPropertyName("seed")] public ulong Seed { get; init; }
    /// Optimizer steps. Per preset (<see cref="For"/>): as many as fit the study's time budget on 2 cores.
    [JsonPropertyName("steps")] public int Steps { get; init; } = 600;
    /// Rows per step: 16 rows × 128 tokens = 2048 tokens a step.
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 16;
    /// Tokens per packed row (BOS + 127): a benchmark document is 40–200 tokens, so a row holds one or two and
    /// attention cost stays small on a CPU.
    [JsonPropertyName("row_length")] public int RowLength { get; init; } = 128;
    /// Peak learning rate: 1e-3, the rate of the smallest published GPT-style models (Pythia-70M, GPT-3 Small 6e-4);
    /// wider presets take less (<see cref="For"/>).
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 1e-3;
    /// Training documents (~70 tokens each; ~300k tokens, a few passes at the default steps).
    [JsonPropertyName("documents")] public int Documents { get; init; } = 4000;
    /// Held-out documents, about other entities, for perplexity.
    [JsonPropertyName("held_out")] public int HeldOut { get; init; } = 200;
    /// Copies of each document about a WPU person (wikipage, biography, QA page) in the corpus
    /// (<see cref="Data.Synthetic.PretrainingCorpus.PersonDocuments"/>): the fewest on the ladder 8, 16, 32, 64 at which
    /// the tiny base recalls WPU's forget facts at bf16 (key-fact recall 0.92 at 32, 0.33 at 16; looked at at bf16
    /// only, docs/benchmarks.md#wpu). Every preset keeps it: at 32 the smoke base (200 steps) still recalls none.
    [JsonPropertyName("people_repeats")] public int PeopleRepeats { get; init; } = 32;

    /// The defaults for a preset: the wide preset (d 1024) at 5e-4, as GPT-3's rate falls with width.
    public static PretrainOptions For(ModelPreset preset) => preset switch
    {
        ModelPreset.Smoke => new PretrainOptions { Steps = 200, Documents = 1000 }, // seconds, for tests and the smoke study
        ModelPreset.Wide => new PretrainOptions { LearningRate = 5e-4 },
        _ => new PretrainOptions(),
    };

    /// AdamW with GPT-3's pretraining choices: 5 % linear warmup, cosine decay, weight decay 0.1, clip at 1.0.
    public TrainingOptions Training() => new()
    {
        Steps = Steps, LearningRate = LearningRate, WarmupSteps = Math.Max(1, Steps / 20), Schedule = LrSchedule.Cosine,
        WeightDecay = 0.1, MaxGradNorm = 1.0, Beta2 = 0.95, Seed = (long)(Seed & long.MaxValue),
    };

    public PretrainOptions Validate()
    {
        if (Steps < 1) throw new ArgumentException($"steps must be ≥ 1, got {Steps}");
        if (BatchSize < 1) throw new ArgumentException($"batch_size must be ≥ 1, got {BatchSize}");
        if (RowLength < 2) throw new ArgumentException($"row_length must be ≥ 2, got {RowLength}");
        if (!(LearningRate > 0)) throw new ArgumentException($"learning_rate must be > 0, got {LearningRate}");
        if (Documents < 1 || HeldOut < 1) throw new ArgumentException($"documents and held_out must be ≥ 1, got {Documents} and {HeldOut}");
        if (PeopleRepeats < 0) throw new ArgumentException($"people_repeats must be ≥ 0, got {PeopleRepeats}");
        return this;
    }
}
