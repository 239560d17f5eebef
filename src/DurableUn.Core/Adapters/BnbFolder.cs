using DurableUn.Checkpoints;

namespace DurableUn.Adapters;

/// <summary>
/// Turns a dense Hugging Face model folder into a bitsandbytes 4-bit folder that <see cref="BnbCheckpoint.Read"/> (and
/// transformers with bitsandbytes) loads: every projection quantized as <see cref="QLoraBase.Quantize"/> does, the
/// embeddings, norms and lm_head kept dense, config.json with quantization_config, and the tokenizer and generation
/// files copied byte for byte. The folder is built in a hidden sibling and renamed into place, so the target path
/// never holds half a checkpoint; an existing target is refused rather than replaced.
/// Not: 8-bit checkpoints; not: re-quantizing a folder that is already quantized (the loader rejects it as dense).
/// </summary>
public static class BnbFolder
{
    /// <summary>Files beside the weights that a quantized model needs unchanged: tokenization and generation defaults.</summary>
    private static readonly string[] CopiedFiles =
        [ModelFolder.TokenizerFile, "tokenizer_config.json", "special_tokens_map.json", GenerationConfig.FileName];

    /// <summary>Quantizes <paramref name="sourceDir"/> with <paramref name="options"/> (format, blocksize, double quantization,
    /// compute dtype; the LoRA part is ignored) into the new folder <paramref name="outDir"/>.</summary>
    public static void Quantize(string sourceDir, string outDir, QLoraOptions options)
    {
        var target = Path.GetFullPath(outDir).TrimEnd(Path.DirectorySeparatorChar);
        IO.StagingFolder.RefuseExisting(target);
        var folder = ModelFolder.Open(sourceDir);
        var config = folder.ReadConfig();
        if (config.QuantizationConfig is not null)
            throw new CheckpointFormatException(folder.ConfigPath, "quantization_config", null, "the source is already quantized; quantize the dense checkpoint");
        IO.StagingFolder.Build(target, staging =>
        {
            var tensors = folder.LoadTensors(config.Llama);
            try
            {
                using var quantized = QLoraBase.Quantize(config.Llama, tensors, options, folder.WeightsPath);
                BnbCheckpoint.Write(staging, quantized);
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
            foreach (var file in CopiedFiles)
                if (File.Exists(Path.Combine(folder.Directory, file))) File.Copy(Path.Combine(folder.Directory, file), Path.Combine(staging, file));
        });
    }
}
