using System.Text.Json;

namespace DurableUn.Tests.Evaluation;

/// Reads a committed golden file from the test output folder (the project copies Golden/**).
internal static class Golden
{
    public static JsonElement Cases(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", file);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("cases").Clone();
    }
}
