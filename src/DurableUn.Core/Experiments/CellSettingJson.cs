using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableUn.Experiments;

/// <summary>A <see cref="CellSetting"/> by its stored text ("calibrated", "published", "pt0003").</summary>
public sealed class CellSettingJson : JsonConverter<CellSetting>
{
    public override CellSetting Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.GetString() ?? throw new JsonException("setting: a name is needed, got null");
        try { return CellSetting.Parse(name); }
        catch (ArgumentException e) { throw new JsonException(e.Message, e); }
    }

    public override void Write(Utf8JsonWriter writer, CellSetting value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}
