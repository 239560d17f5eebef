namespace DurableUn.IO;

/// <summary>
/// One process at a time per unit of work in a folder: a study or sweep run, or one shard of it. The lock is an
/// exclusive flock on <c>.NAME.lock</c> (.NET takes it for FileShare.None on Unix), so it is released by the kernel
/// when the holder exits, however it exits — a killed run never leaves a stale lock. Who holds it is written beside
/// it (<c>.NAME.lock.owner</c>) for the refusal message. Shards lock their own name, so the shards of one run proceed
/// side by side while a second copy of any of them is refused; cells are still published once each (link(2)).
/// </summary>
public sealed class FolderLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _ownerPath;

    private FolderLock(FileStream stream, string ownerPath) => (_stream, _ownerPath) = (stream, ownerPath);

    /// <exception cref="IOException">Another process holds the lock; the message names the folder and the holder.</exception>
    public static FolderLock Acquire(string folder, string name) =>
        TryAcquire(folder, name) ?? throw new IOException($"{folder}: {name} is already running here ({Owner(folder, name)}); wait for it to finish or stop it");

    /// <summary>The lock, or null when another holder has it (a claim on shared work: take another piece meanwhile).</summary>
    public static FolderLock? TryAcquire(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var path = LockPath(folder, name);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
        var ownerPath = path + ".owner";
        AtomicFile.WriteAllText(ownerPath, $"pid {Environment.ProcessId} on {Environment.MachineName}, since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");
        return new FolderLock(stream, ownerPath);
    }

    private static string LockPath(string folder, string name) => Path.Combine(folder, $".{name}.lock");

    private static string Owner(string folder, string name)
    {
        var ownerPath = LockPath(folder, name) + ".owner";
        return File.Exists(ownerPath) ? File.ReadAllText(ownerPath).Trim() : "unknown process";
    }

    public void Dispose()
    {
        try { File.Delete(_ownerPath); } catch (IOException) { }
        _stream.Dispose();
    }
}
