using DurableUn.Deployment;
using DurableUn.Experiments.Calibration;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Studies;
using DurableUn.Methods;
using DurableUn.Reporting;
using DurableUn.Runs;

namespace DurableUn.Tests.Reporting;

public class StudyReportInputTests
{
    [Fact]
    public void A_Target_That_Already_Passes_The_Audit_Is_Reported_As_Having_Nothing_To_Forget()
    {
        // Given a tofu study whose target recalls 1 of 20 forget facts (0.05) and whose audit target is 0.05
        var results = Results(targetFa: 0.05, auditEpsilon: 0.05);
        // When the report's input is built
        var notes = StudyReportInput.From(results, "study").Notes;
        // Then a note names the dataset, both numbers and the way out
        var note = Assert.Single(notes, n => n.Contains("does not know the forget facts"));
        Assert.StartsWith("tofu: the target's FA bf16 (0.050, key_fact) is already at or below ε_audit (0.050)", note);
        Assert.Contains("--finetune-steps", note);
    }

    [Fact]
    public void A_Target_That_Knows_More_Than_The_Audit_Allows_Gets_No_Such_Note()
    {
        // Given the same study with a target recalling 16 of 20 facts
        var notes = StudyReportInput.From(Results(targetFa: 0.80, auditEpsilon: 0.05), "study").Notes;
        // Then no such note, and the calibration goes to the report as it is (its table, not a sentence)
        var input = StudyReportInput.From(Results(targetFa: 0.80, auditEpsilon: 0.05), "study");
        Assert.DoesNotContain(notes, n => n.Contains("does not know the forget facts"));
        Assert.Equal(0.05, Assert.Single(input.Calibrations).AuditEpsilon);
    }

    [Fact]
    public void The_Same_Run_In_Two_Pipelines_Gets_Two_Item_Tables_Named_Apart()
    {
        // Given npo seed 0 on tofu unlearned in the adapter and the full pipeline, each with its forget items
        CellOutcome Npo(DurableUn.Pipelines.Pipeline pipeline) => new()
        {
            Key = $"tofu__npo__{pipeline}", Dataset = "tofu", Method = MeasuredModel.Parse("npo"), Setting = CellSetting.Calibrated, Seed = 0, Options = new Dictionary<string, string>(),
            Records = [new CellRecord { Dataset = "tofu", Pipeline = pipeline, Method = MeasuredModel.Parse("npo"), Seed = 0, Precision = Precision.Bf16, Metric = "key_fact", Fa = 0.1, Ra = 0.9 }],
            Items = [new DurableUn.Evaluation.ItemRecovery { ItemId = "q1", Question = "Q?", Answer = "A", Scores = new Dictionary<Precision, double> { [Precision.Bf16] = 0.1 } }],
        };
        var input = StudyReportInput.From(new StudyResults([Npo(DurableUn.Pipelines.Pipeline.Adapter), Npo(DurableUn.Pipelines.Pipeline.Full)], [], []), "study");
        // When the report is composed
        var ids = ReportComposer.Compose(input).Tables.Select(t => t.Id).ToList();
        // Then each pipeline's run has its own table; the adapter's keeps the name it always had
        Assert.Contains("items-tofu-npo-calibrated-seed0", ids);
        Assert.Contains("items-tofu-npo-calibrated-seed0-full", ids);
    }

    private static StudyResults Results(double targetFa, double auditEpsilon)
    {
        var target = new CellOutcome
        {
            Key = "tofu__target", Dataset = "tofu", Method = MeasuredModel.Parse("target"), Setting = CellSetting.Parse("calibrated"), Seed = 0,
            Options = new Dictionary<string, string>(),
            Records =
            [
                new CellRecord { Dataset = "tofu", Method = MeasuredModel.Parse("target"), Seed = 0, Precision = Precision.Parse("bf16"), Metric = "key_fact", Fa = targetFa, Ra = 0.9 },
                new CellRecord { Dataset = "tofu", Method = MeasuredModel.Parse("target"), Seed = 0, Precision = Precision.Parse("int4"), Metric = "key_fact", Fa = 1.0, Ra = 0.9 },
            ],
        };
        var weakest = new CalibrationProbe(2e-4, 5, 0.0, 0.5);
        var calibration = new CalibrationResult
        {
            Dataset = "tofu", Method = "ga", AuditEpsilon = auditEpsilon, Ladder = [new LadderRung(2e-4, 5)],
            Probes = [weakest], Chosen = weakest, Passed = true,
        };
        return new StudyResults([target], [], [calibration]);
    }
}
