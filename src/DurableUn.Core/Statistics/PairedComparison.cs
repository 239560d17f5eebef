namespace DurableUn.Statistics;

/// <summary>
/// Builds a <see cref="PairedDifference"/>: one score of the same items under two conditions (a deployed precision
/// and bf16), item i paired with item i. The difference is mean(at) − mean(reference) = the mean per-item difference;
/// its interval is <see cref="PairedBootstrap"/>'s; the test is exact McNemar for 0/1 scores and Wilcoxon signed-rank
/// for continuous ones (docs/design.md#paired-differences).
/// </summary>
public static class PairedComparison
{
    public static PairedDifference Of(string score, PairedTest test, IReadOnlyList<double> at, IReadOnlyList<double> reference,
                                      PairedBootstrapOptions? bootstrap = null)
    {
        if (at.Count != reference.Count) throw new ArgumentException($"{score}: {at.Count} items against {reference.Count}; a paired comparison needs the same items");
        if (at.Count == 0) throw new ArgumentException($"{score}: a paired comparison needs at least one item");
        var differences = at.Zip(reference, (a, r) => a - r).ToList();
        var (low, high) = PairedBootstrap.MeanInterval(differences, bootstrap);
        var p = test switch
        {
            PairedTest.McNemarExact => McNemar(score, at, reference),
            PairedTest.Wilcoxon => WilcoxonSignedRank.Test(differences).PValue,
            _ => throw new ArgumentOutOfRangeException(nameof(test), test, null),
        };
        return new PairedDifference
        {
            Score = score, Difference = differences.Average(), CiLow = low, CiHigh = high, Test = test, PValue = p, Items = at.Count,
        };
    }

    private static double McNemar(string score, IReadOnlyList<double> at, IReadOnlyList<double> reference)
    {
        if (at.Concat(reference).Any(v => v is not (0.0 or 1.0))) throw new ArgumentException($"{score}: exact McNemar needs 0/1 scores");
        var onlyAt = at.Zip(reference).Count(pair => pair.First == 1 && pair.Second == 0);
        var onlyReference = at.Zip(reference).Count(pair => pair.First == 0 && pair.Second == 1);
        return McNemarExact.PValue(onlyAt, onlyReference);
    }
}
