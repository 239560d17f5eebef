using DurableUn.Checkpoints.Gguf;
using DurableUn.LlamaCpp;

namespace DurableUn.Deployment;

/// <summary>
/// A GGUF precision's deployment (docs/design.md#precisions): the full-precision model written as an f32 GGUF by our
/// exporter (<see cref="GgufExport"/>, convert_hf_to_gguf.py's layout), then quantized by llama.cpp's own quantizer
/// (<see cref="LlamaCppQuantizer"/>), so the file is the one a user who runs llama-quantize would ship. gguf-f32 is
/// the exported file itself. Both files go into the given folder (the caller keeps or deletes it).
/// Not: measuring (Evaluation.GgufEvaluation runs llama.cpp on the file).
/// </summary>
public static class GgufDeployment
{
    public static QuantizedGguf Build(FullPrecisionModel model, LlamaFileType type, string folder)
    {
        var f32 = Path.Combine(folder, "model-f32.gguf");
        GgufExport.Write(f32, model.Config, model.Weights, model.TokenizerPath, GgufType.F32);
        if (type == LlamaFileType.F32)
            return new QuantizedGguf(Path.GetFullPath(f32), type, GgufFile.Read(f32).Tensors.ToDictionary(t => t.Name, t => t.Type, StringComparer.Ordinal), []);
        return LlamaCppQuantizer.Quantize(f32, Path.Combine(folder, $"model-{type.Name()}.gguf"), type);
    }
}
