using System.Text.Json.Serialization;

namespace DurableUn.Experiments.Specs;

/// <summary>One point of a sweep: its cell key (<c>pt0007</c>) and the option values it sets, as <c>--set</c> text.</summary>
public sealed record SweepPlanPoint(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, string> Parameters)
{
    /// "lr=0.001, steps=10", for progress lines and errors.
    public string Describe() => string.Join(", ", Parameters.Select(kv => $"{kv.Key}={kv.Value}"));
}
