#!/usr/bin/env bash
# Training throughput: DurableUn (TorchSharp) against the same model in Debian's PyTorch, one after the other,
# and the ratio. PyTorch gets its best setting: OpenBLAS with pthreads, and the faster of 1 and 2 threads (one is
# usually faster on 2 cores: torch's and OpenBLAS's threads oversubscribe). DurableUn likewise takes its best.
# Needs: apt-get install python3-torch libopenblas0-pthread.  Usage: bench/train_throughput.sh [STEPS]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-20}
dotnet build bench/DurableUn.Bench -c Release -v q -nologo >/dev/null
ours=$(for t in 1 2; do dotnet bench/DurableUn.Bench/bin/Release/net10.0/DurableUn.Bench.dll train "$steps" 3 "$t"; done)
theirs=$(for t in 1 2; do /usr/bin/python3 bench/torch_train_throughput.py "$steps" 3 "$t"; done)
echo "$ours"; echo "$theirs"
o=$(echo "$ours" | grep -o 'tokens_per_s=[0-9]*' | cut -d= -f2 | sort -n | tail -1)
p=$(echo "$theirs" | grep -o 'tokens_per_s=[0-9]*' | cut -d= -f2 | sort -n | tail -1)
echo "best durableun ${o} tokens/s, best pytorch ${p} tokens/s, ratio durableun/pytorch = $(awk -v a="$o" -v b="$p" 'BEGIN{printf "%.2f", a/b}')"
