using DurableUn.IO;

namespace DurableUn.Tests.IO;

/// <summary>Folders are built whole through one staging sibling: never over an existing target, never left half-built.</summary>
public sealed class StagingFolderTests : IDisposable
{
    private readonly string _parent = Directory.CreateTempSubdirectory("durableun-staging-").FullName;

    public void Dispose() => Directory.Delete(_parent, recursive: true);

    [Fact]
    public void A_Built_Folder_Appears_Whole_And_No_Staging_Folder_Remains()
    {
        var target = Path.Combine(_parent, "out");
        StagingFolder.Build(target, dir => { Directory.CreateDirectory(dir); File.WriteAllText(Path.Combine(dir, "a.txt"), "a"); });
        Assert.Equal("a", File.ReadAllText(Path.Combine(target, "a.txt")));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(_parent).Select(Path.GetFileName));
    }

    [Fact]
    public void A_Failed_Build_Leaves_Neither_Target_Nor_Staging_Folder()
    {
        var target = Path.Combine(_parent, "out");
        Assert.Throws<IOException>(() => StagingFolder.Build(target, dir =>
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "half.txt"), "half");
            throw new IOException("disk full");
        }));
        Assert.Empty(Directory.GetFileSystemEntries(_parent));
    }

    [Fact]
    public void An_Existing_Target_Is_Refused_Before_Building_And_Kept()
    {
        var target = Path.Combine(_parent, "out");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep.txt"), "keep");
        var built = false;
        var e = Assert.Throws<IOException>(() => StagingFolder.Build(target, _ => built = true));
        Assert.Contains(target, e.Message);
        Assert.False(built);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(target, "keep.txt")));
    }

    [Fact]
    public void Staging_Folders_Of_Dead_Processes_Are_Removed_By_The_Next_Build_And_Live_Ones_Kept()
    {
        // Given a staging folder of a process that no longer runs (a finished child's PID) and one of this process
        using var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        child.WaitForExit();
        var dead = Path.Combine(_parent, $".old.tmp-{Environment.MachineName}-{child.Id}");
        var deadLegacy = Path.Combine(_parent, $".older.tmp-{child.Id}");
        var live = StagingFolder.For(Path.Combine(_parent, "running"));
        foreach (var d in new[] { dead, deadLegacy, live }) Directory.CreateDirectory(d);
        // When another folder is built next to them
        StagingFolder.Build(Path.Combine(_parent, "new"), d => Directory.CreateDirectory(d));
        // Then the dead process's leftovers are gone and the live one's staging folder stays
        Assert.False(Directory.Exists(dead));
        Assert.False(Directory.Exists(deadLegacy));
        Assert.True(Directory.Exists(live));
    }
}
