using DurableUn.Evaluation;
using DurableUn.Experiments.Results;
using DurableUn.Runs;

namespace DurableUn.Reporting;

/// <summary>The forget items of one unlearned run (dataset × method × setting × seed) scored at each precision.</summary>
public sealed record ItemRecoverySet
{
    public required string Dataset { get; init; }
    public required MeasuredModel Method { get; init; }
    public CellSetting Setting { get; init; } = CellSetting.Calibrated;
    public required int Seed { get; init; }
    /// Which pipeline's run (adapter for studies written before pipelines existed).
    public Pipelines.Pipeline Pipeline { get; init; } = Pipelines.Pipeline.Adapter;
    /// A run of the positive control (rounding must erase its update).
    public bool Control { get; init; }
    public required IReadOnlyList<ItemRecovery> Items { get; init; }
}
