using System.Security.Cryptography;
using System.Text;

namespace DurableUn.Certification;

/// <summary>
/// SHA-256 of what a certificate vouches for, as lowercase hex. A folder hashes as the sorted list of its files'
/// relative paths and their hashes, so the same bytes under the same names give the same hash on any machine.
/// Not: a signature (anyone can recompute it; that is the point).
/// </summary>
public static class ContentHash
{
    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static string OfFolder(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"cannot hash {directory}: no such folder");
        var lines = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(rel => $"{OfFile(Path.Combine(directory, rel))}  {rel}\n");
        return OfText(string.Concat(lines));
    }

    public static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Resolved options (key → value as text) as "key=value" lines in ordinal key order, so order of entry does not matter.</summary>
    public static string OfOptions(IReadOnlyDictionary<string, string> options) =>
        OfText(string.Join("\n", options.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")));
}
