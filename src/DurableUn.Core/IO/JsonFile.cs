using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableUn.IO;

/// <summary>
/// Reads one JSON file into a record or a JSON object, failing with a <see cref="JsonFileException"/> that names the
/// file and field for every way a file can be wrong: missing, a directory, empty, not JSON, the wrong JSON type, a
/// required field absent, or null where the record has no null (nullable annotations are respected, so a record
/// never carries a null its type says it cannot hold).
/// Not: cross-field validation (each record's reader does that, naming the same file).
/// </summary>
public static class JsonFile
{
    private static readonly ConcurrentDictionary<JsonSerializerOptions, JsonSerializerOptions> Strict = new();

    public static T Read<T>(string path, JsonSerializerOptions options)
    {
        var text = ReadText(path);
        try
        {
            var value = JsonSerializer.Deserialize<T>(text, StrictOf(options))
                        ?? throw new JsonFileException(path, null, $"holds JSON null, expected a {typeof(T).Name}");
            return NullElements.Find(value) is { } at ? throw new JsonFileException(path, at, "is null; a value is required") : value;
        }
        catch (JsonException e)
        {
            throw new JsonFileException(path, e.Path is null or "$" ? null : e.Path, Detail(e));
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException or FormatException
                                      and not JsonFileException)
        {
            throw new JsonFileException(path, null, $"is not a valid {typeof(T).Name}: {e.Message}");
        }
    }

    /// <summary>As <see cref="Read{T}(string, JsonSerializerOptions)"/>, then the record's own checks, their errors naming the file.</summary>
    public static T Read<T>(string path, JsonSerializerOptions options, Func<T, T> validate)
    {
        var value = Read<T>(path, options);
        try
        {
            return validate(value);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException or FormatException and not JsonFileException)
        {
            throw new JsonFileException(path, null, e.Message);
        }
    }

    /// <summary>The file's top-level JSON object (duplicate keys refused).</summary>
    public static JsonObject ReadObject(string path)
    {
        var text = ReadText(path);
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) switch
            {
                JsonObject o => o,
                null => throw new JsonFileException(path, null, "holds JSON null, expected an object"),
                var n => throw new JsonFileException(path, null, $"expected a JSON object, found {n.GetValueKind()}"),
            };
        }
        catch (JsonException e)
        {
            throw new JsonFileException(path, null, $"not valid JSON: {Detail(e)}");
        }
    }

    /// <summary>The file's text; a missing file, a directory or an empty file is an error naming it.</summary>
    public static string ReadText(string path)
    {
        if (Directory.Exists(path)) throw new JsonFileException(path, null, "is a folder, not a file (expected a JSON file)");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        var text = File.ReadAllText(path);
        if (string.IsNullOrWhiteSpace(text)) throw new JsonFileException(path, null, "is empty");
        return text;
    }

    private static JsonSerializerOptions StrictOf(JsonSerializerOptions options) =>
        Strict.GetOrAdd(options, o => new JsonSerializerOptions(o) { RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true });

    // System.Text.Json appends " Path: $.x | LineNumber: 0 | BytePositionInLine: 9." — the path is reported as the field.
    private static string Detail(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var line = e.LineNumber is { } l ? $" (line {l + 1}, byte {e.BytePositionInLine})" : "";
        return (cut >= 0 ? message[..cut] : message).TrimEnd() + line;
    }
}
