using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableUn.Runs;

/// <summary>A <see cref="MeasuredModel"/> by its stored text; a name that is neither a reference nor a catalog method fails.</summary>
public sealed class MeasuredModelJson : JsonConverter<MeasuredModel>
{
    public override MeasuredModel Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.GetString() ?? throw new JsonException("method: a name is needed, got null");
        try { return MeasuredModel.Parse(name); }
        catch (ArgumentException e) { throw new JsonException(e.Message, e); }
    }

    public override void Write(Utf8JsonWriter writer, MeasuredModel value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}
