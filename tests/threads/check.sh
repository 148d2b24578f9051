#!/usr/bin/env bash
# Determinism, slices, deadlock and CLI snapshot chains for threaded programs.
#
#   check.sh RVRUN ELF_DIR EXPECTED_DIR
#
# 1. Every program run twice gives the same stdout, status, cycles,
#    instructions, pc and state digest (--report), and the same stdout again
#    with other slice lengths (their output does not depend on the schedule),
#    while the cycle counts do change with the slice (so the schedule moved).
# 2. deadlock.elf ends with status 142 (RVVM_FAULT_DEADLOCK -> SIGALRM) and
#    the one-line message, after the output it flushed.
# 2b. rvrun --trace (single steps) across turns ends exactly like the run.
# 3. A chain of rvrun processes that stops every K cycles with --snapshot and
#    goes on with --resume ends exactly like the unsplit run (stdout, status,
#    cycles, digest), with K the slice length itself (stops land on turn
#    boundaries) and with an odd K.
# 4. Snapshots from those chains parse with tests/snapshot/snapread.py (the
#    reader written from docs/snapshot-format.md) and hold threads and pipes.
set -u
RVRUN=$(realpath "$1") ELFS=$2 EXP=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/threads_check.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
summary() { for f in status exit_code cycles instructions pc state_digest; do printf '%s=%s ' "$f" "$(field "$1" "$f")"; done; }

# ---- 1. determinism ---------------------------------------------------------
for p in counter condvar pipe compress; do
    e=$ELFS/${THREADS_ELF_PREFIX:-}$p.elf
    "$RVRUN" --report "$work/a.json" "$e" > "$work/a.out" 2>&1; sa=$?
    "$RVRUN" --report "$work/b.json" "$e" > "$work/b.out" 2>&1; sb=$?
    [ "$sa" = 0 ] && [ "$sb" = 0 ] || fail "$p: status $sa / $sb"
    cmp -s "$work/a.out" "$work/b.out" || fail "$p: output differs between two runs"
    cmp -s "$work/a.out" "$EXP/$p.out" || fail "$p: output differs from expected/$p.out"
    [ "$(summary "$work/a.json")" = "$(summary "$work/b.json")" ] ||
        fail "$p: reports differ: $(summary "$work/a.json") vs $(summary "$work/b.json")"
    moved=no
    for s in 997 20000 1000000; do
        "$RVRUN" --thread-slice "$s" --report "$work/c.json" "$e" > "$work/c.out" 2>&1 ||
            fail "$p: --thread-slice $s: status $?"
        cmp -s "$work/a.out" "$work/c.out" || fail "$p: --thread-slice $s changed the output"
        [ "$(field "$work/c.json" cycles)" != "$(field "$work/a.json" cycles)" ] && moved=yes
    done
    [ "$moved" = yes ] || fail "$p: no slice length changed the cycle count (was the schedule used?)"
    echo "ok: $p deterministic: $(summary "$work/a.json")"
done

# ---- 2. deadlock --------------------------------------------------------------
"$RVRUN" "$ELFS/${THREADS_ELF_PREFIX:-}deadlock.elf" > "$work/d.out" 2> "$work/d.err"; st=$?
[ "$st" = 142 ] || fail "deadlock: status $st, expected 142"
[ "$(cat "$work/d.out")" = "both hold one lock" ] || fail "deadlock: stdout '$(cat "$work/d.out")'"
grep -q '^rvrun: deadlock: every thread is blocked (thread [0-9]* at pc 0x[0-9a-f]*)$' "$work/d.err" ||
    fail "deadlock: message '$(cat "$work/d.err")'"
"$RVRUN" --report "$work/d.json" "$ELFS/${THREADS_ELF_PREFIX:-}deadlock.elf" > /dev/null 2>&1
[ "$(field "$work/d.json" status)" = fault ] || fail "deadlock: report status $(field "$work/d.json" status)"
echo "ok: deadlock ends with 142"

# ---- 2b. single-stepping (--trace) switches where a run does ------------------------
e=$ELFS/${THREADS_ELF_PREFIX:-}condvar.elf
"$RVRUN" --thread-slice 997 --max-cycles 300000 --report "$work/t1.json" "$e" > /dev/null 2>&1
"$RVRUN" --thread-slice 997 --max-cycles 300000 --trace "$work/trace.txt" --report "$work/t2.json" \
    "$e" > /dev/null 2>&1
[ "$(summary "$work/t1.json")" = "$(summary "$work/t2.json")" ] ||
    fail "--trace: $(summary "$work/t2.json"), run: $(summary "$work/t1.json")"
[ "$(grep -c . "$work/trace.txt")" = "$(field "$work/t1.json" instructions)" ] ||
    fail "--trace: not one line per instruction"
rm -f "$work/trace.txt"
echo "ok: stepping across turns ends like the run"

# ---- 3. CLI snapshot chains -----------------------------------------------------
chain() { # name elf K [args...]
    local name=$1 e=$2 k=$3
    shift 3
    "$RVRUN" --report "$work/ref.json" "$e" "$@" > "$work/ref.out" 2>&1
    "$RVRUN" --max-cycles "$k" --snapshot "$work/s.snap" --report "$work/r.json" "$e" "$@" \
        > "$work/chain.out" 2>&1
    local st=$? links=1
    while [ "$st" = 124 ] && [ "$links" -lt 2000 ]; do
        "$RVRUN" --resume "$work/s.snap" --max-cycles "$k" --snapshot "$work/s.snap" \
            --report "$work/r.json" >> "$work/chain.out" 2>&1
        st=$?
        links=$((links + 1))
        [ "$links" = 3 ] && cp "$work/s.snap" "$work/$name.snap"
    done
    [ "$st" = 0 ] || fail "$name: chain ended with status $st after $links links"
    cmp -s "$work/ref.out" "$work/chain.out" || fail "$name: chain output differs"
    [ "$(summary "$work/ref.json")" = "$(summary "$work/r.json")" ] ||
        fail "$name: chain ends $(summary "$work/r.json"), unsplit $(summary "$work/ref.json")"
    echo "ok: $name: $links processes, K=$k"
}
chain slices-100000 "$ELFS/${THREADS_ELF_PREFIX:-}slices.elf" 100000
chain slices-33331 "$ELFS/${THREADS_ELF_PREFIX:-}slices.elf" 33331
chain pipe-400000 "$ELFS/${THREADS_ELF_PREFIX:-}pipe.elf" 400000
chain compress-500009 "$ELFS/${THREADS_ELF_PREFIX:-}compress.elf" 500009 3 6

# ---- 4. the independent snapshot reader (tests/snapshot/snapread.py) -------------
# Snapshots of threaded programs parse by the format document alone, hold the
# threads and the pipe (ends of kind 5) and serialise back byte for byte.
PYTHONPATH="$(dirname "$0")/../snapshot" python3 - "$work" <<'PY' || fail "snapread on threaded snapshots"
import sys, snapread
work = sys.argv[1]
want = {"slices-100000": (2, 0), "pipe-400000": (2, 1), "compress-500009": (2, 1)}
bad = 0
for name, (threads, pipes) in want.items():
    data = open(f"{work}/{name}.snap", "rb").read()
    s = snapread.parse(data)
    th = s["os"]["threads"]
    ends = sum(f["kind"] == 5 for f in s["os"]["files"])
    ok = (th["count"] >= threads and len(th["pipes"]) == pipes and ends == 2 * pipes
          and snapread.build(s) == data)
    print(f"{'ok' if ok else 'FAIL'}: snapread {name}: {th['count']} threads, "
          f"{len(th['pipes'])} pipes, {ends} pipe ends")
    bad += not ok
sys.exit(bad != 0)
PY

[ "$failures" = 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all threads checks passed"
