using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableUn.Deployment;

/// <summary>
/// A <see cref="Precision"/> by its canonical name (<c>"int4:g32"</c>), as a value and as a dictionary key: stored
/// files hold precisions by name, as they always have, so folders written before the typed records still load and
/// a value written again is the same text. A name that does not parse fails with the JSON path and the value.
/// </summary>
public sealed class PrecisionJson : JsonConverter<Precision>
{
    public override Precision Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(reader.GetString() ?? throw new JsonException("a precision name is needed, got null"));

    public override void Write(Utf8JsonWriter writer, Precision value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);

    public override Precision ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, Precision value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value.Name);

    private static Precision Parse(string name)
    {
        try { return Precision.Parse(name); }
        catch (ArgumentException e) { throw new JsonException(e.Message, e); }
    }
}
