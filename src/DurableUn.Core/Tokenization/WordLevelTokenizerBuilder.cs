using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DurableUn.Tokenization;

/// <summary>
/// Writes a valid Hugging Face tokenizer.json with a WordLevel model whose vocabulary is every word of a corpus,
/// for the smoke and tiny presets (no BPE training, no download). Pre-tokenisation is the library's "Whitespace"
/// (<c>\w+|[^\w\s]+</c>), decoding joins words with spaces and removes the space before punctuation (the WordPiece
/// decoder's cleanup). Special tokens are Llama-3's, so the Llama-3 chat template works on preset models too.
/// Ids: specials first (in <see cref="Specials"/> order), then words by descending count, ties in ordinal order,
/// so the same corpus always gives the same file. Not: sub-word merges; unseen words map to &lt;unk&gt;.
/// </summary>
public static partial class WordLevelTokenizerBuilder
{
    public static readonly string[] Specials =
        ["<|pad|>", "<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>", "<unk>"];

    [GeneratedRegex(@"\w+|[^\w\s]+")]
    private static partial Regex Words();

    /// <summary>The JSON text of tokenizer.json for the corpus.</summary>
    public static string Build(IEnumerable<string> corpus, int maxVocab = 1 << 16)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in corpus)
            foreach (Match m in Words().Matches(text))
                counts[m.Value] = counts.GetValueOrDefault(m.Value) + 1;
        foreach (var s in Specials) counts.Remove(s);
        var words = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(maxVocab - Specials.Length).Select(kv => kv.Key);
        var vocab = new JsonObject();
        var id = 0;
        foreach (var token in Specials.Concat(words)) vocab[token] = id++;
        var added = new JsonArray(Specials.Select((s, i) => (JsonNode)new JsonObject
        {
            ["id"] = i, ["content"] = s, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
            ["normalized"] = false, ["special"] = true,
        }).ToArray());
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "Whitespace" },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "WordPiece", ["prefix"] = "##", ["cleanup"] = true },
            ["model"] = new JsonObject { ["type"] = "WordLevel", ["vocab"] = vocab, ["unk_token"] = "<unk>" },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
