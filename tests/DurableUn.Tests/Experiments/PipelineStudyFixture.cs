using System.Text.Json;
using DurableUn.Experiments.Preparation;
using DurableUn.Experiments.Results;
using DurableUn.IO;
using DurableUn.Tests.Cli;

namespace DurableUn.Tests.Experiments;

/// <summary>
/// The two smoke studies that exercise the pipelines where recovery is published, run once through the CLI exactly as a
/// user would: the full pipeline at every whole-model precision and fresh-adapter at adapter-space and merged
/// precisions, each on TOFU (a fine-tuned target) and WPU (the pretrained base as the target).
/// </summary>
public sealed class PipelineStudyFixture : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("durableun-pipelines-").FullName;

    public PipelineStudyFixture()
    {
        CliRunner.Succeed(["study", "--preset", "smoke", "--pipeline", "full", "--datasets", "tofu,wpu", "--methods", "ga,npo-gdr", "--seeds", "0",
                           "--precisions", "bf16,model-int8,model-fp4,model-nf4,model-int4", "--out", Full]);
        CliRunner.Succeed(["study", "--preset", "smoke", "--pipeline", "fresh-adapter", "--datasets", "tofu,wpu", "--methods", "ga,npo-gdr", "--seeds", "0",
                           "--precisions", "bf16,int4,merged-nf4,merged-int4", "--out", Fresh]);
    }

    public string Full => Path.Combine(_root, "full");
    public string Fresh => Path.Combine(_root, "fresh");

    public static IReadOnlyList<CellRecord> Results(string study) =>
        JsonSerializer.Deserialize<List<CellRecord>>(File.ReadAllText(Path.Combine(study, "results.json")), JsonDefaults.Options)!;

    public static IReadOnlyList<CellOutcome> Cells(string study) =>
        new CellStore(new PreparedLayout(study).Cells, JsonDefaults.Options).ReadAll<CellOutcome>().Values.ToList();

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class PipelineStudyCollection : ICollectionFixture<PipelineStudyFixture>
{
    public const string Name = "smoke studies of the full and fresh-adapter pipelines";
}
