using System.Text.Json.Serialization;
using DurableUn.Methods;
using DurableUn.Experiments.Specs;

namespace DurableUn.Experiments.Results;

/// <summary>
/// Which hyperparameters a cell ran with: a study cell's <see cref="MethodSetting"/> (calibrated or published), or a
/// sweep cell's point of the plan (<see cref="SweepPlan.Id"/>, "pt0003"). Stored as that text
/// (<see cref="CellSettingJson"/>), as folders written before it was typed hold it.
/// </summary>
[JsonConverter(typeof(CellSettingJson))]
public sealed record CellSetting
{
    private CellSetting(MethodSetting? method, string? sweepPoint) => (Method, SweepPoint) = (method, sweepPoint);

    /// <summary>A study cell's setting; null for a sweep point.</summary>
    public MethodSetting? Method { get; }

    /// <summary>A sweep cell's point id; null for a study cell.</summary>
    public string? SweepPoint { get; }

    public static CellSetting Calibrated { get; } = new(MethodSetting.Calibrated, null);
    public static CellSetting Published { get; } = new(MethodSetting.Published, null);
    public static CellSetting Control { get; } = new(MethodSetting.Control, null);
    public static CellSetting Of(MethodSetting setting) => new(setting, null);
    public static CellSetting Point(string id) => new(null, id);

    public string Name => Method?.Name() ?? SweepPoint!;

    /// <summary>A setting's name, or else a sweep point's id; any other text is refused.</summary>
    public static CellSetting Parse(string name) =>
        MethodSettingNames.Find(name) is { } setting ? Of(setting)
        : SweepPlan.IsId(name) ? Point(name)
        : throw new ArgumentException($"setting \"{name}\" is neither calibrated, published nor a sweep point (pt0000)");

    public override string ToString() => Name;
}
