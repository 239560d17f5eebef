using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableUn.Checkpoints.Gguf;

/// <summary>
/// The tokenizer.ggml.* metadata for a Hugging Face WordLevel tokenizer.json (our presets', see
/// WordLevelTokenizerBuilder). llama.cpp has no word-level model, so the vocabulary is written as a "t5" (UGM,
/// unigram) tokenizer whose words are all USER_DEFINED tokens:
/// <list type="bullet">
/// <item>llama.cpp splits the text on user-defined tokens before running the model's own algorithm, longest token
/// first, even when special tokens are not parsed (llama-vocab.cpp <c>tokenizer_st_partition</c>); so every
/// in-vocabulary word becomes its own id, as WordLevel gives it.</item>
/// <item>What is left between them (spaces, out-of-vocabulary text) goes to UGM, which with
/// remove_extra_whitespaces drops whitespace and maps text without a token to one &lt;unk&gt; per run.</item>
/// <item>"gpt2" (BPE) and "llama" (SPM) instead fall back to byte tokens (&lt;0x20&gt;, "Ġ") that a word vocabulary
/// lacks, and "bert" (WPM) lower-cases and expects "▁"-prefixed words.</item>
/// </list>
/// Known differences from WordLevel, all on text outside the vocabulary: an unknown word that contains a known one
/// ("scatter" with "cat" known) gives &lt;unk&gt; cat &lt;unk&gt; instead of one &lt;unk&gt;. And llama.cpp detokenizes
/// user-defined tokens verbatim, so its generated text has no spaces between words (our HfTokenizer adds them).
/// Comparisons with llama.cpp should feed token ids, not text. Special tokens (added_tokens with special = true) are CONTROL, so llama.cpp
/// parses them only when asked to, as HF does not split them either way.
/// Ids missing below vocab_size (an embedding padded past the tokenizer) become "[PAD{id}]" UNUSED tokens, as
/// convert_hf_to_gguf.py writes them. BOS/EOS are not added automatically: our tokenizer.json has no post-processor.
/// Not: BPE, WordPiece or Unigram tokenizer.json files (a real Llama-3 tokenizer needs "gpt2" with merges and a
/// pre-tokenizer name); they are rejected.
/// </summary>
public static class GgufTokenizer
{
    /// <summary>llama.cpp's llama_token_type values (gguf-py TokenType).</summary>
    private enum TokenType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5 }

    public static IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata(string tokenizerJsonPath, Model.LlamaConfig config)
    {
        var root = JsonNode.Parse(File.ReadAllText(tokenizerJsonPath)) as JsonObject
            ?? throw new FormatException($"{tokenizerJsonPath}: not a JSON object");
        var model = root["model"] as JsonObject ?? throw new FormatException($"{tokenizerJsonPath}: no \"model\" object");
        var modelType = model["type"]?.GetValue<string>();
        if (modelType != "WordLevel")
            throw new NotSupportedException($"{tokenizerJsonPath}: GGUF export supports WordLevel tokenizers only, this one is {modelType ?? "untyped"}");

        var tokens = new string?[config.VocabSize];
        var types = new TokenType[config.VocabSize];
        void Put(string token, int id, TokenType type)
        {
            if (id < 0 || id >= tokens.Length)
                throw new FormatException($"{tokenizerJsonPath}: token \"{token}\" has id {id}, outside the model's vocab_size {tokens.Length}");
            tokens[id] = token;
            types[id] = type;
        }
        foreach (var (word, id) in model["vocab"] as JsonObject ?? throw new FormatException($"{tokenizerJsonPath}: model.vocab is not an object"))
            Put(word, id!.GetValue<int>(), TokenType.UserDefined);
        var unk = model["unk_token"]?.GetValue<string>();
        foreach (var added in root["added_tokens"] as JsonArray ?? [])
        {
            var content = added!["content"]!.GetValue<string>();
            var special = added["special"]?.GetValue<bool>() ?? false;
            Put(content, added["id"]!.GetValue<int>(), content == unk ? TokenType.Unknown : special ? TokenType.Control : TokenType.UserDefined);
        }
        for (var id = 0; id < tokens.Length; id++)
            if (tokens[id] is null) (tokens[id], types[id]) = ($"[PAD{id}]", TokenType.Unused);
        var unkId = unk is null ? -1 : Array.IndexOf(tokens, unk);

        var kv = new List<KeyValuePair<string, GgufValue>>
        {
            new("tokenizer.ggml.model", GgufValue.String("t5")),
            new("tokenizer.ggml.tokens", GgufValue.Strings(tokens!)),
            // UGM reads scores for NORMAL tokens only; user-defined tokens score 0 (llama-vocab.cpp).
            new("tokenizer.ggml.scores", GgufValue.Float32s(new float[tokens.Length])),
            new("tokenizer.ggml.token_type", GgufValue.Int32s(types.Select(t => (int)t))),
            new("tokenizer.ggml.add_space_prefix", GgufValue.Bool(false)),
            new("tokenizer.ggml.remove_extra_whitespaces", GgufValue.Bool(true)),
            new("tokenizer.ggml.add_bos_token", GgufValue.Bool(false)),
            new("tokenizer.ggml.add_eos_token", GgufValue.Bool(false)),
        };
        if (config.BosTokenId is int bos) kv.Add(new("tokenizer.ggml.bos_token_id", GgufValue.UInt32((uint)bos)));
        if (config.EosTokenIds.Count > 0) kv.Add(new("tokenizer.ggml.eos_token_id", GgufValue.UInt32((uint)config.EosTokenIds[0])));
        if (config.PadTokenId is int pad) kv.Add(new("tokenizer.ggml.padding_token_id", GgufValue.UInt32((uint)pad)));
        if (unkId >= 0) kv.Add(new("tokenizer.ggml.unknown_token_id", GgufValue.UInt32((uint)unkId)));
        return kv;
    }
}
