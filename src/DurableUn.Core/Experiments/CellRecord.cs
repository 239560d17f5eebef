using System.Text.Json.Serialization;

namespace DurableUn.Experiments;

/// <summary>
/// One row of results.json: a model (dataset × method × seed) measured at one precision. FA and RA use the metric
/// named in <see cref="Metric"/>; <see cref="Metrics"/> holds the benchmark suite's own numbers (TOFU forget quality,
/// MUSE KnowMem, MIA AUCs, …) under snake_case names. Method "target" is the fine-tuned model before unlearning and
/// method "retain" the model that never saw the forget set (its FA on the forget set is the floor).
/// </summary>
public sealed record CellRecord
{
    [JsonPropertyName("dataset")] public required string Dataset { get; init; }
    [JsonPropertyName("method")] public required string Method { get; init; }
    /// Which hyperparameters: "calibrated" (weakest setting passing the bf16 audit) or "published" (paper defaults).
    [JsonPropertyName("setting")] public string Setting { get; init; } = "calibrated";
    [JsonPropertyName("seed")] public required int Seed { get; init; }
    [JsonPropertyName("precision")] public required string Precision { get; init; }
    [JsonPropertyName("metric")] public required string Metric { get; init; }
    [JsonPropertyName("fa")] public required double Fa { get; init; }
    [JsonPropertyName("ra")] public required double Ra { get; init; }
    [JsonPropertyName("metrics")] public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
    /// Benchmark metrics undefined for this model, with the reason (e.g. PrivLeak when the retain model's AUC is 0).
    [JsonPropertyName("undefined")] public IReadOnlyDictionary<string, string> Undefined { get; init; } = new Dictionary<string, string>();
    /// How far the unlearned adapter moved from its target in this precision's quantization codes, per tensor group
    /// (Deployment.QuantizationShifts); empty for target and retain rows and for precisions without codes (bf16).
    [JsonPropertyName("shifts")] public IReadOnlyList<Deployment.QuantizationShift> Shifts { get; init; } = [];
}

/// <summary>Per forget item: whether its answer is reproduced at each precision (per-item recovery table).</summary>
public sealed record ItemRecovery
{
    [JsonPropertyName("item_id")] public required string ItemId { get; init; }
    [JsonPropertyName("question")] public required string Question { get; init; }
    [JsonPropertyName("answer")] public required string Answer { get; init; }
    /// precision name → the item's score under the run's metric (e.g. answer-token accuracy in [0, 1]).
    [JsonPropertyName("scores")] public required IReadOnlyDictionary<string, double> Scores { get; init; }
}

/// <summary>One optimizer step of a training or unlearning run, for loss curves.</summary>
public sealed record CurvePoint(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("lr")] double LearningRate);
