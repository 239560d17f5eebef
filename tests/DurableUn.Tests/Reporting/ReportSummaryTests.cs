using DurableUn.Deployment;
using DurableUn.Runs;
using System.Globalization;
using System.Text.Json;
using DurableUn.Experiments.Results;
using DurableUn.IO;
using DurableUn.Pipelines;
using DurableUn.Reporting;
using static DurableUn.Tests.Reporting.ReportFixtures;

namespace DurableUn.Tests.Reporting;

/// <summary>
/// The summary that opens report.md: the five claims with their verdicts, per pipeline, in the first 40 lines, and
/// numbers equal to those the test recomputes by plain arithmetic from results.json (the records as the study writes them).
/// </summary>
public sealed class ReportSummaryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-summary-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_First_40_Lines_Of_Report_Md_Hold_All_Five_Claims_Per_Pipeline_With_Numbers_Recomputed_From_Results_Json()
    {
        // Given the two-pipeline study written as results.json and read back, as `durableun report` does
        var input = WithPipelines();
        File.WriteAllText(Path.Combine(_dir, "results.json"), JsonSerializer.Serialize(input.Cells, JsonDefaults.Options));
        var records = JsonSerializer.Deserialize<List<CellRecord>>(File.ReadAllText(Path.Combine(_dir, "results.json")), JsonDefaults.Options)!;
        // When the report is written from those records
        ReportWriter.Write(input with { Cells = records }, _dir);
        var head = File.ReadLines(Path.Combine(_dir, "report.md")).Take(40).ToList();

        // Then the summary comes first, with the setting line and every claim of both pipelines
        Assert.Equal("## Summary", head[2]);
        Assert.StartsWith("Setting: preset smoke; pipelines adapter, full; base pretrained; metric key_fact; floor (retain model's FA bf16) tofu 0.050; ε_audit tofu 0.050; seeds 0.", head[4]);
        foreach (var pipeline in new[] { "adapter", "full" })
        {
            var rows = ClaimRows(head, pipeline);
            Assert.Equal(5, rows.Count);
            // and the numbers are the ones recomputed here from results.json
            var unlearned = records.Where(r => r.Pipeline.Name() == pipeline && !r.Control && !r.Method.IsReference).ToList();
            var (int8p, int4p) = (Pipelines.Pipelines.Parse(pipeline).Int8(), Pipelines.Pipelines.Parse(pipeline).Int4());
            double Fa(MeasuredModel method, Precision precision) => unlearned.Single(r => r.Method == method && r.Precision == precision).Fa;
            var int8 = unlearned.Where(r => r.Precision == int8p).Max(r => Math.Abs(r.Fa - Fa(r.Method, Precision.Bf16)));
            Assert.Contains($"Largest |FA_int8 − FA_bf16| = {int8.ToString("F3", CultureInfo.InvariantCulture)} over", rows[0]);
            var int4 = unlearned.Where(r => r.Precision == int4p).MaxBy(r => r.Fa - Fa(r.Method, Precision.Bf16))!;
            var paired = int4.Paired.Single();
            Assert.Contains($"Largest FA_int4 − FA_bf16 = {Signed(int4.Fa - Fa(int4.Method, Precision.Bf16))} over", rows[1]);
            Assert.Contains($"95 % CI [{Signed(paired.CiLow)}, {Signed(paired.CiHigh)}], exact McNemar p = ", rows[1]);
        }
        // and the verdicts follow the stated rules
        var adapter = ClaimRows(head, "adapter");
        Assert.StartsWith("| 1. INT8 is benign | holds |", adapter[0]);            // no int8 paired test rejects
        Assert.StartsWith("| 2. INT4 recovers forgotten facts | holds |", adapter[1]);  // npo's interval [+0.15, +0.45] is above zero
        Assert.Contains("1 of 2 paired int4 intervals lie wholly above zero", adapter[1]);
        Assert.Contains("ratio 4.00× beside the floor 0.050", adapter[1]);
        Assert.StartsWith("| 4. Phase transition: RA collapses once Q-INT4 is low | not tested |", adapter[3]);
        Assert.StartsWith("| 5. DurableUn-SAF certifies over {bf16, int8, int4} | holds |", adapter[4]);
        Assert.Contains("methods stable on every benchmark: saf (1 of 2)", adapter[4]);
        var full = ClaimRows(head, "full");
        Assert.StartsWith("| 1. INT8 is benign | does not hold |", full[0]);          // npo's int8 test: p = 0.020
        Assert.StartsWith("| 2. INT4 recovers forgotten facts | does not hold |", full[1]); // [−0.02, +0.22] spans zero
        Assert.StartsWith("| 5. DurableUn-SAF certifies over {bf16, int8, int4} | not tested |", full[4]);
        // and the positive control's outcome is stated beside the adapter's claims, its absence beside the full pipeline's
        Assert.Contains(head, l => l.StartsWith("Positive control (adapter): detected: 1 of 1 paired merged-nf4 intervals lie wholly above zero"));
        Assert.Contains("Positive control (full): this study has no positive control", string.Join("\n", head));
    }

    [Fact]
    public void Records_Without_Paired_Tests_Say_So_Instead_Of_A_Recovery_Verdict()
    {
        // Given the older fixture: no paired fields, no positive control, no calibration
        ReportWriter.Write(Full(), _dir);
        var head = File.ReadLines(Path.Combine(_dir, "report.md")).Take(40).ToList();
        var rows = ClaimRows(head, null);
        // Then claim 2 gives its numbers (ga's 0.00 → 0.25 is the largest rise) and says it is not tested, and why
        Assert.StartsWith("| 2. INT4 recovers forgotten facts | not tested | Largest FA_int4 − FA_bf16 = +0.400 over 3 unlearned models: tofu / npo seed 1", rows[1]);
        Assert.Contains("No paired test recorded, so this rise cannot be told from item noise.", rows[1]);
        Assert.Contains(head, l => l.StartsWith("Positive control: this study has no positive control"));
        // and the sweep in the input leads the summary and decides claim 4 as its own test did: six points cannot reach
        // p < 0.05 with a 3/3 split (the smallest permutation p is 1/20), so the step is not significant
        Assert.Contains(head, l => l.StartsWith("Pareto front over (FA↓, RA↑, Q-INT4↓)"));
        Assert.StartsWith("| 4. Phase transition: RA collapses once Q-INT4 is low | does not hold | Step at Q-INT4 = 0.200", rows[3]);
        Assert.Contains("This sweep does not show the phase transition of claim 4.", rows[3]);
    }

    [Fact]
    public void A_Target_That_Never_Learned_The_Facts_Leaves_The_Claims_Untested_With_The_Reason()
    {
        // Given the pipelines study with an audit target above what the target ever knew (FA bf16 0.90)
        var input = WithPipelines();
        var calibration = input.Calibrations.Single() with { AuditEpsilon = 0.95 };
        ReportWriter.Write(input with { Calibrations = [calibration], Cells = input.Cells.Where(c => c.Pipeline == Pipeline.Adapter).ToList() }, _dir);
        var rows = ClaimRows(File.ReadLines(Path.Combine(_dir, "report.md")).Take(40).ToList(), null);
        // Then claims 1, 2, 3 and 5 say they cannot be tested, and why
        foreach (var i in new[] { 0, 1, 2, 4 })
            Assert.Contains("| not tested | Cannot be tested: the target does not know the forget facts on tofu", rows[i]);
    }

    private static List<string> ClaimRows(IReadOnlyList<string> lines, string? pipeline)
    {
        var title = pipeline is null ? "### The paper's claims on this study" : $"### The paper's claims on this study, pipeline {pipeline}";
        var start = lines.ToList().IndexOf(title);
        Assert.True(start >= 0, $"no \"{title}\" in the first 40 lines");
        // Markdown escapes the pipes of "|Δ|" inside a cell; the rows are compared as a reader sees them.
        return lines.Skip(start + 4).TakeWhile(l => l.StartsWith("| ")).Select(l => l.Replace("\\|", "|", StringComparison.Ordinal)).ToList();
    }

    private static string Signed(double v) => v.ToString("+0.000;−0.000;0.000", CultureInfo.InvariantCulture);
}
