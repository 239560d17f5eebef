#!/usr/bin/env bash
# Wall time of the README's main job, the default tiny study with --jobs 2 as the README runs it, twice in fresh folders:
#   1. first run: an empty base cache, so the study pretrains its base (goal: under 13 min on 2 cores);
#   2. cached run: the same cache, so the base is reused (goal: at or under 10 min).
# Every progress line is stamped with the seconds since its run began, so the log shows how the time splits
# (pretraining, preparation, calibration, cells, report). Usage: bench/study_time.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
dotnet build src/DurableUn.Cli -c Release -v q -nologo >/dev/null
cli=src/DurableUn.Cli/bin/Release/net10.0/durableun.dll

run() { # NAME: runs the study into $work/NAME with the cache $work/cache, stamping each line
    local name=$1 start
    start=$(date +%s.%N)
    dotnet "$cli" study --preset tiny --jobs 2 --out "$work/$name" --cache "$work/cache" 2>&1 |
        while IFS= read -r line; do
            printf '%7.1f  %s\n' "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{print b-a}')" "$line"
        done | tee "$work/$name.log"
    echo "$name: $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f", b-a}') s wall" | tee -a "$work/times.txt"
}

rm -rf "$work/cache"
run first-run
run cached-run
echo "tiny study on $(nproc) cores, load before start $(cut -d' ' -f1 /proc/loadavg) (logs in $work):"
cat "$work/times.txt"
