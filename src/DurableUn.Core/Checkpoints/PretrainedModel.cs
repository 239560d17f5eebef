using DurableUn.Model;
using DurableUn.Tokenization;
using static TorchSharp.torch;

namespace DurableUn.Checkpoints;

/// <summary>
/// A dense model loaded from a Hugging Face folder together with its tokenizer and configs: what `info`,
/// `generate` and fine-tuning start from. The caller owns and disposes it.
/// Not: quantized or adapter checkpoints (the QLoRA regime builds on top of this).
/// </summary>
public sealed class PretrainedModel : IDisposable
{
    private PretrainedModel(ModelFolder folder, HfModelConfig config, CausalLm model, HfTokenizer tokenizer, GenerationConfig? generation)
    {
        Folder = folder;
        Config = config;
        Model = model;
        Tokenizer = tokenizer;
        Generation = generation;
    }

    public ModelFolder Folder { get; }
    public HfModelConfig Config { get; }
    public CausalLm Model { get; }
    public HfTokenizer Tokenizer { get; }
    public GenerationConfig? Generation { get; }

    /// <summary>Validates every tensor name and shape against config.json, then loads the weights in fp32.</summary>
    public static PretrainedModel Load(string directory, IProjectionFactory? projections = null)
    {
        var folder = ModelFolder.Open(directory);
        var config = folder.ReadConfig();
        if (folder.TokenizerPath is null) throw new FileNotFoundException($"{directory}: no tokenizer.json in the model folder");
        var generation = folder.ReadGenerationConfig();
        var llama = generation is { EosTokenIds.Count: > 0 } g && config.Llama.EosTokenIds.Count == 0
            ? config.Llama with { EosTokenIds = g.EosTokenIds }
            : config.Llama;
        var tensors = folder.LoadTensors(llama);
        try
        {
            FiniteWeights.Check(tensors, folder.WeightsPath);
            var model = new CausalLm(llama, projections ?? new DenseProjections());
            ModelWeights.Load(model, tensors, folder.WeightsPath);
            return new PretrainedModel(folder, config with { Llama = llama }, model, HfTokenizer.LoadForModel(folder.TokenizerPath, llama), generation);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    public void Dispose()
    {
        Model.Dispose();
        Tokenizer.Dispose();
    }
}
