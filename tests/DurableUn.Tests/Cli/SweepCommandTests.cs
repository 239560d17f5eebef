using System.Text.Json;
using DurableUn.Cli.Commands;
using DurableUn.Experiments;
using DurableUn.Tests.Data;
using Spectre.Console.Cli;

namespace DurableUn.Tests.Cli;

/// <summary>
/// `durableun sweep` end to end on the smoke preset (2 layers, d 64): preparation, four GA points at bf16 and int4,
/// sweep_results.json and the report; then resume and `report DIR`. About half a minute on two cores, most of it
/// fine-tuning the smoke target and retain adapters.
/// </summary>
public sealed class SweepCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static int Run(params string[] args)
    {
        var app = new CommandApp();
        app.Configure(c =>
        {
            c.PropagateExceptions();
            c.AddCommand<SweepCommand>("sweep");
            c.AddCommand<ReportCommand>("report");
        });
        return app.Run(args);
    }

    private string[] SweepArgs(string outDir) =>
    [
        "sweep", "--preset", "smoke", "--dataset", "tofu", "--method", "ga", "--grid", "lr=1e-4,1e-3,5e-3,2e-2", "--set", "steps=5",
        "--precisions", "bf16,int4", "--out", outDir,
    ];

    [Fact]
    public void Smoke_Sweep_Should_Write_Results_And_Report_And_Resume_Without_Rerunning_Points()
    {
        // Given a sweep folder
        var outDir = _dir.Combine("sweep");
        // When the sweep runs
        Assert.Equal(0, Run(SweepArgs(outDir)));
        // Then sweep_results.json holds four points, each with FA, RA and Q-INT4, a front and a phase-transition note
        var results = JsonSerializer.Deserialize<SweepResults>(File.ReadAllText(Path.Combine(outDir, "sweep_results.json")), FinetuneRun.Json)!;
        Assert.Equal(4, results.Planned);
        Assert.Equal(["pt0000", "pt0001", "pt0002", "pt0003"], results.Points.Select(p => p.Id));
        Assert.Equal(["1e-4", "1e-3", "5e-3", "2e-2"], results.Points.Select(p => p.Parameters["lr"]));
        Assert.All(results.Points, p => Assert.Equal(["bf16", "int4"], p.Fa.Keys.Order(StringComparer.Ordinal)));
        Assert.All(results.Points, p => Assert.Equal(p.Certified, Math.Max(p.FaBf16, p.QInt4) <= results.Epsilon));
        Assert.Equal(results.Floor + 0.05, results.Epsilon, 12);
        Assert.NotEmpty(results.ParetoFront);
        Assert.False(string.IsNullOrWhiteSpace(results.PhaseTransitionNote));
        // and the report has the sweep section with its findings, both plots and the table
        var md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("## Sweep", md);
        Assert.Contains("Pareto front over (FA↓, RA↑, Q-INT4↓)", md);
        Assert.Contains("Phase transition (claim 4, RA against Q-INT4)", md);
        foreach (var file in new[] { "report.html", "plots/pareto-tofu-ga.svg", "plots/phase-transition-tofu-ga.svg", "tables/sweep-tofu-ga.csv" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);

        // Given one point's cell removed (as if its run had been killed) and the other cells' times noted
        var cells = Path.Combine(outDir, "cells");
        File.Delete(Path.Combine(cells, "pt0002.json"));
        var before = new[] { "pt0000", "pt0001", "pt0003" }.ToDictionary(k => k, k => File.GetLastWriteTimeUtc(Path.Combine(cells, $"{k}.json")));
        // When the same sweep runs again
        Assert.Equal(0, Run(SweepArgs(outDir)));
        // Then only the missing point ran again; the finished ones were skipped
        Assert.True(File.Exists(Path.Combine(cells, "pt0002.json")));
        Assert.All(before, kv => Assert.Equal(kv.Value, File.GetLastWriteTimeUtc(Path.Combine(cells, $"{kv.Key}.json"))));

        // When the folder is reported on its own
        File.Delete(Path.Combine(outDir, "report.md"));
        Assert.Equal(0, Run("report", outDir));
        // Then `report` knew it for a sweep
        Assert.Contains("DurableUn sweep: ga on tofu (smoke)", File.ReadAllText(Path.Combine(outDir, "report.md")));
    }

    [Fact]
    public void A_Bad_Key_Should_Fail_Before_Anything_Is_Built()
    {
        // Given a typo in the grid
        var outDir = _dir.Combine("typo");
        // When the sweep starts / Then it fails naming the key, and nothing was prepared
        var e = Assert.Throws<ArgumentException>(() => Run("sweep", "--preset", "smoke", "--method", "ga", "--grid", "lrr=1e-4,1e-3", "--out", outDir));
        Assert.Equal("lrr", e.ParamName);
        Assert.False(Directory.Exists(Path.Combine(outDir, "model")));
    }

    [Fact]
    public void A_Folder_Should_Refuse_Another_Sweep_Spec()
    {
        // Given a sweep folder claimed by one grid (validation and sweep.json only: --shard of a bad spec never trains)
        var outDir = _dir.Combine("claimed");
        var spec = SweepCommand.Resolve(new SweepCommand.Settings { Preset = Presets.ModelPreset.Smoke, Method = "ga", Grid = ["lr=1e-4,1e-3"], Out = outDir });
        using (var sweep = new Sweep(spec, outDir, new NullObserver())) sweep.Initialise();
        // When another grid is initialised in it / Then refused
        using var other = new Sweep(spec with { Grid = [GridAxis.Parse("lr=1e-2")] }, outDir, new NullObserver());
        Assert.Contains("holds another sweep's spec", Assert.Throws<InvalidOperationException>(other.Initialise).Message);
    }

    private sealed class NullObserver : IStudyObserver
    {
        public void Stage(string description) { }
        public void CellDone(string key, int done, int total, double seconds, bool skipped) { }
    }
}
