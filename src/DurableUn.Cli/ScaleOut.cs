using DurableUn.ScaleOut;
using Spectre.Console;

namespace DurableUn.Cli;

/// <summary>
/// Runs a sharded command beyond this process: N local shard processes (<c>--jobs</c>) or Slurm scripts
/// (<c>--slurm</c>: prepare.sbatch, cells.sbatch as a job array of <c>--shard i/N</c>, report.sbatch, chained by
/// afterok when submitted). Every shard runs this same command line, so a study or sweep behaves alike everywhere.
/// </summary>
internal static class ScaleOut
{
    /// <summary>Runs <c>--jobs</c> shard processes (each shares the preparation, then runs its cells), shows their
    /// progress lines prefixed with the shard, and reports failing shards (their logs say why).</summary>
    public static void RunLocal(IReadOnlyList<string> arguments, ScaleOutSettings s, string outDir, CancellationToken cancellationToken)
    {
        // The cores are shared out among the shards, unless the user fixed the thread count (results then do not
        // depend on the machine: fp32 reductions round differently with another number of threads).
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Tensors.NativeTorch.ThreadsVariable)))
            Environment.SetEnvironmentVariable(Tensors.NativeTorch.ThreadsVariable, $"{Math.Max(1, Environment.ProcessorCount / s.Jobs)}");
        var logs = Path.Combine(outDir, "logs");
        var jobs = LocalJob.ForShards(ShardCommand(arguments, outDir, s.PrepareOnly), s.Jobs, logs);
        var gate = new object();   // lines of the shards arrive on their reader threads
        void Echo(int job, string line) { lock (gate) AnsiConsole.MarkupLine($"[grey]shard {job}[/] {Markup.Escape(line)}"); }
        var codes = LocalJobs.RunAsync(jobs, s.Jobs, cancellationToken, Echo).GetAwaiter().GetResult();
        if (codes.Any(c => c != 0)) AnsiConsole.MarkupLine($"[red]shard exit codes: {string.Join(", ", codes)}[/] (logs in {Markup.Escape(logs)})");
    }

    /// <summary>Writes prepare/cells/report sbatch scripts under OUT/slurm and, with --submit, submits them chained.</summary>
    public static int WriteSlurm(IReadOnlyList<string> arguments, ScaleOutSettings s, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var slurmDir = Path.Combine(outDir, "slurm");
        var (program, args) = SelfCommand(arguments);
        SbatchOptions Options(string name, int count, IReadOnlyList<string> command) => new()
        {
            JobName = name, ArrayCount = count, Command = command, WorkingDirectory = Directory.GetCurrentDirectory(),
            OutputDir = Path.Combine(slurmDir, "logs"), Partition = s.Partition, Time = s.Time, Gpus = s.Gpus, Mem = s.Mem, CpusPerTask = s.CpusPerTask,
        };
        var prepare = Path.Combine(slurmDir, "prepare.sbatch");
        var cells = Path.Combine(slurmDir, "cells.sbatch");
        var report = Path.Combine(slurmDir, "report.sbatch");
        SbatchScript.WriteTo(prepare, Options("durableun-prepare", 1, [.. program, .. args, "--out", outDir, "--prepare-only"]));
        SbatchScript.WriteTo(cells, Options("durableun-cells", s.Array, ShardCommand(arguments, outDir)));
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

    /// <summary>
    /// The program (apphost, or dotnet + our assembly) and this command's arguments without the options that
    /// spawn shards or name the folder, so each shard or Slurm task runs the same command. The arguments are the
    /// ones the command was given (Spectre's CommandContext.Arguments: the command name and its options).
    /// </summary>
    private static (List<string> Program, List<string> Arguments) SelfCommand(IReadOnlyList<string> arguments)
    {
        string[] withValue = ["--jobs", "--array", "--out", "--shard"];
        string[] flags = ["--slurm", "--submit", "--no-report", "--prepare-only"];
        var args = arguments.ToList();
        var kept = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (withValue.Contains(args[i])) { i++; continue; }
            if (flags.Contains(args[i]) || withValue.Any(w => args[i].StartsWith(w + "=", StringComparison.Ordinal))) continue;
            kept.Add(args[i]);
        }
        var self = Environment.ProcessPath!;
        List<string> program = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [self, typeof(ScaleOut).Assembly.Location] : [self];
        return (program, kept);
    }

    private static List<string> ShardCommand(IReadOnlyList<string> arguments, string outDir, bool prepareOnly = false)
    {
        var (program, args) = SelfCommand(arguments);
        return [.. program, .. args, "--out", outDir, "--shard", ShardSpec.Placeholder, "--no-report", .. prepareOnly ? ["--prepare-only"] : Array.Empty<string>()];
    }
}
