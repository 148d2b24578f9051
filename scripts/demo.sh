#!/usr/bin/env bash
# Demo: run a guest program under a cycle budget, snapshot it, inspect the
# snapshot, resume it in a new process, and compare with an unsplit run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
rvrun=build/rvrun
prog=build/tests/guests/output_heavy.elf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== unsplit run of $prog"
$rvrun --report "$work/full.json" "$prog" > "$work/full.out" 2> "$work/full.err"
grep -E '"(cycles|state_digest)"' "$work/full.json"

echo "== run with --max-cycles 20000: stops at the budget and writes a snapshot"
set +e
$rvrun --max-cycles 20000 --snapshot "$work/a.snap" "$prog" > "$work/split.out" 2> "$work/split.err"
echo "exit status $? (124 = cycle limit)"
set -e
echo "== rvrun --inspect (first lines)"
$rvrun --inspect "$work/a.snap" | head -n 12
echo "== resume in a new process with 20000 more cycles, then to the end"
set +e
$rvrun --resume "$work/a.snap" --max-cycles 20000 --snapshot "$work/a.snap" >> "$work/split.out" 2>> "$work/split.err"
echo "exit status $?"
set -e
$rvrun --resume "$work/a.snap" --report "$work/split.json" >> "$work/split.out" 2>> "$work/split.err"
grep -E '"(cycles|state_digest)"' "$work/split.json"
echo "guest output: $(wc -l < "$work/full.out") lines on stdout, $(wc -l < "$work/full.err") on stderr; first line: $(head -n 1 "$work/full.out")"
if cmp -s "$work/full.out" "$work/split.out" && cmp -s "$work/full.err" "$work/split.err" &&
   [ "$(grep -v status "$work/full.json")" = "$(grep -v status "$work/split.json")" ]; then
  echo "== identical: output, cycles and state digest match the unsplit run"
else
  echo "== MISMATCH between split and unsplit runs" >&2
  exit 1
fi
