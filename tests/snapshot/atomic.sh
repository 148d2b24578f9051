#!/bin/bash
# Snapshot writes are atomic: a failed or killed writer never leaves a
# partial file at the snapshot's path.
#
#   atomic.sh RVRUN dirty_k.elf hello.elf
#
# (a) Injected write failures, the previous snapshot at the path must
#     survive byte-identical, no temporary file may remain, rvrun exits 125
#     with one line on stderr:
#       - a file-size limit (ulimit -f, SIGXFSZ ignored so write() fails
#         with EFBIG instead of killing the process);
#       - the path is a directory, so the final rename() fails.
# (b) kill -9 at many moments while rvrun writes an 8 MiB snapshot (dirty_k
#     2000): afterwards the path holds either the old snapshot or a complete
#     valid new one (rvrun --inspect accepts it and it records the budget),
#     never a partial file. Temporary files left by a killed writer are
#     allowed (nothing can remove them); they are counted, reported and
#     must themselves never be at the snapshot's path.
set -u
RVRUN=$(realpath "$1") DK=$2 HELLO=$3
. "$(dirname "$0")/lib.sh"

# budget_before_exit K: total cycles of dirty_k K minus one.
budget_before_exit() {
    "$RVRUN" --report "$work/b.json" "$DK" "$1" > /dev/null
    echo $(($(report_field "$work/b.json" cycles) - 1))
}

# ---- (a) injected failures -----------------------------------------------
b16=$(budget_before_exit 16)
b256=$(budget_before_exit 256)
"$RVRUN" --max-cycles "$b16" --snapshot "$work/a.snap" "$DK" 16 > /dev/null
check "the old snapshot is written (124)" [ $? -eq 124 ]
cp "$work/a.snap" "$work/a.orig"
old_size=$(stat -c %s "$work/a.snap")

# 256 KiB limit (bash counts ulimit -f in 1024-byte blocks); the new
# snapshot would be about 1 MiB.
(
    trap '' XFSZ
    ulimit -f 256
    exec "$RVRUN" --max-cycles "$b256" --snapshot "$work/a.snap" "$DK" 256
) > "$work/a.out" 2> "$work/a.err"
st=$?
check "file-size limit: exit status 125 (got $st)" [ "$st" -eq 125 ]
check "file-size limit: one line on stderr: $(tr '\n' '|' < "$work/a.err")" one_line "$work/a.err"
check "file-size limit: the old snapshot survives byte-identical" cmp -s "$work/a.orig" "$work/a.snap"
check "file-size limit: no temporary files left" no_temp_files "$work"
check "file-size limit: the old snapshot is still valid" \
    "$RVRUN" --inspect "$work/a.snap" > /dev/null
# Control: the same run without the limit replaces the file.
"$RVRUN" --max-cycles "$b256" --snapshot "$work/c.snap" "$DK" 256 > /dev/null
check "control: without the limit the snapshot is written" [ $? -eq 124 ]
check "control: and is larger than the limit ($(stat -c %s "$work/c.snap") bytes)" \
    [ "$(stat -c %s "$work/c.snap")" -gt $((256 * 1024)) ]

# The target is a directory: write and fsync succeed, rename() fails.
mkdir "$work/dir.snap"
touch "$work/dir.snap/keep"
"$RVRUN" --max-cycles "$b16" --snapshot "$work/dir.snap" "$DK" 16 > /dev/null 2> "$work/d.err"
st=$?
check "path is a directory: exit status 125 (got $st)" [ "$st" -eq 125 ]
check "path is a directory: one line on stderr" one_line "$work/d.err"
check "path is a directory: directory untouched" test -d "$work/dir.snap" -a -e "$work/dir.snap/keep"
check "path is a directory: no temporary files left" no_temp_files "$work"
echo "(a) done: old snapshot $old_size bytes kept; messages: $(cat "$work/a.err") / $(cat "$work/d.err")"

# ---- (b) kill -9 mid-write --------------------------------------------------
b2000=$(budget_before_exit 2000)
k=$work/kill
mkdir -p "$k"
"$RVRUN" --max-cycles "$b16" --snapshot "$k/old.snap" "$DK" 16 > /dev/null
start=$(date +%s%N)
"$RVRUN" --max-cycles "$b2000" --snapshot "$k/new.snap" "$DK" 2000 > /dev/null
check "control: the big snapshot is written (124)" [ $? -eq 124 ]
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
new_size=$(stat -c %s "$k/new.snap")
check "control: the big snapshot holds the 2000 pages ($new_size bytes)" [ "$new_size" -gt $((2000 * 4096)) ]

# Delays from 1 ms to about 1.5x the time of a whole run, in 40 steps, plus
# one without any kill.
n_old=0 n_new=0 n_tmp=0 n_runs=0
steps=40
max_ms=$((elapsed_ms * 3 / 2 + 5))
for i in $(seq 0 "$steps"); do
    cp "$k/old.snap" "$k/s.snap"
    delay_ms=$((1 + i * max_ms / steps))
    delay=$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))
    if [ "$i" -eq "$steps" ]; then
        "$RVRUN" --max-cycles "$b2000" --snapshot "$k/s.snap" "$DK" 2000 > /dev/null 2>&1
    else
        # --foreground: timeout kills only rvrun, not its own process group
        # (which would make the shell print a "Killed" notice).
        timeout --foreground -s KILL "$delay" \
            "$RVRUN" --max-cycles "$b2000" --snapshot "$k/s.snap" "$DK" 2000 > /dev/null 2>&1
    fi
    n_runs=$((n_runs + 1))
    tmps=$(find "$k" -maxdepth 1 -name 's.snap.tmp.*' | wc -l)
    if [ "$tmps" -gt 0 ]; then
        n_tmp=$((n_tmp + 1))
        echo "kill after ${delay}s: $tmps temporary file(s) left: $(ls -l "$k"/s.snap.tmp.* | awk '{print $5 " bytes"}' | tr '\n' ' ')"
        rm -f "$k"/s.snap.tmp.*
    fi
    if [ ! -e "$k/s.snap" ]; then
        fail "kill after ${delay}s: the snapshot path is gone"
    elif cmp -s "$k/old.snap" "$k/s.snap"; then
        n_old=$((n_old + 1))
    elif "$RVRUN" --inspect "$k/s.snap" --json > "$k/i.json" 2> "$k/i.err" &&
        [ "$(json_field "$k/i.json" cycles)" = "$b2000" ] &&
        [ "$(stat -c %s "$k/s.snap")" -eq "$new_size" ]; then
        n_new=$((n_new + 1))
    else
        fail "kill after ${delay}s: the path holds neither the old nor a complete new snapshot ($(stat -c %s "$k/s.snap") bytes: $(cat "$k/i.err"))"
    fi
    ok
done
check "the earliest kill left the old snapshot ($n_old old)" [ "$n_old" -ge 1 ]
check "the run without a kill left a complete new snapshot ($n_new new)" [ "$n_new" -ge 1 ]
echo "(b) $n_runs runs of ~${elapsed_ms} ms killed at 1..${max_ms} ms: $n_old kept the old snapshot," \
    "$n_new have the complete new one, $n_tmp left temporary files (allowed)"

finish
