using DurableUn.Deployment;
using DurableUn.Model;
using DurableUn.Presets;
using DurableUn.Tensors;
using static DurableUn.Tests.Adapters.QLoraFixtures;
using static TorchSharp.torch;

namespace DurableUn.Tests.Model;

/// <summary>The fast decoder (preallocated cache, masks and rotary tables made once) against the plain reference loop.</summary>
public class FastGenerationTests
{
    public FastGenerationTests() => NativeTorch.EnsureLoaded();

    private static readonly IReadOnlyList<int>[] Prompts = [[1, 5, 6, 7, 8, 9, 10], [1, 9], [1, 3, 3, 4]];

    public static TheoryData<ModelPreset> Presets => new(Enum.GetValues<ModelPreset>());

    public static TheoryData<string> Precisions => new(Precision.All.Select(p => p.Name).Append("merged-fp32"));

    [Theory]
    [MemberData(nameof(Presets))]
    public void Fast_Greedy_Equals_The_Reference_Decoder_Token_For_Token_On_Every_Preset(ModelPreset preset)
    {
        // Given a randomly initialised model of the preset's architecture (near-uniform logits: ties are close)
        manual_seed(21);
        using var model = new CausalLm(ModelPresets.Config(preset, vocabSize: 64), new DenseProjections());
        // Then batched and one by one, the fast decoder gives the reference's tokens
        AssertSameAsReference(model, new GenerationOptions { MaxNewTokens = 12 });
    }

    [Fact]
    public void Fast_Sampling_Equals_The_Reference_Decoder_With_The_Same_Seed()
    {
        manual_seed(22);
        using var model = new CausalLm(ModelFixtures.Tiny(), new DenseProjections());
        AssertSameAsReference(model, new GenerationOptions { MaxNewTokens = 8, Temperature = 0.8, TopP = 0.9, Seed = 5 });
    }

    [Theory]
    [MemberData(nameof(Precisions))]
    public void Fast_Greedy_Equals_The_Reference_Decoder_On_A_Deployed_Model(string precision)
    {
        using var qlora = Adapted();
        using var deployed = Deployer.Deploy(qlora, Precision.Parse(precision));
        AssertSameAsReference(deployed.Model, new GenerationOptions { MaxNewTokens = 10 });
    }

    [Fact]
    public void Stop_Tokens_End_Each_Row_Where_The_Reference_Ends_It()
    {
        manual_seed(23);
        using var model = new CausalLm(ModelFixtures.Tiny(), new DenseProjections());
        var free = Generation.Reference(model, Prompts, 0, new GenerationOptions { MaxNewTokens = 8 });
        // the second token of the first row stops it; the other rows run on
        var options = new GenerationOptions { MaxNewTokens = 8, StopTokens = [free[0][1]] };
        Assert.Equal(Generation.Reference(model, Prompts, 0, options), Generation.Greedy(model, Prompts, 8, options.StopTokens, 0));
    }

    private static void AssertSameAsReference(CausalLm model, GenerationOptions options)
    {
        var reference = Generation.Reference(model, Prompts, padId: 0, options);
        Assert.Equal(reference, Generation.Generate(model, Prompts, padId: 0, options));
        foreach (var prompt in Prompts)
            Assert.Equal(Generation.Reference(model, [prompt], 0, options), Generation.Generate(model, [prompt], 0, options));
    }
}
