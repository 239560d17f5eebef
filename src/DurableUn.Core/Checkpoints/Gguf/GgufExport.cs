using DurableUn.IO;
using DurableUn.Model;
using DurableUn.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace DurableUn.Checkpoints.Gguf;

/// <summary>
/// Writes a dense Llama model (Hugging Face names, e.g. a merged LoRA's weights) as a llama-architecture GGUF that
/// llama.cpp loads and runs, following llama.cpp's convert_hf_to_gguf.py (LlamaModel): its tensor names
/// (<see cref="LlamaGgufNames"/>), the q/k row permutation (<see cref="RotaryPermutation"/>), its llama.* keys, and its
/// type rule (<see cref="TensorType"/>). Quantized blocks are ggml's reference quantizers (<see cref="GgufQ8_0"/>,
/// <see cref="GgufQ4_0"/>), so the file holds exactly the weights our dequantized model runs with.
/// The file is written atomically. Verified against llama.cpp by tests/…/Gguf/LlamaCppLogitsTests.
/// Not: rope_scaling (llama3 needs a rope_freqs tensor), attention or MLP biases, a chat template, K-quants, and
/// llama-quantize's mixed recipes (Q4_0 here is "pure": output.weight is Q4_0 too, not Q6_K).
/// </summary>
public static class GgufExport
{
    /// <summary>Quantized tensor types' gguf-py GGML_QUANT_VERSION; llama.cpp requires it when any tensor is quantized.</summary>
    private const uint QuantizationVersion = 2;

    /// <summary>Chunk size for streaming fp32/fp16 tensor bytes.</summary>
    private const int StreamChunk = 1 << 20;

    public static void Write(string outFile, LlamaConfig config, IReadOnlyDictionary<string, Tensor> weights, string tokenizerJsonPath, GgufType type)
    {
        config.Validate();
        if (config.RopeScaling is not null) throw new NotSupportedException("GGUF export does not write rope_scaling (llama3 rope_freqs); the config has one");
        if (config.AttentionBias || config.MlpBias) throw new NotSupportedException("GGUF export does not write attention or MLP biases");
        var shapes = weights.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<long>)kv.Value.shape, StringComparer.Ordinal);
        LlamaCheckpointLayout.CheckShapes(shapes, config, "GGUF export weights");

        var metadata = Metadata(config, type, Path.GetFileNameWithoutExtension(outFile))
            .Concat(GgufTokenizer.Metadata(tokenizerJsonPath, config)).ToList();
        var tensors = LlamaGgufNames.For(config.NumHiddenLayers, config.TieWordEmbeddings)
            .Select(n => Tensor(n.Gguf, n.Hf, weights[n.Hf], config, type)).ToList();
        AtomicFile.Write(outFile, s => GgufWriter.Write(s, metadata, tensors));
    }

    /// <summary>
    /// The ggml type a tensor of this PyTorch shape gets (convert_hf_to_gguf.py prepare_tensors): 1-D tensors (norms)
    /// stay F32; 2-D weights take the file's type, except that a quantized type falls back to F16 when a row is not
    /// whole 32-element blocks (gguf-py raises QuantError and the converter, like llama-quantize, uses F16).
    /// </summary>
    public static GgmlType TensorType(IReadOnlyList<long> torchShape, GgufType type) => type switch
    {
        _ when torchShape.Count < 2 => GgmlType.F32,
        GgufType.F32 => GgmlType.F32,
        GgufType.F16 => GgmlType.F16,
        _ when torchShape[^1] % GgufQ8_0.BlockSize != 0 => GgmlType.F16,
        GgufType.Q8_0 => GgmlType.Q8_0,
        GgufType.Q4_0 => GgmlType.Q4_0,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>llama.cpp's LLAMA_FTYPE for general.file_type.</summary>
    private static uint FileType(GgufType type) => type switch
    {
        GgufType.F32 => 0,
        GgufType.F16 => 1,
        GgufType.Q4_0 => 2,
        GgufType.Q8_0 => 7,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static List<KeyValuePair<string, GgufValue>> Metadata(LlamaConfig c, GgufType type, string name)
    {
        var kv = new List<KeyValuePair<string, GgufValue>>
        {
            new("general.architecture", GgufValue.String("llama")),
            new("general.name", GgufValue.String(name)),
            new("general.file_type", GgufValue.UInt32(FileType(type))),
            new("llama.vocab_size", GgufValue.UInt32((uint)c.VocabSize)),
            new("llama.context_length", GgufValue.UInt32((uint)c.MaxPositionEmbeddings)),
            new("llama.embedding_length", GgufValue.UInt32((uint)c.HiddenSize)),
            new("llama.block_count", GgufValue.UInt32((uint)c.NumHiddenLayers)),
            new("llama.feed_forward_length", GgufValue.UInt32((uint)c.IntermediateSize)),
            new("llama.attention.head_count", GgufValue.UInt32((uint)c.NumAttentionHeads)),
            new("llama.attention.head_count_kv", GgufValue.UInt32((uint)c.KeyValueHeads)),
            new("llama.rope.freq_base", GgufValue.Float32((float)c.RopeTheta)),
            new("llama.attention.layer_norm_rms_epsilon", GgufValue.Float32((float)c.RmsNormEps)),
            new("llama.rope.dimension_count", GgufValue.UInt32((uint)c.HeadDimension)),
        };
        // llama.cpp derives the head size as embedding_length / head_count unless told otherwise.
        if (c.HeadDimension != c.HiddenSize / c.NumAttentionHeads)
        {
            kv.Add(new("llama.attention.key_length", GgufValue.UInt32((uint)c.HeadDimension)));
            kv.Add(new("llama.attention.value_length", GgufValue.UInt32((uint)c.HeadDimension)));
        }
        if (type is GgufType.Q8_0 or GgufType.Q4_0) kv.Add(new("general.quantization_version", GgufValue.UInt32(QuantizationVersion)));
        return kv;
    }

    /// <summary>The weight with q/k rows in llama.cpp's rotary order; other weights as given.</summary>
    private static Tensor ToGgmlRows(string hfName, Tensor weight, LlamaConfig c) =>
        hfName.EndsWith(".self_attn.q_proj.weight", StringComparison.Ordinal) ? RotaryPermutation.ToGgml(weight, c.NumAttentionHeads)
        : hfName.EndsWith(".self_attn.k_proj.weight", StringComparison.Ordinal) ? RotaryPermutation.ToGgml(weight, c.KeyValueHeads)
        : weight;

    /// <summary>A tensor to write: dims reversed to ggml order, bytes produced (rows permuted, converted) only when
    /// the writer reaches it, so one tensor's copies exist at a time.</summary>
    private static GgufTensorData Tensor(string name, string hfName, Tensor weight, LlamaConfig config, GgufType type)
    {
        var ggml = TensorType(weight.shape, type);
        return new GgufTensorData(name, weight.shape.Reverse().ToArray(), ggml, stream =>
        {
            using var scope = NewDisposeScope(); // disposes the converted copies, never the caller's tensor
            var w = ToGgmlRows(hfName, weight.detach().cpu().to_type(ScalarType.Float32), config);
            switch (ggml)
            {
                case GgmlType.F32: w.contiguous().WriteBytesToStream(stream, StreamChunk); break;   // host order = little-endian on x64
                case GgmlType.F16: w.to_type(ScalarType.Float16).contiguous().WriteBytesToStream(stream, StreamChunk); break;
                case GgmlType.Q8_0: stream.Write(GgufBlocks.ToBytes(GgufQ8_0.Quantize(w, name))); break;
                case GgmlType.Q4_0: stream.Write(GgufBlocks.ToBytes(GgufQ4_0.Quantize(w, name))); break;
                default: throw new InvalidOperationException($"no writer for ggml type {ggml}");
            }
        });
    }
}
