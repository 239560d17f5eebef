using DurableUn.Experiments.Cells;
using DurableUn.Experiments.Preparation;
using DurableUn.Experiments.Results;
using DurableUn.IO;
using DurableUn.Runs;

namespace DurableUn.Tests.Experiments;

public sealed class CellLoopTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-cellloop-").FullName;
    private readonly List<string> _ran = [];
    private readonly Recorder _observer = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CellStore Cells => new(Path.Combine(_dir, "cells"), JsonDefaults.Options);
    private string Claims => Path.Combine(_dir, ".claims");

    private CellOutcome Run(string key)
    {
        _ran.Add(key);
        return new CellOutcome
        {
            Key = key, Dataset = "tofu", Method = MeasuredModel.Target, Setting = CellSetting.Calibrated, Seed = 0,
            Options = new Dictionary<string, string>(), Records = [],
        };
    }

    [Fact]
    public void A_Finished_Cell_Is_Skipped_And_Counted_And_The_Others_Run_In_Plan_Order()
    {
        Cells.Write("b", Run("b"));
        _ran.Clear();
        CellLoop.Run(["a", "b", "c"], [], k => k, Run, Cells, claims: null, _observer, label: k => $"{k} (label)");
        Assert.Equal(["a", "c"], _ran);
        Assert.Equal(["a (label) 1/3 ran", "b 2/3 skipped", "c (label) 3/3 ran"], _observer.Done);
        Assert.True(Cells.IsDone("a") && Cells.IsDone("c"));
    }

    [Fact]
    public void A_Cell_Another_Process_Has_Claimed_Is_Skipped_And_An_Unclaimed_Cell_Of_Another_Shard_Is_Taken_Over()
    {
        using (FolderLock.TryAcquire(Claims, "cell-mine2"))                    // another process runs mine2
            CellLoop.Run(["mine1", "mine2"], ["theirs"], k => k, Run, Cells, Claims, _observer);
        Assert.Equal(["mine1", "theirs"], _ran);
        Assert.False(Cells.IsDone("mine2"));
        Assert.Equal(["mine1 1/2 ran", "mine2 2/2 skipped"], _observer.Done);
        Assert.Single(_observer.Stages, s => s.StartsWith("cell theirs (taken over from another shard)", StringComparison.Ordinal));
    }

    [Fact]
    public void Other_Shards_Cells_Without_Claims_Are_Refused_Before_Any_Cell_Runs()
    {
        Assert.Throws<ArgumentException>(() => CellLoop.Run(["a"], ["b"], k => k, Run, Cells, claims: null, _observer));
        Assert.Empty(_ran);
    }

    private sealed class Recorder : IStudyObserver
    {
        public List<string> Done { get; } = [];
        public List<string> Stages { get; } = [];
        public void Stage(string description) => Stages.Add(description);
        public void CellDone(string key, int done, int total, double seconds, bool skipped) =>
            Done.Add($"{key} {done}/{total} {(skipped ? "skipped" : "ran")}");
    }
}
