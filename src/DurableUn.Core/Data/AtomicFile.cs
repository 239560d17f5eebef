namespace DurableUn.Data;

/// <summary>
/// Replaces a file in one step: write a uniquely named temporary file in the same folder (same file system, so
/// the rename is atomic), then move it over the target. A crash leaves either the old file or the new one.
/// Not: fsync of the folder entry; a power cut right after the rename may still lose the new file on some
/// file systems.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
