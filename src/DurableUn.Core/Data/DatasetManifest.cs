using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableUn.Data;

/// <summary>
/// dataset.json, the small file at the root of a dataset folder that says what the folder holds:
/// <code>{ "schema_version": 1, "kind": "tofu", "generator": "durableun-synthetic/1", "seed": 7,
///   "preset": "tiny", "difficulty": "normal", "forget_size": 200 }</code>
/// Real data needs only kind (generator, seed, preset, difficulty and forget_size are null; forget_size is also null
/// for synthetic data of the preset's own size). Unknown keys are rejected so that
/// a typo does not silently fall back to a default.
/// Not: a content hash (certificates hash the split files themselves).
/// </summary>
public sealed record DatasetManifest(
    DatasetKind Kind, string? Generator = null, ulong? Seed = null, DataPreset? Preset = null,
    DataDifficulty? Difficulty = null, int? ForgetSize = null)
{
    /// Bumped when the folder layout or a row schema changes incompatibly.
    public const int CurrentSchemaVersion = 1;

    private static readonly string[] Keys = ["schema_version", "kind", "generator", "seed", "preset", "difficulty", "forget_size"];

    public byte[] ToJsonBytes()
    {
        var node = new JsonObject
        {
            ["schema_version"] = CurrentSchemaVersion,
            ["kind"] = Name(Kind),
            ["generator"] = Generator,
            ["seed"] = Seed,
            ["preset"] = Preset is { } p ? Name(p) : null,
            ["difficulty"] = Difficulty is { } d ? Name(d) : null,
        };
        if (ForgetSize is { } size) node["forget_size"] = size;   // absent at the preset's size: such files stay as they were
        return JsonSerializer.SerializeToUtf8Bytes(node, new JsonSerializerOptions { WriteIndented = true });
    }

    public static DatasetManifest Read(string file)
    {
        if (Directory.Exists(file)) throw new DataFormatException(file, null, null, "is a folder, not a file (expected the dataset manifest, a JSON file)");
        // read whole, so bounded first: a manifest is a few hundred bytes, and one record's limit is far above that
        if (new FileInfo(file).Length is var length and > RowFileReader.MaxRecordBytes)
            throw new DataFormatException(file, null, null, $"the manifest is {length} bytes long; it may hold at most {RowFileReader.MaxRecordBytes} bytes (1 MiB)");
        JsonObject obj;
        try
        {
            obj = JsonNode.Parse(File.ReadAllBytes(file)) as JsonObject
                  ?? throw new DataFormatException(file, null, null, "expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(file, null, null, $"invalid JSON: {e.Message}", e);
        }
        foreach (var (key, _) in obj)
            if (!Keys.Contains(key))
                throw new DataFormatException(file, null, key, $"unknown key; known keys: {string.Join(", ", Keys)}");
        var version = Get<int?>(file, obj, "schema_version")
                      ?? throw new DataFormatException(file, null, "schema_version", "missing");
        if (version != CurrentSchemaVersion)
            throw new DataFormatException(file, null, "schema_version",
                $"version {version} is not supported (this build reads {CurrentSchemaVersion})");
        var forgetSize = Get<int?>(file, obj, "forget_size");
        if (forgetSize is < 1) throw new DataFormatException(file, null, "forget_size", $"must be ≥ 1, got {forgetSize}");
        return new DatasetManifest(
            Parse<DatasetKind>(file, obj, "kind") ?? throw new DataFormatException(file, null, "kind", "missing"),
            Get<string>(file, obj, "generator"),
            Get<ulong?>(file, obj, "seed"),
            Parse<DataPreset>(file, obj, "preset"),
            Parse<DataDifficulty>(file, obj, "difficulty"),
            forgetSize);
    }

    /// The lower-case name used on disk and on the command line ("tofu", "tiny", "hard").
    public static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static T? Get<T>(string file, JsonObject obj, string key)
    {
        try { return obj[key] is { } node ? node.GetValue<T>() : default; }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new DataFormatException(file, null, key, $"expected {Expected<T>()}, got {obj[key]!.ToJsonString()}", e);
        }
    }

    // The JSON a field takes, in the file's words rather than the .NET type's name.
    private static string Expected<T>() => (Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T)) switch
    {
        var t when t == typeof(ulong) => "a whole number ≥ 0",
        var t when t == typeof(int) || t == typeof(long) => "a whole number",
        var t when t == typeof(string) => "a string",
        var t => t.Name,
    };

    private static T? Parse<T>(string file, JsonObject obj, string key) where T : struct, Enum
    {
        if (Get<string>(file, obj, key) is not { } text) return null;
        foreach (var value in Enum.GetValues<T>())
            if (Name(value) == text) return value;
        throw new DataFormatException(file, null, key,
            $"'{text}' is not one of {string.Join(", ", Enum.GetValues<T>().Select(Name))}");
    }
}
