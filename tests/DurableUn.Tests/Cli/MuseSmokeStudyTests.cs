using System.Text.Json.Nodes;

namespace DurableUn.Tests.Cli;

/// <summary>
/// The MUSE part of the smoke study end to end, where the study used to stop: the retain model's privleak AUC is the
/// normaliser of every other model's PrivLeak, and on the smoke data it can be 0. The study must finish and record
/// privleak as a number or as undefined with the reason, for every model.
/// </summary>
public sealed class MuseSmokeStudyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-muse-study-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_Muse_Smoke_Study_Finishes_With_Privleak_Defined_Or_Undefined_With_Its_Reason_In_Every_Record()
    {
        var study = Path.Combine(_dir, "study");
        var result = DurableUnCli.Run(["study", "--preset", "smoke", "--datasets", "muse", "--methods", "ga", "--seeds", "0", "--out", study]);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var records = JsonNode.Parse(File.ReadAllText(Path.Combine(study, "results.json")))!.AsArray();
        Assert.Equal(["ga", "retain", "target"], records.Select(r => r!["method"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal));
        // The records where the MUSE suite ran (its knowmem_f is always computed); other precisions carry only FA/RA.
        var measured = records.Where(r => r!["metrics"]!.AsObject().ContainsKey("knowmem_f")).ToList();
        Assert.Equal(["ga", "retain", "target"], measured.Select(r => r!["method"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal));
        foreach (var r in measured)
        {
            var defined = r!["metrics"]!.AsObject().ContainsKey("privleak");
            var undefined = r["undefined"]?.AsObject().ContainsKey("privleak") == true;
            Assert.True(defined ^ undefined, $"{r["method"]}/{r["precision"]}: privleak must be a number or undefined with a reason, not both or neither");
            if (undefined) Assert.Contains("privleak_auc", r["undefined"]!["privleak"]!.GetValue<string>());
        }
    }
}
