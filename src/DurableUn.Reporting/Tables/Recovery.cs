using System.Globalization;

namespace DurableUn.Reporting;

/// <summary>
/// Recovery factor = FA_int4 / FA_bf16 (docs/design.md#recovery-factor), taken as the ratio of the seed means, the
/// number a reader gets by dividing the Q-INT4 column by the FA_bf16 column. A per-seed ratio would turn one seed that
/// forgot perfectly (FA_bf16 = 0) into an infinite mean. A zero denominator is shown as "∞" when int4 recovers
/// anything and as "—" for 0/0, the same mark as a missing cell: both mean "no factor to report".
/// Not: spread over seeds (a ratio of means has none here), or a factor relative to the floor.
/// </summary>
public static class Recovery
{
    public const string Infinite = "∞";

    /// Null when either side is unmeasured or both are zero; +∞ when only FA_bf16 is zero.
    public static double? Factor(SeedSummary? bf16, SeedSummary? int4)
    {
        if (bf16 is not { } b || int4 is not { } q) return null;
        if (b.Mean == 0) return q.Mean == 0 ? null : double.PositiveInfinity;
        return q.Mean / b.Mean;
    }

    public static string Format(double? factor) => factor switch
    {
        null => SeedSummary.Missing,
        double.PositiveInfinity => Infinite,
        { } f => f.ToString("F2", CultureInfo.InvariantCulture) + "×",
    };

    public const string Footnote =
        "Recovery = mean Q-INT4 / mean FA_bf16 over seeds; ∞ when FA_bf16 is 0 and Q-INT4 is not; — when unmeasured or 0/0.";
}
