using System.Text.Json.Serialization;

namespace DurableUn.Experiments.Calibration;

/// <summary>One (lr, steps) setting of the ladder.</summary>
public sealed record LadderRung(
    [property: JsonPropertyName("lr")] double Lr,
    [property: JsonPropertyName("steps")] int Steps);
