using System.Text.Json.Serialization;
using DurableUn.Evaluation;
using DurableUn.Runs;

namespace DurableUn.Experiments.Results;

/// <summary>
/// Everything one cell of a study or sweep produced: one unlearning run (dataset × method × setting × seed, or a
/// sweep point) measured at every precision. Written once, atomically, as cells/KEY.json by <see cref="CellStore"/>;
/// a rerun skips cells whose file exists, so a killed run resumes without losing or duplicating a cell.
/// </summary>
public sealed record CellOutcome
{
    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("dataset")] public required string Dataset { get; init; }
    [JsonPropertyName("method")] public required MeasuredModel Method { get; init; }
    [JsonPropertyName("setting")] public required CellSetting Setting { get; init; }
    [JsonPropertyName("seed")] public required int Seed { get; init; }
    /// The method's resolved options (snake_case key → value as text), as applied.
    [JsonPropertyName("options")] public required IReadOnlyDictionary<string, string> Options { get; init; }
    /// SHA-256 of the unlearned adapter folder (empty for the target and retain rows).
    [JsonPropertyName("adapter_sha256")] public string AdapterSha256 { get; init; } = "";
    /// Folder of the unlearned adapter, relative to the study folder (empty when not kept).
    [JsonPropertyName("adapter_dir")] public string AdapterDir { get; init; } = "";
    [JsonPropertyName("records")] public required IReadOnlyList<CellRecord> Records { get; init; }
    [JsonPropertyName("items")] public IReadOnlyList<ItemRecovery> Items { get; init; } = [];
    [JsonPropertyName("curve")] public IReadOnlyList<CurvePoint> Curve { get; init; } = [];
    [JsonPropertyName("seconds")] public double Seconds { get; init; }
}
