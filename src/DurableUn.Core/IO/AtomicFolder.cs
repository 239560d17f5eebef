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
        if (Directory.Exists(Path.GetFullPath(path))) return;
        DurableUn.IO.StagingFolder.Build(path, build);
    }
}
