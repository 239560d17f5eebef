namespace DurableUn.Tokenization;

/// <summary>
/// A Hugging Face tokenizer.json, run by the Rust tokenizers library through Tokenizers.DotNet, so any model's
/// real tokenizer (BPE, WordPiece, WordLevel, Unigram) works. Special-token ids are read from the file's
/// <c>added_tokens</c> and the model vocabulary, since the wrapper exposes only encode and decode.
/// Not: truncation or padding (batching does that), chat templates (Data.PromptTemplate).
/// </summary>
public sealed class HfTokenizer : ITokenizer, IDisposable
{
    private readonly Tokenizers.DotNet.Tokenizer _native;
    private readonly Dictionary<string, int> _tokens;

    private HfTokenizer(string path, Tokenizers.DotNet.Tokenizer native, Dictionary<string, int> tokens, Func<HfTokenizer, (int? Bos, int Eos, int Pad)> special)
    {
        Path = path;
        _native = native;
        _tokens = tokens;
        VocabSize = tokens.Values.Max() + 1;
        (BosId, EosId, PadId) = special(this);
    }

    public string Path { get; }
    public int VocabSize { get; }
    public int? BosId { get; }
    public int EosId { get; }
    public int PadId { get; }

    /// <summary>Loads tokenizer.json; the special tokens are named because the file alone does not say which is EOS.</summary>
    public static HfTokenizer Load(string path, SpecialTokens special) =>
        Load(path, t => (special.Bos is { } b ? t.Id(b) : null, t.Id(special.Eos), special.Pad is { } p ? t.Id(p) : t.Id(special.Eos)));

    /// <summary>
    /// Loads the tokenizer of a model folder, taking special ids from its config: BOS = bos_token_id; EOS =
    /// &lt;|eot_id|&gt; when it is one of eos_token_id (Llama-3-Instruct ends answers with it), else the first
    /// eos_token_id; PAD = pad_token_id, else a &lt;|pad|&gt; token, else EOS (transformers' usual fallback).
    /// </summary>
    public static HfTokenizer LoadForModel(string path, Model.LlamaConfig config) =>
        Load(path, t =>
        {
            if (config.EosTokenIds.Count == 0) throw new ArgumentException($"{path}: the model config names no eos_token_id");
            if (t.VocabSize > config.VocabSize)
                throw new IO.JsonFileException(path, null, $"holds token id {t.VocabSize - 1}, beyond the model's vocab_size {config.VocabSize} (config.json)");
            var eos = t.TokenToId("<|eot_id|>") is { } eot && config.EosTokenIds.Contains(eot) ? eot : config.EosTokenIds[0];
            return (config.BosTokenId, eos, config.PadTokenId ?? t.TokenToId("<|pad|>") ?? eos);
        });

    private static HfTokenizer Load(string path, Func<HfTokenizer, (int? Bos, int Eos, int Pad)> special)
    {
        var tokens = TokenizerJsonCheck.Check(path);
        Tokenizers.DotNet.Tokenizer native;
        try { native = new Tokenizers.DotNet.Tokenizer(path); }
        catch (Exception e) when (e is not OutOfMemoryException)
        { throw new IO.JsonFileException(path, null, $"the tokenizers library refused it: {e.Message}"); }
        try { return new HfTokenizer(path, native, tokens, special); }
        catch { native.Dispose(); throw; }
    }

    public IReadOnlyList<int> Encode(string text) => text.Length == 0 ? [] : _native.Encode(text).Select(i => (int)i).ToArray();

    public string Decode(IEnumerable<int> ids) => _native.Decode(ids.Select(i => checked((uint)i)).ToArray());

    public int? TokenToId(string token) => _tokens.TryGetValue(token, out var id) ? id : null;

    private int Id(string token) => TokenToId(token)
        ?? throw new ArgumentException($"{Path}: special token \"{token}\" is not in the vocabulary");

    public void Dispose() => _native.Dispose();
}

/// <summary>Which strings are BOS, EOS and PAD for a tokenizer (Llama-3-Instruct: &lt;|begin_of_text|&gt;, &lt;|eot_id|&gt;).</summary>
public sealed record SpecialTokens(string? Bos, string Eos, string? Pad)
{
    /// The tokens of our presets and of Llama-3-Instruct. PAD is a dedicated token in our presets.
    public static SpecialTokens Llama3 { get; } = new("<|begin_of_text|>", "<|eot_id|>", "<|pad|>");
}
