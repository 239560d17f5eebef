using System.Text.Json.Serialization;
using DurableUn.Deployment;
using DurableUn.Statistics;
using DurableUn.Experiments.Results;

namespace DurableUn.Experiments.Sweeps;

/// <summary>
/// sweep_results.json: every finished point, the exact Pareto front over (FA↓, RA↑, Q-INT4↓) and the test of the
/// phase transition, made from whatever cells exist (a sweep still running reports what it has).
/// Not: the report's tables and plots (DurableUn.Reporting renders these results).
/// </summary>
public sealed record SweepResults
{
    [JsonPropertyName("method")] public required string Method { get; init; }
    [JsonPropertyName("dataset")] public required string Dataset { get; init; }
    [JsonPropertyName("metric")] public required string Metric { get; init; }
    [JsonPropertyName("precisions")] public required IReadOnlyList<string> Precisions { get; init; }
    /// FA_bf16 of the retain model on the forget set: what a model that never saw the forget set scores.
    [JsonPropertyName("floor")] public required double Floor { get; init; }
    [JsonPropertyName("epsilon")] public required double Epsilon { get; init; }
    [JsonPropertyName("planned")] public required int Planned { get; init; }
    [JsonPropertyName("points")] public required IReadOnlyList<SweepPointResult> Points { get; init; }
    /// Ids of the non-dominated points (<see cref="ParetoFront.Of"/>), in point order.
    [JsonPropertyName("pareto_front")] public required IReadOnlyList<string> ParetoFront { get; init; }
    /// Null when the points cannot be split (see <see cref="PhaseTransitionNote"/>).
    [JsonPropertyName("phase_transition")] public PhaseTransition? PhaseTransition { get; init; }
    /// The verdict on claim 4 in one paragraph, or why it could not be tested.
    [JsonPropertyName("phase_transition_note")] public required string PhaseTransitionNote { get; init; }

    /// The change-point fit behind <see cref="PhaseTransition"/>, for the plot.
    [JsonIgnore] public ChangePointResult? Detection { get; init; }
    /// Every finished cell: the target and retain references and the points, for the report's tables and curves.
    [JsonIgnore] public IReadOnlyList<CellOutcome> Cells { get; init; } = [];
}
