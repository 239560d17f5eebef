using DurableUn.Reporting;
using static DurableUn.Tests.Reporting.ReportFixtures;

namespace DurableUn.Tests.Reporting;

public class ItemRecoveryTableTests
{
    [Fact]
    public void Items_That_Int4_Brings_Back_Most_Should_Come_First()
    {
        // Given three items with Δ = int4 − bf16 of q1: 0.9 − 0.1 = +0.8, q2: 0, q3: 0.5 − 0.2 = +0.3
        // When the per-item table is built
        var table = ItemRecoveryTable.Build(NpoItems());
        // Then q1, q3, q2, each with its question, answer, scores and Δ
        Assert.Equal(["Item", "Question", "Answer", "bf16", "int4", "Δ int4 − bf16"], table.Header);
        Assert.Equal(["q1", "q3", "q2"], table.Rows.Select(r => r[0]));
        Assert.Equal(["q1", "Who wrote \"Dust, Again\"?", "Basil Mahfouz", "0.100", "0.900", "+0.800"], table.Rows[0]);
        Assert.Equal("0.000", table.Rows[2][5]);
    }

    [Fact]
    public void Head_Should_Keep_The_First_Rows_And_Point_To_The_Csv()
    {
        // Given the three-item table
        var table = ItemRecoveryTable.Build(NpoItems());
        // When only two are shown
        var head = table.Head(2);
        // Then the note says where the rest is
        Assert.Equal(2, head.Rows.Count);
        Assert.Contains("2 of 3 rows shown; all are in tables/items-tofu-npo-calibrated-seed0.csv.", head.Notes);
    }
}
