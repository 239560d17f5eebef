using DurableUn.Evaluation;

namespace DurableUn.Reporting;

/// <summary>The forget items of one unlearned run (dataset × method × setting × seed) scored at each precision.</summary>
public sealed record ItemRecoverySet
{
    public required string Dataset { get; init; }
    public required string Method { get; init; }
    public string Setting { get; init; } = "calibrated";
    public required int Seed { get; init; }
    public required IReadOnlyList<ItemRecovery> Items { get; init; }
}
