using System.Runtime.InteropServices;
using DurableUn.Checkpoints.Gguf;
using DurableUn.LlamaCpp;
using DurableUn.Presets;
using Xunit.Abstractions;

namespace DurableUn.Tests.Checkpoints.Gguf;

/// <summary>
/// Our decoders against llama.cpp's own: files written by llama.cpp's quantizer (in-process), each quantized tensor
/// decoded by <see cref="GgufDequantizer"/> and by ggml's exported dequantize_row_* from the libggml-base that
/// LLamaSharp loaded. Rows of 256 give the k-quants; the smoke preset's rows of 64 give llama.cpp's fallbacks.
/// </summary>
public sealed class GgufDequantizerTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private delegate void DequantizeRow(byte[] blocks, float[] values, long elements);

    [Fact]
    public void Every_Decoder_Equals_LlamaCpps_Dequantization_Of_The_Same_Blocks_Bit_For_Bit()
    {
        // Given files llama.cpp quantized at every offered type, from a model with rows of 256 and the smoke preset
        var (tokenizer, vocab) = GgufFixtures.BpeTokenizer(_dir.Path);
        var smoke = ModelPresets.Config(ModelPreset.Smoke, vocab);
        var configs = new[] { ("rows256", smoke with { HiddenSize = 256, IntermediateSize = 512 }), ("smoke", smoke) };
        var covered = new HashSet<GgmlType>();
        foreach (var (name, config) in configs)
        {
            var f32 = _dir.File($"{name}-f32.gguf");
            GgufExport.Write(f32, config, GgufFixtures.Weights(config), tokenizer, GgufType.F32);
            foreach (var type in LlamaFileTypes.All.Where(t => t is not (LlamaFileType.F32 or LlamaFileType.F16)))
            {
                var quantized = LlamaCppQuantizer.Quantize(f32, _dir.File($"{name}-{type.Name()}.gguf"), type);
                var file = GgufFile.Read(quantized.Path);
                foreach (var tensor in file.Tensors.Where(t => GgufDequantizer.CanDecode(t.Type)))
                {
                    // When one tensor is decoded by us and by ggml
                    var bytes = file.ReadBytes(tensor);
                    var elements = tensor.Dims.Aggregate(1L, (a, d) => a * d);
                    var ours = GgufDequantizer.Values(tensor.Type, bytes, elements);
                    var theirs = new float[elements];
                    Ggml(tensor.Type)(bytes, theirs, elements);
                    // Then every value is the same float
                    var first = Enumerable.Range(0, ours.Length).FirstOrDefault(i => BitConverter.SingleToInt32Bits(ours[i]) != BitConverter.SingleToInt32Bits(theirs[i]), -1);
                    Assert.True(first < 0, $"{name} {type.Name()} {tensor.Name} ({tensor.Type}): element {first} is {(first < 0 ? 0 : ours[first])} here, {(first < 0 ? 0 : theirs[first])} in llama.cpp");
                    covered.Add(tensor.Type);
                }
            }
        }
        output.WriteLine($"checked: {string.Join(", ", covered.Order())}");
        Assert.Superset(new HashSet<GgmlType> { GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.IQ4_NL, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q5_0, GgmlType.Q5_1 }, covered);
    }

    /// <summary>ggml's dequantize_row_TYPE from the libggml-base.so LLamaSharp mapped into this process.</summary>
    private static DequantizeRow Ggml(GgmlType type)
    {
        LlamaCppRuntime.EnsureConfigured();
        var path = File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(c => c.Length >= 6).Select(c => c[^1]).First(p => Path.GetFileName(p) == "libggml-base.so");
        var library = NativeLibrary.Load(path);
        var symbol = $"dequantize_row_{type.ToString().ToLowerInvariant().Replace("_k", "_K")}";   // ggml's names: q4_K, q8_0, iq4_nl
        return Marshal.GetDelegateForFunctionPointer<DequantizeRow>(NativeLibrary.GetExport(library, symbol));
    }
}
