using System.Text.Json;
using System.Text.Json.Serialization;
using DurableUn.Evaluation;

namespace DurableUn.Experiments.Specs;

/// <summary>An <see cref="AccuracyMetric"/> by its snake_case name (<see cref="AccuracyMetrics.Name"/>).</summary>
public sealed class AccuracyMetricJson : JsonConverter<AccuracyMetric>
{
    public override AccuracyMetric Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.GetString() ?? throw new JsonException("metric: a name is needed, got null");
        try { return AccuracyMetrics.Parse(name); }
        catch (ArgumentException e) { throw new JsonException(e.Message, e); }
    }

    public override void Write(Utf8JsonWriter writer, AccuracyMetric value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name());
}
