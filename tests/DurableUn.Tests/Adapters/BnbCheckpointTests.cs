using System.Text;
using DurableUn.Adapters;
using DurableUn.Checkpoints;
using DurableUn.Tests.Checkpoints;
using static DurableUn.Tests.Adapters.QLoraFixtures;
using static TorchSharp.torch;

namespace DurableUn.Tests.Adapters;

public class BnbCheckpointTests
{
    private const string Q = "model.layers.0.self_attn.q_proj.weight";

    [Fact]
    public void A_Base_Round_Trips_Through_A_Bnb_Folder_Bit_For_Bit()
    {
        // Given an NF4 double-quant base with an adapter
        using var folder = new TempFolder();
        using var model = Adapted();
        using var ids = Ids();
        // When
        BnbCheckpoint.Write(folder.Path, model.Base);
        using var read = BnbCheckpoint.Read(folder.Path);
        using var again = QLoraModel.Create(read, model.SnapshotAdapter());
        // Then codes, absmax codes, nested absmax and offset are identical, the config says nf4 + double quant
        foreach (var (path, w) in model.Base.Projections)
        {
            var (a, b) = (w.Quantized!, read.Projections[path].Quantized!);
            Assert.True(a.Codes.eq(b.Codes).all().item<bool>(), path);
            Assert.True(a.Scales.eq(b.Scales).all().item<bool>(), path);
            Assert.True(a.Nested!.Absmax.eq(b.Nested!.Absmax).all().item<bool>(), path);
            Assert.Equal(a.Nested.Offset, b.Nested.Offset);
        }
        var bnb = HfModelConfig.Read(folder.File("config.json")).Bnb()!;
        Assert.True(bnb is { LoadIn4Bit: true, QuantType: "nf4", UseDoubleQuant: true });
        Assert.Equal(0f, MaxAbsDiff(model.Model.forward(ids), again.Model.forward(ids)));
    }

    [Fact]
    public void The_Stored_Nested_Quant_Map_Is_Used_Rather_Than_Rebuilt()
    {
        // Given a file whose nested_quant_map differs from ours (as another torch version's would, here grossly)
        using var folder = new TempFolder();
        using var model = Adapted();
        BnbCheckpoint.Write(folder.Path, model.Base);
        Tamper(folder, t => t[$"{Q}.nested_quant_map"] = t[$"{Q}.nested_quant_map"] * 2);
        // When
        using var read = BnbCheckpoint.Read(folder.Path);
        // Then dequantization follows the file's map
        using var ours = model.Base.Projections[Q[..^7]].Weight(ScalarType.Float32);
        using var theirs = read.Projections[Q[..^7]].Weight(ScalarType.Float32);
        Assert.True(MaxAbsDiff(ours, theirs) > 0);
    }

    public static TheoryData<string, string> Corruptions => new()
    {
        { "missing absmax", $"{Q}.absmax" },
        { "short absmax", $"{Q}.absmax" },
        { "json shape", $"{Q}.quant_state.bitsandbytes__nf4.shape" },
        { "quant type", $"{Q}.quant_state.bitsandbytes__nf4.quant_type" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Truncated_Or_Inconsistent_Quant_State_Is_Named(string corruption, string key)
    {
        // Given a valid folder, corrupted in one way
        using var folder = new TempFolder();
        using var model = Adapted();
        BnbCheckpoint.Write(folder.Path, model.Base);
        Tamper(folder, t =>
        {
            var stateKey = $"{Q}.quant_state.bitsandbytes__nf4";
            var json = Encoding.UTF8.GetString(t[stateKey].data<byte>().ToArray());
            switch (corruption)
            {
                case "missing absmax": t.Remove($"{Q}.absmax"); break;
                case "short absmax": t[$"{Q}.absmax"] = t[$"{Q}.absmax"][..^1]; break;
                case "json shape": t[stateKey] = tensor(Encoding.UTF8.GetBytes(json.Replace("[16,16]", "[16,17]"))); break;
                case "quant type": t[stateKey] = tensor(Encoding.UTF8.GetBytes(json.Replace("\"nf4\"", "\"nf5\""))); break;
            }
        });
        // When
        var e = Assert.Throws<CheckpointFormatException>(() => BnbCheckpoint.Read(folder.Path));
        // Then
        Assert.Equal(key, e.Key);
    }

    private static void Tamper(TempFolder folder, Action<Dictionary<string, Tensor>> change)
    {
        var path = folder.File("model.safetensors");
        var tensors = SafetensorsTorch.Load(path);
        change(tensors);
        SafetensorsTorch.Save(path, tensors);
    }
}
