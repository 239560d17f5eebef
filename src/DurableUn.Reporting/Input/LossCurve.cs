using DurableUn.Runs;

namespace DurableUn.Reporting;

/// <summary>
/// One training or unlearning run's loss per optimizer step. Name is "dataset/what" ("tofu/target",
/// "tofu/npo/seed0"): the part before the first '/' picks the plot, the rest is the legend entry.
/// </summary>
public sealed record LossCurve(string Name, IReadOnlyList<CurvePoint> Points);
