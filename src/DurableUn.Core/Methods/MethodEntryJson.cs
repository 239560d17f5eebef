using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableUn.Methods;

/// <summary>A <see cref="MethodEntry"/> by its catalog name (<c>"npo-gdr"</c>); an unknown name fails listing the catalog.</summary>
public sealed class MethodEntryJson : JsonConverter<MethodEntry>
{
    public override MethodEntry Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Find(reader.GetString() ?? throw new JsonException("method: a name is needed, got null"));

    public override void Write(Utf8JsonWriter writer, MethodEntry value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);

    public static MethodEntry Find(string name)
    {
        try { return MethodCatalog.Find(name); }
        catch (ArgumentException e) { throw new JsonException(e.Message, e); }
    }
}
