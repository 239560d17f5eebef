namespace DurableUn.IO;

/// <summary>
/// Creates a folder at most once, whole: the content is built in a unique hidden sibling and renamed into place.
/// When two processes race (two Slurm shards preparing the same target), one rename wins and the other discards
/// its copy, so a reader never sees a half-built folder and nothing is built into an existing one.
/// </summary>
internal static class AtomicFolder
{
    /// <summary>Builds <paramref name="path"/> with <paramref name="build"/> (given a fresh path to create) unless it exists.</summary>
    public static void Ensure(string path, Action<string> build)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return;
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.building");
        try
        {
            build(staging);
            try
            {
                Directory.Move(staging, full);
            }
            catch (IOException) when (Directory.Exists(full))
            {
                // another process finished the same folder first: keep theirs
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
