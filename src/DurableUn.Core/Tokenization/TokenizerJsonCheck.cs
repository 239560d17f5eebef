using System.Text.Json;
using System.Text.Json.Nodes;
using DurableUn.IO;

namespace DurableUn.Tokenization;

/// <summary>
/// Checks a tokenizer.json before the Rust tokenizers library sees it: a file that library rejects can abort the
/// whole process from native code, so every shape it would refuse is refused here first, as a
/// <see cref="JsonFileException"/> naming the file and field. Returns the token → id table (model vocabulary and
/// added tokens) that special-token lookup needs.
/// Not: a full schema of every normalizer and pre-tokenizer (those sections are passed through to the library).
/// </summary>
internal static class TokenizerJsonCheck
{
    /// The top-level keys tokenizers 0.x writes and reads; it refuses any other (serde deny_unknown_fields).
    private static readonly HashSet<string> TopLevel =
        ["version", "truncation", "padding", "added_tokens", "normalizer", "pre_tokenizer", "model", "post_processor", "decoder"];

    /// The model types the library implements.
    private static readonly HashSet<string> ModelTypes = ["BPE", "WordPiece", "WordLevel", "Unigram"];

    /// The only tokenizer.json format version there is.
    private const string Version = "1.0";

    public static Dictionary<string, int> Check(string path)
    {
        var bytes = ReadBytes(path);
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            throw new JsonFileException(path, null, "starts with a UTF-8 byte-order mark, which the tokenizers library cannot read; save it without one");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject
                   ?? throw new JsonFileException(path, null, "is not a JSON object");
        }
        catch (JsonException e) { throw new JsonFileException(path, null, $"not valid JSON: {e.Message}"); }

        foreach (var (key, _) in root)
            if (!TopLevel.Contains(key)) throw new JsonFileException(path, key, "unknown top-level field (tokenizers refuses it)");
        if (root["version"] is { } version && !(version is JsonValue v && v.TryGetValue(out string? s) && s == Version))
            throw new JsonFileException(path, "version", $"{version.ToJsonString()}; tokenizers reads version \"{Version}\"");

        if (root["model"] is not JsonObject model) throw new JsonFileException(path, "model", "missing or not an object");
        // Older files omit model.type and the library infers it from the fields: a vocabulary list is Unigram's.
        var type = model["type"] is JsonValue t && t.TryGetValue(out string? name) ? name
            : model["type"] is null ? (model["vocab"] is JsonArray ? "Unigram" : model["merges"] is not null ? "BPE" : "WordLevel")
            : null;
        if (type is null || !ModelTypes.Contains(type))
            throw new JsonFileException(path, "model.type", $"{model["type"]?.ToJsonString() ?? "missing"}; expected one of {string.Join(", ", ModelTypes)}");

        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        switch (model["vocab"])
        {
            case JsonObject vocab when type != "Unigram":
                foreach (var (token, id) in vocab) tokens[token] = Id(path, $"model.vocab[\"{token}\"]", id);
                break;
            case JsonArray pieces when type == "Unigram": // [[piece, score], ...]
                for (var i = 0; i < pieces.Count; i++)
                {
                    if (pieces[i] is not JsonArray { Count: 2 } pair || pair[0] is not JsonValue p || !p.TryGetValue(out string? piece)
                        || pair[1] is not JsonValue sc || !sc.TryGetValue(out double score) || !double.IsFinite(score))
                        throw new JsonFileException(path, $"model.vocab[{i}]", "expected [piece, finite score]");
                    tokens[piece] = i;
                }
                break;
            default:
                throw new JsonFileException(path, "model.vocab", $"missing or not {(type == "Unigram" ? "a list of [piece, score]" : "an object of token → id")}");
        }
        if (type == "BPE" && model["merges"] is not JsonArray)
            throw new JsonFileException(path, "model.merges", "missing or not a list (a BPE model needs its merges)");

        if (root["added_tokens"] is { } addedNode)
        {
            if (addedNode is not JsonArray added) throw new JsonFileException(path, "added_tokens", "must be a list");
            for (var i = 0; i < added.Count; i++)
            {
                if (added[i] is not JsonObject a || a["content"] is not JsonValue c || !c.TryGetValue(out string? content))
                    throw new JsonFileException(path, $"added_tokens[{i}]", "expected an object with a string content and an integer id");
                tokens[content] = Id(path, $"added_tokens[{i}].id", a["id"]);
            }
        }
        if (tokens.Count == 0) throw new JsonFileException(path, "model.vocab", "is empty");
        return tokens;
    }

    private static byte[] ReadBytes(string path)
    {
        if (Directory.Exists(path)) throw new JsonFileException(path, null, "is a folder, not a file (expected tokenizer.json)");
        if (!File.Exists(path)) throw new FileNotFoundException($"tokenizer file not found: {path}", path);
        var bytes = File.ReadAllBytes(path);
        return bytes.Length == 0 ? throw new JsonFileException(path, null, "is empty") : bytes;
    }

    // The library stores ids as u32 and the model indexes an embedding with them: a non-negative 32-bit integer.
    private static int Id(string path, string field, JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out int id) && id >= 0
            ? id
            : throw new JsonFileException(path, field, $"{node?.ToJsonString() ?? "missing"}; expected a non-negative 32-bit integer id");
}
