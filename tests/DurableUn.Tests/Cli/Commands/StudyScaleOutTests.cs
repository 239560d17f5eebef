using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using DurableUn.Experiments.Studies;
using DurableUn.ScaleOut;
using DurableUn.Tests.Prerequisites;
using DurableUn.Tests.ScaleOut;

namespace DurableUn.Tests.Cli.Commands;

/// <summary>
/// Scale-out of `durableun study`: the same smoke study sharded over a real one-node Slurm cluster
/// (<see cref="LocalSlurmCluster"/>: prepare → cells array → report, chained by afterok) and over two local processes
/// gives results.json equal, record by record, to the unsharded run (<see cref="UnshardedSmokeStudy"/>). Every run
/// uses one torch thread, so the numbers are bit for bit reproducible. About 1½ minutes on 2 cores in all (three smoke
/// studies of ~30 s, plus the cluster and the resubmitted cell).
/// </summary>
[UnsupportedOSPlatform("windows")]
[Collection(DurableUn.Tests.ScaleOut.LocalSlurmClusters.Name)]
public sealed class StudyScaleOutTests(LocalSlurmCluster cluster, UnshardedSmokeStudy reference)
    : IClassFixture<LocalSlurmCluster>, IClassFixture<UnshardedSmokeStudy>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(3);
    private const string LostCell = "tofu__npo__calibrated__seed1";

    [FactNeeds(Need.Slurm)]
    public async Task A_Slurm_Array_Study_Equals_The_Unsharded_One_And_A_Resubmitted_Shard_Adds_No_Duplicate()
    {
        // Given a study submitted to Slurm through the CLI as two array tasks
        var outDir = Path.Combine(reference.Root, "slurm");
        var stdout = DurableUnCli.Succeed([.. UnshardedSmokeStudy.Study, "--slurm", "--submit", "--array", "2", "--out", outDir], cluster.SlurmEnvironment);
        var ids = Regex.Match(Regex.Replace(stdout, @"\s+", " "), @"submitted: prepare (\d+), cells (\d+) .*report (\d+)");
        Assert.True(ids.Success, $"no job ids in: {stdout}");
        // When its three jobs have run one after the other
        foreach (var job in new[] { ids.Groups[1].Value, ids.Groups[2].Value, ids.Groups[3].Value }) await Completed(job, outDir);
        // Then results.json equals the unsharded study's
        reference.AssertSameResults(UnshardedSmokeStudy.ReadResults(outDir));

        // Given a cell lost as when its task is killed before publishing (a half-written temp file left behind)
        var cells = Path.Combine(outDir, "cells");
        File.Delete(Path.Combine(cells, $"{LostCell}.json"));
        File.WriteAllText(Path.Combine(cells, $".{LostCell}.killed.tmp"), """{"key":""");
        // When the cells array is resubmitted as it stands (from an environment with one torch thread, as the CLI's was),
        // and the report rerun
        var client = new SlurmClient(new Dictionary<string, string>(cluster.SlurmEnvironment) { [DurableUn.Tensors.NativeTorch.ThreadsVariable] = "1" });
        await Completed(client.Submit(Path.Combine(outDir, "slurm", "cells.sbatch")), outDir);
        DurableUnCli.Succeed(["report", outDir]);
        // Then the lost cell is back, every record appears once (ReadResults checks) with the unsharded numbers,
        // and there is one result file per cell (four unlearning cells, the target, the retain model, the positive control)
        reference.AssertSameResults(UnshardedSmokeStudy.ReadResults(outDir));
        Assert.Equal(7, Directory.GetFiles(cells, "*.json").Count(f => !Path.GetFileName(f).StartsWith('.')));
    }

    [Fact]
    public void Two_Local_Jobs_Give_The_Results_Of_One()
    {
        // Given the smoke study
        var outDir = Path.Combine(reference.Root, "jobs2");
        // When it runs in two shard processes on this machine (they share the preparation, then run their cells)
        var stdout = DurableUnCli.Succeed([.. UnshardedSmokeStudy.Study, "--jobs", "2", "--out", outDir]);
        // Then results.json equals the single-process run's
        reference.AssertSameResults(UnshardedSmokeStudy.ReadResults(outDir));
        // And the preparation was shared: each adapter and calibration was made once, by one shard or the other
        var logs = Enumerable.Range(0, 2).Select(i => File.ReadAllText(Path.Combine(outDir, "logs", $"shard-{i}-of-2.log"))).ToList();
        foreach (var stage in new[] { "tofu: target adapter", "tofu: retain adapter", "tofu: calibrating ga ", "tofu: calibrating npo " })
            Assert.Equal(1, logs.Sum(log => Regex.Matches(log, Regex.Escape(stage)).Count));
        // And the shards' progress reached the console, marked with their shard
        Assert.Contains("shard 1 ", stdout);
    }

    /// <summary>Waits for every task of a job; a failed one fails the test with its Slurm logs.</summary>
    private async Task Completed(string jobId, string studyDir)
    {
        IReadOnlyList<SlurmTaskState> states;
        try
        {
            states = await cluster.Client.WaitAsync(jobId, JobTimeout, TimeSpan.FromMilliseconds(500));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{JobLogs(studyDir)}\n{cluster.Logs()}", e);
        }
        Assert.True(states.All(s => s.State == "COMPLETED"), $"job {jobId}: {string.Join("; ", states)}\n{JobLogs(studyDir)}");
    }

    private static string JobLogs(string studyDir)
    {
        var logs = Path.Combine(studyDir, "slurm", "logs");
        return !Directory.Exists(logs) ? "(no job logs)" : string.Join('\n', Directory.GetFiles(logs).Order(StringComparer.Ordinal)
            .Select(f => $"--- {Path.GetFileName(f)} ---\n{string.Join('\n', File.ReadLines(f).TakeLast(30))}"));
    }
}
