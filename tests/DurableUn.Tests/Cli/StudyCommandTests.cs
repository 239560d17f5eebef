using System.Text.Json;
using System.Text.Json.Nodes;
using DurableUn.Adapters;
using DurableUn.Experiments;
using DurableUn.IO;

namespace DurableUn.Tests.Cli;

/// <summary>`durableun study` end to end on the smoke preset: its files, resuming, and recomputing one cell.</summary>
[Collection(SmokeStudyCollection.Name)]
public sealed class StudyCommandTests(SmokeStudyFixture study)
{
    // 4 unlearning cells (ga, saf × seeds 0, 1) plus the target and retain rows, each at bf16, int8 and int4.
    private const int Records = (4 + 2) * 3;

    [Fact]
    public void A_Smoke_Study_Should_Write_Its_Spec_Results_Certificates_And_Report()
    {
        // Given the study the fixture ran
        var root = study.Study;
        // Then the spec, the report documents and every kind of table and plot exist
        foreach (var file in new[] { "study.json", "results.json", "report.md", "report.html" })
            Assert.True(File.Exists(Path.Combine(root, file)), $"{file} is missing");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(root, "tables"), "*.tex"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(root, "tables"), "*.csv"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(root, "plots"), "*.svg"));
        // and one certificate per method
        Assert.Equal(["tofu__ga__calibrated.json", "tofu__saf__calibrated.json"],
            Directory.GetFiles(study.Layout.Certificates, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // and results.json holds one snake_case record per cell × precision
        var records = JsonNode.Parse(File.ReadAllText(study.Layout.Results))!.AsArray();
        Assert.Equal(Records, records.Count);
        foreach (var field in new[] { "dataset", "method", "seed", "precision", "metric", "fa", "ra" })
            Assert.All(records, r => Assert.NotNull(r![field]));
        Assert.Equal(Records, records.Select(r => $"{r!["method"]}/{r["setting"]}/{r["seed"]}/{r["precision"]}").Distinct().Count());
        // and every unlearned row at a quantized precision carries its A and B code shifts, target and retain rows none
        foreach (var r in records)
        {
            var groups = r!["shifts"]!.AsArray().Select(s => s!["group"]!.GetValue<string>()).ToList();
            var unlearned = r["method"]!.GetValue<string>() is "ga" or "saf";
            Assert.Equal(unlearned && r["precision"]!.GetValue<string>() != "bf16" ? ["A", "B"] : [], groups);
        }
        Assert.Contains("Codes flipped (int4)", File.ReadAllText(Path.Combine(root, "report.md")));
    }

    [Fact]
    public void Rerunning_A_Finished_Study_Should_Skip_Every_Cell_And_Add_No_Duplicates()
    {
        // Given the finished study and its results
        var before = File.ReadAllText(study.Layout.Results);
        // When the same command runs again
        var rerun = CliRunner.Succeed(study.StudyArguments);
        // Then every cell is reported as already done and results.json is unchanged
        Assert.Equal(4, rerun.Output.Split('\n').Count(l => l.Contains("(already done)")));
        Assert.Equal(before, File.ReadAllText(study.Layout.Results));
    }

    [Fact]
    public void Deleting_One_Cell_Should_Recompute_Exactly_That_Cell_With_Identical_Numbers()
    {
        // Given one cell's file is deleted
        const string key = "tofu__ga__calibrated__seed1";
        var before = study.Cell(key);
        var weights = Path.Combine(study.Layout.Prepared.Adapter(key), PeftAdapterFiles.WeightsFile);
        var weightsBefore = ContentHash.OfFile(weights);
        var others = Directory.GetFiles(study.Layout.Prepared.Cells, "*.json").Where(f => Path.GetFileNameWithoutExtension(f) != key)
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
        File.Delete(Path.Combine(study.Layout.Prepared.Cells, key + ".json"));
        // When the study is rerun
        var rerun = CliRunner.Succeed(study.StudyArguments);
        // Then that cell alone ran again, and it measured exactly what it measured the first time
        Assert.Equal(3, rerun.Output.Split('\n').Count(l => l.Contains("(already done)")));
        Assert.All(others, o => Assert.Equal(o.Value, File.GetLastWriteTimeUtc(o.Key)));
        var after = study.Cell(key);
        Assert.Equal(Numbers(before), Numbers(after));
        // (the adapter folder's hash also covers run.json, whose wall-clock seconds differ; the weights must not)
        Assert.Equal(weightsBefore, ContentHash.OfFile(weights));
        // and results.json still holds each record once
        Assert.Equal(Records, JsonSerializer.Deserialize<List<CellRecord>>(File.ReadAllText(study.Layout.Results), JsonDefaults.Options)!.Count);
    }

    /// Every FA and RA of a cell, then every forget item's score, in a fixed order.
    private static List<double> Numbers(CellOutcome cell) =>
        [.. cell.Records.OrderBy(r => r.Precision, StringComparer.Ordinal).SelectMany(r => new[] { r.Fa, r.Ra }),
         .. cell.Items.SelectMany(i => i.Scores.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value))];
}
