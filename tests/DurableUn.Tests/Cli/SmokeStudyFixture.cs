using System.Text.Json;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Specs;
using DurableUn.Experiments.Studies;
using DurableUn.IO;

namespace DurableUn.Tests.Cli;

/// <summary>
/// The whole smoke study (<c>durableun study --preset smoke</c>: every dataset, every method, its seeds), run once from
/// an empty folder and shared by every test of <see cref="SmokeStudyCollection"/> (the full
/// smoke study must finish, so an end-to-end test runs it whole; about 2 minutes on 2 cores). Its model, data and target adapters also
/// serve the certify and calibrate tests, which would otherwise fine-tune their own. Tests that change the folder put
/// it back or work on copies.
/// </summary>
public sealed class SmokeStudyFixture : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("durableun-cli-").FullName;

    public SmokeStudyFixture() => FirstRun = CliRunner.Succeed(StudyArguments);

    public string Study => Path.Combine(_root, "study");
    public StudyLayout Layout => new(Study);
    public CliResult FirstRun { get; }

    public string[] StudyArguments => ["study", "--preset", "smoke", "--out", Study];

    /// What the command runs: the smoke spec, unchanged.
    public static StudySpec Spec => StudySpec.Smoke;

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
