using System.Globalization;
using System.Text.Json.Serialization;
using DurableUn.Methods;

namespace DurableUn.Experiments.Specs;

/// <summary>
/// The points of a sweep, derived from its spec alone so that every shard, every rerun and the report compute the
/// same list. A grid is the cartesian product of its axes, the first axis varying slowest. A random search draws
/// N points from System.Random(seed), whose seeded sequence is fixed across .NET versions: for each point, one
/// u ∈ [0, 1) per range in the order given, mapped through <see cref="SweepRange.At"/>; integer options are rounded
/// to the nearest integer, numbers keep 4 significant digits, so the text in the table is the value that was applied.
/// Not: validation against the method (<see cref="SweepSpec.Validate"/>), running the points (<see cref="Sweeps.Sweep"/>).
/// </summary>
public static class SweepPlan
{
    public static IReadOnlyList<SweepPlanPoint> Points(SweepSpec spec)
    {
        var values = spec.Grid.Count > 0 ? GridValues(spec.Grid) : RandomValues(spec);
        return values.Select((v, i) => new SweepPlanPoint(Id(i), new SortedDictionary<string, string>(v, StringComparer.Ordinal))).ToList();
    }

    /// What a point's run applies, in order: the study's batch size, the sweep's fixed settings, the point's values.
    public static IReadOnlyList<string> Assignments(SweepSpec spec, SweepPlanPoint point) =>
        [$"batch_size={spec.BatchSize}", .. spec.Set, .. point.Parameters.Select(kv => $"{kv.Key}={kv.Value}")];

    /// Cell key of the i-th point: four digits keep ls and ordinal order equal to point order up to 10 000 points.
    public static string Id(int index) => $"pt{index:D4}";

    /// Whether <paramref name="text"/> is a point's id (<see cref="Id"/>'s form: "pt" and four or more digits).
    public static bool IsId(string text) => text.Length >= 6 && text.StartsWith("pt", StringComparison.Ordinal) && text[2..].All(char.IsAsciiDigit);

    private static IEnumerable<Dictionary<string, string>> GridValues(IReadOnlyList<GridAxis> axes)
    {
        IEnumerable<Dictionary<string, string>> points = [new Dictionary<string, string>()];
        foreach (var axis in axes)
            points = points.SelectMany(p => axis.Values.Select(v => new Dictionary<string, string>(p) { [axis.Key] = v })).ToList();
        return points;
    }

    private static IEnumerable<Dictionary<string, string>> RandomValues(SweepSpec spec)
    {
        var keys = MethodSettings.Keys(spec.Method.OptionsType);
        var random = new Random(spec.Seed);
        for (var i = 0; i < spec.Random; i++)
            yield return spec.Ranges.ToDictionary(r => r.Key, r => Text(r.At(random.NextDouble()), keys.TryGetValue(r.Key, out var p) && p.PropertyType == typeof(int)));
    }

    private static string Text(double value, bool integer) =>
        integer ? ((int)Math.Round(value, MidpointRounding.AwayFromZero)).ToString(CultureInfo.InvariantCulture)
                : value.ToString("G4", CultureInfo.InvariantCulture);
}
