using System.Globalization;
using DurableUn.Deployment;

namespace DurableUn.Reporting;

/// <summary>
/// The mechanism columns of a results row (Deployment.QuantizationShifts, recorded per cell): for one precision, per
/// tensor group (A, B for adapter precisions; merged), the mean over seeds of the fraction of codes that differ from
/// the target's and of the median |Δw| in half quantization steps. "A 12.5% · B 40.0%". Rows without shifts (target,
/// retain, cells from before they were recorded) show "—".
/// </summary>
public static class ShiftColumns
{
    public const string FlippedHeader = "Codes flipped (int4)";
    public const string MedianHeader = "Median |Δw| / half-step (int4)";

    public const string Footnote =
        "Codes flipped: share of the adapter's INT4 codes (A, B) that differ from the target's; median |Δw| in half INT4 " +
        "steps (below 1: rounding can undo the move). Mean over seeds; — for models that were not unlearned.";

    public static string Flipped(MethodRow row, Precision precision) =>
        Format(row, precision, s => s.CodesFlipped, v => (100 * v).ToString("F1", CultureInfo.InvariantCulture) + "%");

    public static string Median(MethodRow row, Precision precision) =>
        Format(row, precision, s => s.MedianHalfSteps, v => v.ToString("0.00", CultureInfo.InvariantCulture));

    private static string Format(MethodRow row, Precision precision, Func<Deployment.QuantizationShift, double> value, Func<double, string> format)
    {
        var shifts = row.Cells.Where(c => c.Precision == precision).SelectMany(c => c.Shifts).ToList();
        if (shifts.Count == 0) return SeedSummary.Missing;
        return string.Join(" · ", shifts.GroupBy(s => s.Group).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {format(g.Average(value))}"));
    }
}
