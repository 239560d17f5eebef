using DurableUn.Checkpoints;
using DurableUn.Data;
using DurableUn.Data.Synthetic;
using DurableUn.Model;
using DurableUn.Tokenization;
using static TorchSharp.torch;

namespace DurableUn.Presets;

/// <summary>
/// Writes a freshly initialised preset model as a valid Hugging Face folder (config.json, generation_config.json,
/// model.safetensors, tokenizer.json) that other tools can read. The byte-level BPE tokenizer (<see cref="PresetTokenizer"/>)
/// is trained on the text of the given dataset folders, or, when none are given, on the three synthetic benchmarks
/// generated with the same seed — so `init --seed N` fits the data of `data make --seed N` best; other text still
/// encodes (no token is unknown), in more pieces.
/// Not: pretraining. The weights are random (normal, std 0.02, as transformers' initializer_range).
/// </summary>
public static class PresetInitializer
{
    public static ModelFolder Write(ModelPreset preset, ulong seed, string outDir, IReadOnlyList<string>? dataDirs = null,
        int vocabSize = PresetTokenizer.DefaultVocabSize)
    {
        var corpus = dataDirs is { Count: > 0 }
            ? dataDirs.SelectMany(d => DatasetFolder.Load(d).AllText()).ToList()
            : SyntheticCorpus(ModelPresets.Data(preset), seed);
        var scratch = Directory.CreateTempSubdirectory("durableun-init-").FullName;
        try
        {
            var tokenizerPath = Path.Combine(scratch, ModelFolder.TokenizerFile);
            File.WriteAllText(tokenizerPath, PresetTokenizer.Build(corpus, vocabSize));
            int vocab;
            using (var tokenizer = HfTokenizer.Load(tokenizerPath, SpecialTokens.Llama3)) vocab = tokenizer.VocabSize;
            var config = ModelPresets.Config(preset, vocab);
            manual_seed((long)(seed & long.MaxValue));
            using var model = new CausalLm(config, new DenseProjections());
            var tensors = ModelWeights.StateDict(model);
            try
            {
                var generation = new GenerationConfig { BosTokenId = config.BosTokenId, EosTokenIds = config.EosTokenIds, PadTokenId = config.PadTokenId };
                return ModelFolder.Save(outDir, new HfModelConfig { Llama = config }, tensors,
                    new ModelFolderSaveOptions { Generation = generation, TokenizerJsonSource = tokenizerPath });
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>All text of the three synthetic benchmarks at this size and seed, generated in a scratch folder.</summary>
    public static List<string> SyntheticCorpus(DataPreset preset, ulong seed)
    {
        var scratch = Directory.CreateTempSubdirectory("durableun-corpus-").FullName;
        try
        {
            return Enum.GetValues<DatasetKind>()
                .SelectMany(kind => SyntheticDatasets.Write(kind, preset, seed, Path.Combine(scratch, kind.ToString().ToLowerInvariant())).AllText())
                .Concat(Refusals.All)
                .Concat([new PromptTemplate.Plain().Full("", ""), new PromptTemplate.Llama3Chat().Full("", "")]) // template words
                .ToList();
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
