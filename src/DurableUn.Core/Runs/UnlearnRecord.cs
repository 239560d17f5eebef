using System.Text.Json.Serialization;

namespace DurableUn.Runs;

/// <summary>
/// run.json beside an unlearned adapter: enough to rebuild and re-measure the model (certify and certify --verify
/// read it) — where the base, data and target adapter are, with their hashes, and the resolved method options.
/// </summary>
public sealed record UnlearnRecord
{
    [JsonPropertyName("kind")] public string Kind { get; init; } = "unlearn";
    /// What was unlearned: the target's adapter (adapter), a fresh LoRA on the NF4 target (fresh-adapter; target_adapter
    /// is then the target model folder), or every weight (full; the folder holds the unlearned model, not an adapter).
    /// Written only when not the adapter pipeline, so records from before pipelines existed read and hash unchanged.
    [JsonPropertyName("pipeline"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Pipelines.Pipeline Pipeline { get; init; }
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

    /// <summary>The one way a run record is made, by `unlearn` and by a study or sweep cell alike.</summary>
    public static UnlearnRecord For(RunInputs inputs, string method, int seed, string template, UnlearnResult result, double seconds) => new()
    {
        BaseModel = inputs.BaseModel, BaseSha256 = inputs.BaseSha256,
        Data = inputs.Data, DataSha256 = inputs.DataSha256,
        TargetAdapter = inputs.TargetAdapter, TargetAdapterSha256 = inputs.TargetAdapterSha256,
        Method = method, Seed = seed, Template = template, Options = Text(result.Options),
        Curve = result.Curve.Select(c => new CurvePoint(c.Step, c.Loss, c.LearningRate)).ToList(),
        Seconds = seconds,
    };

    public static IReadOnlyDictionary<string, string> Text(IReadOnlyDictionary<string, object> resolved) =>
        resolved.ToDictionary(kv => kv.Key, kv => Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal);
}
