namespace DurableUn.Checkpoints.Gguf;

/// <summary>
/// The weight type of an exported GGUF file (the CLI's --type). Quantized types apply to 2-D weights whose rows are
/// whole 32-element blocks; see <see cref="GgufExport.TensorType"/> for the per-tensor rule.
/// </summary>
public enum GgufType
{
    /// <summary>Every tensor fp32 (llama.cpp LLAMA_FTYPE_ALL_F32).</summary>
    F32,
    /// <summary>2-D weights fp16 (LLAMA_FTYPE_MOSTLY_F16).</summary>
    F16,
    /// <summary>2-D weights ggml Q8_0 (LLAMA_FTYPE_MOSTLY_Q8_0).</summary>
    Q8_0,
    /// <summary>2-D weights ggml Q4_0, token_embd and output included (LLAMA_FTYPE_MOSTLY_Q4_0, as llama-quantize --pure).</summary>
    Q4_0,
}
