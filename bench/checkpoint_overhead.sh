#!/usr/bin/env bash
# Cost of periodic in-memory checkpoints (rvrun --checkpoint-every, docs/checkpoints.md)
# on the benchmark programs: each program with and without
# `--checkpoint-every EVERY --keep K`, runs interleaved, medians of the
# user + system CPU time, and the peak RSS of both. The memory bound is
# K x the pages dirtied per interval; the pages a program writes at all (a
# snapshot one cycle before its end holds exactly those) bound the pages
# dirtied in any one interval, so the check is RSS(with) - RSS(without) <=
# K x written pages x 4 KiB. Prints a Markdown table for docs/performance.md.
#
#   bash bench/checkpoint_overhead.sh [--runs N] [--every CYCLES] [--keep K] [--programs a,b]
#                                     [--chain]
#
# --chain adds --checkpoint-dir (a new directory under /tmp for each run): the
# cost of also writing every checkpoint to disk as a snapshot chain.
#
# Not a test: timings depend on the machine. Needs a release build in build/
# (scripts/build.sh) and the programs (make -C bench).
set -euo pipefail
cd "$(dirname "$0")/.."
chain= runs=5 every=100000000 keep=2 programs=sort,crc32,sha256,bytecode,matmul,strings,linkedlist,branchy,memory
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --every) every=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --programs) programs=$2; shift 2 ;;
    --chain) chain=1; shift ;;
    *) echo "usage: $0 [--runs N] [--every CYCLES] [--keep K] [--programs a,b] [--chain]" >&2; exit 2 ;;
  esac
done
[ -x build/rvrun ] || bash scripts/build.sh
make -s -C bench
rvrun=build/rvrun timer=build/bench/timer
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "- Machine: $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) CPUs; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- Command: \`bash bench/checkpoint_overhead.sh --runs $runs --every $every --keep $keep${chain:+ --chain}\` (median of $runs runs each, user + system CPU time; runs interleaved)"
echo
echo "| program | cycles | checkpoints | plain CPU s | checkpointed CPU s | overhead | plain RSS KiB | checkpointed RSS KiB | RSS growth KiB | K x written pages KiB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
IFS=, read -ra names <<<"$programs"
for p in "${names[@]}"; do
  elf=build/bench/riscv/$p.elf
  "$rvrun" --engine interp --report "$tmp/r.json" "$elf" >/dev/null
  cycles=$(sed -n 's/^ *"cycles": \([0-9]*\).*/\1/p' "$tmp/r.json")
  "$rvrun" --engine interp --max-cycles $((cycles - 1)) --snapshot "$tmp/s.snap" "$elf" >/dev/null || true
  written=$("$rvrun" --inspect "$tmp/s.snap" --json | python3 -c \
    'import json,sys; print(sum(1 for p in json.load(sys.stdin)["pages"] if p.get("kind") in ("data","zero")))')
  : >"$tmp/plain" ; : >"$tmp/ckpt"
  for _ in $(seq "$runs"); do
    "$timer" -o /dev/null -- "$rvrun" --engine interp "$elf" >>"$tmp/plain"
    rm -rf "$tmp/chain"
    "$timer" -o /dev/null -- "$rvrun" --engine interp --checkpoint-every "$every" --keep "$keep" \
      ${chain:+--checkpoint-dir "$tmp/chain"} "$elf" >>"$tmp/ckpt"
  done
  python3 - "$p" "$cycles" "$every" "$keep" "$written" "$tmp/plain" "$tmp/ckpt" <<'PY'
import statistics, sys
name, cycles, every, keep, written, plain, ckpt = sys.argv[1:]
cycles, every, keep, written = int(cycles), int(every), int(keep), int(written)
def load(path):
    rows = [l.split() for l in open(path) if l.strip()]
    return [float(r[3]) for r in rows], [int(r[2]) for r in rows]
pc, pr = load(plain); cc, cr = load(ckpt)
mp, mc = statistics.median(pc), statistics.median(cc)
rp, rc = max(pr), max(cr)
print(f"| {name} | {cycles:,} | {1 + cycles // every} | {mp:.3f} | {mc:.3f} | "
      f"{(mc / mp - 1) * 100:+.1f}% | {rp} | {rc} | {rc - rp} | {keep * written * 4} |")
PY
done
