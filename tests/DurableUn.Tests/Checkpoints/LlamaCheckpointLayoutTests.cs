using System.Runtime.CompilerServices;
using DurableUn.Checkpoints;
using DurableUn.Model;

namespace DurableUn.Tests.Checkpoints;

public class LlamaCheckpointLayoutTests
{
    /// <summary>meta-llama/Meta-Llama-3-8B: 128256 vocab, 4096 hidden, 14336 FFN, 32 layers, 32 heads, 8 KV heads.</summary>
    internal static readonly LlamaConfig Llama3_8B = new()
    {
        VocabSize = 128256, HiddenSize = 4096, IntermediateSize = 14336, NumHiddenLayers = 32,
        NumAttentionHeads = 32, NumKeyValueHeads = 8, MaxPositionEmbeddings = 8192, RmsNormEps = 1e-5, RopeTheta = 500000,
    };

    [Fact]
    public void Llama3_8B_Parameter_Listing_Matches_The_Approved_File()
    {
        // Given the Llama-3-8B config
        var approved = ApprovalPath("llama3_8b.shapes");
        // When its expected parameters are listed
        var shapes = LlamaCheckpointLayout.ExpectedParameterShapes(Llama3_8B);
        var listing = string.Join("\n", shapes) + "\n";
        // Then the listing is the approved one (on a difference, compare the .received.txt written beside it),
        // and the parameter count is the well-known 8,030,261,248
        if (!File.Exists(approved) || File.ReadAllText(approved) != listing)
        {
            File.WriteAllText(approved.Replace(".approved.", ".received."), listing);
            Assert.Fail($"shape listing differs from {approved}; see the .received.txt beside it");
        }
        Assert.Equal(8_030_261_248L, shapes.Sum(s => s.Shape.Aggregate(1L, (n, d) => n * d)));
    }

    [Fact]
    public void Tied_Models_Have_No_Lm_Head_And_Biased_Ones_Have_Biases()
    {
        // Given a tiny tied config with attention and MLP biases
        var config = ModelFolderTests.Tiny with { TieWordEmbeddings = true, AttentionBias = true, MlpBias = true };
        // When listed
        var names = LlamaCheckpointLayout.ExpectedParameterShapes(config).Select(s => s.Name).ToList();
        // Then
        Assert.DoesNotContain("lm_head.weight", names);
        Assert.Contains("model.layers.1.self_attn.o_proj.bias", names);
        Assert.Contains("model.layers.0.mlp.down_proj.bias", names);
        Assert.Equal(1 + 2 * (7 * 2 + 2) + 1, names.Count);
    }

    private static string ApprovalPath(string name, [CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Approvals", $"{name}.approved.txt");
}
