using System.Text.Json.Serialization;

namespace DurableUn.Evaluation;

/// <summary>Per forget item: whether its answer is reproduced at each precision, and its answer probability there
/// (per-item recovery table).</summary>
public sealed record ItemRecovery
{
    [JsonPropertyName("item_id")] public required string ItemId { get; init; }
    [JsonPropertyName("question")] public required string Question { get; init; }
    [JsonPropertyName("answer")] public required string Answer { get; init; }
    /// precision (stored by name) → the item's score under the run's metric (e.g. answer-token accuracy in [0, 1]).
    [JsonPropertyName("scores")] public required IReadOnlyDictionary<Deployment.Precision, double> Scores { get; init; }
    /// precision (stored by name) → the item's answer probability (exp of its mean answer-token log-probability); empty
    /// (null) in files written before it was recorded, which then write back unchanged.
    [JsonPropertyName("answer_prob"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<Deployment.Precision, double>? AnswerProbability { get; init; }
}
