using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableUn.IO;

/// <summary>
/// A typed value stored as its name (a precision "int4:g32", a method "npo", a setting "calibrated"): stored files
/// keep the text they always had while the records hold the value. A name the parser refuses (it throws
/// ArgumentException) becomes a JsonException, which the readers report with the file and the JSON path.
/// </summary>
public abstract class ByNameJson<T>(string what, Func<string, T> parse, Func<T, string> name) : JsonConverter<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(reader.GetString() ?? throw new JsonException($"{what}: a name is needed, got null"));

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(name(value));

    protected T Parse(string text)
    {
        try { return parse(text); }
        catch (ArgumentException e) { throw new JsonException(e.Message, e); }
    }

    protected string NameOf(T value) => name(value);
}
