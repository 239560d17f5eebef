using System.Text.Json;

namespace DurableUn.Methods;

/// <summary>
/// A <see cref="MethodSetting"/>'s stored name: snake_case, the policy JsonDefaults writes enums with, so a cell key
/// or file name built from it is the text its JSON holds ("calibrated", "published", "given").
/// </summary>
public static class MethodSettingNames
{
    public static string Name(this MethodSetting setting) => JsonNamingPolicy.SnakeCaseLower.ConvertName(setting.ToString());

    /// <summary>The setting of that name, or null when the name is none of them.</summary>
    public static MethodSetting? Find(string name) => Enum.GetValues<MethodSetting>().Cast<MethodSetting?>().FirstOrDefault(s => s!.Value.Name() == name);
}
