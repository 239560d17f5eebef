#!/usr/bin/env bash
# Wall time of the README's main job: the default tiny study, from nothing, in a fresh folder.
# Usage: bench/study_time.sh [OUT_DIR]   (prints the study's progress, then the elapsed seconds)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)/tiny}
dotnet build src/DurableUn.Cli -c Release -v q -nologo >/dev/null
start=$(date +%s.%N)
dotnet src/DurableUn.Cli/bin/Release/net10.0/durableun.dll study --preset tiny --out "$out"
end=$(date +%s.%N)
echo "tiny study: $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.0f", b-a}') s wall on $(nproc) cores (folder $out)"
