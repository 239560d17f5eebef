namespace DurableUn.Reporting;

/// <summary>
/// Writes a file so that readers see either the old or the new content, never half: the bytes go to a temporary
/// file in the same folder (a rename is only atomic within one file system), which then replaces the target.
/// Not: fsync of the folder; a power cut may lose the new file but never leaves a torn one.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, byte[] bytes)
    {
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static void Write(string path, string text) => Write(path, new System.Text.UTF8Encoding(false).GetBytes(text));
}
