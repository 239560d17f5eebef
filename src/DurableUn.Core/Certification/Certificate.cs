using System.Text.Json.Serialization;
using DurableUn.Deployment;
using DurableUn.Methods;
using DurableUn.Runs;

namespace DurableUn.Certification;

/// <summary>
/// An (ε, P)-durability certificate (docs/design.md#durability-certificate): a run passes when max over p ∈ P of FA_p ≤
/// ε; over seeds the cert rate is passing seeds / seeds and "stable" means every seed passes. The artifact names the
/// SHA-256 of everything it vouches for, so `certify --verify` can recompute it. Written as certificate.json.
/// </summary>
public sealed record Certificate
{
    [JsonPropertyName("schema_version")] public int SchemaVersion { get; init; } = 1;
    [JsonPropertyName("dataset")] public required string Dataset { get; init; }
    [JsonPropertyName("method"), JsonConverter(typeof(MethodEntryJson))] public required MethodEntry Method { get; init; }
    /// The pipeline its runs came from; written only when not the adapter pipeline, so earlier certificates read and
    /// verify unchanged.
    [JsonPropertyName("pipeline"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Pipelines.Pipeline Pipeline { get; init; }
    /// Which hyperparameters the runs used (calibrated, published, or given for runs certified by hand).
    [JsonPropertyName("setting")] public MethodSetting Setting { get; init; } = MethodSetting.Given;
    [JsonPropertyName("epsilon")] public required double Epsilon { get; init; }
    [JsonPropertyName("precisions")] public required IReadOnlyList<Precision> Precisions { get; init; }
    [JsonPropertyName("metric")] public required string Metric { get; init; }
    /// RA is measured on the first this-many retain items (the study's retain_eval_items), so a re-measurement can agree.
    [JsonPropertyName("retain_eval_items")] public int RetainEvalItems { get; init; } = UnlearningTask.DefaultRetainEvalCap;
    [JsonPropertyName("base_sha256")] public required string BaseSha256 { get; init; }
    [JsonPropertyName("data_sha256")] public required string DataSha256 { get; init; }
    [JsonPropertyName("seeds")] public required IReadOnlyList<SeedVerdict> Seeds { get; init; }
    [JsonPropertyName("cert_rate")] public double CertRate => Seeds.Count == 0 ? 0 : Seeds.Count(s => s.Pass) / (double)Seeds.Count;
    [JsonPropertyName("stable")] public bool Stable => Seeds.Count > 0 && Seeds.All(s => s.Pass);
}
