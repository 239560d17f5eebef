namespace DurableUn.Tokenization;

/// <summary>
/// What the rest of the library needs from a tokenizer: text to ids and back, and the special tokens.
/// Implementation: HfTokenizer (a Hugging Face tokenizer.json). Encode never adds special tokens;
/// callers add BOS/EOS explicitly so that label masks stay obvious.
/// </summary>
public interface ITokenizer
{
    int VocabSize { get; }
    int? BosId { get; }
    /// The token that ends an answer (Llama-3-Instruct: &lt;|eot_id|&gt;; plain models: &lt;/s&gt; or &lt;|end_of_text|&gt;).
    int EosId { get; }
    int PadId { get; }
    IReadOnlyList<int> Encode(string text);
    string Decode(IEnumerable<int> ids);
    /// The id of a special or ordinary token given by its exact string, or null.
    int? TokenToId(string token);
}
