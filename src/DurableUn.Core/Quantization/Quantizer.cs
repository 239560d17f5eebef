using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// The one switch from a <see cref="QuantSpec"/> to a format class, so callers never branch on formats themselves.
/// Quantize returns a new <see cref="QuantizedTensor"/>; Dequantize and RoundTrip return new tensors; nothing is mutated.
/// Not: walking a model's parameters (that belongs to the code that owns the model); not: choosing formats per layer.
/// </summary>
public static class Quantizer
{
    public static QuantizedTensor Quantize(Tensor x, QuantSpec spec, string name = "tensor")
    {
        if (spec.DoubleQuant && spec.Format is not (QuantFormat.Nf4 or QuantFormat.Fp4))
            throw new ArgumentException($"Double quantization applies to Nf4 and Fp4 only, not {spec.Format} (tensor '{name}').", nameof(spec));
        return spec.Format switch
        {
            QuantFormat.Nf4 => Nf4.Quantize(x, spec.BlockSize ?? Nf4.DefaultBlockSize, spec.DoubleQuant, name),
            QuantFormat.Fp4 => Fp4.Quantize(x, spec.BlockSize ?? Fp4.DefaultBlockSize, spec.DoubleQuant, name),
            QuantFormat.Int8 => Int8Rowwise.Quantize(x, FixedBlock(spec, null, name)),
            QuantFormat.Int4 => Int4Groupwise.Quantize(x, spec.BlockSize ?? Int4Groupwise.DefaultGroupSize, name),
            QuantFormat.Int4Asym => Int4AsymGroupwise.Quantize(x, spec.BlockSize ?? Int4Groupwise.DefaultGroupSize, name),
            QuantFormat.Q8_0 => GgufQ8_0.Quantize(x, FixedBlock(spec, GgufQ8_0.BlockSize, name)),
            QuantFormat.Q4_0 => GgufQ4_0.Quantize(x, FixedBlock(spec, GgufQ4_0.BlockSize, name)),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Format, "Unknown quantization format."),
        };
    }

    public static Tensor Dequantize(QuantizedTensor q, ScalarType? dtype = null) => q.Format switch
    {
        QuantFormat.Nf4 => Nf4.Dequantize(q, dtype),
        QuantFormat.Fp4 => Fp4.Dequantize(q, dtype),
        QuantFormat.Int8 => Int8Rowwise.Dequantize(q, dtype),
        QuantFormat.Int4 => Int4Groupwise.Dequantize(q, dtype),
        QuantFormat.Int4Asym => Int4AsymGroupwise.Dequantize(q, dtype),
        QuantFormat.Q8_0 => GgufQ8_0.Dequantize(q, dtype),
        QuantFormat.Q4_0 => GgufQ4_0.Dequantize(q, dtype),
        _ => throw new ArgumentOutOfRangeException(nameof(q), q.Format, "Unknown quantization format."),
    };

    /// <summary>Fake quantization without gradients: dequantize(quantize(x)), in x's dtype. For training use <see cref="FakeQuant"/>.</summary>
    public static Tensor RoundTrip(Tensor x, QuantSpec spec, string name = "tensor")
    {
        using var scope = NewDisposeScope();
        return Dequantize(Quantize(x, spec, name)).MoveToOuterDisposeScope();
    }

    /// <summary>Formats whose block is fixed by definition reject any other block size instead of ignoring it.</summary>
    private static string FixedBlock(QuantSpec spec, int? only, string name)
    {
        if (spec.BlockSize is { } size && size != only)
            throw new ArgumentException(
                $"{spec.Format} has {(only is null ? "one scale per row" : $"blocks of {only}")}; BlockSize {size} is not supported (tensor '{name}').",
                nameof(spec));
        return name;
    }
}
