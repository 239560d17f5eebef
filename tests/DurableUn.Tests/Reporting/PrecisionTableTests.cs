using DurableUn.Reporting;
using static DurableUn.Tests.Reporting.ReportFixtures;

namespace DurableUn.Tests.Reporting;

public class PrecisionTableTests
{
    [Fact]
    public void Every_Precision_Present_Should_Get_A_Row_In_Paper_Order_Then_By_Name()
    {
        // Given npo measured at five precisions, listed out of order
        var cells = new[]
        {
            Cell("npo", 0, "nf4", 0.30, 0.60), Cell("npo", 0, "merged-nf4", 0.35, 0.61), Cell("npo", 0, "int4", 0.40, 0.62),
            Cell("npo", 0, "bf16", 0.10, 0.70), Cell("npo", 1, "bf16", 0.20, 0.80), Cell("npo", 0, "int8", 0.11, 0.70),
        };
        // When the long table is built
        var table = PrecisionTable.Build(cells, "tofu", Metric);
        // Then bf16, int8, int4 come first, then the others by name; bf16 has two seeds: 0.150 ± 0.071 and 0.750 ± 0.071
        Assert.Equal(["bf16", "int8", "int4", "merged-nf4", "nf4"], table.Rows.Select(r => r[1]));
        Assert.Equal(["npo", "bf16", "2", "0.150 ± 0.071", "0.750 ± 0.071"], table.Rows[0]);
        Assert.Equal(["npo", "merged-nf4", "1", "0.350", "0.610"], table.Rows[3]);
    }

    [Fact]
    public void Answer_Probability_And_Rouge_Appear_When_Recorded_And_Are_Named_As_Missing_Otherwise()
    {
        // Given npo with the forget answer probability recorded at bf16 for one of two seeds, and nothing else extra
        var cells = new[] { Cell("npo", 0, "bf16", 0.10, 0.70) with { FaProb = 0.25 }, Cell("npo", 1, "bf16", 0.20, 0.80) };
        // When the long table is built
        var table = PrecisionTable.Build(cells, "tofu", Metric);
        // Then an FA prob column shows the seed that has it, and a note names what was not recorded
        Assert.Equal(["Method", "Precision", "Seeds", "FA", "RA", "FA prob"], table.Header);
        Assert.Equal("0.250", table.Rows[0][5]);
        Assert.Contains("Not recorded in these rows: RA prob, FA ROUGE-L, RA ROUGE-L.", table.Notes);
    }
}
