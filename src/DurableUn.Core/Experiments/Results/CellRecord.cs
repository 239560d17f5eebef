using System.Text.Json.Serialization;
using DurableUn.Deployment;
using DurableUn.Runs;

namespace DurableUn.Experiments.Results;

/// <summary>
/// One row of results.json: a model (dataset × method × seed) measured at one precision. FA and RA use the metric
/// named in <see cref="Metric"/>; <see cref="Metrics"/> holds the benchmark suite's own numbers (TOFU forget quality,
/// MUSE KnowMem, MIA AUCs, …) under snake_case names. <see cref="Method"/> is the target (the fine-tuned model before
/// unlearning), the retain model (never saw the forget set: its FA is the floor) or an unlearned model. Method,
/// setting and precision are typed and stored by name, as they always were.
/// </summary>
public sealed record CellRecord
{
    [JsonPropertyName("dataset")] public required string Dataset { get; init; }
    /// The path from base to deployed model (adapter in folders written before pipelines existed).
    [JsonPropertyName("pipeline")] public Pipelines.Pipeline Pipeline { get; init; } = Pipelines.Pipeline.Adapter;
    [JsonPropertyName("method")] public required MeasuredModel Method { get; init; }
    /// Which hyperparameters: calibrated (weakest setting passing the bf16 audit), published (paper defaults), or
    /// a sweep's point.
    [JsonPropertyName("setting")] public CellSetting Setting { get; init; } = CellSetting.Calibrated;
    [JsonPropertyName("seed")] public required int Seed { get; init; }
    [JsonPropertyName("precision")] public required Precision Precision { get; init; }
    [JsonPropertyName("metric")] public required string Metric { get; init; }
    [JsonPropertyName("fa")] public required double Fa { get; init; }
    [JsonPropertyName("ra")] public required double Ra { get; init; }
    /// Forget / retain answer probability (TOFU's forget_Q_A_Prob: per item exp of the mean answer-token
    /// log-probability, then the mean); null in rows written before it was recorded.
    [JsonPropertyName("fa_prob")] public double? FaProb { get; init; }
    [JsonPropertyName("ra_prob")] public double? RaProb { get; init; }
    /// Forget / retain ROUGE-L recall of the greedy answer; null in rows written before it was recorded.
    [JsonPropertyName("fa_rouge")] public double? FaRouge { get; init; }
    [JsonPropertyName("ra_rouge")] public double? RaRouge { get; init; }
    /// This precision against bf16 on the same model, item by item on the forget set (empty at bf16).
    [JsonPropertyName("paired")] public IReadOnlyList<Statistics.PairedDifference> Paired { get; init; } = [];
    /// True for the rows of the positive control: a case built so that rounding must erase the unlearning update.
    [JsonPropertyName("control")] public bool Control { get; init; }
    [JsonPropertyName("metrics")] public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
    /// Benchmark metrics undefined for this model, with the reason (e.g. PrivLeak when the retain model's AUC is 0).
    [JsonPropertyName("undefined")] public IReadOnlyDictionary<string, string> Undefined { get; init; } = new Dictionary<string, string>();
    /// How far the unlearned adapter moved from its target in this precision's quantization codes, per tensor group
    /// (Deployment.QuantizationShifts); empty for target and retain rows and for precisions without codes (bf16).
    [JsonPropertyName("shifts")] public IReadOnlyList<Deployment.QuantizationShift> Shifts { get; init; } = [];
    /// A GGUF precision's file as llama.cpp's quantizer wrote it: file type, tensor types, the tensors that fell back
    /// (k-quants need rows of 256); null for every other precision.
    [JsonPropertyName("gguf"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Evaluation.GgufDeploymentInfo? Gguf { get; init; }
}
