using System.Text.Json.Serialization;

namespace DurableUn.Experiments.Calibration;

/// <summary>One rung of the calibration ladder and what seed 0 measured there at bf16.</summary>
public sealed record CalibrationProbe(
    [property: JsonPropertyName("lr")] double Lr,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("fa_bf16")] double FaBf16,
    [property: JsonPropertyName("ra_bf16")] double RaBf16);
