using DurableUn.Tensors;
using DurableUn.Checkpoints.Gguf;
using DurableUn.LlamaCpp;
using static TorchSharp.torch;

namespace DurableUn.Deployment;

/// <summary>
/// <see cref="QuantizationShifts"/> for a GGUF precision: the target and the unlearned model are each deployed as
/// llama.cpp would ship them (<see cref="GgufDeployment"/>), and every quantized tensor is compared element by element,
/// decoded by our reader (<see cref="GgufDequantizer"/>): the code flips between the two files, and |Δw| between the
/// full-precision weights (the f32 files) in half-steps of the target's file (q4_K: d·scale of the 32-element
/// sub-block; q6_K: of the 16; iq4_nl: d times its grid's mean gap). Groups are the ggml types the target's file
/// holds (q4_k, q6_k, q5_0…). A tensor whose full-precision weights are identical in both models (embeddings and
/// norms an adapter does not touch) is left out: it cannot move.
/// Not: f32/f16/bf16 tensors (no codes).
/// </summary>
public static class GgufShifts
{
    public static IReadOnlyList<QuantizationShift> Measure(FullPrecisionModel target, FullPrecisionModel unlearned, LlamaFileType type)
    {
        var scratch = Directory.CreateTempSubdirectory("durableun-gguf-shifts-").FullName;
        try
        {
            var t = Files(GgufDeployment.Build(target, type, Directory.CreateDirectory(Path.Combine(scratch, "target")).FullName));
            var u = Files(GgufDeployment.Build(unlearned, type, Directory.CreateDirectory(Path.Combine(scratch, "unlearned")).FullName));
            var groups = new Dictionary<string, List<(Tensor Flipped, Tensor HalfSteps)>>(StringComparer.Ordinal);
            using var scope = NewDisposeScope();
            foreach (var info in t.Quantized.Tensors.Where(i => GgufDequantizer.CanDecode(i.Type)))
            {
                var elements = info.Dims.Aggregate(1L, (a, d) => a * d);
                var fullT = GgufDequantizer.Values(GgmlType.F32, t.Full.ReadBytes(t.Full.Tensor(info.Name)), elements);
                var fullU = GgufDequantizer.Values(GgmlType.F32, u.Full.ReadBytes(u.Full.Tensor(info.Name)), elements);
                if (fullT.AsSpan().SequenceEqual(fullU)) continue;
                var other = u.Quantized.Tensor(info.Name);
                if (other.Type != info.Type)
                    throw new InvalidOperationException($"{info.Name} is {info.Type} in the target's {type.Name()} file but {other.Type} in the unlearned model's");
                var codesT = GgufDequantizer.Decode(info.Type, t.Quantized.ReadBytes(info), elements);
                var codesU = GgufDequantizer.Decode(info.Type, u.Quantized.ReadBytes(other), elements);
                var flipped = tensor(codesT.Codes).ne(tensor(codesU.Codes));                                   // (n,)
                var delta = tensor(fullU).sub(tensor(fullT)).abs();                                              // (n,)
                var half = tensor(codesT.Steps).Over(2.0);                                                        // (n,)
                var ratio = where(half.AboveMask(0), delta.div(half.AtLeast(float.Epsilon)), zeros_like(delta).Filled(delta.AboveMask(0), float.PositiveInfinity));
                var group = info.Type.ToString().ToLowerInvariant();
                if (!groups.TryGetValue(group, out var list)) groups[group] = list = [];
                list.Add((flipped, ratio));
            }
            return groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => QuantizationShifts.Summarize(g.Key, g.Value)).ToList();
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static (GgufFile Full, GgufFile Quantized) Files(QuantizedGguf file) =>
        (GgufFile.Read(Path.Combine(Path.GetDirectoryName(file.Path)!, "model-f32.gguf")), GgufFile.Read(file.Path));
}
