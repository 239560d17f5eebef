using DurableUn.Model;
using static TorchSharp.torch;

namespace DurableUn.Checkpoints;

/// <summary>What to write besides config.json and the weights when saving a model folder.</summary>
public sealed record ModelFolderSaveOptions
{
    /// generation_config.json to write, if any.
    public GenerationConfig? Generation { get; init; }
    /// A tokenizer.json to copy into the folder, if any.
    public string? TokenizerJsonSource { get; init; }
    /// Largest shard in bytes; transformers' default 5 GB.
    public long MaxShardBytes { get; init; } = ShardedSafetensors.DefaultMaxShardBytes;
}

/// <summary>
/// A Hugging Face model folder: config.json, weights as model.safetensors or model.safetensors.index.json plus
/// shards, and optionally tokenizer.json and generation_config.json. Loading checks tensor names and shapes against
/// the config from the headers alone, before any weight is read. Saving validates the same way, writes everything
/// into a hidden sibling folder and renames it into place, so a reader never sees a half-written model.
/// Not: pytorch_model.bin (pickle; never executed here); not: a tokenizer loader; not: quantized or adapter layouts.
/// </summary>
public sealed record ModelFolder(string Directory, string ConfigPath, string WeightsPath, bool IsSharded, string? TokenizerPath, string? GenerationConfigPath)
{
    public const string SingleWeightsFile = "model.safetensors";
    public const string TokenizerFile = "tokenizer.json";

    /// <summary>Finds the files of a model folder; throws <see cref="FileNotFoundException"/> naming what is missing.</summary>
    public static ModelFolder Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) throw new DirectoryNotFoundException($"model folder {directory} does not exist");
        var config = Path.Combine(directory, HfModelConfig.FileName);
        if (!File.Exists(config)) throw new FileNotFoundException($"{directory} has no {HfModelConfig.FileName}", config);
        var single = Path.Combine(directory, SingleWeightsFile);
        var index = Path.Combine(directory, SafetensorsIndex.FileName);
        // transformers looks for the single file first, then the index.
        var (weights, sharded) = File.Exists(single) ? (single, false)
            : File.Exists(index) ? (index, true)
            : throw new FileNotFoundException($"{directory} has neither {SingleWeightsFile} nor {SafetensorsIndex.FileName}", single);
        return new ModelFolder(directory, config, weights, sharded, Optional(directory, TokenizerFile), Optional(directory, GenerationConfig.FileName));
    }

    public HfModelConfig ReadConfig() => HfModelConfig.Read(ConfigPath);

    public GenerationConfig? ReadGenerationConfig() => GenerationConfigPath is null ? null : GenerationConfig.Read(GenerationConfigPath);

    /// <summary>Every tensor's shape, from the safetensors headers only (shards validated against the index).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<long>> ReadShapes()
    {
        var headers = IsSharded
            ? SafetensorsIndex.Read(WeightsPath).Validate(Directory, WeightsPath).Values
            : [SafetensorsFile.ReadHeader(WeightsPath)];
        return headers.SelectMany(h => h.Tensors).ToDictionary(t => t.Name, t => t.Shape, StringComparer.Ordinal);
    }

    /// <summary>Checks names and shapes against <paramref name="config"/>, then loads every tensor (caller disposes).</summary>
    public Dictionary<string, Tensor> LoadTensors(LlamaConfig config)
    {
        LlamaCheckpointLayout.CheckShapes(ReadShapes(), config, WeightsPath);
        return IsSharded ? ShardedSafetensors.Load(WeightsPath) : SafetensorsTorch.Load(WeightsPath);
    }

    /// <summary>Validates the tensors against the config, then writes the whole folder and moves it into place.</summary>
    public static ModelFolder Save(string directory, HfModelConfig config, IReadOnlyDictionary<string, Tensor> tensors, ModelFolderSaveOptions? options = null)
    {
        options ??= new ModelFolderSaveOptions();
        var shapes = tensors.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<long>)kv.Value.shape, StringComparer.Ordinal);
        LlamaCheckpointLayout.CheckShapes(shapes, config.Llama, directory);

        var target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(target)!;
        var name = Path.GetFileName(target);
        System.IO.Directory.CreateDirectory(parent);
        IO.StagingFolder.DeleteStale(parent);
        var staging = IO.StagingFolder.For(target); // cleaned by the next build here if this process is killed
        if (System.IO.Directory.Exists(staging)) System.IO.Directory.Delete(staging, recursive: true);
        var retired = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.old");
        System.IO.Directory.CreateDirectory(staging);
        try
        {
            config.Write(Path.Combine(staging, HfModelConfig.FileName));
            // {"format": "pt"} is what transformers' loader checks for in safetensors metadata.
            ShardedSafetensors.Save(staging, tensors, options.MaxShardBytes, new Dictionary<string, string> { ["format"] = "pt" });
            options.Generation?.Write(Path.Combine(staging, GenerationConfig.FileName));
            if (options.TokenizerJsonSource is { } tokenizer) File.Copy(tokenizer, Path.Combine(staging, TokenizerFile));
        }
        catch
        {
            System.IO.Directory.Delete(staging, recursive: true);
            throw;
        }
        // Two renames: an existing folder is moved aside first (and back if the second rename fails), so the target
        // path only ever holds a complete model.
        var replacing = System.IO.Directory.Exists(target);
        if (replacing) System.IO.Directory.Move(target, retired);
        try
        {
            System.IO.Directory.Move(staging, target);
        }
        catch
        {
            if (replacing) System.IO.Directory.Move(retired, target);
            System.IO.Directory.Delete(staging, recursive: true);
            throw;
        }
        if (replacing) System.IO.Directory.Delete(retired, recursive: true);
        return Open(target);
    }

    private static string? Optional(string directory, string file) =>
        Path.Combine(directory, file) is var path && File.Exists(path) ? path : null;
}
