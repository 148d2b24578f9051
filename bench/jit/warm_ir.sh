#!/usr/bin/env bash
# Host instructions (callgrind Ir) of each bench program's warm, metered run
# on the cache file's code, for one or more rvrun builds side by side:
#   bash bench/jit/warm_ir.sh RVRUN [RVRUN...] [-- program ...]
# (after ninja -C build and make -C bench; needs valgrind).
#
# The cache file is written by two synchronous runs (--jit-sync, so the same
# slots are compiled every time), then the third run, which compiles nothing,
# is counted. Unlike CPU time on this 2-core VM, whose runs of one binary fall
# into two groups about 40% apart, the count repeats to a few hundred
# instructions, so small changes to the generated code can be compared. It
# does not see cache misses or branch mispredictions: confirm a gain in time
# (bench/jit/aot.sh, scripts/bench.sh --jit) before recording it.
set -euo pipefail
cd "$(dirname "$0")/../.."
builds=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do builds+=("$1"); shift; done
[ "${1:-}" = -- ] && shift
[ ${#builds[@]} -gt 0 ] || { echo "usage: $0 RVRUN [RVRUN...] [-- program ...]" >&2; exit 2; }
progs=${*:-sort crc32 sha256 bytecode matmul strings linkedlist branchy memory}
command -v valgrind >/dev/null || { echo "warm_ir: valgrind is not installed" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

header="| program"; rule="|---"
for b in "${builds[@]}"; do header="$header | $b"; rule="$rule|---:"; done
[ ${#builds[@]} -gt 1 ] && { header="$header | last / first"; rule="$rule|---:"; }
echo "$header |"; echo "$rule|"
declare -A logsum
for p in $progs; do
    elf=build/bench/riscv/$p.elf
    [ -f "$elf" ] || { echo "warm_ir: $elf is missing (make -C bench)" >&2; exit 2; }
    line="| $p"; first= last=
    for i in "${!builds[@]}"; do
        rvrun=${builds[$i]} cache=$tmp/$i.$p
        mkdir -p "$cache"
        for _ in 1 2; do "$rvrun" --engine jit --jit-sync --jit-cache "$cache" "$elf" >/dev/null 2>&1; done
        ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$rvrun" --engine jit \
                 --jit-cache "$cache" --max-cycles 1000000000000000 "$elf" 2>&1 >/dev/null |
             sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
        [ -n "$ir" ] || { echo "warm_ir: callgrind gave no count for $rvrun $p" >&2; exit 1; }
        line="$line | $ir"; [ -z "$first" ] && first=$ir; last=$ir
        logsum[$i]=$(awk -v s="${logsum[$i]:-0}" -v v="$ir" 'BEGIN {printf "%.9f", s + log(v)}')
    done
    [ ${#builds[@]} -gt 1 ] && line="$line | $(awk -v a="$first" -v b="$last" 'BEGIN {printf "%.3f", b / a}')"
    echo "$line |"
done
n=$(echo $progs | wc -w)
line="| **geomean**"
for i in "${!builds[@]}"; do line="$line | $(awk -v s="${logsum[$i]}" -v n="$n" 'BEGIN {printf "%.0f", exp(s / n)}')"; done
last_i=$((${#builds[@]} - 1))
[ ${#builds[@]} -gt 1 ] && line="$line | $(awk -v a="${logsum[0]}" -v b="${logsum[$last_i]}" -v n="$n" 'BEGIN {printf "%.3f", exp((b - a) / n)}')"
echo "$line |"
