using DurableUn.Evaluation;
using DurableUn.Experiments;
using DurableUn.Runs;

namespace DurableUn.Reporting;

/// <summary>The forget items of one unlearned run (dataset × method × setting × seed) scored at each precision.</summary>
public sealed record ItemRecoverySet
{
    public required string Dataset { get; init; }
    public required MeasuredModel Method { get; init; }
    public CellSetting Setting { get; init; } = CellSetting.Calibrated;
    public required int Seed { get; init; }
    public required IReadOnlyList<ItemRecovery> Items { get; init; }
}
