#!/usr/bin/env bash
# Make TorchSharp's native library load on a machine whose libstdc++ lacks GLIBCXX_3.4.32 (Debian 12).
#
# Usage: fix-libstdcxx.sh OUTPUT_DIR SHIM_BUILD_DIR
#
# libLibTorchSharp.so (TorchSharp 0.107) needs GLIBCXX_3.4.32 for one symbol, std::ios_base_library_init().
# For every copy of it under OUTPUT_DIR (never the NuGet cache) this:
#   1. marks that version requirement weak (weaken_verneed.py), so the loader does not refuse the library;
#   2. adds NEEDED libios_base_library_init.so, a no-op definition of the symbol, placed next to it.
# It does nothing where the system libstdc++ already has GLIBCXX_3.4.32, and nothing to a copy already
# patched, so running it on every build is cheap and idempotent. Each copy is patched in a temporary file
# and renamed into place, so a hard link into the NuGet cache is broken rather than written through.
set -euo pipefail
out=$1
shim_dir=$2
here=$(cd "$(dirname "$0")" && pwd)
version=GLIBCXX_3.4.32
shim=libios_base_library_init.so

mapfile -t libs < <(find "$out" -name libLibTorchSharp.so -type f 2>/dev/null)
[ ${#libs[@]} -gt 0 ] || exit 0

libstdcxx=$( (ldconfig -p 2>/dev/null || /sbin/ldconfig -p) | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
if [ -n "$libstdcxx" ] && grep -qa "$version" "$libstdcxx"; then
  exit 0   # this libstdc++ already provides the version: nothing to fix
fi

for tool in gcc patchelf python3; do
  command -v "$tool" >/dev/null || {
    echo "error DU0001: $tool not found. DurableUn needs gcc, patchelf and python3 to make TorchSharp load on this machine (its libstdc++ lacks $version). Install them: apt-get install -y gcc patchelf python3" >&2
    exit 1
  }
done

mkdir -p "$shim_dir"
if [ ! -f "$shim_dir/$shim" ] || [ "$here/ios_base_library_init.c" -nt "$shim_dir/$shim" ]; then
  gcc -shared -fPIC -O2 -o "$shim_dir/$shim.tmp" "$here/ios_base_library_init.c"
  mv -f "$shim_dir/$shim.tmp" "$shim_dir/$shim"
fi

for lib in "${libs[@]}"; do
  dir=$(dirname "$lib")
  cp -f "$shim_dir/$shim" "$dir/$shim"
  if patchelf --print-needed "$lib" | grep -qx "$shim"; then
    continue   # already patched
  fi
  tmp="$lib.patching"
  cp -f "$lib" "$tmp"
  python3 "$here/weaken_verneed.py" "$tmp" "$version"
  patchelf --add-needed "$shim" "$tmp"
  mv -f "$tmp" "$lib"
done
