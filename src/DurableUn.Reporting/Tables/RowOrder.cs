namespace DurableUn.Reporting;

/// <summary>
/// The order rows and columns appear in, fixed so that reports of the same input are byte-identical.
/// Methods: "target" (before unlearning) first, unlearning methods by name, "retain" (the floor) last.
/// Precisions: bf16, int8, int4 (the paper's three), then any other name that appears (nf4, merged-nf4, ...) by name.
/// Not: a list of known methods or precisions; names are whatever the records carry.
/// </summary>
public static class RowOrder
{
    public const string Target = "target";
    public const string Retain = "retain";
    public const string Bf16 = "bf16";
    public const string Int8 = "int8";
    public const string Int4 = "int4";

    public static IOrderedEnumerable<T> ByMethod<T>(this IEnumerable<T> rows, Func<T, string> method) =>
        rows.OrderBy(r => method(r) switch { Target => 0, Retain => 2, _ => 1 })
            .ThenBy(method, StringComparer.Ordinal);

    /// After an earlier key (dataset first): the method order within it, instead of re-sorting the whole sequence.
    public static IOrderedEnumerable<T> ByMethod<T>(this IOrderedEnumerable<T> rows, Func<T, string> method) =>
        rows.ThenBy(r => method(r) switch { Target => 0, Retain => 2, _ => 1 })
            .ThenBy(method, StringComparer.Ordinal);

    public static IReadOnlyList<string> Precisions(IEnumerable<string> names) =>
        names.Distinct()
            .OrderBy(p => p switch { Bf16 => 0, Int8 => 1, Int4 => 2, _ => 3 })
            .ThenBy(p => p, StringComparer.Ordinal)
            .ToList();
}
