#!/usr/bin/env bash
# Runs a program under rvrun in both engines (the translation tier forced on:
# every counted run translated at its first execution, waiting for each
# compilation) and checks that they agree: exit status, output, and the report
# (cycles, instructions, stop, fault pc/kind, state digest). Also checks that
# translated code did run (unless the program has nothing to translate: pass
# --may-translate-nothing first). --threshold N sets --jit-threshold (default
# 1; real programs use a higher one, each compilation costs milliseconds).
# Extra rvrun options (e.g. --max-cycles N) go before the program.
# --file also runs it twice with a --jit-cache directory: the second run runs
# the cache file's code (compiled otherwise: -O2, registers written back at
# the exits), which must agree too and must have been loaded.
#   same_run.sh [--file] [--may-translate-nothing] [--threshold N] RVRUN [rvrun options...] PROGRAM [args...]
set -u
need=1 threshold=1 file=0
if [ "${1:-}" = "--file" ]; then file=1; shift; fi
if [ "${1:-}" = "--may-translate-nothing" ]; then need=0; shift; fi
if [ "${1:-}" = "--threshold" ]; then threshold=$2; shift 2; fi
rvrun=$1; shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$rvrun" --engine interp --report "$tmp/interp.json" "$@" >"$tmp/interp.out" 2>"$tmp/interp.err"
s1=$?
"$rvrun" --engine jit --jit-threshold "$threshold" --jit-sync --jit-stats --report "$tmp/jit.json" "$@" >"$tmp/jit.out" 2>"$tmp/jit.err"
s2=$?
fail=0
if [ "$s1" != "$s2" ]; then echo "exit status: interp $s1, jit $s2"; fail=1; fi
if ! cmp -s "$tmp/interp.out" "$tmp/jit.out"; then echo "stdout differs"; diff "$tmp/interp.out" "$tmp/jit.out" | head; fail=1; fi
if ! cmp -s "$tmp/interp.json" "$tmp/jit.json"; then echo "report differs"; diff "$tmp/interp.json" "$tmp/jit.json" | head -20; fail=1; fi
if [ ! -s "$tmp/interp.json" ]; then echo "no report written"; cat "$tmp/interp.err"; fail=1; fi
n=$(sed -n 's/^rvrun: jit: \([0-9]*\) runs translated$/\1/p' "$tmp/jit.err")
if [ -z "$n" ]; then echo "no jit statistics"; cat "$tmp/jit.err"; fail=1;
elif [ "$need" = 1 ] && [ "$n" = 0 ]; then echo "nothing was translated"; fail=1; fi
if [ $file = 1 ]; then
    mkdir "$tmp/cache"
    for run in cold warm; do
        "$rvrun" --engine jit --jit-threshold "$threshold" --jit-sync --jit-stats --jit-cache "$tmp/cache" \
            --report "$tmp/$run.json" "$@" >"$tmp/$run.out" 2>"$tmp/$run.err"
        s3=$?
        if [ "$s1" != "$s3" ]; then echo "exit status: interp $s1, $run cache run $s3"; fail=1; fi
        if ! cmp -s "$tmp/interp.out" "$tmp/$run.out"; then echo "$run cache run: stdout differs"; fail=1; fi
        if ! cmp -s "$tmp/interp.json" "$tmp/$run.json"; then
            echo "$run cache run: report differs"; diff "$tmp/interp.json" "$tmp/$run.json" | head -20; fail=1
        fi
    done
    loaded=$(sed -n 's/^rvrun: jit cache: .* \([0-9]*\) slots loaded.*$/\1/p' "$tmp/warm.err")
    if [ "$need" = 1 ] && [ "${loaded:-0}" = 0 ]; then echo "warm cache run loaded nothing"; cat "$tmp/warm.err"; fail=1; fi
fi
[ $fail = 0 ] && echo "same: exit $s1, $(grep -o '"cycles": [0-9]*' "$tmp/jit.json"), $n runs translated"
exit $fail
