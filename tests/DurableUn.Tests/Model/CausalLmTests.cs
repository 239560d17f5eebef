using DurableUn.Model;
using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Tests.Model;

public class CausalLmTests
{
    public CausalLmTests() => NativeTorch.EnsureLoaded();

    [Fact]
    public void Parameter_Names_Equal_Hugging_Face_Names()
    {
        // Given a 2-layer untied model
        using var model = new CausalLm(ModelFixtures.Tiny(), new DenseProjections());
        // When its parameters are listed
        var names = model.named_parameters().Select(p => p.name).ToHashSet();
        // Then they are exactly transformers' LlamaForCausalLM names
        var expected = new HashSet<string> { "model.embed_tokens.weight", "model.norm.weight", "lm_head.weight" };
        for (var i = 0; i < 2; i++)
        {
            foreach (var p in new[] { "q", "k", "v", "o" }) expected.Add($"model.layers.{i}.self_attn.{p}_proj.weight");
            foreach (var p in new[] { "gate", "up", "down" }) expected.Add($"model.layers.{i}.mlp.{p}_proj.weight");
            expected.Add($"model.layers.{i}.input_layernorm.weight");
            expected.Add($"model.layers.{i}.post_attention_layernorm.weight");
        }
        Assert.Equal(expected.Order(), names.Order());
    }

    [Fact]
    public void Tied_Model_Has_No_Lm_Head_And_Uses_The_Embedding()
    {
        using var model = new CausalLm(ModelFixtures.Tiny(tied: true), new DenseProjections());
        Assert.DoesNotContain("lm_head.weight", model.named_parameters().Select(p => p.name));
        using var ids = tensor(new long[,] { { 1, 5, 7 } });
        using var logits = model.forward(ids);
        Assert.Equal(new long[] { 1, 3, 32 }, logits.shape);
    }

    [Fact]
    public void Cached_Decoding_Equals_A_Full_Forward()
    {
        // Given a sequence of 6 tokens
        manual_seed(3);
        using var model = new CausalLm(ModelFixtures.Tiny(), new DenseProjections());
        using var ids = tensor(new long[,] { { 1, 4, 9, 3, 7, 8 } });
        using var _ = no_grad();
        // When it is run at once, and as a 4-token prefix plus two single-token steps through a KV cache
        using var full = model.forward(ids);
        using var cache = new KvCache(2);
        using var a = model.Forward(ids[.., ..4], cache: cache).Logits;
        using var b = model.Forward(ids[.., 4..5], cache: cache).Logits;
        using var c = model.Forward(ids[.., 5..6], cache: cache).Logits;
        using var stepped = cat([a, b, c], 1);
        // Then the logits agree
        Assert.True(allclose(full, stepped, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Left_Padding_Does_Not_Change_The_Logits_Of_Real_Tokens()
    {
        // Given one prompt alone and the same prompt left-padded by two pad tokens
        manual_seed(4);
        using var model = new CausalLm(ModelFixtures.Tiny(), new DenseProjections());
        using var _ = no_grad();
        using var alone = model.forward(tensor(new long[,] { { 1, 4, 9, 3 } }));
        using var padded = model.Forward(tensor(new long[,] { { 0, 0, 1, 4, 9, 3 } }), tensor(new long[,] { { 0, 0, 1, 1, 1, 1 } })).Logits;
        // Then the last four positions are unchanged
        Assert.True(allclose(alone, padded[.., 2..], rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Hidden_States_Hold_Embeddings_And_Every_Layer()
    {
        using var model = new CausalLm(ModelFixtures.Tiny(), new DenseProjections());
        var output = model.Forward(tensor(new long[,] { { 1, 2, 3 } }), outputHiddenStates: true);
        Assert.Equal(3, output.HiddenStates!.Count);
        Assert.All(output.HiddenStates, h => Assert.Equal(new long[] { 1, 3, 16 }, h.shape));
    }
}
