using System.Buffers.Binary;
using System.Text;

namespace DurableUn.Tests.Prerequisites;

/// <summary>
/// A minimal ELF64 shared-library image with just the sections the glibcxx editor reads: .dynstr, .dynsym,
/// .gnu.version, .gnu.version_r (libstdc++.so.6 needing GLIBCXX_3.4.32 as version index 2) and one .rela.plt entry.
/// Symbol 1 is std::ios_base_library_init(); symbol 2 is std::cout.
/// </summary>
public sealed class TinyElf
{
    /// <summary>Whether the relocation refers to symbol 1 (ios_base_library_init) rather than symbol 2 (cout).</summary>
    public bool RelocationUsesSymbol { get; init; }

    /// <summary>Whether std::cout needs GLIBCXX_3.4.32 too (otherwise it needs no version).</summary>
    public bool CoutNeedsTheVersion { get; init; }

    public const string Symbol = "_ZSt21ios_base_library_initv";
    private const int Header = 64, SymbolSize = 24;

    /// <summary>File offset of the Vernaux entry's vna_flags.</summary>
    public int FlagsOffset { get; private set; }

    /// <summary>File offset of symbol 1's st_info.</summary>
    public int SymbolInfoOffset { get; private set; }

    public byte[] Build()
    {
        var strings = Encoding.ASCII.GetBytes("\0libstdc++.so.6\0GLIBCXX_3.4.32\0" + Symbol + "\0_ZSt4cout\0");
        int Name(string s) => Encoding.ASCII.GetString(strings).IndexOf("\0" + s + "\0", StringComparison.Ordinal) + 1;

        var dynstr = Header;
        var dynsym = Align(dynstr + strings.Length, 8);
        var versym = dynsym + 3 * SymbolSize;
        var verneed = Align(versym + 3 * 2, 8);
        var rela = verneed + 32;                      // one Verneed (16 bytes) and one Vernaux (16 bytes)
        var sections = rela + 24;
        var elf = new byte[sections + 6 * 64];

        "\u007fELF"u8.CopyTo(elf);
        elf[4] = 2; elf[5] = 1; elf[6] = 1;            // ELFCLASS64, little-endian, EV_CURRENT
        Put16(elf, 16, 3);                             // ET_DYN
        Put16(elf, 18, 62);                            // EM_X86_64
        Put64(elf, 0x28, (ulong)sections);             // e_shoff
        Put16(elf, 0x34, Header);                      // e_ehsize
        Put16(elf, 0x3a, 64);                          // e_shentsize
        Put16(elf, 0x3c, 6);                           // e_shnum

        strings.CopyTo(elf, dynstr);
        SymbolInfoOffset = dynsym + SymbolSize + 4;
        Put32(elf, dynsym + SymbolSize, (uint)Name(Symbol));
        elf[SymbolInfoOffset] = (1 << 4) | 2;          // STB_GLOBAL, STT_FUNC; st_shndx 0 = undefined
        Put32(elf, dynsym + 2 * SymbolSize, (uint)Name("_ZSt4cout"));
        elf[dynsym + 2 * SymbolSize + 4] = (1 << 4) | 1; // STB_GLOBAL, STT_OBJECT

        Put16(elf, versym + 2, 2);
        Put16(elf, versym + 4, (ushort)(CoutNeedsTheVersion ? 2 : 1));

        Put16(elf, verneed, 1);                        // vn_version
        Put16(elf, verneed + 2, 1);                    // vn_cnt
        Put32(elf, verneed + 4, (uint)Name("libstdc++.so.6"));
        Put32(elf, verneed + 8, 16);                   // vn_aux
        FlagsOffset = verneed + 16 + 4;
        Put16(elf, verneed + 16 + 6, 2);               // vna_other: version index 2
        Put32(elf, verneed + 16 + 8, (uint)Name("GLIBCXX_3.4.32"));

        Put64(elf, rela, 0x1000);                      // r_offset
        Put64(elf, rela + 8, (ulong)(RelocationUsesSymbol ? 1 : 2) << 32 | 7); // R_X86_64_JUMP_SLOT

        Section(elf, sections, 1, 3, dynstr, strings.Length, 0);           // SHT_STRTAB
        Section(elf, sections, 2, 11, dynsym, 3 * SymbolSize, 1);           // SHT_DYNSYM -> .dynstr
        Section(elf, sections, 3, 0x6fffffff, versym, 3 * 2, 2);            // SHT_GNU_versym -> .dynsym
        Section(elf, sections, 4, 0x6ffffffe, verneed, 32, 1);              // SHT_GNU_verneed -> .dynstr
        Section(elf, sections, 5, 4, rela, 24, 2);                          // SHT_RELA -> .dynsym
        return elf;
    }

    private static void Section(byte[] elf, int table, int index, uint type, int offset, int size, uint link)
    {
        var at = table + index * 64;
        Put32(elf, at + 4, type);
        Put64(elf, at + 24, (ulong)offset);
        Put64(elf, at + 32, (ulong)size);
        Put32(elf, at + 40, link);
    }

    private static int Align(int value, int to) => (value + to - 1) / to * to;
    private static void Put16(byte[] b, int at, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);
    private static void Put32(byte[] b, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
    private static void Put64(byte[] b, int at, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(at), v);
}
