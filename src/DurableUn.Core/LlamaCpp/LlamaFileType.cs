using DurableUn.Checkpoints.Gguf;
using LLama.Native;

namespace DurableUn.LlamaCpp;

/// <summary>
/// llama.cpp's file types (llama.h <c>enum llama_ftype</c>, the names llama-quantize prints) that a GGUF deployment can
/// be made in: the formats people ship. Each is produced from an f32 GGUF by llama.cpp's own quantizer, whose
/// recipe may give some tensors another type (q4_k_m keeps half of ffn_down and attn_v in q6_K, output in q6_K).
/// </summary>
public enum LlamaFileType
{
    F32,
    F16,
    Q8_0,
    Q4_0,
    Q4_K_M,
    Q5_K_M,
    Q6_K,
    Iq4Nl,
}

/// <summary>The table of <see cref="LlamaFileType"/>: canonical name, llama.cpp's ftype, main ggml type.</summary>
public static class LlamaFileTypes
{
    public static IReadOnlyList<LlamaFileType> All { get; } = Enum.GetValues<LlamaFileType>();

    /// <summary>Lower-case name as llama-quantize spells it (q4_k_m, iq4_nl).</summary>
    public static string Name(this LlamaFileType type) => type switch
    {
        LlamaFileType.F32 => "f32",
        LlamaFileType.F16 => "f16",
        LlamaFileType.Q8_0 => "q8_0",
        LlamaFileType.Q4_0 => "q4_0",
        LlamaFileType.Q4_K_M => "q4_k_m",
        LlamaFileType.Q5_K_M => "q5_k_m",
        LlamaFileType.Q6_K => "q6_k",
        LlamaFileType.Iq4Nl => "iq4_nl",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static LlamaFileType? TryParse(string name) =>
        All.Where(t => t.Name() == name).Select(t => (LlamaFileType?)t).FirstOrDefault();

    public static LLamaFtype Ftype(this LlamaFileType type) => type switch
    {
        LlamaFileType.F32 => LLamaFtype.ALL_F32,
        LlamaFileType.F16 => LLamaFtype.MOSTLY_F16,
        LlamaFileType.Q8_0 => LLamaFtype.MOSTLY_Q8_0,
        LlamaFileType.Q4_0 => LLamaFtype.MOSTLY_Q4_0,
        LlamaFileType.Q4_K_M => LLamaFtype.MOSTLY_Q4_K_M,
        LlamaFileType.Q5_K_M => LLamaFtype.MOSTLY_Q5_K_M,
        LlamaFileType.Q6_K => LLamaFtype.MOSTLY_Q6_K,
        LlamaFileType.Iq4Nl => LLamaFtype.MOSTLY_IQ4_NL,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The ggml type most 2-D weights get (llama-quant.cpp's default_type for the ftype).</summary>
    public static GgmlType MainType(this LlamaFileType type) => type switch
    {
        LlamaFileType.F32 => GgmlType.F32,
        LlamaFileType.F16 => GgmlType.F16,
        LlamaFileType.Q8_0 => GgmlType.Q8_0,
        LlamaFileType.Q4_0 => GgmlType.Q4_0,
        LlamaFileType.Q4_K_M => GgmlType.Q4_K,
        LlamaFileType.Q5_K_M => GgmlType.Q5_K,
        LlamaFileType.Q6_K => GgmlType.Q6_K,
        LlamaFileType.Iq4Nl => GgmlType.IQ4_NL,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
