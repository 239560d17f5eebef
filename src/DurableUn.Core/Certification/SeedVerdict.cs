using System.Text.Json.Serialization;
using DurableUn.Deployment;

namespace DurableUn.Certification;

/// <summary>One seed's unlearned model: what it is (hashes, run folder) and what it measured at each precision.</summary>
public sealed record SeedVerdict
{
    [JsonPropertyName("seed")] public required int Seed { get; init; }
    [JsonPropertyName("run_dir")] public required string RunDir { get; init; }
    [JsonPropertyName("adapter_sha256")] public required string AdapterSha256 { get; init; }
    [JsonPropertyName("options_sha256")] public required string OptionsSha256 { get; init; }
    [JsonPropertyName("fa")] public required IReadOnlyDictionary<Precision, double> Fa { get; init; }
    [JsonPropertyName("ra")] public required IReadOnlyDictionary<Precision, double> Ra { get; init; }
    [JsonPropertyName("max_fa")] public double MaxFa => Fa.Values.DefaultIfEmpty(double.NaN).Max();
    [JsonPropertyName("pass")] public bool Pass { get; init; }

    /// <summary>The verdict of one seed: pass iff every precision in P was measured and max FA_p ≤ ε.</summary>
    public static bool Passes(IReadOnlyDictionary<Precision, double> fa, IReadOnlyList<Precision> precisions, double epsilon) =>
        precisions.All(fa.ContainsKey) && precisions.Max(p => fa[p]) <= epsilon;
}
