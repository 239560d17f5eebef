using DurableUn.Deployment;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableUn.Adapters;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Specs;
using DurableUn.Experiments.Studies;
using DurableUn.IO;

namespace DurableUn.Tests.Cli;

/// <summary>`durableun study --preset smoke` end to end, whole: its files, resuming, and recomputing one cell.</summary>
[Collection(SmokeStudyCollection.Name)]
public sealed class StudyCommandTests(SmokeStudyFixture study)
{
    private static readonly StudySpec Spec = SmokeStudyFixture.Spec;
    private static readonly IReadOnlyList<StudyCell> Cells = StudyCell.Plan(Spec);
    // Every unlearning cell plus each dataset's target and retain rows, each at every precision of the spec.
    /// Every cell, target and retain at each precision, plus each dataset's positive control: the target and the
    /// control model, each at bf16 and at the control's own precision.
    private static readonly int Records = (Cells.Count + 2 * Spec.Datasets.Count) * Spec.Precisions.Count + Spec.Datasets.Count * 2 * 2;

    [Fact]
    public void The_Whole_Smoke_Study_Finishes_And_Writes_Its_Spec_Results_Certificates_And_Report()
    {
        // Given the whole smoke study the fixture ran from an empty folder (every dataset, method and seed)
        var root = study.Study;
        Assert.Equal(Spec.Datasets.Count * Spec.Methods.Count * Spec.Seeds.Count + Spec.PublishedRows.Count * Spec.Datasets.Count * Spec.Seeds.Count, Cells.Count);
        // Then the spec, the report documents and every kind of table and plot exist
        foreach (var file in new[] { "study.json", "results.json", "report.md", "report.html" })
            Assert.True(File.Exists(Path.Combine(root, file)), $"{file} is missing");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(root, "tables"), "*.tex"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(root, "tables"), "*.csv"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(root, "plots"), "*.svg"));
        // and every cell was measured, with one certificate per dataset × method × setting
        Assert.All(Cells, c => Assert.True(File.Exists(Path.Combine(study.Layout.Prepared.Cells, c.Key + ".json")), $"{c.Key} was not measured"));
        var certificates = Cells.Select(c => $"{c.Key[..c.Key.LastIndexOf("__seed", StringComparison.Ordinal)]}.json").Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(certificates, Directory.GetFiles(study.Layout.Certificates, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // and results.json holds one snake_case record per cell × precision, each (dataset, method, setting, seed, precision) once
        var records = JsonNode.Parse(File.ReadAllText(study.Layout.Results))!.AsArray();
        Assert.Equal(Records, records.Count);
        foreach (var field in new[] { "dataset", "method", "seed", "precision", "metric", "fa", "ra" })
            Assert.All(records, r => Assert.NotNull(r![field]));
        Assert.Equal(Records, records.Select(r => $"{r!["dataset"]}/{r["method"]}/{r["setting"]}/{r["seed"]}/{r["precision"]}").Distinct().Count());
        // and every unlearned row at a quantized precision carries its A and B code shifts, target and retain rows none
        foreach (var r in records.Where(r => r!["control"]?.GetValue<bool>() != true))
        {
            var groups = r!["shifts"]!.AsArray().Select(s => s!["group"]!.GetValue<string>()).ToList();
            var unlearned = r["method"]!.GetValue<string>() is not ("target" or "retain");
            Assert.Equal(unlearned && r["precision"]!.GetValue<string>() != "bf16" ? ["A", "B"] : [], groups);
        }
        Assert.Contains("Codes flipped (int4)", File.ReadAllText(Path.Combine(root, "report.md")));
    }

    [Fact]
    public void Every_Row_Has_Its_Answer_Probability_And_Rouge_And_Every_Quantized_Row_Its_Paired_Test_Against_Bf16()
    {
        var references = Spec.Datasets.SelectMany(d => new[] { "target", "retain" }.Select(role => $"{DurableUn.Data.DatasetNames.Of(d)}__{role}__{CellSetting.Calibrated}__seed0"));
        foreach (var key in Cells.Select(c => c.Key).Concat(references))
        {
            // Given a cell of the smoke study (unlearned, target or retain)
            var cell = study.Cell(key);
            var bf16 = cell.Records.Single(r => r.Precision == Precision.Bf16);
            foreach (var r in cell.Records)
            {
                // Then every precision carries the forget and retain probability and ROUGE-L, all in [0, 1]
                foreach (var v in new[] { r.FaProb, r.RaProb, r.FaRouge, r.RaRouge })
                    Assert.True(v is >= 0 and <= 1, $"{key}/{r.Precision}: {v}");
                if (r.Precision == Precision.Bf16) { Assert.Empty(r.Paired); continue; }
                // and each quantized precision its paired comparison with bf16 on the forget items: key-fact recall by
                // exact McNemar, the answer probability by Wilcoxon, each difference FA_p − FA_bf16 with its interval
                var fact = r.Paired.Single(p => p.Score == "key_fact");
                var prob = r.Paired.Single(p => p.Score == "answer_prob");
                Assert.Equal((DurableUn.Statistics.PairedTest.McNemarExact, DurableUn.Statistics.PairedTest.Wilcoxon), (fact.Test, prob.Test));
                Assert.Equal(r.Fa - bf16.Fa, fact.Difference, 9);
                Assert.Equal(r.FaProb!.Value - bf16.FaProb!.Value, prob.Difference, 9);
                Assert.All(r.Paired, p =>
                {
                    Assert.Equal(cell.Items.Count, p.Items);
                    Assert.InRange(p.Difference, p.CiLow, p.CiHigh);
                    Assert.InRange(p.PValue, 0, 1);
                });
            }
        }
    }

    [Fact]
    public void A_Published_Row_Trains_The_Published_Ten_Epochs_Over_Its_Benchmark_s_Forget_Set()
    {
        // OU's schedule is 10 epochs at batch 32; its 130 steps are those epochs over the real forget10 (400 items)
        Assert.Equal(130, DurableUn.Methods.MethodDefaults.StepsFor(400, 32));
        foreach (var cell in Cells.Where(c => c.Setting == CellSetting.Published))
        {
            var forget = DurableUn.Runs.UnlearningTask.From(DurableUn.Data.DatasetFolder.Load(study.Layout.Prepared.Data(cell.Dataset))).Forget.Count;
            var options = study.Cell(cell.Key).Options;
            Assert.Equal($"{10 * ((forget + 31) / 32)}", options["steps"]);
            Assert.Equal("1E-05", options["lr"].ToUpperInvariant());
        }
    }

    [Fact]
    public void Every_Muse_Model_Has_Privleak_Either_As_A_Number_Or_As_Undefined_With_Its_Reason()
    {
        // The retain model's privleak AUC normalises every other model's PrivLeak, and on the smoke data it can be 0
        // (the study used to stop there). Records where MUSE's suite ran carry knowmem_f, which is always computed.
        var records = JsonNode.Parse(File.ReadAllText(study.Layout.Results))!.AsArray()
            .Where(r => r!["dataset"]!.GetValue<string>() == "muse" && r["metrics"]!.AsObject().ContainsKey("knowmem_f")).ToList();
        Assert.Equal(Cells.Count(c => c.Dataset == DurableUn.Data.DatasetKind.Muse) + 2, records.Count);
        foreach (var r in records)
        {
            var defined = r!["metrics"]!.AsObject().ContainsKey("privleak");
            var undefined = r["undefined"]?.AsObject().ContainsKey("privleak") == true;
            Assert.True(defined ^ undefined, $"{r["method"]}/{r["seed"]}: privleak must be a number or undefined with a reason, not both or neither");
            if (undefined) Assert.Contains("privleak_auc", r["undefined"]!["privleak"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Rerunning_A_Finished_Study_Should_Skip_Every_Cell_And_Add_No_Duplicates()
    {
        // Given the finished study and its results
        var before = File.ReadAllText(study.Layout.Results);
        // When the same command runs again
        var rerun = CliRunner.Succeed(study.StudyArguments);
        // Then every cell is reported as already done and results.json is unchanged
        Assert.Equal(Cells.Count, rerun.Output.Split('\n').Count(l => l.Contains("(already done)")));
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
        Assert.Equal(Cells.Count - 1, rerun.Output.Split('\n').Count(l => l.Contains("(already done)")));
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
        [.. cell.Records.OrderBy(r => r.Precision.Name, StringComparer.Ordinal).SelectMany(r => new[] { r.Fa, r.Ra }),
         .. cell.Items.SelectMany(i => i.Scores.OrderBy(s => s.Key.Name, StringComparer.Ordinal).Select(s => s.Value))];
}
