using DurableUn.Reporting;
using static DurableUn.Tests.Reporting.ReportFixtures;

namespace DurableUn.Tests.Reporting;

public class ResultsTableTests
{
    [Fact]
    public void Table_Should_Show_Hand_Computed_Means_Recovery_And_Cert_Rate()
    {
        // Given the fixture records (ReportFixtures.Cells) and an npo certificate passing 0 of 2 seeds
        // When the tofu table is built
        var table = ResultsTable.Build(Cells(), [NpoCertificate()], "tofu", Metric);
        // Then rows run target, ga, npo, retain (floor), and
        //   npo: FA bf16 (0.10, 0.20) → 0.150 ± 0.071; RA (0.80, 0.70) → 0.750 ± 0.071;
        //        Q-INT8 (0.10, 0.20) → 0.150 ± 0.071; Q-INT4 (0.40, 0.60) → 0.500 ± 0.141; recovery 0.50 / 0.15 = 3.33×
        //   ga:  FA bf16 0 and Q-INT4 0.25 → ∞; no int8 record → —
        Assert.Equal(["target", "ga", "npo", "retain (floor)"], table.Rows.Select(r => r[0]));
        Assert.Equal(["target", "1", "0.900", "0.850", "0.900", "0.880", "0.98×", "—", "—", "—"], table.Rows[0]);
        Assert.Equal(["ga", "1", "0.000", "0.300", "—", "0.250", "∞", "—", "—", "—"], table.Rows[1]);
        Assert.Equal(["npo", "2", "0.150 ± 0.071", "0.750 ± 0.071", "0.150 ± 0.071", "0.500 ± 0.141", "3.33×", "—", "—", "0/2 @ ε=0.047"], table.Rows[2]);
        Assert.Equal(["retain (floor)", "1", "0.050", "0.840", "—", "—", "—", "—", "—", "—"], table.Rows[3]);
    }

    [Fact]
    public void Notes_Should_State_The_Metric_The_Floor_And_How_A_Zero_Denominator_Shows()
    {
        // Given the fixture records
        // When the table is built
        var notes = ResultsTable.Build(Cells(), [], "tofu", Metric).Notes;
        // Then the metric, the floor (retain FA bf16 = 0.050) and the ∞ convention are written down
        Assert.Contains(notes, n => n.StartsWith("Metric: answer_token_accuracy."));
        Assert.Contains(notes, n => n.Contains("Floor") && n.Contains("= 0.050"));
        Assert.Contains(notes, n => n.Contains("∞ when FA_bf16 is 0"));
    }

    [Fact]
    public void Zero_Over_Zero_Should_Show_No_Factor()
    {
        // Given a method that forgot perfectly at both bf16 and int4
        var cells = new[] { Cell("saf", 0, "bf16", 0, 0.5), Cell("saf", 0, "int4", 0, 0.5) };
        // When the table is built
        var row = ResultsTable.Build(cells, [], "tofu", Metric).Rows.Single();
        // Then recovery is "—" (there is nothing to recover), not ∞ or NaN
        Assert.Equal("—", row[6]);
    }

    [Fact]
    public void A_Method_Run_At_Two_Settings_Should_Get_Two_Labelled_Rows()
    {
        // Given salun at its calibrated and its published hyperparameters
        var cells = new[] { Cell("salun", 0, "bf16", 0.1, 0.5), Cell("salun", 0, "bf16", 0.2, 0.6, setting: "published") };
        // When the table is built
        var table = ResultsTable.Build(cells, [], "tofu", Metric);
        // Then each setting has its own row, named
        Assert.Equal(["salun (calibrated)", "salun (published)"], table.Rows.Select(r => r[0]));
    }

    [Fact]
    public void Missing_Retain_Model_Should_Say_So_In_The_Floor_Note()
    {
        // Given only npo results (a study still running)
        var cells = Cells().Where(c => c.Method.Name == "npo").ToList();
        // When the table is built
        var notes = ResultsTable.Build(cells, [], "tofu", Metric).Notes;
        // Then the floor note says there is none yet
        Assert.Contains("Floor: no retain-model results yet.", notes);
    }

    [Fact]
    public void Duplicate_Records_Should_Be_Refused()
    {
        // Given the same cell twice (a shard that ran twice)
        var cells = new[] { Cell("npo", 0, "bf16", 0.1, 0.5), Cell("npo", 0, "bf16", 0.3, 0.5) };
        // Then grouping refuses, naming the cell, rather than averaging one run twice
        var error = Assert.Throws<ArgumentException>(() => MethodRow.Groups(cells));
        Assert.Contains("npo", error.Message);
    }

    [Fact]
    public void Code_Shifts_Show_Beside_Recovery_As_Seed_Means_Per_Tensor_Group()
    {
        // Given npo at int4 over two seeds: A flipped 10% and 20% (medians 0.2, 0.4), B 50% and 70% (1.0, 3.0)
        static DurableUn.Deployment.QuantizationShift Shift(string group, double flipped, double median) => new()
        {
            Group = group, Elements = 100, CodesFlipped = flipped, HalfStepHistogram = [0, 0, 0, 0, 0], MedianHalfSteps = median,
        };
        var cells = new[]
        {
            Cell("npo", 0, "bf16", 0.1, 0.5), Cell("npo", 1, "bf16", 0.1, 0.5),
            Cell("npo", 0, "int4", 0.3, 0.5) with { Shifts = [Shift("A", 0.1, 0.2), Shift("B", 0.5, 1.0)] },
            Cell("npo", 1, "int4", 0.3, 0.5) with { Shifts = [Shift("A", 0.2, 0.4), Shift("B", 0.7, 3.0)] },
        };
        // When the table is built
        var row = ResultsTable.Build(cells, [], "tofu", Metric).Rows.Single();
        // Then the two columns after recovery hold the seed means: A 15.0%, B 60.0%; medians A 0.30, B 2.00
        Assert.Equal("3.00×", row[6]);
        Assert.Equal("A 15.0% · B 60.0%", row[7]);
        Assert.Equal("A 0.30 · B 2.00", row[8]);
    }
}
