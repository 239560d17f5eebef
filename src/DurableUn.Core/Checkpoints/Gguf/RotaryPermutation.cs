using static TorchSharp.torch;

namespace DurableUn.Checkpoints.Gguf;

/// <summary>
/// Reorders the rows of a q_proj or k_proj weight from Hugging Face's rotary layout to llama.cpp's (llama.cpp
/// convert_hf_to_gguf.py <c>LlamaModel.permute</c>). HF rotates pairs (i, i + hd/2) of each head ("rotate half");
/// llama.cpp's LLAMA_ROPE_TYPE_NORM rotates adjacent pairs (2i, 2i+1). So within each head, new row 2i + s is old
/// row s·hd/2 + i (s ∈ {0, 1}): the two halves are interleaved. q uses the query head count, k the key/value head
/// count. Without this the file loads but attention scores, and so the logits, differ.
/// Not: the inverse (a GGUF importer would need it); not: biases (our export rejects attention_bias).
/// </summary>
public static class RotaryPermutation
{
    /// <summary>(heads·hd, in) in HF order → the same rows in llama.cpp order; a new tensor.</summary>
    public static Tensor ToGgml(Tensor weight, int heads)
    {
        var (rows, cols) = (weight.shape[0], weight.shape[1]);
        if (rows % (2L * heads) != 0)
            throw new ArgumentException($"a rotary weight with {rows} rows cannot be split into {heads} heads of even size");
        return weight.reshape(heads, 2, rows / heads / 2, cols)   // (heads, half s, i, in)
            .transpose(1, 2)                                       // (heads, i, s, in): row 2i + s
            .reshape(rows, cols);
    }
}
