using System.Text.Json.Serialization;

namespace DurableUn.Deployment;

/// <summary>
/// How far an unlearned adapter moved from its target in the units of one quantized precision, for one tensor group
/// (<c>A</c> or <c>B</c> of every adapted projection for adapter precisions, <c>merged</c> for the merged weights).
/// <see cref="CodesFlipped"/> is the fraction of elements whose quantization code differs (each model quantized on its
/// own, as deployed); |Δw| is in units of half the target's quantization step, so a value below 1 is a move that round
/// to nearest can undo. Histogram bins: [0, .25), [.25, .5), [.5, 1), [1, 2), [2, ∞) (<see cref="QuantizationShifts.BinEdges"/>).
/// </summary>
public sealed record QuantizationShift
{
    [JsonPropertyName("group")] public required string Group { get; init; }
    [JsonPropertyName("elements")] public required long Elements { get; init; }
    [JsonPropertyName("codes_flipped")] public required double CodesFlipped { get; init; }
    /// Fraction of elements in each bin of |Δw| / half-step.
    [JsonPropertyName("half_step_histogram")] public required IReadOnlyList<double> HalfStepHistogram { get; init; }
    [JsonPropertyName("median_half_steps")] public required double MedianHalfSteps { get; init; }
}
