using System.ComponentModel;
using System.Diagnostics;

namespace DurableUn.ScaleOut;

/// <summary>
/// Runs shards of a study as child processes on one machine, at most N at a time (<c>durableun study --jobs N</c>).
/// Children are separate processes rather than threads because a cell owns a TorchSharp model, its native memory
/// and its thread pool; a crash or leak in one cell then cannot take the others down.
/// <para>
/// Contract: jobs start in list order as slots free up; each child's stdout and stderr go, line by line, to its
/// own log file (created, folders included; an existing log is replaced); a child that fails, or whose program
/// cannot be started (exit code 127, reason in its log), does not stop the others; the call returns when all have
/// ended, with the exit codes in the order of the jobs. Cancelling kills every running child with its process
/// tree, starts no more, and throws <see cref="OperationCanceledException"/>; cells the killed children had
/// finished are already in the cell store, so a rerun picks up from there.
/// </para>
/// Not: retries (rerun the study: finished cells are skipped); not: scheduling by memory or GPU; not: a shell —
/// the program is started directly with its argument list.
/// </summary>
public static class LocalJobs
{
    /// The exit code the shell uses for "command not found", reported for a job whose program would not start.
    public const int CouldNotStart = 127;

    /// <param name="echo">Called with the job's index and each line it writes, after the line is in its log (e.g. to
    /// show the shards' progress); called from the jobs' reader threads.</param>
    public static async Task<IReadOnlyList<int>> RunAsync(IReadOnlyList<LocalJob> jobs, int maxParallel, CancellationToken cancel = default,
                                                          Action<int, string>? echo = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallel, 1);
        using var slots = new SemaphoreSlim(maxParallel);
        var running = jobs.Select(async (job, index) =>
        {
            await slots.WaitAsync(cancel);
            try { return await RunOneAsync(job, cancel, line => echo?.Invoke(index, line)); }
            finally { slots.Release(); }
        }).ToList();
        return await Task.WhenAll(running);
    }

    private static async Task<int> RunOneAsync(LocalJob job, CancellationToken cancel, Action<string> echo)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(job.LogPath))!);
        await using var log = new StreamWriter(job.LogPath, append: false) { AutoFlush = true };
        var gate = new object(); // stdout and stderr events arrive on different threads
        void Append(string? line)
        {
            if (line is null) return;
            lock (gate) log.WriteLine(line);
            echo(line);
        }

        var start = new ProcessStartInfo(job.Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = job.WorkingDirectory ?? "",
        };
        foreach (var argument in job.Arguments) start.ArgumentList.Add(argument);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            Append($"durableun: could not start '{job.Program}': {e.Message}");
            return CouldNotStart;
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancel);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }
        return process.ExitCode;
    }
}
