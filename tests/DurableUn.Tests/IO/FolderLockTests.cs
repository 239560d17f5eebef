using DurableUn.IO;
using DurableUn.Tests.Cli;

namespace DurableUn.Tests.IO;

public sealed class FolderLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-lock-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_Second_Holder_Is_Refused_With_The_Folder_And_The_Owner_Named()
    {
        using var first = FolderLock.Acquire(_dir, "study");
        var e = Assert.Throws<IOException>(() => FolderLock.Acquire(_dir, "study"));
        Assert.Contains(_dir, e.Message);
        Assert.Contains($"pid {Environment.ProcessId}", e.Message);
    }

    [Fact]
    public void Trying_A_Held_Lock_Gives_Nothing_And_Trying_It_After_Release_Gives_It()
    {
        var first = FolderLock.TryAcquire(_dir, "tofu-target-adapter");
        Assert.NotNull(first);
        Assert.Null(FolderLock.TryAcquire(_dir, "tofu-target-adapter"));
        first.Dispose();
        using var second = FolderLock.TryAcquire(_dir, "tofu-target-adapter");
        Assert.NotNull(second);
    }

    [Fact]
    public void Releasing_Lets_Another_Process_Claim_The_Lock_And_Other_Names_Are_Independent()
    {
        string[] names = ["study", "study-shard-0-of-2", "study-shard-1-of-2"];
        var files = names.Select(n => Path.Combine(_dir, $".{n}.lock")).ToList();
        // Given a run and both its shards holding their own names side by side
        var held = names.Select(n => FolderLock.Acquire(_dir, n)).ToList();
        // Then another process (flock(1): the same kernel lock .NET takes) is refused each of them
        Assert.All(files, f => Assert.Equal(1, FlockFromAnotherProcess(f)));
        // When they are released
        held.ForEach(l => l.Dispose());
        // Then a second claimant gets every one, and no owner note is left behind
        Assert.All(files, f => Assert.Equal(0, FlockFromAnotherProcess(f)));
        Assert.Empty(Directory.GetFiles(_dir, "*.owner", SearchOption.AllDirectories));
    }

    /// flock -n -x FILE true in a child process: 0 when it got the lock, 1 when another holder has it.
    private static int FlockFromAnotherProcess(string file)
    {
        using var flock = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("flock", ["-n", "-x", file, "true"]))!;
        flock.WaitForExit();
        return flock.ExitCode;
    }

    [Fact]
    public void A_Study_Started_On_A_Folder_In_Use_Exits_1_Before_Any_Work()
    {
        using var held = FolderLock.Acquire(_dir, "study");
        var result = DurableUnCli.Run(["study", "--preset", "smoke", "--datasets", "tofu", "--out", _dir]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("already running", result.Stdout + result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "adapters")), "the refused study must not have started preparing");
    }
}
