using DurableUn.Experiments.Results;

namespace DurableUn.Tests.Experiments;

public sealed class CellStoreTests : IDisposable
{
    private sealed record Cell(string Method, int Seed, double Fa);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("durableun-cells-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void A_Written_Cell_Should_Be_Done_And_Read_Back()
    {
        // Given an empty store
        var store = new CellStore(_folder.FullName);
        Assert.False(store.IsDone("npo_seed1"));
        // When a cell is written
        var published = store.Write("npo_seed1", new Cell("npo", 1, 0.25));
        // Then it is done, its file is KEY.json, and it reads back equal
        Assert.True(published);
        Assert.True(store.IsDone("npo_seed1"));
        Assert.True(File.Exists(Path.Combine(_folder.FullName, "npo_seed1.json")));
        Assert.Equal(new Cell("npo", 1, 0.25), store.ReadAll<Cell>()["npo_seed1"]);
    }

    [Fact]
    public void A_Second_Write_Of_A_Done_Cell_Should_Keep_The_First_Result()
    {
        // Given a finished cell
        var store = new CellStore(_folder.FullName);
        store.Write("ga_seed0", new Cell("ga", 0, 0.5));
        // When a rerun writes it again with another value
        var published = store.Write("ga_seed0", new Cell("ga", 0, 0.9));
        // Then the rerun is told it was done, and the store holds one cell with the first value
        Assert.False(published);
        Assert.Equal(new Cell("ga", 0, 0.5), Assert.Single(store.ReadAll<Cell>()).Value);
    }

    [Fact]
    public async Task Concurrent_Writers_Of_One_Cell_Should_Publish_Exactly_Once()
    {
        // Given 16 writers racing on the same cell, each with its own value, released together
        var store = new CellStore(_folder.FullName);
        using var go = new ManualResetEventSlim();
        var writers = Enumerable.Range(0, 16)
            .Select(i => Task.Factory.StartNew(() => { go.Wait(); return store.Write("race", new Cell("npo", i, i)); }, TaskCreationOptions.LongRunning))
            .ToArray();
        // When they all write
        go.Set();
        var published = await Task.WhenAll(writers);
        // Then exactly one published, the file holds that writer's complete value, and no temp file is left
        Assert.Single(published, p => p);
        var cell = Assert.Single(store.ReadAll<Cell>()).Value;
        Assert.Equal(Array.IndexOf(published, true), cell.Seed);
        Assert.Equal(["race.json"], _folder.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public void ReadAll_Should_Skip_The_Temp_File_Of_A_Killed_Writer()
    {
        // Given one finished cell and the half-written temp file of a writer killed mid-write
        var store = new CellStore(_folder.FullName);
        store.Write("done", new Cell("npo", 1, 0.1));
        File.WriteAllText(Path.Combine(_folder.FullName, ".killed.0123456789abcdef.tmp"), "{\"Method\":\"np");
        // When the store is read
        var cells = store.ReadAll<Cell>();
        // Then only the finished cell is there, and the killed cell is not done
        Assert.Equal(["done"], cells.Keys);
        Assert.False(store.IsDone("killed"));
    }

    [Fact]
    public void Stale_Temp_Files_Should_Be_Deleted_But_Young_Ones_Kept()
    {
        // Given a temp file from an hour ago (a killed writer) and one from now (a writer maybe still running)
        var store = new CellStore(_folder.FullName);
        var stale = Path.Combine(_folder.FullName, ".a.1.tmp");
        var young = Path.Combine(_folder.FullName, ".b.2.tmp");
        File.WriteAllText(stale, "{");
        File.WriteAllText(young, "{");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));
        store.Write("kept", new Cell("npo", 0, 0));
        // When temp files older than ten minutes are cleaned
        var deleted = store.DeleteStaleTempFiles(TimeSpan.FromMinutes(10));
        // Then only the stale one is gone, and results are untouched
        Assert.Equal(1, deleted);
        Assert.Equal([".b.2.tmp", "kept.json"], _folder.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_Corrupt_Result_File_Should_Fail_Naming_The_File()
    {
        // Given a result file that something other than the store wrote
        var store = new CellStore(_folder.FullName);
        File.WriteAllText(Path.Combine(_folder.FullName, "broken.json"), "{ not json");
        // When / Then
        var error = Assert.Throws<InvalidDataException>(() => store.ReadAll<Cell>());
        Assert.Contains("broken.json", error.Message);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("..")]
    [InlineData("x..y")]
    [InlineData(".hidden")]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("tab\t")]
    public void Keys_That_Are_Not_Safe_File_Names_Should_Be_Rejected(string key)
    {
        var store = new CellStore(_folder.FullName);
        Assert.Throws<ArgumentException>(() => store.IsDone(key));
        Assert.Throws<ArgumentException>(() => store.Write(key, new Cell("npo", 0, 0)));
    }

    [Fact]
    public void A_Key_Of_Letters_Digits_And_Separators_Should_Be_Its_Own_File_Name()
    {
        var store = new CellStore(_folder.FullName);
        Assert.Equal(Path.Combine(_folder.FullName, "tofu-forget01_npo.published_seed=2+x,y@z.json"),
            store.PathOf("tofu-forget01_npo.published_seed=2+x,y@z"));
    }
}
