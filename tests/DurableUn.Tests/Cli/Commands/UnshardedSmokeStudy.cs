using System.Text.Json;
using DurableUn.Experiments.Results;
using DurableUn.Experiments.Studies;

namespace DurableUn.Tests.Cli.Commands;

/// <summary>
/// The reference for <see cref="StudyScaleOutTests"/>: the smoke study (TOFU, ga and npo, seeds 0 and 1: the target and
/// retain rows plus four cells, each at bf16, int8 and int4) run whole by `durableun study` in one process with one
/// torch thread, as every run it is compared with. About 30 s on 2 cores.
/// </summary>
public sealed class UnshardedSmokeStudy : IDisposable
{
    public static readonly string[] Study = ["study", "--preset", "smoke", "--datasets", "tofu", "--methods", "ga,npo", "--seeds", "0,1"];

    public UnshardedSmokeStudy()
    {
        DurableUnCli.Succeed([.. Study, "--out", Path.Combine(Root, "reference")]);
        Results = ReadResults(Path.Combine(Root, "reference"));
    }

    /// <summary>A temp folder for this study and the ones compared with it.</summary>
    public string Root { get; } = Directory.CreateTempSubdirectory("durableun-scaleout-").FullName;

    /// <summary>results.json by record key.</summary>
    public IReadOnlyDictionary<string, CellRecord> Results { get; }

    /// <summary>results.json of a study folder by "dataset/method/setting/seed/precision"; throws on a key that repeats.</summary>
    public static IReadOnlyDictionary<string, CellRecord> ReadResults(string studyDir)
    {
        var records = JsonSerializer.Deserialize<List<CellRecord>>(File.ReadAllText(Path.Combine(studyDir, "results.json")))!;
        var byKey = new SortedDictionary<string, CellRecord>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            var key = $"{r.Dataset}/{r.Method}/{r.Setting}/seed{r.Seed}/{r.Precision}";
            Assert.True(byKey.TryAdd(key, r), $"{studyDir}/results.json holds {key} twice");
        }
        return byKey;
    }

    /// <summary>Same keys, and per key the same FA, RA and suite metrics, bit for bit.</summary>
    public void AssertSameResults(IReadOnlyDictionary<string, CellRecord> actual)
    {
        Assert.Equal(Results.Keys, actual.Keys);
        foreach (var (key, expected) in Results)
        {
            var got = actual[key];
            Assert.True(expected.Fa == got.Fa && expected.Ra == got.Ra, $"{key}: FA/RA {got.Fa}/{got.Ra}, unsharded {expected.Fa}/{expected.Ra}");
            Assert.Equal(expected.Metrics.OrderBy(kv => kv.Key), got.Metrics.OrderBy(kv => kv.Key));
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
