// Makes TorchSharp's native library load on a machine whose libstdc++ lacks GLIBCXX_3.4.32 (Debian 12 stops at
// 3.4.30), with nothing but the .NET SDK: two byte edits in managed code, no compiler, patchelf or python.
//
// Why two bytes suffice: libLibTorchSharp.so (TorchSharp 0.107) asks for GLIBCXX_3.4.32 for one symbol only,
// std::ios_base_library_init() (_ZSt21ios_base_library_initv). GCC 13's <iostream> names it in a `.globl` to force
// a link-time dependency on the new libstdc++; no relocation refers to it, so nothing ever calls or resolves it.
//   1. The version requirement (a Vernaux entry in .gnu.version_r) gets VER_FLG_WEAK: glibc's loader then accepts a
//      libstdc++ that lacks the version (elf/dl-version.c, match_symbol returns without error for a weak entry).
//   2. The undefined dynamic symbol gets STB_WEAK binding, so a loader that does look it up may leave it at zero.
// The editor refuses a library where a relocation does refer to the symbol (then it would be called and the edit
// would be wrong), or where another symbol needs the same version.
//
// Compiled twice: by MSBuild's RoslynCodeTaskFactory as the WeakenUnusedGlibcxx task (Directory.Build.targets), and
// into the test project with DURABLEUN_ELF_EDITOR_ONLY defined, which leaves out the MSBuild types. So this file
// keeps to APIs in netstandard2.0.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
#if !DURABLEUN_ELF_EDITOR_ONLY
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
#endif

/// <summary>What <see cref="UnusedGlibcxxRequirement.Weaken"/> did to a library.</summary>
public enum GlibcxxEdit
{
    /// <summary>The two bytes were changed.</summary>
    Weakened,
    /// <summary>Both were weak already (a copy patched by an earlier build): nothing changed.</summary>
    AlreadyWeak,
}

/// <summary>The ELF64 edit that makes GLIBCXX_3.4.32's one unused symbol optional, and the test for whether it is needed.</summary>
public static class UnusedGlibcxxRequirement
{
    /// <summary>The version TorchSharp 0.107's native library asks for and Debian 12's libstdc++ lacks.</summary>
    public const string Version = "GLIBCXX_3.4.32";

    /// <summary>std::ios_base_library_init(), the only symbol that needs <see cref="Version"/>.</summary>
    public const string Symbol = "_ZSt21ios_base_library_initv";

    private const uint ShtRela = 4, ShtRel = 9, ShtDynsym = 11;          // elf.h section types
    private const uint ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;
    private const ushort VerFlgWeak = 0x2;                                // elf.h: "weak version identifier"
    private const int StbWeak = 2;                                        // elf.h: symbol binding, high nibble of st_info
    private const int SymbolSize = 24, SectionHeaderSize = 64;            // sizeof(Elf64_Sym), sizeof(Elf64_Shdr)

    /// <summary>
    /// Marks <see cref="Version"/>'s requirement weak and <see cref="Symbol"/>'s binding weak in <paramref name="elf"/>
    /// (edited in place). <paramref name="path"/> only names the file in errors.
    /// </summary>
    public static GlibcxxEdit Weaken(byte[] elf, string path)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw Fail(path, "not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw Fail(path, "not a 64-bit little-endian ELF file, the only kind TorchSharp ships for linux-x64");
        var sections = ReadSections(elf, path);
        var dynsym = Single(sections, ShtDynsym, ".dynsym", path);
        var verneed = Single(sections, ShtGnuVerneed, ".gnu.version_r", path);
        var versym = Single(sections, ShtGnuVersym, ".gnu.version", path);
        var dynstr = At(sections, (int)dynsym.Link, path);

        var (flagsOffset, versionIndex) = FindRequirement(elf, verneed, At(sections, (int)verneed.Link, path), path);
        var users = new List<int>();
        var symbolCount = (int)(dynsym.Size / SymbolSize);
        var symbolIndex = -1;
        for (var i = 1; i < symbolCount; i++)
        {
            if ((U16(elf, versym.Offset + 2 * i) & 0x7fff) != versionIndex) continue;
            var name = CString(elf, dynstr.Offset + U32(elf, dynsym.Offset + i * SymbolSize), path);
            if (name == Symbol) symbolIndex = i;
            else users.Add(i);
        }
        if (symbolIndex < 0)
            throw Fail(path, $"no dynamic symbol {Symbol} needs {Version}; this editor knows only that one");
        if (users.Count > 0)
            throw Fail(path, $"{users.Count} other symbol(s) need {Version} too, e.g. " +
                $"{CString(elf, dynstr.Offset + U32(elf, dynsym.Offset + users[0] * SymbolSize), path)}: weakening the version would hide them");
        var symbolOffset = dynsym.Offset + symbolIndex * SymbolSize;
        if (U16(elf, symbolOffset + 6) != 0)
            throw Fail(path, $"{Symbol} is defined here, not imported");

        foreach (var relocations in sections.Where(s => (s.Type == ShtRela || s.Type == ShtRel) && s.Link == dynsym.Index))
        {
            var entrySize = relocations.Type == ShtRela ? 24 : 16;          // sizeof(Elf64_Rela), sizeof(Elf64_Rel)
            for (long at = relocations.Offset; at + entrySize <= relocations.Offset + relocations.Size; at += entrySize)
                if (U64(elf, at + 8) >> 32 == (ulong)symbolIndex)         // r_info: symbol index in the high half
                    throw Fail(path, $"a relocation at 0x{U64(elf, at):x} refers to {Symbol}, so it is called; " +
                        "weakening it would leave a null call. Use a libstdc++ with " + Version + " instead");
        }

        var flags = U16(elf, flagsOffset);
        var info = elf[symbolOffset + 4];
        var weakInfo = (byte)((StbWeak << 4) | (info & 0xf));              // keep the symbol type (low nibble)
        if ((flags & VerFlgWeak) != 0 && info == weakInfo) return GlibcxxEdit.AlreadyWeak;
        var newFlags = (ushort)(flags | VerFlgWeak);
        elf[flagsOffset] = (byte)newFlags;
        elf[flagsOffset + 1] = (byte)(newFlags >> 8);
        elf[symbolOffset + 4] = weakInfo;
        return GlibcxxEdit.Weakened;
    }

    /// <summary>
    /// Weakens the file at <paramref name="path"/> unless it is already weak. Writes a temporary file beside it and
    /// renames it over the original, so a hard link into the NuGet cache is broken rather than written through.
    /// </summary>
    public static GlibcxxEdit WeakenFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var edit = Weaken(bytes, path);
        if (edit == GlibcxxEdit.AlreadyWeak) return edit;
        var temporary = path + ".weakening";
        File.WriteAllBytes(temporary, bytes);
        File.Replace(temporary, path, null);                               // rename(2) on Unix: atomic, new inode
        return edit;
    }

    /// <summary>Whether the library at <paramref name="libraryPath"/> defines <paramref name="version"/> (its name appears in the file).</summary>
    public static bool Defines(string libraryPath, string version)
    {
        var needle = Encoding.ASCII.GetBytes(version + "\0");              // NUL-terminated, so 3.4.3 is not 3.4.32
        var haystack = File.ReadAllBytes(libraryPath);
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    /// <summary>The libstdc++.so.6 the loader finds on this machine, or null when none is in the usual folders.</summary>
    public static string? SystemLibstdcxx() =>
        new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib" }
            .Select(folder => Path.Combine(folder, "libstdc++.so.6"))
            .FirstOrDefault(File.Exists);

    private sealed class Section
    {
        public int Index; public uint Type; public long Offset; public long Size; public uint Link;
    }

    private static List<Section> ReadSections(byte[] elf, string path)
    {
        var table = (long)U64(elf, 0x28);                                   // e_shoff
        var entrySize = U16(elf, 0x3a);                                     // e_shentsize
        var count = U16(elf, 0x3c);                                         // e_shnum
        if (entrySize != SectionHeaderSize || table + (long)count * entrySize > elf.Length)
            throw Fail(path, "its section header table is missing or truncated");
        var sections = new List<Section>();
        for (var i = 0; i < count; i++)
        {
            var at = table + (long)i * entrySize;
            var section = new Section
            {
                Index = i, Type = U32(elf, at + 4), Offset = (long)U64(elf, at + 24), Size = (long)U64(elf, at + 32),
                Link = U32(elf, at + 40),
            };
            if (section.Type != 8 && section.Offset + section.Size > elf.Length)   // 8 = SHT_NOBITS, no file bytes
                throw Fail(path, $"section {i} runs past the end of the file");
            sections.Add(section);
        }
        return sections;
    }

    // Walks the Verneed list (one entry per needed library, each with a chain of Vernaux versions) for Version.
    private static (long FlagsOffset, int VersionIndex) FindRequirement(byte[] elf, Section verneed, Section strings, string path)
    {
        var entry = verneed.Offset;
        for (var n = 0; n < 1000; n++)                                      // bound: a corrupt chain must not loop
        {
            var auxCount = U16(elf, entry + 2);
            var aux = entry + U32(elf, entry + 8);
            for (var k = 0; k < auxCount; k++)
            {
                if (CString(elf, strings.Offset + U32(elf, aux + 8), path) == Version)
                    return (aux + 4, U16(elf, aux + 6));                    // vna_flags, vna_other
                var nextAux = U32(elf, aux + 12);
                if (nextAux == 0) break;
                aux += nextAux;
            }
            var next = U32(elf, entry + 12);
            if (next == 0) break;
            entry += next;
        }
        throw Fail(path, $"it does not require {Version}");
    }

    private static Section Single(List<Section> sections, uint type, string name, string path)
    {
        var found = sections.Where(s => s.Type == type).ToList();
        return found.Count == 1 ? found[0] : throw Fail(path, $"expected one {name} section, found {found.Count}");
    }

    private static Section At(List<Section> sections, int index, string path) =>
        index > 0 && index < sections.Count ? sections[index] : throw Fail(path, $"a section links to missing section {index}");

    private static string CString(byte[] elf, long at, string path)
    {
        var end = at;
        while (end < elf.Length && elf[end] != 0) end++;
        if (end >= elf.Length) throw Fail(path, $"a name at 0x{at:x} is not terminated");
        return Encoding.ASCII.GetString(elf, (int)at, (int)(end - at));
    }

    private static ushort U16(byte[] b, long at) => (ushort)(b[at] | b[at + 1] << 8);
    private static uint U32(byte[] b, long at) => (uint)(U16(b, at) | U16(b, at + 2) << 16);
    private static ulong U64(byte[] b, long at) => U32(b, at) | (ulong)U32(b, at + 4) << 32;

    private static InvalidDataException Fail(string path, string message) =>
        new($"{path}: cannot make {Version} optional: {message}");
}

#if !DURABLEUN_ELF_EDITOR_ONLY
/// <summary>
/// MSBuild task run after every build and publish: weakens each libLibTorchSharp.so under OutputDirectory, the
/// project's own output (never the NuGet cache). Does nothing when the output holds no TorchSharp natives or this
/// machine's libstdc++ already provides GLIBCXX_3.4.32.
/// </summary>
public class WeakenUnusedGlibcxx : Task
{
    /// <summary>The folder to patch: $(OutDir) after a build, $(PublishDir) after a publish.</summary>
    [Required] public string OutputDirectory { get; set; } = "";

    /// <summary>$(NuGetPackageRoot): a folder under it is refused, so the shared package cache is never edited.</summary>
    public string NuGetPackageRoot { get; set; } = "";

    public override bool Execute()
    {
        if (!Directory.Exists(OutputDirectory)) return true;
        var output = Path.GetFullPath(OutputDirectory).TrimEnd('/') + "/";
        if (NuGetPackageRoot.Length > 0 && output.StartsWith(Path.GetFullPath(NuGetPackageRoot).TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            Log.LogError(null, "DU0001", null, output, 0, 0, 0, 0,
                $"refusing to patch TorchSharp's native library inside the NuGet cache ({NuGetPackageRoot}); only a project's own output is patched");
            return false;
        }
        var libraries = Directory.GetFiles(output, "libLibTorchSharp.so", SearchOption.AllDirectories);
        if (libraries.Length == 0) return true;
        var libstdcxx = UnusedGlibcxxRequirement.SystemLibstdcxx();
        if (libstdcxx != null && UnusedGlibcxxRequirement.Defines(libstdcxx, UnusedGlibcxxRequirement.Version))
        {
            Log.LogMessage(MessageImportance.Low, $"{libstdcxx} provides {UnusedGlibcxxRequirement.Version}: TorchSharp's native library loads as shipped");
            return true;
        }
        foreach (var library in libraries)
        {
            try
            {
                if (UnusedGlibcxxRequirement.WeakenFile(library) == GlibcxxEdit.Weakened)
                    Log.LogMessage(MessageImportance.Normal, $"{library}: made {UnusedGlibcxxRequirement.Version} optional (this libstdc++ lacks it)");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
            {
                Log.LogError(null, "DU0001", null, library, 0, 0, 0, 0, e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }
}
#endif
