using System.ComponentModel;
using DurableUn.Cli.Values;
using Spectre.Console;
using Spectre.Console.Cli;
using DurableUn.ScaleOut;

namespace DurableUn.Cli;

/// <summary>
/// The options a resumable, sharded command (study, sweep) shares: run one shard, run shards in parallel
/// processes here, or write (and submit) Slurm scripts. Each command adds its own options to these.
/// </summary>
public class ScaleOutSettings : CommandSettings
{
    [CommandOption("--shard <I/N>"), Description("Run shard I of N (0-based) of the cells, then any other shard's cell no process has taken"), TypeConverter(typeof(ShardConverter))]
    public DurableUn.ScaleOut.ShardSpec? Shard { get; init; }
    [CommandOption("--jobs <N>"), Description("Run N shard processes on this machine at cores/N threads each: they share the preparation, then run the cells")] public int Jobs { get; init; } = 1;
    [CommandOption("--slurm"), Description("Write an sbatch job array (OUT/slurm/) instead of running the cells")] public bool Slurm { get; init; }
    [CommandOption("--submit"), Description("With --slurm: submit it (preparation job, then the array after it, then the report)")] public bool Submit { get; init; }
    [CommandOption("--array <N>"), Description("With --slurm: number of array tasks (default 8)")] public int Array { get; init; } = 8;
    [CommandOption("--partition <P>")] public string? Partition { get; init; }
    [CommandOption("--time <HH:MM:SS>")] public string? Time { get; init; }
    [CommandOption("--gpus <N>")] public int? Gpus { get; init; }
    [CommandOption("--mem <SIZE>")] public string? Mem { get; init; }
    [CommandOption("--cpus-per-task <N>")] public int? CpusPerTask { get; init; }
    [CommandOption("--prepare-only"), Description("Only prepare (model, data, targets, and for a study the calibration)")] public bool PrepareOnly { get; init; }
    [CommandOption("--no-report"), Description("Do not merge results or write the report")] public bool NoReport { get; init; }

    public override ValidationResult Validate() =>
        Jobs < 1 ? ValidationResult.Error("--jobs must be ≥ 1")
        : Submit && !Slurm ? ValidationResult.Error("--submit needs --slurm")
        : Slurm && Shard is not null ? ValidationResult.Error("--slurm writes the shards itself; drop --shard")
        : ValidationResult.Success();
}
