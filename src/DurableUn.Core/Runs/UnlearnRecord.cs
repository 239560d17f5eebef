using System.Text.Json.Serialization;

namespace DurableUn.Runs;

/// <summary>
/// run.json beside an unlearned adapter: enough to rebuild and re-measure the model (certify and certify --verify
/// read it) — where the base, data and target adapter are, with their hashes, and the resolved method options.
/// </summary>
public sealed record UnlearnRecord
{
    [JsonPropertyName("kind")] public string Kind { get; init; } = "unlearn";
    [JsonPropertyName("base_model")] public required string BaseModel { get; init; }
    [JsonPropertyName("base_sha256")] public required string BaseSha256 { get; init; }
    [JsonPropertyName("data")] public required string Data { get; init; }
    [JsonPropertyName("data_sha256")] public required string DataSha256 { get; init; }
    [JsonPropertyName("target_adapter")] public required string TargetAdapter { get; init; }
    [JsonPropertyName("target_adapter_sha256")] public required string TargetAdapterSha256 { get; init; }
    [JsonPropertyName("method")] public required string Method { get; init; }
    [JsonPropertyName("seed")] public required int Seed { get; init; }
    [JsonPropertyName("template")] public required string Template { get; init; }
    /// Resolved method options, snake_case key → value as text (what `--set` accepts).
    [JsonPropertyName("options")] public required IReadOnlyDictionary<string, string> Options { get; init; }
    [JsonPropertyName("curve")] public required IReadOnlyList<CurvePoint> Curve { get; init; }
    [JsonPropertyName("seconds")] public required double Seconds { get; init; }

    public static IReadOnlyDictionary<string, string> Text(IReadOnlyDictionary<string, object> resolved) =>
        resolved.ToDictionary(kv => kv.Key, kv => Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal);
}
