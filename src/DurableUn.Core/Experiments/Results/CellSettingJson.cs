using DurableUn.IO;

namespace DurableUn.Experiments.Results;

/// <summary>A <see cref="CellSetting"/> by its stored text ("calibrated", "published", "pt0003").</summary>
public sealed class CellSettingJson() : ByNameJson<CellSetting>("setting", CellSetting.Parse, s => s.Name);
