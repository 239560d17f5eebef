using DurableUn.Checkpoints.Gguf;
using LLama;

namespace DurableUn.LlamaCpp;

/// <summary>A 2-D tensor llama.cpp stored in a fallback type because its rows are not whole blocks of the type its
/// recipe wanted (k-quants need rows of 256; llama-quant.cpp then uses a 32-element type), with the type it got.</summary>
public sealed record TensorFallback(string Tensor, long RowLength, GgmlType Given);

/// <summary>What llama.cpp's quantizer wrote: every tensor's type, and the tensors that fell back.</summary>
public sealed record QuantizedGguf(string Path, LlamaFileType Type, IReadOnlyDictionary<string, GgmlType> TensorTypes,
                                   IReadOnlyList<TensorFallback> Fallbacks);

/// <summary>
/// Quantizes a GGUF with llama.cpp's own quantizer in-process (<c>llama_model_quantize</c>, what llama-quantize runs):
/// its block layouts, its scale searches and its per-tensor recipe (q4_k_m is q4_K with some tensors in q6_K).
/// The output is written beside the target and renamed into place, so a failed run leaves no file. The tensors that
/// fell back are read from the written file (<see cref="Fallbacks"/>).
/// Not: an importance matrix (the iq2/iq1 types, which need one, are not offered).
/// </summary>
public static class LlamaCppQuantizer
{
    public static QuantizedGguf Quantize(string source, string destination, LlamaFileType type, int? threads = null)
    {
        var input = GgufFile.Read(source);   // one clear line for a corrupt input, before llama.cpp reads it
        if (input.Tensors.Any(t => t.Type is not (GgmlType.F32 or GgmlType.F16 or GgmlType.BF16)))
            throw new ArgumentException($"{source}: llama.cpp re-quantizes from an unquantized file only (f32, f16 or bf16 tensors)");
        LlamaCppRuntime.EnsureConfigured();
        var full = System.IO.Path.GetFullPath(destination);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var temp = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var mark = LlamaCppRuntime.Mark();
        try
        {
            // quantizeOutputTensor: llama-quantize's default (output.weight follows the recipe, q6_K for the k-quants)
            if (!LLamaQuantizer.Quantize(source, temp, type.Ftype(), threads ?? LlamaCppModel.DefaultThreads(), allowRequantize: false, quantizeOutputTensor: true))
                throw new InvalidOperationException($"{source}: llama.cpp could not quantize to {type.Name()}: {LlamaCppModel.FirstWords(mark)}");
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        var output = GgufFile.Read(full);
        var types = output.Tensors.ToDictionary(t => t.Name, t => t.Type, StringComparer.Ordinal);
        return new QuantizedGguf(full, type, types, Fallbacks(output, type));
    }

    /// <summary>
    /// The 2-D tensors whose rows are not whole blocks of the file type's main type, and those whose rows are not
    /// whole 256-element super-blocks and that hold another type than the main one (the recipe wanted a k-quant there,
    /// e.g. q6_K for output.weight, and got a 32-element type). A recipe's own choice on rows of 256 is no fallback.
    /// </summary>
    private static List<TensorFallback> Fallbacks(GgufFile file, LlamaFileType type)
    {
        const int superBlock = 256;   // QK_K
        var main = type.MainType();
        var block = GgmlTypes.Block(main)!.Value.Elements;
        return file.Tensors
            .Where(t => t.Dims.Count >= 2 && (t.Dims[0] % block != 0 || (t.Dims[0] % superBlock != 0 && t.Type != main)))
            .Select(t => new TensorFallback(t.Name, t.Dims[0], t.Type))
            .ToList();
    }
}
