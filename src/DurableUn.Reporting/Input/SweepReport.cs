using DurableUn.Statistics;

namespace DurableUn.Reporting;

/// <summary>
/// A finished (or partial) hyperparameter sweep of one method on one dataset. The Pareto front is not passed in:
/// the report takes it from the runs with <see cref="ParetoFront.Of"/>, so it always matches the points shown.
/// The change point and its verdict are passed in because they depend on the sweep's bootstrap options and seed.
/// </summary>
public sealed record SweepReport
{
    public required string Dataset { get; init; }
    public required string Method { get; init; }
    public required IReadOnlyList<SweepRun> Runs { get; init; }
    /// RA against Q-INT4 step fit (claim 4); null when the sweep has too few runs to fit one.
    public ChangePointResult? ChangePoint { get; init; }
    /// The verdict on claim 4 in words (<see cref="PhaseTransition.Verdict"/>), or why it was not tested.
    public string? PhaseTransitionNote { get; init; }
    /// ε of the certified flag (max_p FA_p ≤ ε); null when the caller does not say.
    public double? Epsilon { get; init; }
}

/// <summary>One sweep run: its objectives, the option values that produced them (as applied), whether it was certified,
/// and per quantized precision its paired differences from bf16 (FA_p − FA_bf16 and the answer probability's, with
/// interval and test), to stand beside the Q-INT4 / FA_bf16 ratio.</summary>
public sealed record SweepRun(SweepPoint Point, IReadOnlyDictionary<string, string> Parameters, bool Certified)
{
    public IReadOnlyDictionary<string, IReadOnlyList<PairedDifference>> Paired { get; init; } = new Dictionary<string, IReadOnlyList<PairedDifference>>();
}
