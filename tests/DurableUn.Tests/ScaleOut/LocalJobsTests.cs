using System.Diagnostics;
using DurableUn.ScaleOut;

namespace DurableUn.Tests.ScaleOut;

public sealed class LocalJobsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("durableun-jobs-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string InFolder(string name) => Path.Combine(_folder.FullName, name);

    private LocalJob Bash(string name, string script) => new("bash", ["-c", script], InFolder($"{name}.log"));

    [Fact]
    public void ForShards_Should_Give_Each_Shard_Its_Command_And_Log()
    {
        // When a study command is split three ways
        var jobs = LocalJob.ForShards(["durableun", "study", "s.json", "--shard", ShardSpec.Placeholder], 3, "/logs");
        // Then job i runs shard i/3 and logs to its own file
        Assert.Equal(["study", "s.json", "--shard", "1/3"], jobs[1].Arguments);
        Assert.Equal(["/logs/shard-0-of-3.log", "/logs/shard-1-of-3.log", "/logs/shard-2-of-3.log"], jobs.Select(j => j.LogPath));
    }

    [Fact]
    public async Task A_Failing_Child_Should_Not_Stop_The_Others()
    {
        // Given three jobs where the middle one fails at once and the others take a moment
        LocalJob[] jobs =
        [
            Bash("a", "sleep 0.3; echo out-a; echo err-a >&2"),
            Bash("b", "echo dying; exit 3"),
            Bash("c", "sleep 0.3; echo out-c"),
        ];
        // When run two at a time
        var exitCodes = await LocalJobs.RunAsync(jobs, maxParallel: 2);
        // Then every job ran to its own end, exit codes in job order, each log holding its own stdout and stderr
        Assert.Equal([0, 3, 0], exitCodes);
        Assert.Equal(["err-a", "out-a"], File.ReadAllLines(InFolder("a.log")).Order()); // two pipes: order between them is not kept
        Assert.Equal(["dying"], File.ReadAllLines(InFolder("b.log")));
        Assert.Equal(["out-c"], File.ReadAllLines(InFolder("c.log")));
    }

    [Fact]
    public async Task No_More_Than_MaxParallel_Children_Should_Run_At_Once()
    {
        // Given six jobs that each record their start and end in a shared file (short appends are atomic)
        var events = InFolder("events");
        var jobs = Enumerable.Range(0, 6).Select(i => Bash($"j{i}", $"echo + >> '{events}'; sleep 0.2; echo - >> '{events}'")).ToList();
        // When run at most two at a time
        var exitCodes = await LocalJobs.RunAsync(jobs, maxParallel: 2);
        // Then all succeeded, and replaying the events never finds three running together
        Assert.All(exitCodes, code => Assert.Equal(0, code));
        var running = 0;
        var most = 0;
        foreach (var e in File.ReadAllLines(events)) most = Math.Max(most, running += e == "+" ? 1 : -1);
        Assert.InRange(most, 1, 2);
    }

    [Fact]
    public async Task Every_Line_Of_A_Job_Is_Echoed_With_The_Job_s_Index_As_Well_As_Logged()
    {
        var echoed = new System.Collections.Concurrent.ConcurrentBag<(int, string)>();
        await LocalJobs.RunAsync([Bash("a", "echo one; echo two >&2"), Bash("b", "echo three")], 2, echo: (job, line) => echoed.Add((job, line)));
        Assert.Equal([(0, "one"), (0, "two"), (1, "three")], echoed.OrderBy(e => e.Item2 == "one" ? 0 : e.Item2 == "two" ? 1 : 2));
        Assert.Equal(["one", "two"], File.ReadAllLines(InFolder("a.log")).Order());
    }

    [Fact]
    public async Task A_Program_That_Cannot_Start_Should_Report_127_And_Say_Why_In_Its_Log()
    {
        var exitCodes = await LocalJobs.RunAsync([new LocalJob("/nonexistent/durableun", [], InFolder("x.log")), Bash("ok", "true")], 2);
        Assert.Equal([LocalJobs.CouldNotStart, 0], exitCodes);
        Assert.Contains("could not start '/nonexistent/durableun'", File.ReadAllText(InFolder("x.log")));
    }

    [Fact]
    public async Task Cancelling_Should_Kill_The_Running_Children()
    {
        // Given a long job that writes its process id first
        var pidFile = InFolder("pid");
        using var cancel = new CancellationTokenSource();
        var run = LocalJobs.RunAsync([Bash("long", $"echo $$ > '{pidFile}'; exec sleep 60")], 1, cancel.Token);
        while (!File.Exists(pidFile) || File.ReadAllText(pidFile).Length == 0) await Task.Delay(20);
        var pid = int.Parse(File.ReadAllText(pidFile).Trim());
        // When the run is cancelled
        await cancel.CancelAsync();
        // Then the call throws, and by then the child is gone
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }
}
