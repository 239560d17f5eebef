using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableUn.Checkpoints;

/// <summary>
/// Typed, strict access to the keys of one JSON object from a checkpoint file: each getter accepts exactly the JSON
/// types transformers writes for that key (null and absent both mean "not set") and otherwise throws a
/// <see cref="CheckpointFormatException"/> naming file, key and value. It remembers which keys were read, so
/// <see cref="Rest"/> can hand back the ones nobody recognised for a faithful rewrite.
/// Not: defaults (the records own those); not: cross-key validation.
/// </summary>
internal sealed class JsonFields(JsonObject obj, string file, string prefix = "")
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Parses a JSON object from text, rejecting duplicate keys (which JsonNode allows by default).</summary>
    public static JsonObject ParseObject(string json, string file)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject
                ?? throw new CheckpointFormatException(file, null, null, "the file is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(file, null, null, $"not valid JSON: {e.Message}");
        }
    }

    public CheckpointFormatException Error(string key, string detail) =>
        new(file, prefix + key, obj[key]?.ToJsonString() ?? (obj.ContainsKey(key) ? "null" : null), detail);

    public int? Int(string key) => Get(key, JsonValueKind.Number, "an integer", (JsonValue v, out int i) => v.TryGetValue(out i));

    public double? Double(string key) => Get(key, JsonValueKind.Number, "a number", (JsonValue v, out double d) => v.TryGetValue(out d));

    public bool? Bool(string key) =>
        Node(key) switch
        {
            null => null,
            var n when n.GetValueKind() is JsonValueKind.True or JsonValueKind.False => n.GetValue<bool>(),
            _ => throw Error(key, "must be true or false"),
        };

    public string? String(string key) => Get(key, JsonValueKind.String, "a string", (JsonValue v, out string s) => v.TryGetValue(out s!));

    public JsonObject? Object(string key) =>
        Node(key) switch
        {
            null => null,
            JsonObject o => o,
            _ => throw Error(key, "must be an object"),
        };

    public int RequiredInt(string key) => Int(key) ?? throw Error(key, "is required");

    /// <summary>An id that transformers accepts as one integer or a list of integers (eos_token_id).</summary>
    public IReadOnlyList<int> IntOrList(string key) =>
        Node(key) switch
        {
            null => [],
            JsonArray a => a.Select(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out int i)
                ? i : throw Error(key, "must be an integer or a list of integers")).ToList(),
            _ => [Int(key)!.Value],
        };

    public IReadOnlyList<string>? Strings(string key) =>
        Node(key) switch
        {
            null => null,
            JsonArray a => a.Select(n => n is JsonValue v && v.TryGetValue(out string? s) ? s : throw Error(key, "must be a list of strings")).ToList(),
            _ => throw Error(key, "must be a list of strings"),
        };

    /// <summary>Deep copies of the keys no getter has read, in file order.</summary>
    public JsonObject Rest()
    {
        var rest = new JsonObject();
        foreach (var (key, value) in obj)
            if (!_read.Contains(key)) rest[key] = value?.DeepClone();
        return rest;
    }

    private delegate bool TryGet<T>(JsonValue value, out T result);

    private T? Get<T>(string key, JsonValueKind kind, string what, TryGet<T> tryGet) where T : struct =>
        Node(key) is not { } n ? null
        : n is JsonValue v && v.GetValueKind() == kind && tryGet(v, out var r) ? r
        : throw Error(key, $"must be {what}");

    private string? Get(string key, JsonValueKind kind, string what, TryGet<string> tryGet) =>
        Node(key) is not { } n ? null
        : n is JsonValue v && v.GetValueKind() == kind && tryGet(v, out var r) ? r
        : throw Error(key, $"must be {what}");

    private JsonNode? Node(string key)
    {
        _read.Add(key);
        return obj[key];
    }
}
