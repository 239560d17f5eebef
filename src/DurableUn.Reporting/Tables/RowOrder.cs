using DurableUn.Deployment;
using DurableUn.Runs;

namespace DurableUn.Reporting;

/// <summary>
/// The order rows and columns appear in, fixed so that reports of the same input are byte-identical.
/// Methods: the target (before unlearning) first, unlearning methods by name, the retain model (the floor) last
/// (<see cref="MeasuredModel"/>'s own order). Precisions: bf16, int8, int4 (the paper's three), then any other that
/// appears (nf4, merged-nf4, ...) by name.
/// Not: a list of known methods or precisions; rows are whatever the records carry.
/// </summary>
public static class RowOrder
{
    /// The paper's three precisions, in the order its tables give them.
    private static readonly Precision[] Paper = [Precision.Bf16, Precision.Int8, Precision.Int4];

    public static IOrderedEnumerable<T> ByMethod<T>(this IEnumerable<T> rows, Func<T, MeasuredModel> method) => rows.OrderBy(method);

    /// After an earlier key (dataset first): the method order within it, instead of re-sorting the whole sequence.
    public static IOrderedEnumerable<T> ByMethod<T>(this IOrderedEnumerable<T> rows, Func<T, MeasuredModel> method) => rows.ThenBy(method);

    public static IReadOnlyList<Precision> Precisions(IEnumerable<Precision> precisions) =>
        precisions.Distinct()
            .OrderBy(p => Array.IndexOf(Paper, p) is var i and >= 0 ? i : Paper.Length)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
}
