using System.ComponentModel;
using System.Globalization;
using DurableUn.Experiments;
using DurableUn.Presets;
using DurableUn.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli.Commands;

/// <summary>
/// `durableun study --preset tiny --out DIR`: every method × dataset × seed × precision (lists selectable), then
/// results.json, certificates and the report. Resumable; `--shard i/n` runs one part, `--jobs N` runs N shard
/// processes here, `--slurm [--submit]` writes (and submits) an sbatch job array.
/// </summary>
public sealed class StudyCommand : Command<StudyCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--preset <PRESET>"), Description("smoke or tiny (default)")] public ModelPreset Preset { get; init; } = ModelPreset.Tiny;
        [CommandOption("--out <DIR>"), Description("Study folder (default runs/PRESET)")] public string? Out { get; init; }
        [CommandOption("--datasets <LIST>"), Description("Comma-separated: tofu,muse,wpu")] public string? Datasets { get; init; }
        [CommandOption("--methods <LIST>"), Description("Comma-separated method names (default: all)")] public string? Methods { get; init; }
        [CommandOption("--seeds <LIST>"), Description("Comma-separated seeds (default 0,1,2)")] public string? Seeds { get; init; }
        [CommandOption("--precisions <LIST>"), Description("Comma-separated precisions (default bf16,int8,int4)")] public string? Precisions { get; init; }
        [CommandOption("--metric <NAME>"), Description("FA/RA metric (default token_accuracy)")] public string? Metric { get; init; }
        [CommandOption("--epsilon <E>"), Description("Certificate ε (default: the audit target)")] public double? Epsilon { get; init; }
        [CommandOption("--audit-epsilon <E>"), Description("Calibration target for FA_bf16 (default: floor + 0.05)")] public double? AuditEpsilon { get; init; }
        [CommandOption("--published <LIST>"), Description("Methods that also get a row at published hyperparameters (default salun; 'none')")] public string? Published { get; init; }
        [CommandOption("--shard <I/N>"), Description("Run only shard I of N (0-based) of the cells")] public string? Shard { get; init; }
        [CommandOption("--jobs <N>"), Description("Run the cells in N parallel processes on this machine")] public int Jobs { get; init; } = 1;
        [CommandOption("--slurm"), Description("Write an sbatch job array (OUT/slurm/) instead of running the cells")] public bool Slurm { get; init; }
        [CommandOption("--submit"), Description("With --slurm: submit it (preparation job, then the array after it)")] public bool Submit { get; init; }
        [CommandOption("--array <N>"), Description("With --slurm: number of array tasks (default 8)")] public int Array { get; init; } = 8;
        [CommandOption("--partition <P>")] public string? Partition { get; init; }
        [CommandOption("--time <HH:MM:SS>")] public string? Time { get; init; }
        [CommandOption("--gpus <N>")] public int? Gpus { get; init; }
        [CommandOption("--mem <SIZE>")] public string? Mem { get; init; }
        [CommandOption("--cpus-per-task <N>")] public int? CpusPerTask { get; init; }
        [CommandOption("--prepare-only"), Description("Only prepare (model, data, targets, calibration)")] public bool PrepareOnly { get; init; }
        [CommandOption("--no-report"), Description("Do not merge results or write the report")] public bool NoReport { get; init; }

        public override ValidationResult Validate() =>
            Jobs < 1 ? ValidationResult.Error("--jobs must be ≥ 1")
            : Submit && !Slurm ? ValidationResult.Error("--submit needs --slurm")
            : Slurm && Shard is not null ? ValidationResult.Error("--slurm writes the shards itself; drop --shard")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var spec = Resolve(s).Validate();
        var outDir = Path.GetFullPath(s.Out ?? Path.Combine("runs", s.Preset.ToString().ToLowerInvariant()));
        if (s.Slurm) return WriteSlurm(s, outDir);
        Tensors.NativeTorch.EnsureLoaded();
        var progress = new StudyProgress();
        using var study = new Study(spec, outDir, progress);
        study.Prepare();
        if (s.PrepareOnly) return 0;
        if (s.Jobs > 1 && s.Shard is null)
        {
            // The cores are shared out among the shards, unless the user fixed the thread count (results then do not
            // depend on the machine: fp32 reductions round differently with another number of threads).
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Tensors.NativeTorch.ThreadsVariable)))
                Environment.SetEnvironmentVariable(Tensors.NativeTorch.ThreadsVariable, $"{Math.Max(1, Environment.ProcessorCount / s.Jobs)}");
            var command = ShardCommand(outDir);
            var codes = LocalJobs.RunAsync(LocalJob.ForShards(command, s.Jobs, Path.Combine(outDir, "logs")), s.Jobs, cancellationToken).GetAwaiter().GetResult();
            if (codes.Any(c => c != 0)) AnsiConsole.MarkupLine($"[red]shard exit codes: {string.Join(", ", codes)}[/] (logs in {Markup.Escape(Path.Combine(outDir, "logs"))})");
        }
        else
        {
            study.RunCells(s.Shard is null ? ShardSpec.All : ShardSpec.Parse(s.Shard));
        }
        if (s.NoReport || s.Shard is not null) return 0;
        var results = study.Collect();
        var written = ReportWriter.Write(StudyReportInput.From(results, $"DurableUn study ({spec.Preset.ToString().ToLowerInvariant()})"), outDir);
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(outDir)}[/]: results.json, {results.Certificates.Count} certificates, {written.Count} report files");
        return 0;
    }

    internal static StudySpec Resolve(Settings s)
    {
        var spec = StudySpec.For(s.Preset);
        return spec with
        {
            Datasets = s.Datasets is null ? spec.Datasets : List(s.Datasets).Select(StudySpec.ParseDataset).ToList(),
            Methods = s.Methods is null ? spec.Methods : List(s.Methods),
            Seeds = s.Seeds is null ? spec.Seeds : List(s.Seeds).Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToList(),
            Precisions = s.Precisions is null ? spec.Precisions : List(s.Precisions).Select(p => Deployment.Precision.Parse(p).Name).ToList(),
            Metric = s.Metric ?? spec.Metric,
            Epsilon = s.Epsilon ?? spec.Epsilon,
            AuditEpsilon = s.AuditEpsilon ?? spec.AuditEpsilon,
            PublishedRows = s.Published is null ? spec.PublishedRows : s.Published == "none" ? [] : List(s.Published),
        };
    }

    private static List<string> List(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>
    /// The program (apphost, or dotnet + our assembly) and this command's arguments without the options that
    /// spawn shards or name the folder, so each shard or Slurm task runs the same study.
    /// </summary>
    private static (List<string> Program, List<string> Arguments) SelfCommand()
    {
        string[] withValue = ["--jobs", "--array", "--out", "--shard"];
        string[] flags = ["--slurm", "--submit", "--no-report", "--prepare-only"];
        var args = Environment.GetCommandLineArgs().Skip(1).ToList();
        var kept = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (withValue.Contains(args[i])) { i++; continue; }
            if (flags.Contains(args[i]) || withValue.Any(w => args[i].StartsWith(w + "=", StringComparison.Ordinal))) continue;
            kept.Add(args[i]);
        }
        var self = Environment.ProcessPath!;
        List<string> program = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [self, typeof(StudyCommand).Assembly.Location] : [self];
        return (program, kept);
    }

    private static List<string> ShardCommand(string outDir)
    {
        var (program, args) = SelfCommand();
        return [.. program, .. args, "--out", outDir, "--shard", ShardSpec.Placeholder, "--no-report"];
    }

    private static int WriteSlurm(Settings s, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var slurmDir = Path.Combine(outDir, "slurm");
        var (program, args) = SelfCommand();
        SbatchOptions Options(string name, int count, IReadOnlyList<string> command) => new()
        {
            JobName = name, ArrayCount = count, Command = command, WorkingDirectory = Directory.GetCurrentDirectory(),
            OutputDir = Path.Combine(slurmDir, "logs"), Partition = s.Partition, Time = s.Time, Gpus = s.Gpus, Mem = s.Mem, CpusPerTask = s.CpusPerTask,
        };
        var prepare = Path.Combine(slurmDir, "prepare.sbatch");
        var cells = Path.Combine(slurmDir, "cells.sbatch");
        var report = Path.Combine(slurmDir, "report.sbatch");
        SbatchScript.WriteTo(prepare, Options("durableun-prepare", 1, [.. program, .. args, "--out", outDir, "--prepare-only"]));
        SbatchScript.WriteTo(cells, Options("durableun-cells", s.Array, ShardCommand(outDir)));
        SbatchScript.WriteTo(report, Options("durableun-report", 1, [.. program, "report", outDir]));
        AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(slurmDir)}[/]: prepare.sbatch, cells.sbatch ({s.Array} tasks), report.sbatch");
        if (!s.Submit) return 0;
        var client = new SlurmClient();
        var prepareId = client.Submit(prepare);
        var cellsId = client.Submit(cells, afterOk: prepareId);
        var reportId = client.Submit(report, afterOk: cellsId);
        AnsiConsole.MarkupLine($"submitted: prepare {prepareId}, cells {cellsId} (after it), report {reportId} (after the cells)");
        return 0;
    }
}
