using System.Text.Json;
using DurableUn.Experiments;
using DurableUn.IO;

namespace DurableUn.Tests.Cli;

/// <summary>
/// One smoke study, run once through `durableun study` and shared by every test of <see cref="SmokeStudyCollection"/>:
/// TOFU only, GA and SAF, seeds 0 and 1 (4 cells plus the target and retain rows, each at bf16, int8, int4).
/// Its model, data and target adapters also serve the certify and calibrate tests, which would otherwise fine-tune
/// their own. Tests that change the folder put it back or work on copies.
/// </summary>
public sealed class SmokeStudyFixture : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("durableun-cli-").FullName;

    public SmokeStudyFixture() => FirstRun = CliRunner.Succeed(StudyArguments);

    public string Study => Path.Combine(_root, "study");
    public StudyLayout Layout => new(Study);
    public CliResult FirstRun { get; }

    public string[] StudyArguments => ["study", "--preset", "smoke", "--datasets", "tofu", "--methods", "ga,saf", "--seeds", "0,1", "--out", Study];

    /// <summary>A fresh folder beside the study, removed with it.</summary>
    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(_root, $"{name}-{Guid.NewGuid():N}")).FullName;

    /// <summary>A copy of the whole study folder (every file, same relative layout) in a fresh folder.</summary>
    public string CopyOfStudy()
    {
        var to = Path.Combine(NewFolder("copy"), "study");
        foreach (var dir in Directory.GetDirectories(Study, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(Study, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(Study, "*", SearchOption.AllDirectories))
            if (!Path.GetFileName(file).StartsWith(".study", StringComparison.Ordinal))   // lock files belong to the original
                File.Copy(file, Path.Combine(to, Path.GetRelativePath(Study, file)));
        return to;
    }

    public CellOutcome Cell(string key) =>
        JsonSerializer.Deserialize<CellOutcome>(File.ReadAllText(Path.Combine(Layout.Prepared.Cells, key + ".json")), JsonDefaults.Options)!;

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class SmokeStudyCollection : ICollectionFixture<SmokeStudyFixture>
{
    public const string Name = "smoke study through the CLI";
}
