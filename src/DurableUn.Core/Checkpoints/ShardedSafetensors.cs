using DurableUn.IO;
using static TorchSharp.torch;

namespace DurableUn.Checkpoints;

/// <summary>
/// Loads and saves a checkpoint split over several safetensors files with a model.safetensors.index.json, named
/// the way transformers names them (model-00001-of-00002.safetensors). Shards are planned greedily over tensors
/// sorted by name: a tensor that would push the current shard past the limit starts a new one, and a tensor larger
/// than the limit gets a shard of its own (huggingface_hub <c>split_state_dict_into_shards_factory</c>).
/// Not: removal of stale shards from an earlier save into the same folder (save into a fresh folder, as
/// <see cref="ModelFolder"/> does); not: the per-tensor "format" checks of other frameworks.
/// </summary>
public static class ShardedSafetensors
{
    /// <summary>transformers' default max_shard_size ("5GB", decimal).</summary>
    public const long DefaultMaxShardBytes = 5_000_000_000;

    /// <summary>Validates the index against its shards, then loads every tensor. The caller owns the tensors.</summary>
    public static Dictionary<string, Tensor> Load(string indexPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var index = SafetensorsIndex.Read(indexPath);
        index.Validate(folder, indexPath);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var shard in index.ShardFiles)
            {
                using var file = SafetensorsFile.Open(Path.Combine(folder, shard));
                foreach (var info in file.Header.Tensors) result.Add(info.Name, SafetensorsTorch.Read(file, info));
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>
    /// Saves into <paramref name="folder"/>: one "{prefix}.safetensors" when everything fits in one shard, else
    /// numbered shards plus "{prefix}.safetensors.index.json". Returns the file names written, index last.
    /// </summary>
    public static IReadOnlyList<string> Save(string folder, IReadOnlyDictionary<string, Tensor> tensors, long maxShardBytes = DefaultMaxShardBytes,
        IReadOnlyDictionary<string, string>? metadata = null, string prefix = "model")
    {
        var pending = tensors.Select(kv => SafetensorsTorch.ToPending(kv.Key, kv.Value)).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var plan = PlanShards(pending.Values.Select(p => (p.Name, p.ByteLength)), maxShardBytes);
        if (plan.Count <= 1)
        {
            var single = $"{prefix}.safetensors";
            AtomicFile.Write(Path.Combine(folder, single), s => SafetensorsWriter.Write(s, pending.Values.ToList(), metadata));
            return [single];
        }
        var written = new List<string>();
        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Count; i++)
        {
            var shard = $"{prefix}-{i + 1:D5}-of-{plan.Count:D5}.safetensors";
            var members = plan[i].Select(n => pending[n]).ToList();
            AtomicFile.Write(Path.Combine(folder, shard), s => SafetensorsWriter.Write(s, members, metadata));
            foreach (var m in members) weightMap.Add(m.Name, shard);
            written.Add(shard);
        }
        var indexName = $"{prefix}.safetensors.index.json";
        new SafetensorsIndex(pending.Values.Sum(p => p.ByteLength), weightMap).Write(Path.Combine(folder, indexName));
        written.Add(indexName);
        return written;
    }

    /// <summary>Groups tensor names into shards of at most <paramref name="maxShardBytes"/> (see the type's summary).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> PlanShards(IEnumerable<(string Name, long Bytes)> tensors, long maxShardBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShardBytes);
        var shards = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        long currentBytes = 0;
        foreach (var (name, bytes) in tensors.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            if (current.Count > 0 && currentBytes + bytes > maxShardBytes)
            {
                shards.Add(current);
                current = [];
                currentBytes = 0;
            }
            current.Add(name);
            currentBytes += bytes;
        }
        if (current.Count > 0) shards.Add(current);
        return shards;
    }
}
