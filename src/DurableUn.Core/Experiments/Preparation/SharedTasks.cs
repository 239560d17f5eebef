using DurableUn.IO;

namespace DurableUn.Experiments.Preparation;

/// <summary>
/// Does a list of tasks together with every other process preparing the same folder (the shards of
/// <c>study --jobs N</c>): each process takes the first task in list order that is not done, whose inputs exist and
/// that no other process holds (a <see cref="FolderLock"/> per task in the claims folder), does it, and looks again
/// from the top; while every open task is held by another process it polls. It returns when every task is done, so
/// each process leaves with the whole preparation there. List order is priority: put a task after the tasks it reads.
/// <para>
/// Why claims rather than a fixed split: the tasks differ tenfold in cost (a target adapter against one calibration)
/// and depend on each other (calibration needs the retain model's floor), so a fixed split leaves one process idle
/// while the other works. A process that dies releases its claims (the kernel drops its flock), so its task is taken
/// again. With one process the tasks simply run in list order.
/// </para>
/// Not: retries (a task that throws ends this process, as it would alone); not: cross-machine scheduling without a
/// file system that honours flock.
/// </summary>
internal static class SharedTasks
{
    /// How often a process with nothing to take looks again: a task takes seconds to minutes, a look costs a few stats.
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static void Run(IReadOnlyList<SharedTask> tasks, string claimsFolder, IStudyObserver observer, TimeSpan poll)
    {
        var waiting = false;
        while (true)
        {
            var open = tasks.Where(t => !t.IsDone()).ToList();
            if (open.Count == 0) return;
            var ready = open.Where(t => t.IsReady()).ToList();
            // Readiness only grows (outputs are never removed), and a running task was ready when it was claimed, so
            // open tasks with none ready means no process can ever make progress: a task list out of order.
            if (ready.Count == 0)
                throw new InvalidOperationException($"preparation cannot go on: {string.Join(", ", open.Select(t => t.Name))} wait for inputs that no task builds");
            var claimed = TakeFirst(ready, claimsFolder);
            if (claimed is { } c)
            {
                using (c.Claim) c.Task.Run();
                if (!c.Task.IsDone()) throw new InvalidOperationException($"preparation task {c.Task.Name} finished without writing its output");
                waiting = false;
                continue;
            }
            if (!waiting) observer.Stage($"waiting for other processes ({string.Join(", ", ready.Select(t => t.Name))})");
            waiting = true;
            Thread.Sleep(poll);
        }
    }

    private static (SharedTask Task, FolderLock Claim)? TakeFirst(IEnumerable<SharedTask> ready, string claimsFolder)
    {
        foreach (var task in ready)
        {
            var claim = FolderLock.TryAcquire(claimsFolder, task.Name);
            if (claim is null) continue;                      // another process is doing it
            if (!task.IsDone()) return (task, claim);
            claim.Dispose();                                  // it finished between our look and our claim
        }
        return null;
    }
}
