using DurableUn.Quantization;
using static TorchSharp.torch;

namespace DurableUn.Adapters;

/// <summary>
/// How a dense checkpoint is put into the QLoRA regime (Dettmers et al. 2023, arXiv:2305.14314; docs/design.md#words):
/// the format of the frozen base, and the LoRA on top. Defaults are QLoRA's: NF4, blocksize 64, double quantization.
/// Not: 8-bit bases (LLM.int8), paged optimizers, gradient checkpointing.
/// </summary>
public sealed record QLoraOptions
{
    /// The adapter.
    public LoraOptions Lora { get; init; } = new();

    /// Base format: Nf4 (QLoRA) or Fp4 (bitsandbytes' Linear4bit default, the "4-bit" of Zhang et al. 2025); null keeps
    /// a dense fp32 base, the comparison "LoRA on an fp32 base" of benchmarks and tests.
    public QuantFormat? BaseFormat { get; init; } = QuantFormat.Nf4;

    /// bnb blocksize: 64 weights share one absmax (bitsandbytes' and QLoRA's default).
    public int BlockSize { get; init; } = Nf4.DefaultBlockSize;

    /// bnb_4bit_use_double_quant: the absmax quantized again to 8 bits (QLoRA: on; saves ≈ 0.37 bit per weight).
    public bool DoubleQuant { get; init; } = true;

    /// bnb_4bit_compute_dtype: the dtype the base is dequantized to and multiplied in. Float32 (transformers' default)
    /// or BFloat16 (QLoRA). LoRA A and B stay fp32 either way, as PEFT keeps them.
    public ScalarType ComputeDtype { get; init; } = ScalarType.Float32;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting; returns this.</summary>
    public QLoraOptions Validate()
    {
        Lora.Validate();
        if (BaseFormat is { } f && f is not (QuantFormat.Nf4 or QuantFormat.Fp4))
            throw new ArgumentException($"qlora base format {f} is not supported; the QLoRA base is Nf4 or Fp4 (bitsandbytes 4-bit), or null for dense");
        if (BlockSize < 32 || BlockSize > 4096 || (BlockSize & (BlockSize - 1)) != 0)
            throw new ArgumentException($"qlora blocksize {BlockSize} is not supported; use a power of two from 32 to 4096");
        if (ComputeDtype is not (ScalarType.Float32 or ScalarType.BFloat16))
            throw new ArgumentException($"qlora compute dtype {ComputeDtype} is not supported; use Float32 or BFloat16");
        return this;
    }

    /// <summary>The base's <see cref="QuantSpec"/>, null for a dense base.</summary>
    public QuantSpec? BaseSpec => BaseFormat is { } f ? new QuantSpec(f) { BlockSize = BlockSize, DoubleQuant = DoubleQuant } : null;
}
