namespace DurableUn.ScaleOut;

/// <summary>
/// Talks to Slurm through its own commands, the way a user would: <c>sbatch --parsable</c> to submit and
/// <c>scontrol show job</c> to watch. <paramref name="environment"/> is added to each command's environment,
/// e.g. <c>SLURM_CONF</c> to address a cluster other than the default one; <paramref name="binFolder"/> is where
/// the commands live when they are not on PATH (e.g. /opt/slurm/bin).
/// Not: squeue or sacct (sacct needs the accounting database, which small clusters lack); not: cancelling
/// jobs; not: watching a job after slurmctld has forgotten it (MinJobAge, 300 s by default, after it ends).
/// </summary>
public sealed class SlurmClient(IReadOnlyDictionary<string, string>? environment = null, string? binFolder = null)
{
    /// Submits a batch script and returns the job id (for an array, the array's id).
    public string Submit(string scriptPath, string? afterOk = null)
    {
        // afterOk: start only once that job has completed successfully (a study's array waits for its preparation).
        string[] args = afterOk is null
            ? ["--parsable", Path.GetFullPath(scriptPath)]
            : ["--parsable", $"--dependency=afterok:{afterOk}", Path.GetFullPath(scriptPath)];
        var output = Run("sbatch", args).Trim();
        // --parsable prints "jobid" or "jobid;cluster".
        var id = output.Split(';')[0];
        return id.Length > 0 && id.All(char.IsAsciiDigit)
            ? id
            : throw new SlurmException($"sbatch printed '{output}' where a job id was expected.");
    }

    /// The current state of every task of a job.
    public IReadOnlyList<SlurmTaskState> States(string jobId)
    {
        // -o prints one line per record; an array job lists its tasks, and its still-pending ones as one range.
        var output = Run("scontrol", ["show", "job", "-o", jobId]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseRecord).ToList();
    }

    /// <summary>
    /// Polls <see cref="States"/> until every task has finished, and returns the final states. Throws
    /// <see cref="TimeoutException"/> with the last states seen when <paramref name="timeout"/> passes first.
    /// A finished task may have failed: check <see cref="SlurmTaskState.State"/>.
    /// </summary>
    public async Task<IReadOnlyList<SlurmTaskState>> WaitAsync(
        string jobId, TimeSpan timeout, TimeSpan? pollInterval = null, CancellationToken cancel = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var states = States(jobId);
            if (states.Count > 0 && states.All(s => s.IsFinished)) return states;
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"Slurm job {jobId} did not finish within {timeout}: {string.Join("; ", states)}.");
            await Task.Delay(pollInterval ?? TimeSpan.FromSeconds(1), cancel);
        }
    }

    private static SlurmTaskState ParseRecord(string line)
    {
        // "JobId=12 ArrayJobId=11 ArrayTaskId=1 JobName=x ... JobState=COMPLETED Reason=None ... ExitCode=0:0 ..."
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2)).Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        string Field(string name) => fields.TryGetValue(name, out var v)
            ? v : throw new SlurmException($"scontrol printed a job record without {name}: {line}");
        return new SlurmTaskState(
            fields.TryGetValue("ArrayJobId", out var arrayJob) ? arrayJob : Field("JobId"),
            fields.GetValueOrDefault("ArrayTaskId"),
            Field("JobState"),
            Field("ExitCode"));
    }

    private string Run(string program, string[] arguments)
    {
        ExternalResult result;
        try
        {
            result = ExternalCommand.Run(binFolder is null ? program : Path.Combine(binFolder, program), arguments, environment);
        }
        catch (FileNotFoundException e)
        {
            throw new SlurmException(
                $"'{program}' is not installed or not on PATH{(binFolder is null ? "" : $" (looked in {binFolder})")}, so this machine cannot submit to Slurm " +
                "(on Debian: apt-get install slurm-client). Copy the written script to a login node and run sbatch there.", e);
        }
        return result.ExitCode == 0
            ? result.Stdout
            : throw new SlurmException(
                $"'{program} {string.Join(' ', arguments)}' exited with {result.ExitCode}: {result.Stderr.Trim()}");
    }
}
