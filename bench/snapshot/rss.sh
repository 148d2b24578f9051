#!/usr/bin/env bash
# Peak host memory (maximum RSS) of resuming and inspecting a snapshot with
# 1 GiB of dirty guest pages, for the rvrun given (default build/rvrun).
#
#   bash bench/snapshot/rss.sh [RVRUN] [KIB]
#
# Builds dirty_mb with a 1 GiB array (build/bench/snapshot/dirty_gb.elf),
# runs `dirty_gb KIB` (default 1048576 = 1 GiB) in a 2 GiB guest to one cycle
# before its exit, saves a snapshot there (uncompressed, then zstd), and
# reports the maximum RSS of `rvrun --resume SNAP --max-cycles 1` and of
# `rvrun --inspect SNAP` (GNU time's "Maximum resident set size") next to the
# snapshot's size. Works with any rvrun that has --snapshot/--resume/--inspect,
# so an older build can be measured the same way.
set -euo pipefail
cd "$(dirname "$0")/../.."
rvrun=$(realpath "${1:-build/rvrun}")
kib=${2:-1048576}
out=build/bench/snapshot
mkdir -p "$out/rss"
rt=tests/guests
riscv64-unknown-elf-gcc -O2 -nostdlib -nostartfiles -static -ffreestanding -fno-builtin \
    -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -Wall -Wextra -Werror \
    -Wl,--no-warn-rwx-segments -DARRAY_KIB=1048576u \
    -I"$rt" -o "$out/dirty_gb.elf" "$rt/start.S" "$rt/rt.c" bench/snapshot/dirty_mb.c
elf=$(realpath "$out/dirty_gb.elf")
cd "$out/rss"
rss() { # rss CMD...: maximum resident set size in KiB
    /usr/bin/time -f '%M' -o rss.txt "$@" > /dev/null 2>&1 || true
    tail -n 1 rss.txt
}
"$rvrun" --memory 2G --report whole.json "$elf" "$kib" > /dev/null
cycles=$(sed -n 's/.*"cycles": \([0-9]*\).*/\1/p' whole.json)
echo "rvrun: $rvrun"
echo "guest: dirty_gb $kib (KiB written), 2 GiB guest memory, $cycles cycles"
echo "| snapshot | file size (MiB) | resume max RSS (MiB) | inspect max RSS (MiB) | fresh run to the same point, max RSS (MiB) |"
echo "| --- | ---: | ---: | ---: | ---: |"
run_rss=$(rss "$rvrun" --memory 2G --max-cycles $((cycles - 1)) "$elf" "$kib")
for mode in plain zstd; do
    flag=()
    [ $mode = zstd ] && flag=(--snapshot-compress)
    rm -f s.snap
    "$rvrun" --memory 2G --max-cycles $((cycles - 1)) --snapshot s.snap "${flag[@]}" "$elf" "$kib" \
        > /dev/null || [ $? -eq 124 ]
    size=$(( $(stat -c %s s.snap) / 1048576 ))
    r=$(rss "$rvrun" --resume s.snap --max-cycles 1)
    i=$(rss "$rvrun" --inspect s.snap)
    echo "| $mode | $size | $((r / 1024)) | $((i / 1024)) | $((run_rss / 1024)) |"
done
rm -f s.snap
