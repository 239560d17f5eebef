using System.Text.Json.Nodes;

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
            var eos = t.TokenToId("<|eot_id|>") is { } eot && config.EosTokenIds.Contains(eot) ? eot : config.EosTokenIds[0];
            return (config.BosTokenId, eos, config.PadTokenId ?? t.TokenToId("<|pad|>") ?? eos);
        });

    private static HfTokenizer Load(string path, Func<HfTokenizer, (int? Bos, int Eos, int Pad)> special)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"tokenizer file not found: {path}", path);
        JsonNode root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new FormatException("empty"); }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException)
        { throw new FormatException($"{path}: not valid JSON: {e.Message}", e); }
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root["model"]?["vocab"] is JsonObject vocab)
            foreach (var (k, v) in vocab) tokens[k] = v!.GetValue<int>();
        else if (root["model"]?["vocab"] is JsonArray unigram) // Unigram: [[piece, score], ...]
            for (var i = 0; i < unigram.Count; i++) tokens[unigram[i]![0]!.GetValue<string>()] = i;
        if (root["added_tokens"] is JsonArray added)
            foreach (var t in added) tokens[t!["content"]!.GetValue<string>()] = t["id"]!.GetValue<int>();
        if (tokens.Count == 0) throw new FormatException($"{path}: model.vocab is missing or empty");
        var native = new Tokenizers.DotNet.Tokenizer(path);
        var tokenizer = new HfTokenizer(path, native, tokens, special);
        return tokenizer;
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
