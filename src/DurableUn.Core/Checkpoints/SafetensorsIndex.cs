using DurableUn.IO;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableUn.Checkpoints;

/// <summary>
/// model.safetensors.index.json of a sharded checkpoint: {"metadata": {"total_size": bytes}, "weight_map":
/// {tensor: shard file}} (transformers <c>modeling_utils.save_pretrained</c>). <see cref="Validate"/> checks the map
/// against the shards' headers: every shard exists, every mapped tensor is in its shard and in no other, and no
/// shard holds a tensor the map does not place there.
/// Not: a check of total_size (transformers ignores it on load too); not: other metadata keys, which are dropped.
/// </summary>
public sealed record SafetensorsIndex(long TotalSize, IReadOnlyDictionary<string, string> WeightMap)
{
    public const string FileName = "model.safetensors.index.json";

    /// <summary>The shard file names in first-use order of the sorted tensor names.</summary>
    public IReadOnlyList<string> ShardFiles =>
        WeightMap.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).Distinct().ToList();

    public static SafetensorsIndex Read(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw Invalid(path, $"not valid JSON: {e.Message}");
        }
        if (root is not JsonObject obj || obj["weight_map"] is not JsonObject map)
            throw Invalid(path, "no \"weight_map\" object");
        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in map)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out var file) || !IsPlainFileName(file))
                throw new SafetensorsException(SafetensorsErrorKind.InvalidIndex, path, name, $"weight_map value {value?.ToJsonString() ?? "null"} is not a file name in this folder");
            weightMap.Add(name, file);
        }
        long totalSize = 0;
        if (obj["metadata"]?["total_size"] is JsonValue size && !size.TryGetValue(out totalSize))
            throw Invalid(path, $"metadata.total_size {size.ToJsonString()} is not an integer");
        return new SafetensorsIndex(totalSize, weightMap);
    }

    public void Write(string path)
    {
        var map = new JsonObject();
        foreach (var (name, file) in WeightMap.OrderBy(kv => kv.Key, StringComparer.Ordinal)) map[name] = file;
        var root = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = TotalSize }, ["weight_map"] = map };
        AtomicFile.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Checks the map against the shard headers in <paramref name="folder"/>; returns each shard's header.</summary>
    public IReadOnlyDictionary<string, SafetensorsHeader> Validate(string folder, string indexPath)
    {
        var headers = new Dictionary<string, SafetensorsHeader>(StringComparer.Ordinal);
        foreach (var shard in ShardFiles)
        {
            var path = Path.Combine(folder, shard);
            if (!File.Exists(path))
                throw new SafetensorsException(SafetensorsErrorKind.ShardMissing, indexPath, null, $"shard {shard} does not exist in {folder}");
            headers.Add(shard, SafetensorsFile.ReadHeader(path));
        }
        foreach (var (name, shard) in WeightMap)
            if (!headers[shard].Contains(name))
                throw new SafetensorsException(SafetensorsErrorKind.TensorMissingFromShard, Path.Combine(folder, shard), name, $"{FileName} places it in this shard, which does not hold it");
        foreach (var (shard, header) in headers)
            foreach (var t in header.Tensors)
            {
                if (!WeightMap.TryGetValue(t.Name, out var mapped))
                    throw new SafetensorsException(SafetensorsErrorKind.TensorNotInIndex, Path.Combine(folder, shard), t.Name, $"the shard holds it but {FileName} does not list it");
                if (mapped != shard)
                    throw new SafetensorsException(SafetensorsErrorKind.DuplicateName, Path.Combine(folder, shard), t.Name, $"also stored here, but {FileName} places it in {mapped}");
            }
        return headers;
    }

    /// <summary>Shard names must stay inside the folder: no directories, no "..".</summary>
    private static bool IsPlainFileName(string file) =>
        file.Length > 0 && file == Path.GetFileName(file) && file is not ("." or "..") && file.IndexOfAny(['/', '\\']) < 0;

    private static SafetensorsException Invalid(string path, string detail) =>
        new(SafetensorsErrorKind.InvalidIndex, path, null, detail);
}
