using System.Text.Json;
using System.Text.Json.Serialization;
using DurableUn.Methods;

namespace DurableUn.Experiments.Specs;

/// <summary>A list of <see cref="MethodEntry"/> values by name, as study.json has always held them.</summary>
public sealed class MethodListJson : JsonConverter<IReadOnlyList<MethodEntry>>
{
    public override IReadOnlyList<MethodEntry> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        (JsonSerializer.Deserialize<List<string>>(ref reader, options) ?? throw new JsonException("methods: a list of names is needed, got null"))
            .Select(MethodEntryJson.Find).ToList();

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<MethodEntry> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.Select(m => m.Name).ToList(), options);
}
