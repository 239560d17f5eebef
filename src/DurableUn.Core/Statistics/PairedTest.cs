using System.Text.Json.Serialization;

namespace DurableUn.Statistics;

/// <summary>The paired per-item test behind a <see cref="PairedDifference"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PairedTest>))]
public enum PairedTest
{
    /// Exact McNemar: a two-sided binomial test on the discordant pairs (0/1 scores such as key-fact recall).
    [JsonStringEnumMemberName("mcnemar_exact")] McNemarExact,
    /// Wilcoxon signed-rank, two-sided (continuous scores such as the answer probability).
    [JsonStringEnumMemberName("wilcoxon")] Wilcoxon,
}
