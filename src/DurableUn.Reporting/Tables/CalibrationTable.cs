using DurableUn.Runs;
using System.Globalization;
using DurableUn.Experiments.Calibration;

namespace DurableUn.Reporting;

/// <summary>
/// How each method was calibrated (the audit's threat model: the weakest (lr, steps) whose FA bf16 passes ε_audit):
/// benchmark × method → whether a rung passed, the chosen lr and steps, FA and RA bf16 reached there, ε_audit and
/// how many rungs were probed. A row that did not pass used its strongest rung.
/// Not: the ladder itself (calibration/*.json holds every probe).
/// </summary>
public static class CalibrationTable
{
    public static readonly IReadOnlyList<string> Header =
        ["Benchmark", "Method", "Passed", "lr", "Steps", "FA bf16 reached", "RA bf16", "ε_audit", "Rungs probed"];

    public static Table Build(IReadOnlyList<CalibrationResult> calibrations)
    {
        var lines = calibrations.OrderBy(c => c.Dataset, StringComparer.Ordinal).ByMethod(c => MeasuredModel.Parse(c.Method))
            .Select(c => (IReadOnlyList<string>)
            [
                c.Dataset, c.Method, c.Passed ? "yes" : "no (strongest rung used)",
                c.Chosen.Lr.ToString("G4", CultureInfo.InvariantCulture), c.Chosen.Steps.ToString(CultureInfo.InvariantCulture),
                SeedSummary.Number(c.Chosen.FaBf16), SeedSummary.Number(c.Chosen.RaBf16), SeedSummary.Number(c.AuditEpsilon),
                $"{c.Probes.Count} of {c.Ladder.Count}",
            ]).ToList();
        return new Table("calibration", "Calibration: the weakest setting passing the bf16 audit", Header, lines,
            ["Seed 0 at bf16 only: no quantized result influences the choice. Passed = FA bf16 ≤ ε_audit at the chosen rung."],
            TextColumns: 3);
    }
}
