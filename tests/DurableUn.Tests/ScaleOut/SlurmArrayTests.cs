using System.Runtime.Versioning;
using System.Text.Json;
using DurableUn.Experiments.Results;
using DurableUn.ScaleOut;
using DurableUn.Tests.Prerequisites;

namespace DurableUn.Tests.ScaleOut;

/// <summary>
/// A sharded study on a real Slurm cluster (<see cref="LocalSlurmCluster"/>): the sbatch script from
/// <see cref="SbatchScript"/>, submitted and watched with <see cref="SlurmClient"/>, results read with
/// <see cref="CellStore"/>. Each array task runs <see cref="ShardWriter"/>, a bash stand-in for
/// <c>durableun study --shard i/n</c> that writes its cells with the store's protocol (temp file, then link(2)
/// to KEY.json, which fails if the cell is done), so the store also reads files another implementation wrote.
/// About 10 s on 2 cores: 2 s to start the cluster, 3–4 s per array job.
/// </summary>
[UnsupportedOSPlatform("windows")]
[Collection(DurableUn.Tests.ScaleOut.LocalSlurmClusters.Name)]
public sealed class SlurmArrayTests(LocalSlurmCluster cluster) : IClassFixture<LocalSlurmCluster>
{
    private sealed record FakeCell(string Key, string Shard, string Job);

    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(45);
    private static readonly string[] Cells = ["cell-0", "cell-1", "cell-2", "cell-3", "cell-4", "cell-5"];

    /// Args: RESULTS SHARD(i/n) KEY...; writes the shard's cells (round-robin over sorted keys, as ShardSpec does).
    private const string ShardWriter = """
        #!/bin/bash
        set -euo pipefail
        results=$1; shard=$2; shift 2
        i=${shard%/*}; n=${shard#*/}; rank=0
        for key in $(printf '%s\n' "$@" | LC_ALL=C sort); do
          if (( rank % n == i )) && [ ! -e "$results/$key.json" ]; then
            tmp="$results/.$key.$$.tmp"
            printf '{"key":"%s","shard":"%s","job":"%s"}\n' "$key" "$shard" "$SLURM_JOB_ID" > "$tmp"
            ln "$tmp" "$results/$key.json" 2>/dev/null || true   # fails only if another writer finished it first
            rm -f "$tmp"
          fi
          rank=$((rank + 1))
        done
        """;

    [FactNeeds(Need.Slurm)]
    public async Task An_Array_Job_Should_Write_Every_Cell_Once_Each_From_Its_Own_Shard()
    {
        // Given an empty results folder and a three-shard study
        var results = new CellStore(NewFolder("results"), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        // When the array is submitted and finishes
        var states = await SubmitAndWait(results, shards: 3);
        // Then every task completed, and each cell arrived once, written by the shard ShardSpec assigns it to
        Assert.All(states, s => Assert.Equal("COMPLETED", s.State));
        var cells = results.ReadAll<FakeCell>();
        Assert.Equal(Cells, cells.Keys);
        foreach (var shard in ShardSpec.Range(3))
            Assert.All(shard.Select(Cells, c => c), key => Assert.Equal(shard.ToString(), cells[key].Shard));
    }

    [FactNeeds(Need.Slurm)]
    public async Task Resubmitting_After_A_Killed_Task_Should_Finish_The_Study_Without_Duplicates()
    {
        // Given shard 1/3 was killed after publishing cell-1 and while writing cell-4 (its temp file is left)
        var folder = NewFolder("results");
        var results = new CellStore(folder, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        results.Write("cell-1", new FakeCell("cell-1", "1/3", "killed"));
        File.WriteAllText(Path.Combine(folder, ".cell-4.999.tmp"), """{"key":"cell-4","sha""");
        // When the whole array is submitted again
        var states = await SubmitAndWait(results, shards: 3);
        // Then all six cells are done, one file each; the finished cell was skipped, not rewritten
        Assert.All(states, s => Assert.Equal("COMPLETED", s.State));
        var cells = results.ReadAll<FakeCell>();
        Assert.Equal(Cells, cells.Keys);
        Assert.Equal("killed", cells["cell-1"].Job);
        Assert.NotEqual("killed", cells["cell-4"].Job);
        Assert.Equal(Cells.Select(c => c + ".json"), Directory.GetFiles(folder, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // and the killed writer's temp file is left for DeleteStaleTempFiles, invisible to readers
        Assert.True(File.Exists(Path.Combine(folder, ".cell-4.999.tmp")));
    }

    private async Task<IReadOnlyList<SlurmTaskState>> SubmitAndWait(CellStore results, int shards)
    {
        var writer = Path.Combine(cluster.Folder, "shard-writer.sh");
        File.WriteAllText(writer, ShardWriter);
        var script = Path.Combine(NewFolder("job"), "study.sbatch");
        SbatchScript.WriteTo(script, new SbatchOptions
        {
            JobName = "durableun-test",
            ArrayCount = shards,
            Command = ["bash", writer, results.Folder, ShardSpec.Placeholder, .. Cells],
            WorkingDirectory = cluster.Folder,
            OutputDir = Path.Combine(cluster.Folder, "logs"),
        });
        var jobId = cluster.Client.Submit(script);
        try
        {
            return await cluster.Client.WaitAsync(jobId, JobTimeout, TimeSpan.FromMilliseconds(250));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{cluster.Logs()}", e);
        }
    }

    private string NewFolder(string prefix) =>
        Directory.CreateDirectory(Path.Combine(cluster.Folder, $"{prefix}-{Guid.NewGuid():N}")).FullName;
}
