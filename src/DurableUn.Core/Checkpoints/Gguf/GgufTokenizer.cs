using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableUn.Checkpoints.Gguf;

/// <summary>
/// The tokenizer.ggml.* metadata for a Hugging Face tokenizer.json, for the two layouts our presets write.
/// <para>Byte-level BPE (<see cref="Tokenization.BpeTokenizerJson"/>, today's presets): written as llama.cpp's "gpt2"
/// tokenizer, as convert_hf_to_gguf.py does for GPT-2-style files: tokens in id order (byte-level strings such as
/// "Ġthe"), NORMAL except special added tokens (CONTROL), the merges as "left right" strings in rank order, and
/// pre-tokenizer "gpt-2", llama.cpp's name for GPT-2's regex, which is what a ByteLevel pre-tokenizer with use_regex
/// runs. Only that pre-tokenizer is accepted: another split (Llama-3's Split + ByteLevel, "llama-bpe") would need its
/// own name and is rejected rather than guessed.</para>
/// <para>WordLevel (older preset folders and test fixtures, see WordLevelTokenizerBuilder). llama.cpp has no
/// word-level model, so the vocabulary is written as a "t5" (UGM, unigram) tokenizer whose words are all
/// USER_DEFINED tokens:</para>
/// <list type="bullet">
/// <item>llama.cpp splits the text on user-defined tokens before running the model's own algorithm, longest token
/// first, even when special tokens are not parsed (llama-vocab.cpp <c>tokenizer_st_partition</c>); so every
/// in-vocabulary word becomes its own id, as WordLevel gives it.</item>
/// <item>What is left between them (spaces, out-of-vocabulary text) goes to UGM, which with
/// remove_extra_whitespaces drops whitespace and maps text without a token to one &lt;unk&gt; per run.</item>
/// </list>
/// Known WordLevel differences, all on text outside the vocabulary: an unknown word that contains a known one
/// ("scatter" with "cat" known) gives &lt;unk&gt; cat &lt;unk&gt; instead of one &lt;unk&gt;; and llama.cpp detokenizes
/// user-defined tokens verbatim, so its generated text has no spaces between words.
/// Both: special tokens (added_tokens with special = true) are CONTROL, so llama.cpp parses them only when asked to.
/// Ids missing below vocab_size (an embedding padded past the tokenizer) become "[PAD{id}]" UNUSED tokens, as
/// convert_hf_to_gguf.py writes them. add_bos_token is true when the model has a BOS: every product path feeds BOS
/// (the tokenizer.json has no post-processor, so the product adds it itself); EOS is never added.
/// Not: WordPiece or Unigram tokenizer.json files, and BPE with other pre-tokenizers; they are rejected.
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
        if (modelType is not ("WordLevel" or "BPE"))
            throw new NotSupportedException($"{tokenizerJsonPath}: GGUF export supports byte-level BPE and WordLevel tokenizers, this one is {modelType ?? "untyped"}");
        var bpe = modelType == "BPE";
        if (bpe && !IsGpt2ByteLevel(root["pre_tokenizer"]))
            throw new NotSupportedException($"{tokenizerJsonPath}: GGUF export writes BPE tokenizers whose pre_tokenizer is ByteLevel with use_regex true (GPT-2's split); this one is {root["pre_tokenizer"]?.ToJsonString() ?? "null"}");

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
            Put(word, id!.GetValue<int>(), bpe ? TokenType.Normal : TokenType.UserDefined);
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

        var kv = bpe ? Gpt2(tokenizerJsonPath, model, tokens!, types) : new List<KeyValuePair<string, GgufValue>>
        {
            new("tokenizer.ggml.model", GgufValue.String("t5")),
            new("tokenizer.ggml.tokens", GgufValue.Strings(tokens!)),
            // UGM reads scores for NORMAL tokens only; user-defined tokens score 0 (llama-vocab.cpp).
            new("tokenizer.ggml.scores", GgufValue.Float32s(new float[tokens.Length])),
            new("tokenizer.ggml.token_type", GgufValue.Int32s(types.Select(t => (int)t))),
            new("tokenizer.ggml.add_space_prefix", GgufValue.Bool(false)),
            new("tokenizer.ggml.remove_extra_whitespaces", GgufValue.Bool(true)),
        };
        kv.Add(new("tokenizer.ggml.add_bos_token", GgufValue.Bool(config.BosTokenId is not null)));
        kv.Add(new("tokenizer.ggml.add_eos_token", GgufValue.Bool(false)));
        if (config.BosTokenId is int bos) kv.Add(new("tokenizer.ggml.bos_token_id", GgufValue.UInt32((uint)bos)));
        if (config.EosTokenIds.Count > 0) kv.Add(new("tokenizer.ggml.eos_token_id", GgufValue.UInt32((uint)config.EosTokenIds[0])));
        if (config.PadTokenId is int pad) kv.Add(new("tokenizer.ggml.padding_token_id", GgufValue.UInt32((uint)pad)));
        if (unkId >= 0) kv.Add(new("tokenizer.ggml.unknown_token_id", GgufValue.UInt32((uint)unkId)));
        return kv;
    }

    private static List<KeyValuePair<string, GgufValue>> Gpt2(string path, JsonObject model, string[] tokens, TokenType[] types)
    {
        var merges = (model["merges"] as JsonArray ?? throw new FormatException($"{path}: model.merges is missing")).Select(m => m switch
        {
            JsonValue v => v.GetValue<string>(),                                                     // "left right"
            JsonArray { Count: 2 } pair => $"{pair[0]!.GetValue<string>()} {pair[1]!.GetValue<string>()}",   // ["left", "right"]
            _ => throw new FormatException($"{path}: merge {m?.ToJsonString()} is neither \"left right\" nor [left, right]"),
        }).ToArray();
        return
        [
            new("tokenizer.ggml.model", GgufValue.String("gpt2")),
            new("tokenizer.ggml.pre", GgufValue.String("gpt-2")),
            new("tokenizer.ggml.tokens", GgufValue.Strings(tokens)),
            new("tokenizer.ggml.token_type", GgufValue.Int32s(types.Select(t => (int)t))),
            new("tokenizer.ggml.merges", GgufValue.Strings(merges)),
        ];
    }

    /// <summary>A ByteLevel pre-tokenizer that runs GPT-2's regex and adds no prefix space.</summary>
    private static bool IsGpt2ByteLevel(JsonNode? pre) =>
        pre?["type"]?.GetValue<string>() == "ByteLevel"
        && (pre["use_regex"]?.GetValue<bool>() ?? true)
        && !(pre["add_prefix_space"]?.GetValue<bool>() ?? true);
}
