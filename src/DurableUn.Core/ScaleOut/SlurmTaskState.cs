namespace DurableUn.ScaleOut;

/// <summary>One record of <c>scontrol show job</c>: a task of an array (or a pending range of tasks) and its state.</summary>
public sealed record SlurmTaskState(string JobId, string? ArrayTaskId, string State, string ExitCode)
{
    /// States after which Slurm will not run the task again on its own (see squeue(1), JOB STATE CODES).
    private static readonly HashSet<string> Terminal =
        ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY"];

    public bool IsFinished => Terminal.Contains(State);
    public override string ToString() => $"{JobId}{(ArrayTaskId is null ? "" : "_" + ArrayTaskId)} {State} exit {ExitCode}";
}
