using DurableUn.IO;

namespace DurableUn.Tests.IO;

public sealed class PublishOnceTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("durableun-publish-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void A_Free_Name_Should_Be_Taken_And_The_Temp_Name_Released()
    {
        // Given a finished temp file
        string temp = Path.Combine(_folder.FullName, ".c.tmp"), target = Path.Combine(_folder.FullName, "c.json");
        File.WriteAllText(temp, "mine");
        // When published
        Assert.True(PublishOnce.TryMove(temp, target));
        // Then only the final name remains, with the content
        Assert.Equal("mine", File.ReadAllText(target));
        Assert.False(File.Exists(temp));
    }

    [Fact]
    public void A_Name_Taken_After_Any_Check_Should_Never_Be_Replaced()
    {
        // Given a target that another writer created after this writer last looked (File.Move's own check would
        // be too late in a real race; here the target simply exists when the publish runs)
        string temp = Path.Combine(_folder.FullName, ".c.tmp"), target = Path.Combine(_folder.FullName, "c.json");
        File.WriteAllText(target, "theirs");
        File.WriteAllText(temp, "mine");
        // When this writer publishes
        var published = PublishOnce.TryMove(temp, target);
        // Then it is told no, their file stands, and the temp file is left for the caller to delete
        Assert.False(published);
        Assert.Equal("theirs", File.ReadAllText(target));
        Assert.True(File.Exists(temp));
    }
}
