using System.Runtime.InteropServices;

namespace DurableUn.Tests.Prerequisites;

public class UnusedGlibcxxRequirementTests
{
    [Fact]
    public void Weakening_Changes_Exactly_The_Version_Flag_And_The_Symbol_Binding()
    {
        // Given a library that needs GLIBCXX_3.4.32 for ios_base_library_init, which no relocation uses
        var fixture = new TinyElf();
        var original = fixture.Build();
        var edited = (byte[])original.Clone();
        // When it is weakened
        var edit = UnusedGlibcxxRequirement.Weaken(edited, "tiny.so");
        // Then VER_FLG_WEAK is set on the requirement, the binding is STB_WEAK with the type kept, and no other byte moved
        Assert.Equal(GlibcxxEdit.Weakened, edit);
        Assert.Equal(0x2, edited[fixture.FlagsOffset]);
        Assert.Equal((2 << 4) | 2, edited[fixture.SymbolInfoOffset]);
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != edited[i]).ToList();
        Assert.Equal([fixture.SymbolInfoOffset, fixture.FlagsOffset], changed); // .dynsym lies before .gnu.version_r
    }

    [Fact]
    public void Weakening_A_Weakened_Library_Changes_Nothing()
    {
        var edited = new TinyElf().Build();
        UnusedGlibcxxRequirement.Weaken(edited, "tiny.so");
        var once = (byte[])edited.Clone();
        Assert.Equal(GlibcxxEdit.AlreadyWeak, UnusedGlibcxxRequirement.Weaken(edited, "tiny.so"));
        Assert.Equal(once, edited);
    }

    [Fact]
    public void A_Library_That_Relocates_Against_The_Symbol_Is_Refused_By_Name()
    {
        // Given a library that does call ios_base_library_init (a relocation refers to it)
        var elf = new TinyElf { RelocationUsesSymbol = true }.Build();
        // Then weakening it would leave a null call, so the editor refuses and names the file and the symbol
        var error = Assert.Throws<InvalidDataException>(() => UnusedGlibcxxRequirement.Weaken(elf, "calls.so"));
        Assert.Contains("calls.so", error.Message);
        Assert.Contains("relocation", error.Message);
        Assert.Contains(TinyElf.Symbol, error.Message);
    }

    [Fact]
    public void A_Library_Where_Another_Symbol_Needs_The_Version_Is_Refused()
    {
        var elf = new TinyElf { CoutNeedsTheVersion = true }.Build();
        var error = Assert.Throws<InvalidDataException>(() => UnusedGlibcxxRequirement.Weaken(elf, "more.so"));
        Assert.Contains("_ZSt4cout", error.Message);
    }

    [Fact]
    public void A_File_That_Is_Not_Elf_Is_Refused_By_Name()
    {
        var error = Assert.Throws<InvalidDataException>(() => UnusedGlibcxxRequirement.Weaken(new byte[100], "zeros.so"));
        Assert.Contains("zeros.so: cannot make GLIBCXX_3.4.32 optional: not an ELF file", error.Message);
    }

    [Fact]
    public void Weakening_A_File_Replaces_It_So_A_Hard_Link_To_It_Keeps_The_Original()
    {
        // Given a library hard-linked from a "package cache" file, as NuGet restores may leave them
        var folder = Directory.CreateTempSubdirectory("glibcxx-").FullName;
        try
        {
            var cached = Path.Combine(folder, "cache.so");
            var output = Path.Combine(folder, "output.so");
            var original = new TinyElf().Build();
            File.WriteAllBytes(cached, original);
            Assert.Equal(0, link(cached, output));
            // When the output copy is weakened
            Assert.Equal(GlibcxxEdit.Weakened, UnusedGlibcxxRequirement.WeakenFile(output));
            // Then the cache file is untouched, the output is edited, and no temporary file is left
            Assert.Equal(original, File.ReadAllBytes(cached));
            Assert.NotEqual(original, File.ReadAllBytes(output));
            Assert.Equal(["cache.so", "output.so"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void The_Built_Library_Is_Weakened_Exactly_When_This_Libstdcxx_Lacks_The_Version()
    {
        // Given the libLibTorchSharp.so the build copied next to these tests
        var library = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var libstdcxx = UnusedGlibcxxRequirement.SystemLibstdcxx();
        Assert.NotNull(libstdcxx);
        var bytes = File.ReadAllBytes(library);
        // When the editor looks at it again (in memory)
        var edit = UnusedGlibcxxRequirement.Weaken(bytes, library);
        // Then the build already weakened it if and only if this machine's libstdc++ lacks GLIBCXX_3.4.32
        var lacks = !UnusedGlibcxxRequirement.Defines(libstdcxx, UnusedGlibcxxRequirement.Version);
        Assert.Equal(lacks ? GlibcxxEdit.AlreadyWeak : GlibcxxEdit.Weakened, edit);
    }

    [DllImport("libc.so.6", SetLastError = true)] // glibc's link(2); the plain "libc.so" exists only with libc6-dev
    private static extern int link(string existing, string created);
}
