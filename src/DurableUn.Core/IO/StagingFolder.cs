using System.Diagnostics;

namespace DurableUn.IO;

/// <summary>
/// The one way a folder is built: its content goes into a hidden sibling <c>.NAME.tmp-HOST-PID</c> (same file
/// system, so the final rename is atomic), which is renamed into place when complete and deleted when the build
/// fails. A process killed mid-build leaves its staging folder behind; the next build next to it removes every
/// staging folder of this host whose process is gone (<see cref="DeleteStale"/>). Folders of other hosts are left
/// alone: on a shared file system their process may still be running.
/// Not: a lock; two processes building the same target each build, and <see cref="Build"/> with
/// <c>replace: false</c> lets the first rename win.
/// </summary>
public static class StagingFolder
{
    private const string Marker = ".tmp-";

    /// <summary>This process's staging path for <paramref name="target"/>.</summary>
    public static string For(string target)
    {
        var full = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}{Marker}{Host}-{Environment.ProcessId}");
    }

    /// <summary>
    /// Builds <paramref name="target"/> through a staging folder (<paramref name="build"/> is given a fresh path to
    /// create). Refuses a target that exists (file or folder) before
    /// building; when another process creates it meanwhile, its folder is kept and this one discarded (returns false).
    /// </summary>
    public static bool Build(string target, Action<string> build)
    {
        var full = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
        RefuseExisting(full);
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        DeleteStale(parent);
        var staging = For(full);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        try
        {
            build(staging);
            try
            {
                Directory.Move(staging, full);
                return true;
            }
            catch (IOException) when (Directory.Exists(full))
            {
                return false; // another process finished the same folder first: keep theirs
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>An output path that already holds something is an error naming it: nothing is ever built over it.</summary>
    public static void RefuseExisting(string target)
    {
        if (Directory.Exists(target)) throw new IOException($"{Path.GetFullPath(target)} already exists; choose a new output folder (nothing was written)");
        if (File.Exists(target)) throw new IOException($"{Path.GetFullPath(target)} is an existing file; choose a new output folder (nothing was written)");
    }

    /// <summary>Deletes the staging folders in <paramref name="parent"/> left by dead processes of this host; returns how many.</summary>
    public static int DeleteStale(string parent)
    {
        if (!Directory.Exists(parent)) return 0;
        var deleted = 0;
        foreach (var dir in Directory.EnumerateDirectories(parent, $".*{Marker}*"))
        {
            if (!IsStale(Path.GetFileName(dir))) continue;
            try
            {
                Directory.Delete(dir, recursive: true);
                deleted++;
            }
            catch (IOException) { } // vanished meanwhile or busy: the next run tries again
            catch (UnauthorizedAccessException) { }
        }
        return deleted;
    }

    // ".NAME.tmp-HOST-PID" (and the older ".NAME.tmp-PID", taken as this host's): stale when that PID is not running here.
    private static bool IsStale(string name)
    {
        var suffix = name[(name.LastIndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..];
        var dash = suffix.LastIndexOf('-');
        var host = dash < 0 ? Host : suffix[..dash];
        if (host != Host || !int.TryParse(suffix[(dash + 1)..], out var pid)) return false;
        return pid != Environment.ProcessId && !IsRunning(pid);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    // The host part must not contain the separator the PID is split at last: dashes in host names are fine.
    private static string Host { get; } = Environment.MachineName.Replace('/', '_');
}
