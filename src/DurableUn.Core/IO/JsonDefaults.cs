using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableUn.IO;

/// <summary>
/// The one set of JSON options for every file the project writes or reads (run.json, cells, study.json,
/// certificates, results.json): snake_case names and enums by their snake_case name, indented for people to read,
/// and only finite numbers read (<see cref="FiniteDoubleConverter"/>).
/// </summary>
public static class JsonDefaults
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower), new FiniteDoubleConverter() },
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
