using System.Text;
using DurableUn.Tokenization;

namespace DurableUn.LlamaCpp;

/// <summary>
/// The GGUF file's own tokenizer as an <see cref="ITokenizer"/>, so that our QaEncoder builds a llama.cpp prompt
/// exactly as it builds ours (template, BOS) and a third party's file with a foreign vocabulary is encoded with its
/// own. Encode adds no specials (the interface's rule). EOS, the token that ends an answer, is the file's end-of-turn
/// token when it has one (llama.cpp finds &lt;|eot_id|&gt; and its kin by text, as our Llama-3 specials name it), else its
/// eos id; pad is the file's pad token, or EOS when it has none (llama.cpp's batches carry no padding).
/// </summary>
public sealed class LlamaCppTokenizer(LlamaCppModel model) : ITokenizer
{
    public int VocabSize => model.VocabSize;
    public int? BosId => model.AddsBos ? model.BosId : null;
    public int EosId => model.EotId ?? model.EosId ?? throw new InvalidOperationException($"{model.Path}: the vocabulary has no EOS token");
    public int PadId => model.Weights.Vocab.Pad is { } p ? (int)p : EosId;
    public IReadOnlyList<int> Encode(string text) => model.Tokenize(text);
    public string Decode(IEnumerable<int> ids) => model.Detokenize(ids);

    public int? TokenToId(string token)
    {
        var ids = model.Weights.NativeHandle.Tokenize(token, false, true, Encoding.UTF8);
        return ids.Length == 1 && model.Detokenize([(int)ids[0]]) == token ? (int)ids[0] : null;
    }
}
