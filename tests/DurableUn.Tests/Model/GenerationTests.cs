using DurableUn.Model;
using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Tests.Model;

public class GenerationTests
{
    public GenerationTests() => NativeTorch.EnsureLoaded();

    [Fact]
    public void Batched_Left_Padded_Greedy_Generation_Equals_One_By_One()
    {
        // Given prompts of different lengths
        manual_seed(5);
        using var model = new CausalLm(ModelFixtures.Tiny(), new DenseProjections());
        IReadOnlyList<int>[] prompts = [[1, 5, 6, 7, 8], [1, 9], [1, 3, 3]];
        var options = new GenerationOptions { MaxNewTokens = 6 };
        // When generated as one left-padded batch and one at a time
        var batched = Generation.Generate(model, prompts, padId: 0, options);
        var single = prompts.Select(p => Generation.Generate(model, [p], 0, options)[0]).ToArray();
        // Then the continuations are identical
        for (var i = 0; i < prompts.Length; i++) Assert.Equal(single[i], batched[i]);
    }

    [Fact]
    public void Generation_Stops_After_A_Stop_Token()
    {
        manual_seed(6);
        using var model = new CausalLm(ModelFixtures.Tiny(), new DenseProjections());
        var free = Generation.Generate(model, [[1, 4]], 0, new GenerationOptions { MaxNewTokens = 8 })[0];
        // Make the first generated token a stop token: output must end right there
        var stopped = Generation.Generate(model, [[1, 4]], 0, new GenerationOptions { MaxNewTokens = 8, StopTokens = [free[0]] })[0];
        Assert.Equal(new[] { free[0] }, stopped);
    }

    [Fact]
    public void Sampling_Is_Repeatable_With_A_Seed_And_Top_P_Keeps_The_Top_Token()
    {
        manual_seed(7);
        using var model = new CausalLm(ModelFixtures.Tiny(), new DenseProjections());
        var options = new GenerationOptions { MaxNewTokens = 5, Temperature = 1.0, TopP = 0.9, Seed = 11 };
        Assert.Equal(Generation.Generate(model, [[1, 4]], 0, options)[0], Generation.Generate(model, [[1, 4]], 0, options)[0]);
        // top_p tiny keeps only the most likely token: sampling becomes greedy
        var nucleus = Generation.Generate(model, [[1, 4]], 0, options with { TopP = 1e-6 })[0];
        var greedy = Generation.Generate(model, [[1, 4]], 0, new GenerationOptions { MaxNewTokens = 5 })[0];
        Assert.Equal(greedy, nucleus);
    }
}
