using System.Text.Json.Serialization;

namespace DurableUn.Statistics;

/// <summary>
/// A deployed precision against bf16 on the same model and items: the mean per-item difference (precision − bf16),
/// its bootstrap 95 % interval, and a paired test. A ratio of two near-zero accuracies is never reported alone;
/// this is what says whether a recovery is real.
/// </summary>
public sealed record PairedDifference
{
    /// Which per-item score: "key_fact" (0/1 recall) or "answer_prob" (TOFU's forget_Q_A_Prob per item), on the forget set.
    [JsonPropertyName("score")] public required string Score { get; init; }
    [JsonPropertyName("difference")] public required double Difference { get; init; }
    [JsonPropertyName("ci_low")] public required double CiLow { get; init; }
    [JsonPropertyName("ci_high")] public required double CiHigh { get; init; }
    [JsonPropertyName("test")] public required PairedTest Test { get; init; }
    [JsonPropertyName("p_value")] public required double PValue { get; init; }
    [JsonPropertyName("items")] public required int Items { get; init; }
}
