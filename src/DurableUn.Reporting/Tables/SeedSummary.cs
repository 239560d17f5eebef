using System.Globalization;

namespace DurableUn.Reporting;

/// <summary>
/// Mean and sample standard deviation (n − 1) of one quantity over seeds, and how the tables print it:
/// "0.150 ± 0.071", or just "0.150" for a single seed, whose spread is unknown rather than zero.
/// Three decimals because accuracies live in [0, 1] and the paper quotes them so (Q-INT4 = 0.043 ± 0.002).
/// Not: confidence intervals or any test between methods.
/// </summary>
public readonly record struct SeedSummary(double Mean, double StandardDeviation, int Count)
{
    /// Null for no values: a cell not measured yet, which the tables print as <see cref="Missing"/>.
    public static SeedSummary? Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return null;
        var mean = values.Average();
        var std = values.Count == 1 ? 0.0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new SeedSummary(mean, std, values.Count);
    }

    /// What a table shows for a cell with no records.
    public const string Missing = "—";

    public string Format() => Count == 1 ? Number(Mean) : $"{Number(Mean)} ± {Number(StandardDeviation)}";

    public static string Format(SeedSummary? summary) => summary?.Format() ?? Missing;

    public static string Number(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
