using DurableUn.Checkpoints;
using static TorchSharp.torch;

namespace DurableUn.Tests.Checkpoints;

public class ShardedSafetensorsTests
{
    [Fact]
    public void Shard_Plan_Starts_A_New_Shard_Before_The_Limit_And_Isolates_Oversized_Tensors()
    {
        // Given tensors of 40, 50, 30 and 200 bytes and a 100-byte limit
        var sizes = new[] { ("a", 40L), ("b", 50L), ("c", 30L), ("d", 200L) };
        // When planned
        var plan = ShardedSafetensors.PlanShards(sizes, 100);
        // Then a+b fit (90), c would make 120 so starts a shard, d exceeds the limit alone
        Assert.Equal([["a", "b"], ["c"], ["d"]], plan.Select(s => s.ToArray()).ToArray());
    }

    [Fact]
    public void Sharded_Save_Writes_Numbered_Shards_And_An_Index_That_Loads_Back()
    {
        // Given five 64-byte tensors and a 150-byte shard limit
        using var dir = new TempFolder();
        using var scope = NewDisposeScope();
        var tensors = Enumerable.Range(0, 5).ToDictionary(i => $"t{i}", _ => randn(16));
        // When saved and loaded through the index
        var files = ShardedSafetensors.Save(dir.Path, tensors, maxShardBytes: 150);
        var loaded = ShardedSafetensors.Load(dir.File(SafetensorsIndex.FileName));
        // Then there are three shards named like transformers' and every tensor is back unchanged
        Assert.Equal(["model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors", SafetensorsIndex.FileName], files);
        Assert.Equal(5 * 64, SafetensorsIndex.Read(dir.File(SafetensorsIndex.FileName)).TotalSize);
        foreach (var (name, t) in tensors) Assert.Equal(t.bytes.ToArray(), loaded[name].bytes.ToArray());
    }

    [Fact]
    public void Everything_Within_The_Limit_Is_Saved_As_One_File_Without_Index()
    {
        using var dir = new TempFolder();
        using var scope = NewDisposeScope();
        // Given, When
        var files = ShardedSafetensors.Save(dir.Path, new Dictionary<string, Tensor> { ["x"] = ones(4) });
        // Then
        Assert.Equal(["model.safetensors"], files);
    }

    public static TheoryData<string, SafetensorsErrorKind, string?> IndexCorruptions() => new()
    {
        { """{"weight_map":{"a":"model-00001-of-00002.safetensors","b":"gone.safetensors"}}""", SafetensorsErrorKind.ShardMissing, null },
        { """{"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors","zz":"model-00002-of-00002.safetensors"}}""", SafetensorsErrorKind.TensorMissingFromShard, "zz" },
        { """{"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00001-of-00002.safetensors"}}""", SafetensorsErrorKind.TensorMissingFromShard, "b" },
        { """{"weight_map":{"a":"../model-00001-of-00002.safetensors"}}""", SafetensorsErrorKind.InvalidIndex, "a" },
        { """{"weight_map":{"a":"x","a":"y"}}""", SafetensorsErrorKind.InvalidIndex, null },
        { """{"metadata":{}}""", SafetensorsErrorKind.InvalidIndex, null },
    };

    [Theory]
    [MemberData(nameof(IndexCorruptions))]
    public void An_Index_That_Disagrees_With_Its_Shards_Is_Rejected_With_Its_Own_Kind(string index, SafetensorsErrorKind kind, string? tensor)
    {
        // Given a two-shard checkpoint (a in shard 1, b in shard 2) whose index is then replaced
        using var dir = new TempFolder();
        using var scope = NewDisposeScope();
        ShardedSafetensors.Save(dir.Path, new Dictionary<string, Tensor> { ["a"] = ones(4), ["b"] = ones(4) }, maxShardBytes: 16);
        File.WriteAllText(dir.File(SafetensorsIndex.FileName), index);
        // When loaded
        var e = Assert.Throws<SafetensorsException>(() => ShardedSafetensors.Load(dir.File(SafetensorsIndex.FileName)));
        // Then
        Assert.Equal(kind, e.Kind);
        Assert.Equal(tensor, e.Tensor);
    }

    [Fact]
    public void A_Tensor_Stored_In_Two_Shards_Is_A_Duplicate()
    {
        // Given shard 2 rewritten to also hold "a", which the index places in shard 1
        using var dir = new TempFolder();
        using var scope = NewDisposeScope();
        ShardedSafetensors.Save(dir.Path, new Dictionary<string, Tensor> { ["a"] = ones(4), ["b"] = ones(4) }, maxShardBytes: 16);
        SafetensorsTorch.Save(dir.File("model-00002-of-00002.safetensors"), new Dictionary<string, Tensor> { ["a"] = ones(4), ["b"] = ones(4) });
        // When loaded
        var e = Assert.Throws<SafetensorsException>(() => ShardedSafetensors.Load(dir.File(SafetensorsIndex.FileName)));
        // Then the error names the tensor and the shard that should not hold it
        Assert.Equal(SafetensorsErrorKind.DuplicateName, e.Kind);
        Assert.Equal("a", e.Tensor);
        Assert.EndsWith("model-00002-of-00002.safetensors", e.File);
    }

    [Fact]
    public void A_Shard_Holding_A_Tensor_The_Index_Does_Not_List_Is_Rejected()
    {
        // Given shard 1 rewritten to hold an extra tensor the index does not know
        using var dir = new TempFolder();
        using var scope = NewDisposeScope();
        ShardedSafetensors.Save(dir.Path, new Dictionary<string, Tensor> { ["a"] = ones(4), ["b"] = ones(4) }, maxShardBytes: 16);
        SafetensorsTorch.Save(dir.File("model-00001-of-00002.safetensors"), new Dictionary<string, Tensor> { ["a"] = ones(4), ["stray"] = ones(1) });
        // When loaded
        var e = Assert.Throws<SafetensorsException>(() => ShardedSafetensors.Load(dir.File(SafetensorsIndex.FileName)));
        // Then
        Assert.Equal(SafetensorsErrorKind.TensorNotInIndex, e.Kind);
        Assert.Equal("stray", e.Tensor);
    }
}
