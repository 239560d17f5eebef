namespace DurableUn.Statistics;

/// <summary>numpy's default percentile: linear interpolation between order statistics (position q·(n − 1)).</summary>
internal static class Percentile
{
    public static double OfSorted(IReadOnlyList<double> sortedValues, double q)
    {
        var position = q * (sortedValues.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sortedValues.Count - 1);
        return sortedValues[lower] + (position - lower) * (sortedValues[upper] - sortedValues[lower]);
    }
}
