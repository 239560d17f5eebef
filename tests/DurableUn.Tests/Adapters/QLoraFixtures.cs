using DurableUn.Adapters;
using DurableUn.Model;
using DurableUn.Tests.Model;
using static TorchSharp.torch;

namespace DurableUn.Tests.Adapters;

/// <summary>The tiny Llama of the model tests as a dense checkpoint, put into the QLoRA regime with a non-zero adapter.</summary>
internal static class QLoraFixtures
{
    public static LlamaConfig Config => ModelFixtures.Tiny();

    /// <summary>HF-named fp32 weights of a randomly initialised tiny model (std 0.02 projections, as transformers).</summary>
    public static Dictionary<string, Tensor> Weights(long seed = 1)
    {
        manual_seed(seed);
        using var dense = new CausalLm(Config, new DenseProjections());
        return ModelWeights.StateDict(dense);
    }

    /// <summary>NF4 + double quant, r 8, all-linear; B randomised (seeded) so the adapter changes the logits.</summary>
    public static QLoraModel Adapted(QLoraOptions? options = null, long seed = 1)
    {
        var model = QLoraModel.FromWeights(Config, Weights(seed), options ?? new QLoraOptions(), seed);
        using var _ = no_grad();
        using var generator = new Generator((ulong)seed + 100);
        foreach (var w in model.Adapter.Layers.Values) w.B.copy_(randn(w.B.shape, generator: generator) * 0.05f);
        return model;
    }

    public static Tensor Ids(long seed = 3)
    {
        using var generator = new Generator((ulong)seed);
        return randint(0, Config.VocabSize, [2, 7], generator: generator);
    }

    public static float MaxAbsDiff(Tensor a, Tensor b)
    {
        using var d = (a.to_type(ScalarType.Float32) - b.to_type(ScalarType.Float32)).abs().max();
        return d.item<float>();
    }
}
