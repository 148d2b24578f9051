#!/usr/bin/env bash
# CPU time (user+sys, /usr/bin/time) of the bench programs under the
# interpreter, the translation tier without a cache file, a cold run that
# writes one (fresh directory each time: compiles, then saves), a warm run that
# loads it, and qemu-riscv64; the median of RUNS runs each, side by side.
#   bash bench/jit/aot.sh [RUNS] [program ...]     (after ninja -C build and make -C bench)
set -u
cd "$(dirname "$0")/../.."
runs=${1:-3}; shift || true
progs=${*:-branchy bytecode crc32 linkedlist matmul memory sha256 sort strings}
rvrun=build/rvrun
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cpu() { # prints user+sys seconds of one run of "$@"
    /usr/bin/time -f "%U %S" -o "$tmp/t" "$@" >/dev/null 2>&1
    awk '{printf "%.2f\n", $1 + $2}' "$tmp/t"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf "| program | interp | jit, no file | jit cold (writes) | jit warm (loads) | qemu | warm/interp | warm/qemu |\n"
printf "|---|---:|---:|---:|---:|---:|---:|---:|\n"
for p in $progs; do
    elf=build/bench/riscv/$p.elf
    [ -f "$elf" ] || continue
    i=$(for r in $(seq "$runs"); do cpu $rvrun --engine interp "$elf"; done | median)
    j=$(for r in $(seq "$runs"); do cpu $rvrun --engine jit "$elf"; done | median)
    c=$(for r in $(seq "$runs"); do rm -rf "$tmp/c"; mkdir "$tmp/c"; cpu $rvrun --engine jit --jit-cache "$tmp/c" "$elf"; done | median)
    w=$(for r in $(seq "$runs"); do cpu $rvrun --engine jit --jit-cache "$tmp/c" "$elf"; done | median)
    q=-
    command -v qemu-riscv64 >/dev/null && q=$(for r in $(seq "$runs"); do cpu qemu-riscv64 "$elf"; done | median)
    wi=$(awk -v w="$w" -v i="$i" 'BEGIN {printf (w > 0 ? "%.2f" : "-"), i / (w > 0 ? w : 1)}')
    wq=$(awk -v w="$w" -v q="$q" 'BEGIN {printf (q > 0 ? "%.2f" : "-"), w / (q > 0 ? q : 1)}')
    printf "| %s | %s | %s | %s | %s | %s | %s× faster | %s× qemu's |\n" "$p" "$i" "$j" "$c" "$w" "$q" "$wi" "$wq"
done
