using System.Text.RegularExpressions;

namespace DurableUn.ScaleOut;

/// <summary>
/// What an sbatch job-array script for a study asks of Slurm. Optional resources left null are not requested, so
/// the cluster's defaults apply. <see cref="Validate"/> throws on values sbatch would reject or misread, naming
/// the value. Values on <c>#SBATCH</c> lines may not contain spaces, quotes, backslashes or <c>%</c>: sbatch
/// parses those lines with its own rules (and expands <c>%</c> in log paths), so rejecting is safer than quoting.
/// Not: the rendering (<see cref="SbatchScript"/>); not: GPU types or per-node layouts.
/// </summary>
public sealed partial record SbatchOptions
{
    public required string JobName { get; init; }
    /// Number of array tasks = number of shards; task i runs shard i/ArrayCount. Clusters cap it (MaxArraySize,
    /// 1001 by default), and sbatch's refusal then reaches the caller as a <see cref="SlurmException"/>.
    public required int ArrayCount { get; init; }
    /// The program and its arguments; every <see cref="ShardSpec.Placeholder"/> becomes "$SLURM_ARRAY_TASK_ID/N".
    public required IReadOnlyList<string> Command { get; init; }
    /// Absolute folder the tasks run in (<c>--chdir</c>), usually where the study was launched.
    public required string WorkingDirectory { get; init; }
    /// Absolute folder for one log per task, <c>JOBNAME_ARRAYJOBID_TASK.log</c>; it must exist before the job starts.
    public required string OutputDir { get; init; }
    public string? Partition { get; init; }
    /// Wall-clock limit per task as HH:MM:SS or D-HH:MM:SS; the task is killed beyond it (rerun resumes it).
    public string? Time { get; init; }
    /// GPUs per task, requested as <c>--gres=gpu:N</c>, which every select plugin understands (<c>--gpus</c> needs cons_tres).
    public int? Gpus { get; init; }
    /// Memory per node as sbatch writes it: a whole number with an optional K, M, G or T suffix (default M).
    public string? Mem { get; init; }
    public int? CpusPerTask { get; init; }
    /// At most this many tasks run at once (the <c>%</c> throttle of <c>--array</c>); null for no limit.
    public int? MaxConcurrent { get; init; }

    public void Validate()
    {
        RequireDirectiveValue(nameof(JobName), JobName);
        if (ArrayCount < 1) throw Bad(nameof(ArrayCount), ArrayCount, "must be at least 1");
        if (Command.Count == 0 || Command[0].Length == 0) throw Bad(nameof(Command), "(empty)", "must name a program");
        RequireAbsoluteFolder(nameof(WorkingDirectory), WorkingDirectory);
        RequireAbsoluteFolder(nameof(OutputDir), OutputDir);
        if (Partition is not null) RequireDirectiveValue(nameof(Partition), Partition);
        if (Time is not null && !TimePattern().IsMatch(Time))
            throw Bad(nameof(Time), Time, "must be HH:MM:SS or D-HH:MM:SS, minutes and seconds below 60");
        if (Gpus is < 1) throw Bad(nameof(Gpus), Gpus, "must be at least 1 when given");
        if (Mem is not null && !MemPattern().IsMatch(Mem))
            throw Bad(nameof(Mem), Mem, "must be a positive whole number with an optional K, M, G or T suffix, e.g. 16G");
        if (CpusPerTask is < 1) throw Bad(nameof(CpusPerTask), CpusPerTask, "must be at least 1 when given");
        if (MaxConcurrent is < 1) throw Bad(nameof(MaxConcurrent), MaxConcurrent, "must be at least 1 when given");
    }

    private static void RequireAbsoluteFolder(string name, string path)
    {
        RequireDirectiveValue(name, path);
        if (!Path.IsPathFullyQualified(path)) throw Bad(name, path, "must be an absolute path (tasks may start anywhere)");
    }

    private static void RequireDirectiveValue(string name, string value)
    {
        if (value.Length == 0) throw Bad(name, "(empty)", "must not be empty");
        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\'' or '\\' or '%'))
            throw Bad(name, value, "must not contain spaces, quotes, backslashes or '%' (sbatch reads #SBATCH lines itself)");
    }

    private static ArgumentException Bad(string name, object? value, string rule) =>
        new($"sbatch option {name} = '{value}' {rule}.", name);

    [GeneratedRegex(@"^([0-9]+-)?[0-9]+:[0-5][0-9]:[0-5][0-9]$")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^0*[1-9][0-9]*[KMGT]?$")]
    private static partial Regex MemPattern();
}
