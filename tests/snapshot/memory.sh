#!/usr/bin/env bash
# Peak host memory of reading a snapshot: inspecting a snapshot with 8 MiB of
# dirty pages must not hold the file in memory (old rvrun: +8 MiB), and
# resuming it must hold the guest's pages once, not the file as well (old
# rvrun: about twice the file). Maximum RSS from GNU time, measured against a
# fresh rvrun start of the same program; the bounds leave room for allocator
# noise but not for a second copy. Bench: bench/snapshot/rss.sh at 1 GiB.
# usage: memory.sh RVRUN DIRTY_K_ELF
. "$(dirname "$0")/lib.sh"
rvrun=$(realpath "$1")
elf=$(realpath "$2")
cd "$work" || exit 99
[ -x /usr/bin/time ] || { echo "GNU time missing: skipped"; exit 77; }
maxrss() { /usr/bin/time -f '%M' -o rss.txt "$@" > /dev/null 2>&1; tail -n 1 rss.txt; }

"$rvrun" --report whole.json "$elf" 2048 > /dev/null
cycles=$(report_field whole.json cycles)
"$rvrun" --max-cycles $((cycles - 1)) --snapshot s.snap "$elf" 2048 > /dev/null
check "snapshot written" [ -s s.snap ]
size=$(( $(stat -c %s s.snap) / 1024 ))
check "the snapshot holds the 8 MiB of pages ($size KiB)" [ "$size" -ge 8192 ]
base=$(maxrss "$rvrun" --max-cycles 1 "$elf" 2048)
inspect=$(maxrss "$rvrun" --inspect s.snap)
resume=$(maxrss "$rvrun" --resume s.snap --max-cycles 1)
"$rvrun" --max-cycles $((cycles - 1)) --snapshot z.snap --snapshot-compress "$elf" 2048 > /dev/null
zresume=$(maxrss "$rvrun" --resume z.snap --max-cycles 1)
zinspect=$(maxrss "$rvrun" --inspect z.snap)
echo "KiB: snapshot $size, fresh start $base, inspect $inspect (zstd $zinspect), resume $resume (zstd $zresume)"
check "inspect holds well under half the file" [ $((inspect - base)) -lt $((size / 2)) ]
check "inspect of the zstd file too" [ $((zinspect - base)) -lt $((size / 2)) ]
check "resume holds the pages about once (plus a few MiB)" [ $((resume - base)) -lt $((size * 3 / 2 + 4096)) ]
check "resume of the zstd file too" [ $((zresume - base)) -lt $((size * 3 / 2 + 4096)) ]
finish
