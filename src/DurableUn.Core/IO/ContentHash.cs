using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableUn.IO;

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

    /// <summary>
    /// An adapter run folder's content: every file but run.json (the record holds paths and wall-clock seconds; its
    /// fields are checked one by one), and adapter_config.json without base_model_name_or_path (a path, which moves
    /// with the folder). Two identical runs in two folders hash alike; so does a copied study.
    /// </summary>
    public static string OfRun(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"cannot hash {directory}: no such folder");
        var lines = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Where(rel => rel != RunRecord)
            .Order(StringComparer.Ordinal)
            .Select(rel => $"{(rel == AdapterConfig ? OfAdapterConfig(Path.Combine(directory, rel)) : OfFile(Path.Combine(directory, rel)))}  {rel}\n");
        return OfText(string.Concat(lines));
    }

    private const string RunRecord = "run.json";
    private const string AdapterConfig = "adapter_config.json";

    private static string OfAdapterConfig(string path)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException) { return OfFile(path); }   // not JSON: hash the bytes; the adapter loader reports it
        if (node is JsonObject o) o.Remove("base_model_name_or_path");
        return OfText(node?.ToJsonString() ?? "");
    }

    public static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Resolved options (key → value as text) as "key=value" lines in ordinal key order, so order of entry does not matter.</summary>
    public static string OfOptions(IReadOnlyDictionary<string, string> options) =>
        OfText(string.Join("\n", options.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")));
}
