using DurableUn.Reporting;
using static DurableUn.Tests.Reporting.ReportFixtures;

namespace DurableUn.Tests.Reporting;

public class PairedTableTests
{
    [Fact]
    public void Every_Recorded_Paired_Test_Is_A_Row_With_Its_Interval_Test_And_P_Value()
    {
        // Given the two-pipeline study: seven deployed rows carry a paired test (bf16 rows never do)
        var table = PairedTable.Build(WithPipelines().Cells)!;
        // Then each is a row, adapter before full, the positive control marked, numbers as recorded
        Assert.Equal(7, table.Rows.Count);
        Assert.Equal(["tofu", "adapter", "npo", "0", "int4", "key_fact", "+0.300", "[+0.150, +0.450]", "exact McNemar", "0.002", "20"], table.Rows[1]);
        Assert.Equal("ga [positive control]", table.Rows[4][2]);
        Assert.Equal(["full", "full"], table.Rows.Skip(5).Select(r => r[1]));
    }

    [Fact]
    public void Records_Without_Paired_Tests_Give_No_Table_And_The_Report_Says_So()
    {
        Assert.Null(PairedTable.Build(Cells()));
        var md = MarkdownReport.Render(ReportComposer.Compose(Full()));
        Assert.Contains("No paired test recorded in these result records", md);
    }
}
