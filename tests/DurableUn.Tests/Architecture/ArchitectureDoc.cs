using System.Text.RegularExpressions;
using DurableUn.Tests.Prerequisites;

namespace DurableUn.Tests.Architecture;

/// <summary>
/// The folder list of ARCHITECTURE.md's "Layers and arrows" diagram: inside Core's box, every line that starts
/// (after the arrow column) with a folder name — "Data", "Data/Synthetic" — followed by two or more spaces.
/// </summary>
internal static partial class ArchitectureDoc
{
    [GeneratedRegex(@"^\s*│\s{3,}([A-Z][A-Za-z]*(?:/[A-Z][A-Za-z]*)*)\s{2,}\S")]
    private static partial Regex LayerLine();

    public static List<string> CoreLayers()
    {
        var lines = File.ReadAllLines(Path.Combine(Prerequisite.RepoRoot(), "ARCHITECTURE.md"));
        var core = Array.FindIndex(lines, l => l.StartsWith("src/DurableUn.Core", StringComparison.Ordinal));
        Assert.True(core >= 0, "ARCHITECTURE.md has no src/DurableUn.Core line");
        return lines.Skip(core + 1)
            .TakeWhile(l => !l.StartsWith("```", StringComparison.Ordinal))
            .Select(l => LayerLine().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToList();
    }
}
