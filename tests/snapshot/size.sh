#!/bin/bash
# Snapshot size follows the dirty pages, not the 8 MiB array.
#
#   size.sh RVRUN dirty_k.elf
#
# dirty_k K fills exactly K pages of an 8 MiB zeroed .bss array, prints
# "dirtied K pages" and returns from main, which exits. A first run with
# --report gives the total cycles; the snapshot is taken with a budget of
# total-1, i.e. stopped before the final exit ecall: the dirtying loop is
# over (its line is already printed) and the program has not exited. Then:
#   K*4096 <= size <= K*4096 + 16 KiB, the data pages listed by --inspect
#   number at least K and at most K+4, the snapshot resumes and exits 0,
#   and with --snapshot-compress the file is smaller.
set -u
RVRUN=$(realpath "$1") DK=$2
. "$(dirname "$0")/lib.sh"

SLACK=16384
prev_size=0
for k in 0 1 16 256; do
    "$RVRUN" --report "$work/r$k.json" "$DK" "$k" > "$work/out$k"
    check "dirty_k $k exits 0" [ $? -eq 0 ]
    total=$(report_field "$work/r$k.json" cycles)
    budget=$((total - 1))
    "$RVRUN" --max-cycles "$budget" --snapshot "$work/s$k.snap" "$DK" "$k" > "$work/cut$k"
    check "dirty_k $k stops with 124 at $budget cycles" [ $? -eq 124 ]
    check "dirty_k $k: the dirtying is finished at the cut" \
        grep -qx "dirtied $k pages" "$work/cut$k"
    size=$(stat -c %s "$work/s$k.snap")
    "$RVRUN" --inspect "$work/s$k.snap" > "$work/i$k.txt"
    data_pages=$(sed -n 's/^pages: *[0-9]* (\([0-9]*\) data.*/\1/p' "$work/i$k.txt")
    check "dirty_k $k: $size bytes >= $k*4096" [ "$size" -ge $((k * 4096)) ]
    check "dirty_k $k: $size bytes <= $k*4096 + $SLACK" [ "$size" -le $((k * 4096 + SLACK)) ]
    check "dirty_k $k: $data_pages data pages, at least $k" [ "${data_pages:-0}" -ge "$k" ]
    check "dirty_k $k: $data_pages data pages, at most $k+4" [ "${data_pages:-999999}" -le $((k + 4)) ]
    check "dirty_k $k: larger than with fewer dirty pages" [ "$size" -gt "$prev_size" ]
    prev_size=$size

    "$RVRUN" --max-cycles "$budget" --snapshot "$work/z$k.snap" --snapshot-compress "$DK" "$k" \
        > /dev/null
    zsize=$(stat -c %s "$work/z$k.snap")
    if [ "$k" -gt 0 ]; then
        check "dirty_k $k: compressed $zsize bytes < uncompressed $size" [ "$zsize" -lt "$size" ]
    fi
    check "dirty_k $k: compressed snapshot says so" \
        grep -q '"compressed": true' <("$RVRUN" --inspect "$work/z$k.snap" --json)
    "$RVRUN" --resume "$work/z$k.snap" > "$work/rest$k"
    check "dirty_k $k: the compressed snapshot resumes and exits 0" [ $? -eq 0 ]
    check "dirty_k $k: nothing left to print after the cut" [ ! -s "$work/rest$k" ]
    echo "k=$k: $total cycles; snapshot $size bytes ($data_pages data pages), compressed $zsize bytes"
done

finish
