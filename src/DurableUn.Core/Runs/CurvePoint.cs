using System.Text.Json.Serialization;

namespace DurableUn.Runs;

/// <summary>One optimizer step of a training or unlearning run, for loss curves.</summary>
public sealed record CurvePoint(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("lr")] double LearningRate);
