using DurableUn.Runs;
using DurableUn.Deployment;
using DurableUn.Experiments.Results;
using DurableUn.Statistics;

namespace DurableUn.Reporting;

/// <summary>
/// One model (dataset × method × setting × seed × metric) measured at a deployed precision and at bf16: the
/// difference FA_p − FA_bf16 and, when the row recorded one, the paired per-item test behind it.
/// Not: the test itself (recorded by the evaluation in <see cref="CellRecord.Paired"/>).
/// </summary>
public sealed record PrecisionPair(CellRecord Deployed, CellRecord Bf16)
{
    public double Difference => Deployed.Fa - Bf16.Fa;

    /// The paired test on the row's own metric when recorded (score "key_fact" for metric key_fact), else the first
    /// one recorded (a different per-item score, which <see cref="Describe"/> then names), else null.
    public PairedDifference? Paired =>
        Deployed.Paired.FirstOrDefault(p => p.Score == Deployed.Metric) ?? Deployed.Paired.FirstOrDefault();

    /// Unlearned models only (not the target, not the retain model), at <paramref name="precision"/>, each beside its bf16 row.
    public static IReadOnlyList<PrecisionPair> Of(IReadOnlyList<CellRecord> cells, Precision precision)
    {
        var bf16 = cells.Where(c => c.Precision == Precision.Bf16)
            .ToDictionary(c => (c.Dataset, c.Method, c.Setting, c.Seed, c.Metric));
        return cells.Where(c => c.Precision == precision && !c.Method.IsReference)
            .Select(c => bf16.TryGetValue((c.Dataset, c.Method, c.Setting, c.Seed, c.Metric), out var b) ? new PrecisionPair(c, b) : null)
            .OfType<PrecisionPair>()
            .OrderBy(p => p.Deployed.Dataset, StringComparer.Ordinal).ByMethod(p => p.Deployed.Method)
            .ThenBy(p => p.Deployed.Setting.Name, StringComparer.Ordinal).ThenBy(p => p.Deployed.Seed)
            .ThenBy(p => p.Deployed.Metric, StringComparer.Ordinal)
            .ToList();
    }

    /// "tofu / npo seed 1 (0.200 → 0.600 at int4)".
    public string Model =>
        $"{Deployed.Dataset} / {Deployed.Method}{(Deployed.Setting == CellSetting.Calibrated ? "" : $" ({Deployed.Setting})")} seed {Deployed.Seed} " +
        $"({SeedSummary.Number(Bf16.Fa)} → {SeedSummary.Number(Deployed.Fa)} at {Deployed.Precision})";

    /// "paired key_fact difference +0.350, 95 % CI [+0.100, +0.600], McNemar exact p = 0.012 over 40 items", or a
    /// plain "no paired test recorded".
    public string Describe() => Paired is { } p
        ? $"paired {p.Score} difference {Signed(p.Difference)}, 95 % CI [{Signed(p.CiLow)}, {Signed(p.CiHigh)}], " +
          $"{TestName(p.Test)} p = {PValue(p.PValue)} over {p.Items} items"
        : "no paired test recorded";

    /// A recorded paired test whose interval lies wholly above (+1) or below (−1) zero, or 0 (none, or it spans zero).
    public int Direction => Paired is not { } p ? 0 : p.CiLow > 0 ? 1 : p.CiHigh < 0 ? -1 : 0;

    public static string Signed(double value) => value.ToString("+0.000;−0.000;0.000", System.Globalization.CultureInfo.InvariantCulture);

    public static string PValue(double p) =>
        p < 0.001 ? "< 0.001" : p.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);

    public static string TestName(PairedTest test) => test switch
    {
        PairedTest.McNemarExact => "exact McNemar",
        PairedTest.Wilcoxon => "Wilcoxon signed-rank",
        _ => throw new ArgumentOutOfRangeException(nameof(test), test, null),
    };
}
