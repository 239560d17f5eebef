#!/usr/bin/env bash
# The regime map: where does quantization recovery of bf16-calibrated unlearning happen?
# A benchmark, not a test: a star design around the default regime (tiny, pretrained base, LoRA rank 16, TOFU,
# seed 0), varying one axis at a time, each point a study or sweep folder under WORK_DIR:
#   width × base    smoke (d64, 2 layers), tiny (d128, 4L), small (d256, 4L), wide (d1024, 2L) × pretrained, random
#   LoRA rank       4, 16, 64 at tiny pretrained
#   INT4 group      32, 64 (the study's int4), 128, whole row (int4:g4096: longer than every row of every preset, so
#                   each row of A and of B is one group) as extra precisions of every point: no extra training.
#                   g128 does not divide smoke's (192) or wide's (2752) intermediate width, so those points skip it.
#   lr × steps      a sweep over the study's calibration ladder (lr 2e-4..5e-3 × steps 5,10,20; smoke 5,10) for ga
#                   and npo-gdr, at tiny pretrained (and smoke): FA at INT4 of every rung, not only the calibrated one.
#   near threshold  ga in fine steps around where FA_bf16 first reaches the audit target, which the ladder straddles
#                   coarsely (tiny: 2e-4 × 5 fails, 2e-4 × 10 passes; wide: its weakest rung, 2e-4 × 5, already
#                   passes): tiny lr 2e-4 × steps 5..10, wide lr 1e-4, 2e-4 × steps 1..5. If rounding undoes any
#                   forgetting, it is that of the smallest update that just passes the audit.
#   pipeline        fresh-adapter (full fine-tune in NF4, a fresh LoRA unlearns; measured adapter-space and merged into
#                   the target's own NF4 blocks) and full (every weight fine-tuned and unlearned; measured with the
#                   whole model in bitsandbytes' 8-bit and 4-bit formats) at smoke, tiny, small and wide, pretrained,
#                   rank 16: the regimes where recovery is published (docs/design.md#pipelines). Each study also builds
#                   its positive control (docs/design.md#positive-control).
# Methods: ga (gradient ascent alone), graddiff (GA + retain NLL), npo-gdr (preference-style NPO + retain), simnpo
# (reference-free NPO), rmu (representation misdirection, no output loss), saf (DurableUn-SAF, trained against the
# 4-bit rounding its pipeline ships: int4 in adapter space, merged-nf4 for fresh-adapter, model-int4 for full):
# one per family of the catalog, plus the quantization-aware method. Each study calibrates them in bf16 only (the
# weakest ladder rung with FA_bf16 <= floor + 0.05), and that calibrated run is measured at every INT4 group.
# Points run cheapest first (smoke, tiny, sweeps, small, wide, then the near-threshold sweeps), so a partial run already
# gives a useful table.
#
# Usage: bench/regime_map.sh [WORK_DIR] [--quick] [--cache DIR] [--points NAME,NAME...] [--methods LIST]
#   WORK_DIR   default runs/regime_map; points.txt lists the points of the last invocation, logs/ has one log each,
#              times.tsv the wall time of every run of a point.
#   --quick    only the smoke points (checks the script end to end).
#   --cache    pretrained bases (default WORK_DIR/cache; the tiny base is the one the README's study uses).
#   --points   only these points, in this order (names as in points.txt, e.g. tiny-pretrained-r16): with a few hours,
#              run the width axis first (smoke, tiny, small at pretrained r16), then the rest.
#   --methods  the study points' methods instead of the six below (e.g. ga,graddiff for the wide pipeline points:
#              GA is the positive control's source and GradDiff the public TOFU replication's method; the pipeline
#              points' fine-tunes and calibrations at d 1024 cost over an hour each with all six).
# One invocation per checkout at a time: each starts by rebuilding the CLI that a running point is executing (name
# several points in one --points list instead).
# Resume: rerun the same command. A study or sweep folder resumes where it stopped (finished cells are skipped, a
# finished point only re-collects its results); a failed point is logged and the next one runs.
# Tables: dotnet run -c Release --project bench/DurableUn.Bench -- regime-table WORK_DIR  (also WORK_DIR/regime_map.md;
# works on a partial run: points not finished show as missing).
# Time on this 2-core machine (see times.tsv; always with other work beside it, e.g. a second point): smoke points a few
# minutes each (pretraining the smoke base included); tiny points 2-10 min with the base cached; small ~21 min; wide
# (d1024) ~55-61 min once to pretrain its base, then ~21 min per study point (two 400-step adapters ~6.5 min each),
# ~15 min for its near-threshold sweep, and with GA and GradDiff 16 min (fresh-adapter) and 39 min (full: two full
# fine-tunes of 15-19 min with the test suite beside them) per pipeline point.
set -euo pipefail
cd "$(dirname "$0")/.."

work="" cache="" quick=0 only= methods_arg=
while [ $# -gt 0 ]; do
    case $1 in
        --quick) quick=1 ;;
        --cache) cache=$2; shift ;;
        --points) only=$2; shift ;;
        --methods) methods_arg=$2; shift ;;
        -*) echo "unknown option $1 (usage: bench/regime_map.sh [WORK_DIR] [--quick] [--cache DIR] [--points NAME,...] [--methods LIST])" >&2; exit 2 ;;
        *) work=$1 ;;
    esac
    shift
done
work=${work:-runs/regime_map}
mkdir -p "$work/logs"
work=$(realpath "$work")
cache=$(realpath -m "${cache:-$work/cache}")

dotnet build src/DurableUn.Cli -c Release -v q -nologo >/dev/null
cli=(dotnet src/DurableUn.Cli/bin/Release/net10.0/durableun.dll)

methods=${methods_arg:-ga,graddiff,npo-gdr,simnpo,rmu,saf}
precisions() { # PRESET: bf16 and every INT4 group that fits the preset's widths
    case $1 in
        smoke|wide) echo bf16,int4:g32,int4,int4:g4096 ;;
        *) echo bf16,int4:g32,int4,int4:g128,int4:g4096 ;;
    esac
}
pipeline_precisions() { # PIPELINE: the pipeline's deployments (PipelineDeployments.DefaultPrecisions, plus nf4 with double quantization)
    case $1 in
        fresh-adapter) echo bf16,int8,int4,merged-nf4,merged-int4 ;;
        full) echo bf16,model-int8,model-int4,model-fp4,model-nf4,model-nf4:dq ;;
    esac
}
ladder_steps() { case $1 in smoke) echo 5,10 ;; *) echo 5,10,20 ;; esac; }   # StudySpec's ladders

names=() points=()
study() { names+=("$1-$2-r$3"); points+=("study $1 $2 $3 -"); }          # PRESET BASE RANK
sweep() { names+=("$1-pretrained-r16-sweep-$2"); points+=("sweep $1 pretrained 16 $2"); }   # PRESET METHOD
pipeline() { names+=("$1-pretrained-r16-$2"); points+=("pipeline $1 pretrained 16 $2"); }   # PRESET PIPELINE
near() { names+=("$1-pretrained-r16-near-$2"); points+=("near $1 pretrained 16 $2"); }     # PRESET METHOD
near_grid() { # PRESET: lr and steps axes bracketing the first rung that passes (see "near threshold" above)
    case $1 in
        wide) echo "--grid lr=1e-4,2e-4 --grid steps=1,2,3,4,5" ;;
        *) echo "--grid lr=2e-4 --grid steps=5,6,7,8,9,10" ;;
    esac
}

run_point() { # NAME KIND PRESET BASE RANK METHOD
    local name=$1 kind=$2 preset=$3 base=$4 rank=$5 method=$6
    local common=(--preset "$preset" --base "$base" --lora-rank "$rank" --precisions "$(precisions "$preset")"
                  --cache "$cache" --out "$work/$name")
    case $kind in
        study) "${cli[@]}" study "${common[@]}" --datasets tofu --seeds 0 --methods "$methods" --published none ;;
        # the study's calibration ladder as a grid, at seed 0 as the study's calibration probes
        sweep) "${cli[@]}" sweep "${common[@]}" --dataset tofu --seed 0 --method "$method" \
                   --grid lr=2e-4,5e-4,1e-3,2e-3,5e-3 --grid steps="$(ladder_steps "$preset")" ;;
        pipeline) "${cli[@]}" study --preset "$preset" --base "$base" --lora-rank "$rank" --pipeline "$method" \
                   --precisions "$(pipeline_precisions "$method")" --cache "$cache" --out "$work/$name" \
                   --datasets tofu --seeds 0 --methods "$methods" --published none ;;
        # shellcheck disable=SC2046 # near_grid's words are options
        near) "${cli[@]}" sweep "${common[@]}" --dataset tofu --seed 0 --method "$method" $(near_grid "$preset") ;;
    esac
}

study smoke pretrained 16
study smoke random 16
sweep smoke ga
pipeline smoke fresh-adapter
pipeline smoke full
if [ $quick = 0 ]; then
    pipeline tiny fresh-adapter
    pipeline tiny full
    study tiny pretrained 16        # the default regime, the centre of the star
    study tiny random 16
    study tiny pretrained 4
    study tiny pretrained 64
    sweep tiny ga
    sweep tiny npo-gdr
    study small pretrained 16
    study small random 16
    study wide pretrained 16
    study wide random 16
    near tiny ga
    near wide ga
    pipeline small fresh-adapter
    pipeline small full
    pipeline wide fresh-adapter
    pipeline wide full
fi
if [ -n "$only" ]; then   # keep the named points, in the order given; an unknown name is an error, not a no-op
    declare -A kind_of=()
    for i in "${!names[@]}"; do kind_of[${names[$i]}]=${points[$i]}; done
    names=() points=()
    IFS=, read -ra wanted <<<"$only"
    for name in "${wanted[@]}"; do
        [ -n "${kind_of[$name]:-}" ] || { echo "--points: no point named '$name' (see points.txt of a full run)" >&2; exit 2; }
        names+=("$name"); points+=("${kind_of[$name]}")
    done
fi
printf '%s\n' "${names[@]}" >"$work/points.txt"

failed=()
for i in "${!names[@]}"; do
    name=${names[$i]}
    echo "== [$((i + 1))/${#names[@]}] $name ($(date -u +%H:%M:%S) UTC)"
    start=$(date +%s)
    # shellcheck disable=SC2086 # the point's fields are single words
    if run_point "$name" ${points[$i]} >"$work/logs/$name.log" 2>&1; then status=ok; else status=failed; failed+=("$name"); fi
    seconds=$(($(date +%s) - start))
    printf '%s\t%s\t%s\t%s\n' "$name" "$seconds" "$status" "$(date -u +%FT%TZ)" >>"$work/times.tsv"
    echo "   $status in ${seconds} s (log: $work/logs/$name.log)"
done

echo "points in $work; table: dotnet run -c Release --project bench/DurableUn.Bench -- regime-table $work"
if [ ${#failed[@]} -gt 0 ]; then echo "failed: ${failed[*]}" >&2; exit 1; fi
