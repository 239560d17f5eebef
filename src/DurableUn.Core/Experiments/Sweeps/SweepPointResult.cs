using System.Text.Json.Serialization;
using DurableUn.Deployment;
using DurableUn.Statistics;

namespace DurableUn.Experiments.Sweeps;

/// <summary>One finished sweep point: its option values and what it measured (FA, RA, Q-INT4 and every precision).</summary>
public sealed record SweepPointResult
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    /// The option values the point set, as applied (<c>--set</c> text).
    [JsonPropertyName("parameters")] public required IReadOnlyDictionary<string, string> Parameters { get; init; }
    /// FA at bf16 (the audit), lower is better.
    [JsonPropertyName("fa_bf16")] public required double FaBf16 { get; init; }
    /// RA at bf16, higher is better.
    [JsonPropertyName("ra_bf16")] public required double RaBf16 { get; init; }
    /// FA at int4 (the quantization recovery attack), lower is better.
    [JsonPropertyName("q_int4")] public required double QInt4 { get; init; }
    /// max over the sweep's precisions of FA_p; certified iff it is ≤ ε.
    [JsonPropertyName("max_fa")] public required double MaxFa { get; init; }
    [JsonPropertyName("certified")] public required bool Certified { get; init; }
    [JsonPropertyName("fa")] public required IReadOnlyDictionary<Precision, double> Fa { get; init; }
    [JsonPropertyName("ra")] public required IReadOnlyDictionary<Precision, double> Ra { get; init; }
    /// Forget answer probability per precision (null in points measured before it was recorded).
    [JsonPropertyName("fa_prob")] public IReadOnlyDictionary<Precision, double?> FaProb { get; init; } = new Dictionary<Precision, double?>();
    /// Per quantized precision, FA_p − FA_bf16 and the probability's difference with their tests and intervals.
    [JsonPropertyName("paired")] public IReadOnlyDictionary<Precision, IReadOnlyList<PairedDifference>> Paired { get; init; } = new Dictionary<Precision, IReadOnlyList<PairedDifference>>();
    [JsonPropertyName("seconds")] public double Seconds { get; init; }

    [JsonIgnore] public SweepPoint Point => new(Id, FaBf16, RaBf16, QInt4);
}
