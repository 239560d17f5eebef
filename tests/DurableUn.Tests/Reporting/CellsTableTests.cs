using DurableUn.Deployment;
using DurableUn.Experiments.Results;
using DurableUn.Methods;
using DurableUn.Reporting;
using DurableUn.Runs;

namespace DurableUn.Tests.Reporting;

public class CellsTableTests
{
    [Fact]
    public void An_Undefined_Metric_Reads_Undefined_And_Its_Reason_Is_A_Note()
    {
        // Given a MUSE retain-model record whose privleak is undefined, beside a target record that has it
        CellRecord Record(string method) => new()
        {
            Dataset = "muse", Method = MeasuredModel.Parse(method), Seed = 0, Precision = Precision.Parse("bf16"), Metric = "key_fact", Fa = 0.5, Ra = 0.5,
            Metrics = method == "target" ? new Dictionary<string, double> { ["privleak"] = -12.5 } : new Dictionary<string, double>(),
            Undefined = method == "retain" ? new Dictionary<string, string> { ["privleak"] = "undefined: AUC 0" } : new Dictionary<string, string>(),
        };
        // When the raw cells table is built
        var table = CellsTable.Build([Record("target"), Record("retain")]);
        // Then the retain row reads "undefined", the target row its number, and a note gives the reason
        var column = table.Header.ToList().IndexOf("privleak");
        Assert.Equal(["-12.5", "undefined"], table.Rows.Select(r => r[column]).Order(StringComparer.Ordinal));
        Assert.Contains(table.Notes, n => n.Contains("privleak undefined for muse/retain/seed 0/bf16: undefined: AUC 0"));
    }
}
