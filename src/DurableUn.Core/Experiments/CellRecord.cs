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
