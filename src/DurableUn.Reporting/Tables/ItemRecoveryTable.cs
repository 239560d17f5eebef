using System.Globalization;
using DurableUn.Pipelines;
using DurableUn.Deployment;
using DurableUn.Experiments.Results;

namespace DurableUn.Reporting;

/// <summary>
/// Which forgotten answers come back: for one unlearned run, a row per forget item with its question, answer and
/// score at each precision, and Δ = score at int4 − score at bf16 when both exist. Rows are sorted by Δ, highest
/// first (the items INT4 brings back most), then by item id, so the head of the table is the finding.
/// Not: a threshold for "recovered"; the score is the run's metric and the reader sees it.
/// </summary>
public static class ItemRecoveryTable
{
    public const string Delta = "Δ int4 − bf16";

    public static Table Build(ItemRecoverySet set)
    {
        var precisions = RowOrder.Precisions(set.Items.SelectMany(i => i.Scores.Keys));
        var hasDelta = precisions.Contains(Precision.Bf16) && precisions.Contains(Precision.Int4);
        IReadOnlyList<string> header = [.. new[] { "Item", "Question", "Answer" }, .. precisions.Select(p => p.Name), .. hasDelta ? new[] { Delta } : []];

        var lines = set.Items
            .Select(item => (item, delta: hasDelta ? DeltaOf(item.Scores) : double.NaN))
            .OrderByDescending(x => double.IsNaN(x.delta) ? double.NegativeInfinity : x.delta)
            .ThenBy(x => x.item.ItemId, StringComparer.Ordinal)
            .Select(x => (IReadOnlyList<string>)
            [
                x.item.ItemId, x.item.Question, x.item.Answer,
                .. precisions.Select(p => x.item.Scores.TryGetValue(p, out var s) ? SeedSummary.Number(s) : SeedSummary.Missing),
                .. hasDelta ? new[] { double.IsNaN(x.delta) ? SeedSummary.Missing : x.delta.ToString("+0.000;−0.000;0.000", CultureInfo.InvariantCulture) } : [],
            ]).ToList();

        // The default pipeline keeps the short label and file name; another pipeline and the positive control are named.
        var part = new List<string>();
        if (set.Pipeline != Pipeline.Adapter) part.Add(set.Pipeline.Name());
        if (set.Control) part.Add("positive control");
        var label = $"{set.Dataset} / {set.Method}" + (set.Setting == CellSetting.Calibrated ? "" : $" ({set.Setting})") + $" / seed {set.Seed}" +
                    (part.Count == 0 ? "" : $" ({string.Join(", ", part)})");
        return new Table(Table.Slug(["items", set.Dataset, set.Method.Name, set.Setting.Name, $"seed{set.Seed}", .. part]),
            $"{label}: forget items by recovery at INT4", header, lines,
            ["Scores use the run's metric (1 = the answer is reproduced); rows sorted by Δ, largest recovery first."],
            TextColumns: 3);
    }

    private static double DeltaOf(IReadOnlyDictionary<Precision, double> scores) =>
        scores.TryGetValue(Precision.Int4, out var q) && scores.TryGetValue(Precision.Bf16, out var b) ? q - b : double.NaN;
}
