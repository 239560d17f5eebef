using System.Text.Json;
using DurableUn.Cli.Commands;
using DurableUn.Deployment;
using DurableUn.Experiments.Preparation;
using DurableUn.Experiments.Specs;
using DurableUn.Experiments.Sweeps;
using DurableUn.IO;
using DurableUn.Presets;
using DurableUn.Reporting;
using DurableUn.ScaleOut;
using DurableUn.Tests.Data;
using Spectre.Console.Cli;

namespace DurableUn.Tests.Cli;

/// <summary>
/// `durableun sweep` end to end on the smoke preset (2 layers, d 64): the command's spec, preparation, four GA points
/// at bf16 and int4 run as two shards and a resumed rerun, sweep_results.json and the report, then `report DIR`.
/// The target and retain adapters get 40 fine-tuning steps instead of the preset's 300: the test then takes ~4 s on
/// an idle 2-core machine and ~1 min on a loaded one (300 steps took 6 min there); the pipeline is the same, only the
/// target memorises less.
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

    private static SweepSpec SmokeSpec(string outDir)
    {
        var spec = SweepCommand.Resolve(new SweepCommand.Settings
        {
            Preset = ModelPreset.Smoke, Dataset = "tofu", Method = "ga", Grid = ["lr=1e-4,1e-3,5e-3,2e-2"], Set = ["steps=5"],
            Precisions = [Precision.Bf16, Precision.Int4], Out = outDir, Cache = CliRunner.BaseCache,
        });
        return spec with { Preparation = spec.Preparation with { FinetuneSteps = 40 } };
    }

    [Fact]
    public void Smoke_Sweep_Should_Run_Sharded_Resume_And_Write_Results_And_Report()
    {
        // Given the command's spec for a 4-point lr grid, prepared, and shard 0/2 run (points 0 and 2)
        var outDir = _dir.Combine("sweep");
        var spec = SmokeSpec(outDir);
        using (var first = new Sweep(spec, outDir, new NullObserver()))
        {
            first.Prepare();
            first.RunCells(ShardSpec.Parse("0/2"));
        }
        var cells = Path.Combine(outDir, "cells");
        Assert.Equal([true, false, true, false], SweepPlan.Points(spec).Select(p => File.Exists(Path.Combine(cells, $"{p.Id}.json"))));
        var before = new[] { "pt0000", "pt0002" }.ToDictionary(k => k, k => File.GetLastWriteTimeUtc(Path.Combine(cells, $"{k}.json")));

        // When the whole sweep is run again and collected, as `durableun sweep` does
        using var sweep = new Sweep(spec, outDir, new NullObserver());
        sweep.Prepare();
        sweep.RunCells(ShardSpec.All);
        var results = sweep.Collect();
        ReportWriter.Write(SweepReportInput.From(results, SweepCommand.Title(spec)), outDir);

        // Then the finished points were skipped and the other two ran
        Assert.All(before, kv => Assert.Equal(kv.Value, File.GetLastWriteTimeUtc(Path.Combine(cells, $"{kv.Key}.json"))));
        // and sweep_results.json holds the four points with FA, RA, Q-INT4, their verdicts, a front and a phase-transition note
        var written = JsonSerializer.Deserialize<SweepResults>(File.ReadAllText(Path.Combine(outDir, "sweep_results.json")), JsonDefaults.Options)!;
        Assert.Equal(4, written.Planned);
        Assert.Equal(["pt0000", "pt0001", "pt0002", "pt0003"], written.Points.Select(p => p.Id));
        Assert.Equal(["1e-4", "1e-3", "5e-3", "2e-2"], written.Points.Select(p => p.Parameters["lr"]));
        Assert.All(written.Points, p => Assert.Equal(["bf16", "int4"], p.Fa.Keys.Select(k => k.Name).Order(StringComparer.Ordinal)));
        Assert.All(written.Points, p => Assert.Equal(p.Certified, Math.Max(p.FaBf16, p.QInt4) <= written.Epsilon));
        Assert.Equal(written.Floor + 0.05, written.Epsilon, 12);
        Assert.NotEmpty(written.ParetoFront);
        Assert.False(string.IsNullOrWhiteSpace(written.PhaseTransitionNote));
        // and the report has the sweep section with its findings, both plots and the table
        var md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("## Sweep", md);
        Assert.Contains("Pareto front over (FA↓, RA↑, Q-INT4↓)", md);
        Assert.Contains("Phase transition (claim 4, RA against Q-INT4)", md);
        foreach (var file in new[] { "report.html", "plots/pareto-tofu-ga.svg", "plots/phase-transition-tofu-ga.svg", "tables/sweep-tofu-ga.csv" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);

        // When the folder is reported on its own
        File.Delete(Path.Combine(outDir, "report.md"));
        Assert.Equal(0, Run("report", outDir));
        // Then `report` knew it for a sweep
        Assert.Contains("DurableUn sweep: ga on tofu (smoke)", File.ReadAllText(Path.Combine(outDir, "report.md")));
    }

    [Fact]
    public void Preparation_Options_Should_Default_To_The_Study_Ones_And_Be_Settable_Like_Study()
    {
        // Given a sweep without preparation options and one with --base random --cache DIR --lora-rank 4
        // --finetune-lr 2e-3 --finetune-steps 600
        var plain = SweepCommand.Resolve(new SweepCommand.Settings { Preset = ModelPreset.Tiny, Method = "ga", Grid = ["lr=1e-3"], Out = "x" });
        var set = new SweepCommand.Settings
        {
            Preset = ModelPreset.Tiny, Method = "ga", Grid = ["lr=1e-3"], Out = "x",
            Base = DurableUn.Pretraining.BaseModel.Random, Cache = "/some/cache", LoraRank = 4, FinetuneLr = 2e-3, FinetuneSteps = 600,
        };
        var spec = SweepCommand.Resolve(set);
        var study = StudyCommand.Resolve(new StudyCommand.Settings
        {
            Preset = ModelPreset.Tiny, Base = set.Base, Cache = set.Cache, LoraRank = set.LoraRank, FinetuneLr = set.FinetuneLr, FinetuneSteps = set.FinetuneSteps,
        });
        // Then the plain sweep prepares as the default study, and the other as the study given the same options
        Assert.Equal(StudySpec.For(ModelPreset.Tiny).Preparation, plain.Preparation);
        Assert.Equal(study.Preparation, spec.Preparation);
        Assert.Equal((DurableUn.Pretraining.BaseModel.Random, "/some/cache", 4, 2e-3, 600),
                     (spec.Preparation.Base, spec.Preparation.CacheDir, spec.Preparation.LoraRank, spec.Preparation.FinetuneLr, spec.Preparation.FinetuneSteps));
        // and the rank and the fine-tuning recipe are part of sweep.json (the cache, a machine's path, is not)
        var json = JsonSerializer.Serialize(spec, JsonDefaults.Options);
        Assert.Contains("\"lora_rank\": 4", json);
        Assert.Contains("\"finetune_lr\": 0.002", json);
        Assert.Contains("\"finetune_steps\": 600", json);
        Assert.DoesNotContain("/some/cache", json);
        // and a rank below 1 is refused before anything is built
        Assert.Throws<ArgumentException>(() => SweepCommand.Resolve(new SweepCommand.Settings
        {
            Preset = ModelPreset.Tiny, Method = "ga", Grid = ["lr=1e-3"], Out = "x", LoraRank = 0,
        }).Validate());
        // and so are a fine-tuning lr or step count that cannot train, each named with its value
        var lr = Assert.Throws<ArgumentException>(() => SweepCommand.Resolve(new SweepCommand.Settings
        {
            Preset = ModelPreset.Tiny, Method = "ga", Grid = ["lr=1e-3"], Out = "x", FinetuneLr = 0,
        }).Validate());
        Assert.Equal("finetune_lr must be > 0, got 0", lr.Message);
        var steps = Assert.Throws<ArgumentException>(() => SweepCommand.Resolve(new SweepCommand.Settings
        {
            Preset = ModelPreset.Tiny, Method = "ga", Grid = ["lr=1e-3"], Out = "x", FinetuneSteps = 0,
        }).Validate());
        Assert.Equal("finetune_steps must be ≥ 1, got 0", steps.Message);
    }

    [Fact]
    public void A_Forget_Size_Reaches_Study_And_Sweep_Preparation_Alike_And_Zero_Is_Refused()
    {
        // Given --forget-size 200 on a sweep and on a study
        var sweep = SweepCommand.Resolve(new SweepCommand.Settings { Preset = ModelPreset.Tiny, Method = "ga", Grid = ["lr=1e-3"], Out = "x", ForgetSize = 200 });
        var study = StudyCommand.Resolve(new StudyCommand.Settings { Preset = ModelPreset.Tiny, ForgetSize = 200 });
        // Then both prepare the same grown data, and the size is part of the spec file
        Assert.Equal(200, sweep.Preparation.ForgetSize);
        Assert.Equal(study.Preparation, sweep.Preparation);
        Assert.Contains("\"forget_size\": 200", JsonSerializer.Serialize(study, JsonDefaults.Options));
        // and the preset's own size leaves the spec file as it was
        Assert.DoesNotContain("forget_size", JsonSerializer.Serialize(StudySpec.For(ModelPreset.Tiny), JsonDefaults.Options));
        // and a forget set of no items is refused before anything is built, named with its value
        var zero = Assert.Throws<ArgumentException>(() => StudyCommand.Resolve(new StudyCommand.Settings { Preset = ModelPreset.Tiny, ForgetSize = 0 }).Validate());
        Assert.Equal("forget_size must be ≥ 1, got 0", zero.Message);
    }

    [Fact]
    public void Slurm_Option_Should_Write_Prepare_Cells_And_Report_Scripts_Of_The_Same_Sweep()
    {
        // Given a sweep asked to scale out on Slurm with 3 array tasks (not submitted)
        var outDir = Path.Combine(_dir.Path, "slurm-sweep");
        // When the command runs
        Assert.Equal(0, Run("sweep", "--preset", "smoke", "--method", "ga", "--grid", "lr=1e-4,1e-3", "--slurm", "--array", "3", "--out", outDir));
        // Then three scripts exist: preparation only, an array of shards of this sweep, and the report of the folder
        var prepare = File.ReadAllText(Path.Combine(outDir, "slurm", "prepare.sbatch"));
        var cells = File.ReadAllText(Path.Combine(outDir, "slurm", "cells.sbatch"));
        var report = File.ReadAllText(Path.Combine(outDir, "slurm", "report.sbatch"));
        Assert.Contains("'--prepare-only'", prepare);
        Assert.Contains("#SBATCH --array=0-2", cells);
        Assert.Contains("'sweep'", cells);
        Assert.Contains("'lr=1e-4,1e-3'", cells);
        Assert.Contains("${SLURM_ARRAY_TASK_ID}/3", cells);
        Assert.Contains("'report'", report);
        Assert.False(File.Exists(Path.Combine(outDir, "sweep.json")));   // nothing ran here
    }

    [Fact]
    public void A_Bad_Key_Should_Fail_Before_Anything_Is_Built()
    {
        // Given a typo in the grid
        var outDir = _dir.Combine("typo");
        // When the sweep starts / Then it is a usage error naming the key while parsing, and nothing was prepared
        var result = CliRunner.Run("sweep", "--preset", "smoke", "--method", "ga", "--grid", "lrr=1e-4,1e-3", "--out", outDir);
        BadInputTests.OneLine(result, DurableUn.Cli.CliErrors.Usage, "\"lrr\"");
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void A_Folder_Should_Refuse_Another_Sweep_Spec()
    {
        // Given a sweep folder claimed by one grid (validation and sweep.json only: --shard of a bad spec never trains)
        var outDir = _dir.Combine("claimed");
        var spec = SweepCommand.Resolve(new SweepCommand.Settings { Preset = ModelPreset.Smoke, Method = "ga", Grid = ["lr=1e-4,1e-3"], Out = outDir });
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
