using System.Collections.Concurrent;
using DurableUn.Experiments.Preparation;
using DurableUn.IO;

namespace DurableUn.Tests.Experiments;

public sealed class SharedTasksTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-shared-").FullName;
    private readonly ConcurrentQueue<string> _ran = new();
    private readonly Silent _observer = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Output(string name) => Path.Combine(_dir, name + ".done");

    /// A task that records that it ran and writes its output; it reads the outputs of <paramref name="inputs"/>.
    private SharedTask Task(string name, params string[] inputs) => new(name,
        () => File.Exists(Output(name)),
        () => inputs.All(i => File.Exists(Output(i))),
        () => { _ran.Enqueue(name); Thread.Sleep(20); File.WriteAllText(Output(name), name); });

    private string Claims => Path.Combine(_dir, ".claims");

    [Fact]
    public void Alone_A_Process_Does_Every_Task_Once_In_List_Order()
    {
        SharedTasks.Run([Task("a"), Task("b"), Task("c", "a", "b")], Claims, _observer, TimeSpan.FromMilliseconds(10));
        Assert.Equal(["a", "b", "c"], _ran);
    }

    [Fact]
    public async Task Two_Processes_Share_The_Tasks_And_Neither_Does_One_Twice()
    {
        // Given a list where later tasks read earlier ones (adapters, then references, then calibrations)
        SharedTask[] tasks = [Task("t1"), Task("t2"), Task("t3"), Task("r", "t1", "t2"), .. Enumerable.Range(0, 8).Select(i => Task($"c{i}", "r")), Task("last", "t3")];
        // When two workers run it at once (flock claims exclude each other between open files, as between processes)
        var workers = Enumerable.Range(0, 2).Select(_ => System.Threading.Tasks.Task.Run(() => SharedTasks.Run(tasks, Claims, _observer, TimeSpan.FromMilliseconds(10)))).ToArray();
        await System.Threading.Tasks.Task.WhenAll(workers);
        // Then every task ran exactly once, and each after its inputs
        Assert.Equal(tasks.Select(t => t.Name).Order(), _ran.Order());
        var order = _ran.ToList();
        Assert.True(order.IndexOf("r") > Math.Max(order.IndexOf("t1"), order.IndexOf("t2")));
        Assert.All(Enumerable.Range(0, 8), i => Assert.True(order.IndexOf($"c{i}") > order.IndexOf("r")));
    }

    [Fact]
    public async Task A_Task_Held_By_Another_Process_Is_Left_To_It_And_Taken_Over_When_Its_Holder_Goes()
    {
        // Given another holder of task a's claim (a process that then dies without finishing it)
        var other = FolderLock.TryAcquire(Claims, "a")!;
        // When this process runs the list
        var run = System.Threading.Tasks.Task.Run(() => SharedTasks.Run([Task("a"), Task("b")], Claims, _observer, TimeSpan.FromMilliseconds(10)));
        // Then it does b and waits for a, saying so
        SpinWait.SpinUntil(() => _observer.Stages.Any(s => s.Contains("waiting for other processes")), TimeSpan.FromSeconds(10));
        Assert.Equal(["b"], _ran);
        Assert.False(run.IsCompleted);
        Assert.Contains(_observer.Stages, s => s.Contains("waiting for other processes (a)"));
        // And when the holder goes, it takes a over and finishes
        other.Dispose();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["b", "a"], _ran);
    }

    [Fact]
    public void Tasks_Whose_Inputs_No_Task_Builds_Are_Refused_By_Name_Instead_Of_Waited_For()
    {
        var e = Assert.Throws<InvalidOperationException>(() => SharedTasks.Run([Task("a"), Task("c", "missing")], Claims, _observer, TimeSpan.FromMilliseconds(10)));
        Assert.Contains("c wait for inputs that no task builds", e.Message);
        Assert.Equal(["a"], _ran);
    }

    [Fact]
    public void A_Task_That_Ends_Without_Its_Output_Is_An_Error_Not_A_Loop()
    {
        var broken = new SharedTask("broken", () => false, () => true, () => { });
        var e = Assert.Throws<InvalidOperationException>(() => SharedTasks.Run([broken], Claims, _observer, TimeSpan.FromMilliseconds(10)));
        Assert.Contains("broken finished without writing its output", e.Message);
    }

    private sealed class Silent : IStudyObserver
    {
        public ConcurrentQueue<string> Stages { get; } = new();
        public void Stage(string description) => Stages.Enqueue(description);
        public void CellDone(string key, int done, int total, double seconds, bool skipped) { }
    }
}
