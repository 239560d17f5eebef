using System.Globalization;

namespace DurableUn.Reporting;

/// <summary>
/// Every (ε, P)-durability certificate summary: dataset, method, setting, metric, ε, P, passing seeds, cert rate
/// and whether it is stable (all seeds pass). Rows are sorted so the same input prints the same table.
/// Not: per-seed FA_p values (they are in the certificate JSON and the precision table).
/// </summary>
public static class CertificateTable
{
    public static readonly IReadOnlyList<string> Header =
        ["Dataset", "Method", "Setting", "Metric", "ε", "P", "Passing / seeds", "Cert rate", "Stable"];

    public static Table Build(IReadOnlyList<CertificateSummary> certificates)
    {
        var lines = certificates
            .OrderBy(c => c.Dataset, StringComparer.Ordinal)
            .ByMethod(c => c.Method)
            .ThenBy(c => c.Setting.Name, StringComparer.Ordinal).ThenBy(c => c.Metric, StringComparer.Ordinal).ThenBy(c => c.Epsilon)
            .Select(c => (IReadOnlyList<string>)
            [
                c.Dataset, c.Method.Name, c.Setting.Name, c.Metric,
                c.Epsilon.ToString("0.###", CultureInfo.InvariantCulture),
                "{" + string.Join(", ", RowOrder.Precisions(c.Precisions)) + "}",
                $"{c.PassingSeeds}/{c.Seeds}",
                double.IsNaN(c.CertRate) ? SeedSummary.Missing : SeedSummary.Number(c.CertRate),
                c.Stable ? "yes" : "no",
            ]).ToList();
        return new Table("certificates", "(ε, P)-durability certificates", Header, lines,
            ["A seed passes when max over p in P of FA_p ≤ ε; cert rate = passing seeds / seeds; stable = every seed passes."],
            TextColumns: 4);
    }
}
