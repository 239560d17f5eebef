using System.Text.Json;
using DurableUn.IO;

namespace DurableUn.Experiments.Results;

/// <summary>
/// A results folder shared by every shard of a study: each finished cell is one file <c>KEY.json</c>, and a cell
/// is done exactly when its file exists. Writers never append to or edit a result file, so shards on different
/// nodes cannot collide, and a rerun of a killed task skips the cells it had already finished.
/// <para>
/// How a write works, and what it guarantees. The JSON goes to a temporary file <c>.KEY.GUID.tmp</c> in the same
/// folder, is flushed to disk, and is then published under <c>KEY.json</c> only if that name is free, as one atomic
/// step (<see cref="PublishOnce"/>: <c>link(2)</c>, atomic on local file systems and on NFS). Hence: (1) a reader
/// sees no file or a complete file, never a partial one; (2) of two writers of the same cell, on one node or on
/// two, exactly one publishes and the other gets <c>false</c> and leaves the first file untouched; (3) a writer
/// killed at any point leaves at most a temp file, which readers ignore and <see cref="DeleteStaleTempFiles"/>
/// removes. Two caveats. On NFSv3 a retransmitted link whose reply was lost can report EEXIST although it
/// succeeded: the file is then the writer's own and complete, but both writers are told <c>false</c>. On a file
/// system without hard links the publish falls back to check-then-rename: (1) and (3) hold since rename is atomic
/// within a folder, but two simultaneous writers may both publish, the later complete file replacing the earlier.
/// </para>
/// Not: durability of the folder entry across a power cut (the folder itself is not fsynced); not: locking or
/// leases — two shards running the same cell both do the work, and the first to finish wins.
/// </summary>
public sealed class CellStore
{
    private const string ResultExtension = ".json";
    private const string TempExtension = ".tmp";

    private static readonly JsonSerializerOptions DefaultJson = new() { WriteIndented = true };

    private readonly JsonSerializerOptions _json;

    public CellStore(string folder, JsonSerializerOptions? json = null)
    {
        Folder = Path.GetFullPath(folder);
        _json = json ?? DefaultJson;
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    /// The result file of a cell. Throws <see cref="ArgumentException"/> for a key that is not a safe file name.
    public string PathOf(string key) => Path.Combine(Folder, ValidateKey(key) + ResultExtension);

    public bool IsDone(string key) => File.Exists(PathOf(key));

    /// <summary>
    /// Publishes a cell's result. Returns true when this call published it, false when the cell was already done
    /// (by an earlier run or a concurrent writer); in that case the existing file is kept as it is.
    /// </summary>
    public bool Write<T>(string key, T value)
    {
        var target = PathOf(key);
        if (File.Exists(target)) return false;
        var temp = Path.Combine(Folder, $".{key}.{Guid.NewGuid():N}{TempExtension}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, value, _json);
                stream.Flush(flushToDisk: true);
            }
            return PublishOnce.TryMove(temp, target); // false: another writer published first; keep its file
        }
        finally
        {
            File.Delete(temp); // no-op once moved
        }
    }

    /// Every finished cell, by key in ordinal order. Temp files of running or killed writers are skipped.
    public IReadOnlyDictionary<string, T> ReadAll<T>()
    {
        var cells = new SortedDictionary<string, T>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(Folder, "*" + ResultExtension))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.')) continue; // not ours: our temp files end in .tmp, but stay safe with any hidden file
            if (Directory.Exists(path)) throw new InvalidDataException($"Cell file {path} is a folder, not a file (expected a JSON file)");
            var key = name[..^ResultExtension.Length];
            cells[key] = Read<T>(path);
        }
        return cells;
    }

    // A published file is complete by construction, so a bad one was edited or written by something else: say which.
    private T Read<T>(string path)
    {
        try
        {
            return JsonFile.Read<T>(path, _json);
        }
        catch (DurableUn.IO.JsonFileException e)
        {
            throw new InvalidDataException($"Cell file {e.Message}", e);
        }
    }

    /// <summary>
    /// Deletes temp files left by killed writers and returns how many. Only files older than
    /// <paramref name="minAge"/> go: a younger one may belong to a writer still running on another node, whose
    /// publish would fail if its temp file vanished. Pick an age longer than any one write takes (minutes).
    /// </summary>
    public int DeleteStaleTempFiles(TimeSpan minAge)
    {
        var cutoff = DateTime.UtcNow - minAge;
        var deleted = 0;
        foreach (var path in Directory.EnumerateFiles(Folder, ".*" + TempExtension))
        {
            if (File.GetLastWriteTimeUtc(path) > cutoff) continue;
            File.Delete(path);
            deleted++;
        }
        return deleted;
    }

    /// <summary>
    /// A key becomes a file name, so it is limited to letters, digits and <c>-_.=+,@</c>, must not start with a
    /// dot (temp and hidden files do) or contain "..", and must fit a 255-byte file name with room for the temp
    /// suffix. Rejecting beats escaping: the file name stays the key, readable in <c>ls</c>.
    /// </summary>
    private static string ValidateKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        const int maxLength = 200;
        if (key.Length == 0) throw BadKey(key, "is empty");
        if (key.Length > maxLength) throw BadKey(key, $"is longer than {maxLength} characters");
        if (key.StartsWith('.')) throw BadKey(key, "starts with '.'");
        if (key.Contains("..", StringComparison.Ordinal)) throw BadKey(key, "contains '..'");
        foreach (var c in key)
            if (!IsKeyChar(c)) throw BadKey(key, $"contains U+{(int)c:X4} '{c}' (a path separator or other unsafe character)");
        return key;
    }

    private static ArgumentException BadKey(string key, string problem) =>
        new($"Cell key '{key}' {problem}; use letters, digits and -_.=+,@.", nameof(key));

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || "-_.=+,@".Contains(c);
}
