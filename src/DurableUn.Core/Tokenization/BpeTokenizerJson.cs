using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableUn.Tokenization;

/// <summary>
/// A <see cref="BpeVocabulary"/> as a Hugging Face tokenizer.json laid out like Llama-3's: special tokens as
/// added_tokens (special, not normalized), no normalizer, a ByteLevel pre-tokenizer (add_prefix_space false,
/// use_regex true: GPT-2's split), a BPE model with the vocabulary and "left right" merges (byte-level tokens never
/// hold a plain space, so the pair is unambiguous), and a ByteLevel decoder.
/// No post-processor: every product path feeds BOS itself (the GGUF export says so with add_bos_token), so a
/// template that adds BOS on encode would give two.
/// </summary>
public static class BpeTokenizerJson
{
    public static string Write(BpeVocabulary vocabulary)
    {
        var vocab = new JsonObject();
        for (var id = 0; id < vocabulary.Tokens.Count; id++) vocab.TryAdd(vocabulary.Tokens[id], id);
        var added = new JsonArray(vocabulary.Specials.Select((s, i) => (JsonNode)new JsonObject
        {
            ["id"] = i, ["content"] = s, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
            ["normalized"] = false, ["special"] = true,
        }).ToArray());
        JsonObject ByteLevelStep(bool addPrefixSpace) => new()
        {
            ["type"] = "ByteLevel", ["add_prefix_space"] = addPrefixSpace, ["trim_offsets"] = true, ["use_regex"] = true,
        };
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = ByteLevelStep(false),
            ["post_processor"] = null,
            ["decoder"] = ByteLevelStep(false),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null, ["fuse_unk"] = false, ["byte_fallback"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(vocabulary.Merges.Select(m => (JsonNode)JsonValue.Create($"{m.Left} {m.Right}")).ToArray()),
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
