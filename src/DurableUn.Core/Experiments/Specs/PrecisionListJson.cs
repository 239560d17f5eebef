using System.Text.Json;
using System.Text.Json.Serialization;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Methods;

namespace DurableUn.Experiments.Specs;

/// <summary>
/// study.json and sweep.json hold precisions, methods and the metric by name (<c>"int4:g32"</c>, <c>"npo"</c>, <c>"key_fact"</c>), as they
/// always have, so old folders keep loading and a rerun's spec compares equal byte for byte; the spec records hold the
/// typed values. A name that does not parse fails with the JSON path and the value.
/// </summary>
public sealed class PrecisionListJson : JsonConverter<IReadOnlyList<Precision>>
{
    public override IReadOnlyList<Precision> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        (JsonSerializer.Deserialize<List<string>>(ref reader, options) ?? throw new JsonException("precisions: a list of names is needed, got null"))
            .Select(name =>
            {
                try { return Precision.Parse(name); }
                catch (ArgumentException e) { throw new JsonException(e.Message, e); }
            }).ToList();

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<Precision> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.Select(p => p.Name).ToList(), options);
}
