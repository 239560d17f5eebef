using DurableUn.Experiments.Specs;
using DurableUn.Experiments.Sweeps;
using DurableUn.Statistics;

namespace DurableUn.Reporting;

/// <summary>
/// Turns what a sweep folder holds (<see cref="SweepResults"/>) into a <see cref="ReportInput"/>: the sweep section
/// (runs, change point, verdict, ε), the result rows of the target, the retain model and every point (the setting
/// column is the point id, so "every precision" shows each point's INT8 too), the loss curves of the target and
/// retain adapters, and notes saying how the numbers were produced.
/// Not: per-item recovery of each point (cells/pt*.json hold it; a dense sweep would bury the report in tables).
/// </summary>
public static class SweepReportInput
{
    /// <param name="preparation">The sweep's preparation, for the preset and base named in the summary; null leaves them out.</param>
    public static ReportInput From(SweepResults results, string title, PreparationSpec? preparation = null) => new()
    {
        Title = title,
        Preset = preparation?.Preset.ToString().ToLowerInvariant(),
        Base = preparation?.Base.ToString().ToLowerInvariant(),
        Cells = results.Cells.SelectMany(c => c.Records).ToList(),
        Curves = results.Cells.Where(c => c.Curve.Count > 0 && c.Method.IsReference)
            .Select(c => new LossCurve($"{c.Dataset}/{c.Method}", c.Curve)).ToList(),
        Sweep = new SweepReport
        {
            Dataset = results.Dataset, Method = results.Method,
            Runs = results.Points.Select(p => new SweepRun(p.Point, p.Parameters, p.Certified) { Paired = p.Paired.ToDictionary(kv => kv.Key.Name, kv => kv.Value) }).ToList(),
            ChangePoint = results.Detection, PhaseTransitionNote = results.PhaseTransitionNote, Epsilon = results.Epsilon,
        },
        Notes =
        [
            $"Sweep of {results.Method} on {results.Dataset}: {results.Points.Count} of {results.Planned} planned points finished; " +
            $"precisions {string.Join(", ", results.Precisions)}.",
            $"Floor (retain model's FA_bf16 on the forget set) = {SeedSummary.Number(results.Floor)}; certificate ε = {SeedSummary.Number(results.Epsilon)}.",
        ],
    };
}
