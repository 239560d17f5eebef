using DurableUn.Tensors;

namespace DurableUn.Tests.Tensors;

public class NativeTorchTests
{
    [Fact]
    public void Libtorch_Is_Loaded_From_The_Application_Folder_Only()
    {
        // Given a machine where Debian's python3-torch may have put libtorch 1.13 on the system path
        // When TorchSharp is initialised
        var folder = NativeTorch.EnsureLoaded();
        // Then every mapped libtorch/libc10 file lies under our own output folder
        var mapped = NativeTorch.MappedTorchLibraries();
        Assert.NotEmpty(mapped);
        Assert.All(mapped, path => Assert.StartsWith(folder, path));
    }
}
