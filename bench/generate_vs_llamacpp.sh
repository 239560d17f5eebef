#!/usr/bin/env bash
# Greedy decoding speed, DurableUn against llama.cpp (node-llama-cpp 3.21.1's prebuilt CPU binaries), side by side in
# one run on the same weights: each preset's freshly initialised model (`durableun init`), exported as a dense f32
# GGUF for llama.cpp. For 1 and 2 intra-op threads, idle and then with one busy neighbour process (a shell spin loop,
# as a study beside another study): llama.cpp single-stream tokens/s; ours single-stream dense, single-stream deployed
# QLoRA (nf4), and batched (64 prompts × 48 tokens, one left-padded batch, as the suites decode). Then a profile of one
# decode step and the ratios against the goals (dense ≥ 0.8× llama.cpp's best; deployed ≥ 0.8× dense;
# batched above llama.cpp's single stream). The load average is printed with every number: on a shared machine the
# numbers mean little without it. Both decoders must give the same first tokens (f32 weights, greedy): printed.
# Needs: npm ci --prefix tools/llama-check.  Usage: bench/generate_vs_llamacpp.sh [NEW_TOKENS] [PRESETS...]
set -euo pipefail
cd "$(dirname "$0")/.."
new=${1:-128}; shift || true
presets=("${@:-tiny}")
[ -d tools/llama-check/node_modules/node-llama-cpp ] || { echo "run: npm ci --prefix tools/llama-check" >&2; exit 2; }
dotnet build src/DurableUn.Cli -c Release -v q -nologo >/dev/null
dotnet build bench/DurableUn.Bench -c Release -v q -nologo >/dev/null
cli="dotnet src/DurableUn.Cli/bin/Release/net10.0/durableun.dll"
bench="dotnet bench/DurableUn.Bench/bin/Release/net10.0/DurableUn.Bench.dll"
work=$(mktemp -d); trap 'rm -rf "$work"; [ -n "${busy:-}" ] && kill "$busy" 2>/dev/null || true' EXIT
ids=1,10,11,12,13,14     # BOS and a few ordinary ids; every preset's vocabulary is larger
load() { cut -d' ' -f1 /proc/loadavg; }
best() { grep -o "$1=[0-9.]*" | cut -d= -f2 | sort -g | tail -1; }

for preset in "${presets[@]}"; do
  $cli init --preset "$preset" --out "$work/$preset" >/dev/null
  $cli export gguf "$work/$preset" --type f32 --out "$work/$preset.gguf" >/dev/null
  for neighbour in idle busy; do
    busy=""
    if [ "$neighbour" = busy ]; then (while :; do :; done) & busy=$!; sleep 1; fi
    for t in 1 2; do
      l=$(node tools/llama-check/generate.mjs "$work/$preset.gguf" "$ids" "$new" "$t")
      echo "$preset $neighbour llama.cpp threads=$t load=$(load) $(echo "$l" | sed 's/.*"tokens_per_s":\([0-9.]*\).*"ids":\[\([0-9,]*\)\].*/llama_tokens_per_s=\1 ids=\2/' | cut -c1-120)"
      o=$($bench generate "$work/$preset" "$ids" "$new" "$t")
      echo "$o" | sed "s/^/$preset $neighbour durableun load=$(load) /"
    done | tee "$work/$preset.$neighbour.txt"
    [ -n "$busy" ] && kill "$busy" && wait "$busy" 2>/dev/null || true
    busy=""
    f="$work/$preset.$neighbour.txt"
    llama=$(best llama_tokens_per_s < "$f")
    dense=$(grep 'model=dense' "$f" | best single_tokens_per_s)
    nf4=$(grep 'model=qlora-nf4' "$f" | best single_tokens_per_s)
    batched=$(grep 'model=dense' "$f" | best batched64_tokens_per_s)
    awk -v p="$preset" -v n="$neighbour" -v l="$llama" -v d="$dense" -v q="$nf4" -v b="$batched" 'BEGIN {
      printf "%s %s: llama.cpp best %.0f tok/s; dense %.0f (%.2fx llama.cpp, goal >= 0.8); deployed nf4 %.0f (%.2fx dense, goal >= 0.8); batched %.0f (%.2fx llama.cpp single, goal > 1)\n",
        p, n, l, d, d / l, q, q / d, b, b / l }'
  done
done
