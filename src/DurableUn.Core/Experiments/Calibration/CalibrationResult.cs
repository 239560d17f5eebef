using System.Text.Json.Serialization;

namespace DurableUn.Experiments.Calibration;

/// <summary>calibration/{dataset}__{method}.json: the search and its outcome.</summary>
public sealed record CalibrationResult
{
    [JsonPropertyName("dataset")] public required string Dataset { get; init; }
    [JsonPropertyName("method")] public required string Method { get; init; }
    [JsonPropertyName("audit_epsilon")] public required double AuditEpsilon { get; init; }
    [JsonPropertyName("ladder")] public required IReadOnlyList<LadderRung> Ladder { get; init; }
    [JsonPropertyName("probes")] public required IReadOnlyList<CalibrationProbe> Probes { get; init; }
    [JsonPropertyName("chosen")] public required CalibrationProbe Chosen { get; init; }
    /// False when even the strongest rung did not pass the audit; the strongest is then used and the report says so.
    [JsonPropertyName("passed")] public required bool Passed { get; init; }
}
