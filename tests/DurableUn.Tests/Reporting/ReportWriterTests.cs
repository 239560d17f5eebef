using System.Text.RegularExpressions;
using DurableUn.Deployment;
using DurableUn.Reporting;
using static DurableUn.Tests.Reporting.ReportFixtures;

namespace DurableUn.Tests.Reporting;

public sealed class ReportWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Full_Input_Should_Write_Documents_Tables_And_Plots()
    {
        // Given every kind of result
        // When the report is written
        var written = ReportWriter.Write(Full(), _dir);
        // Then the documents, each table as .tex and .csv, the raw cells and each plot as .svg and .png exist
        foreach (var path in new[]
                 {
                     "report.md", "report.html", "tables/results-tofu-answer_token_accuracy.tex", "tables/results-tofu-answer_token_accuracy.csv",
                     "tables/precisions-tofu-answer_token_accuracy.csv", "tables/certificates.tex", "tables/sweep-tofu-saf.csv",
                     "tables/items-tofu-npo-calibrated-seed0.csv", "tables/cells.csv", "plots/fa-by-precision-tofu-answer_token_accuracy.svg",
                     "plots/recovery-heatmap-answer_token_accuracy.png", "plots/pareto-tofu-saf.svg", "plots/phase-transition-tofu-saf.svg", "plots/loss-tofu.svg",
                 })
            Assert.Contains(path, written);
        Assert.All(written, p => Assert.True(File.Exists(Path.Combine(_dir, p)), p));
        // and no temporary file is left behind
        Assert.Empty(Directory.EnumerateFiles(_dir, "*.tmp", SearchOption.AllDirectories));
        var md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("Metric used for FA and RA: answer_token_accuracy.", md);
        Assert.Contains("| npo | 2 | 0.150 ± 0.071 | 0.750 ± 0.071 | 0.150 ± 0.071 | 0.500 ± 0.141 | 3.33× | — | — | 0/2 @ ε=0.047 |", md);
        Assert.Contains("![tofu: FA by precision](plots/fa-by-precision-tofu-answer_token_accuracy.svg)", md);
    }

    [Fact]
    public void Empty_Input_Should_Say_In_One_Line_Per_Section_That_There_Is_No_Data()
    {
        // Given a study that has produced nothing yet
        var input = new ReportInput { Title = "Running study" };
        // When the report is written
        ReportWriter.Write(input, _dir);
        // Then every section is there with its one line, and no table or plot file was made
        var md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        foreach (var line in new[] { "No result records yet.", "No certificates yet.", "No sweep in this report.", "No loss curves recorded.", "No per-item results yet." })
            Assert.Contains(line, md);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_dir, "plots")));
        Assert.Contains("No certificates yet.", File.ReadAllText(Path.Combine(_dir, "report.html")));
    }

    [Fact]
    public void Partial_Study_Should_Report_What_Has_Finished()
    {
        // Given only bf16 results of npo and an empty sweep
        var input = new ReportInput
        {
            Title = "Partial",
            Cells = Cells().Where(c => c.Precision == Precision.Bf16 && c.Method.Name == "npo").ToList(),
            Sweep = new SweepReport { Dataset = "tofu", Method = "saf", Runs = [] },
        };
        // When the report is written
        ReportWriter.Write(input, _dir);
        // Then the unmeasured columns show — and the sweep says it has no runs
        var md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("| npo | 2 | 0.150 ± 0.071 | 0.750 ± 0.071 | — | — | — | — | — | — |", md);
        Assert.Contains("The tofu / saf sweep has no finished runs yet.", md);
        Assert.Contains("No recovery factor yet under answer_token_accuracy: it needs FA at both bf16 and int4.", md);
    }

    [Fact]
    public void Same_Input_Should_Give_Byte_Identical_Files()
    {
        // Given the full fixture written twice into two folders
        var second = Directory.CreateTempSubdirectory("durableun-report-").FullName;
        try
        {
            var first = ReportWriter.Write(Full(), _dir);
            ReportWriter.Write(Full(), second);
            // Then every file is the same, bytes included (plots too)
            Assert.All(first, p => Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, p)), File.ReadAllBytes(Path.Combine(second, p))));
        }
        finally { Directory.Delete(second, recursive: true); }
    }

    [Fact]
    public void Html_Should_Be_Self_Contained_With_Unique_Svg_Ids()
    {
        // Given the full report
        ReportWriter.Write(Full(), _dir);
        var html = File.ReadAllText(Path.Combine(_dir, "report.html"));
        // Then nothing is fetched: no script, no stylesheet link, no external src or href, one inline SVG per figure
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.Equal(6, Regex.Matches(html, "<svg ").Count);   // bars, recovery, heatmap, Pareto, phase, loss
        // and no two elements share an id (clip paths of one plot must not clip another)
        var ids = Regex.Matches(html, "\\bid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Each_Pipeline_And_The_Positive_Control_Get_Tables_And_Plots_Of_Their_Own()
    {
        // Given rows of two pipelines, the adapter one with a positive control (same dataset, method and seed as others)
        var written = ReportWriter.Write(WithPipelines(), _dir);
        // Then each part is written under its own name, none overwriting another
        foreach (var path in new[]
                 {
                     "tables/results-tofu-key_fact-pipeline-adapter.csv", "tables/results-tofu-key_fact-pipeline-full.csv",
                     "tables/results-tofu-key_fact-pipeline-adapter-positive-control.csv", "tables/summary-adapter.csv", "tables/summary-full.csv",
                     "tables/paired.csv", "plots/recovery-tofu-key_fact-pipeline-full.svg", "plots/fa-by-precision-tofu-key_fact-pipeline-adapter-positive-control.svg",
                 })
            Assert.Contains(path, written);
        var md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("### tofu: forgetting by precision (key_fact) — pipeline full", md);
        // and the control's rows never borrow the certificate of the real runs of the same method
        var control = File.ReadAllText(Path.Combine(_dir, "tables/results-tofu-key_fact-pipeline-adapter-positive-control.csv"));
        Assert.DoesNotContain("ε=", control);
        Assert.Contains("1/1 @ ε=0.05", File.ReadAllText(Path.Combine(_dir, "tables/results-tofu-key_fact-pipeline-adapter.csv")));
    }
}
