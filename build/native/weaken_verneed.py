#!/usr/bin/env python3
"""Mark one symbol-version requirement of an ELF64 shared library as weak (VER_FLG_WEAK).

Why: TorchSharp's libLibTorchSharp.so asks for GLIBCXX_3.4.32 for a single symbol,
std::ios_base_library_init(), which Debian 12's libstdc++ (up to GLIBCXX_3.4.30) lacks. glibc's
loader refuses a library whose required version is missing, unless the requirement is weak
(elf/dl-version.c: match_symbol returns without error for a weak vernaux). The symbol itself is
then supplied by a tiny no-op shim library added as NEEDED (see ios_base_library_init.c).

Usage: weaken_verneed.py LIBRARY VERSION   (edits LIBRARY in place; idempotent)
Only ELF64 little-endian files are handled; anything else is an error that names the file.
"""
import struct
import sys

VER_FLG_WEAK = 0x2
SHT_GNU_VERNEED = 0x6FFFFFFE


def fail(path, message):
    sys.stderr.write(f"weaken_verneed: {path}: {message}\n")
    sys.exit(1)


def main(path, version):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        fail(path, "not an ELF64 little-endian file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    verneed = [s for s in sections if s[1] == SHT_GNU_VERNEED]
    if not verneed:
        fail(path, "has no .gnu.version_r section")
    _, _, _, _, vr_off, _, vr_link, vr_info, _, _ = verneed[0]
    strtab_off = sections[vr_link][4]

    def name_at(offset):
        end = data.index(b"\0", strtab_off + offset)
        return data[strtab_off + offset:end].decode()

    found = 0
    entry = vr_off
    for _ in range(vr_info):  # sh_info = number of Verneed entries
        vn_version, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, entry)
        aux = entry + vn_aux
        for _ in range(vn_cnt):
            vna_hash, vna_flags, vna_other, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
            if name_at(vna_name) == version:
                struct.pack_into("<H", data, aux + 4, vna_flags | VER_FLG_WEAK)
                found += 1
            aux += vna_next
        entry += vn_next
    if not found:
        fail(path, f"requires no version named {version}")
    with open(path, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
