#!/usr/bin/env bash
# rvrun --engine auto (docs/jit.md, "Choosing the engine"):
#  - in a build with the tier (TIER=yes), auto translates: a program whose
#    loop heads pass the default threshold gets translated (--jit-sync, so
#    that it does not depend on host timing) and ends with the interpreter's
#    exit status, output and report (cycles, instructions, pc, state digest);
#    rvrun without --engine does the same (auto is the default);
#  - with --trace auto interprets (nothing translated even at threshold 1),
#    while --engine jit --trace translates; likewise with --checkpoint-signal
#    TERM (libgccjit replaces SIGINT/HUP/TERM handlers), where jit is refused;
#  - in a build without the tier (TIER=no), auto interprets silently and
#    --engine jit is rvrun's one-line error (exit 125);
#  - an unknown --engine value is a one-line error, exit 125, nothing run.
#   auto.sh yes|no RVRUN PROGRAM
set -u
tier=$1 rvrun=$2 prog=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
translated() { sed -n 's/^rvrun: jit: \([0-9]*\) runs translated$/\1/p' "$1"; }

"$rvrun" --engine interp --report "$tmp/interp.json" "$prog" >"$tmp/interp.out" 2>"$tmp/interp.err"
s0=$?
[ -s "$tmp/interp.json" ] || bad "interp wrote no report: $(cat "$tmp/interp.err")"
grep -q '"status": "exited"' "$tmp/interp.json" || bad "interp run did not exit normally"

# The same program with auto: explicit, and as the default.
for mode in explicit default; do
  eng=(--engine auto)
  [ $mode = default ] && eng=()
  "$rvrun" "${eng[@]}" --jit-sync --jit-stats --report "$tmp/$mode.json" "$prog" \
    >"$tmp/$mode.out" 2>"$tmp/$mode.err"
  s=$?
  [ "$s" = "$s0" ] || bad "$mode: exit status $s, interp $s0"
  cmp -s "$tmp/interp.out" "$tmp/$mode.out" || bad "$mode: stdout differs from interp"
  cmp -s "$tmp/interp.json" "$tmp/$mode.json" || { bad "$mode: report differs from interp";
    diff "$tmp/interp.json" "$tmp/$mode.json"; }
  n=$(translated "$tmp/$mode.err")
  if [ -z "$n" ]; then bad "$mode: no jit statistics: $(cat "$tmp/$mode.err")"
  elif [ "$tier" = yes ] && [ "$n" = 0 ]; then bad "$mode: tier built but nothing translated"
  elif [ "$tier" = no ] && [ "$n" != 0 ]; then bad "$mode: no tier built but $n runs translated"
  fi
  [ "$(grep -vc '^rvrun: jit:' "$tmp/$mode.err")" = 0 ] || bad "$mode: unexpected stderr: $(cat "$tmp/$mode.err")"
  echo "$mode auto: exit $s, ${n:-?} runs translated"
done

# Without --jit-sync (the tier compiles in the background): same results whatever got installed.
"$rvrun" --report "$tmp/async.json" "$prog" >"$tmp/async.out" 2>/dev/null
cmp -s "$tmp/interp.json" "$tmp/async.json" || bad "background auto: report differs from interp"
cmp -s "$tmp/interp.out" "$tmp/async.out" || bad "background auto: stdout differs from interp"

# Tracing steps in the interpreter: auto does not start the tier; jit still does.
"$rvrun" --engine auto --jit-threshold 1 --jit-sync --jit-stats --trace "$tmp/t1" "$prog" \
  >/dev/null 2>"$tmp/trace.err"
n=$(translated "$tmp/trace.err")
[ "$n" = 0 ] || bad "auto with --trace translated '${n}' runs (want 0)"
if [ "$tier" = yes ]; then
  "$rvrun" --engine jit --jit-threshold 1 --jit-sync --jit-stats --trace "$tmp/t2" "$prog" \
    >/dev/null 2>"$tmp/trace2.err"
  n=$(translated "$tmp/trace2.err")
  [ -n "$n" ] && [ "$n" != 0 ] || bad "jit with --trace translated nothing (the check above proves nothing)"
  cmp -s "$tmp/t1" "$tmp/t2" || bad "traces differ between auto (interp) and jit"
else
  "$rvrun" --engine jit "$prog" >"$tmp/jit.out" 2>"$tmp/jit.err"
  s=$?
  [ "$s" = 125 ] || bad "--engine jit without the tier: exit $s, want 125"
  [ "$(wc -l <"$tmp/jit.err")" = 1 ] || bad "--engine jit without the tier: want one line: $(cat "$tmp/jit.err")"
  [ -s "$tmp/jit.out" ] && bad "--engine jit without the tier ran the program"
fi

# libgccjit replaces the process's SIGINT/SIGHUP/SIGTERM handlers: with rvrun's own
# handlers for those, auto interprets and jit is refused.
"$rvrun" --engine auto --jit-threshold 1 --jit-sync --jit-stats --checkpoint-signal TERM \
  --snapshot "$tmp/s.snap" "$prog" >/dev/null 2>"$tmp/sig.err"
n=$(translated "$tmp/sig.err")
[ "$n" = 0 ] || bad "auto with --checkpoint-signal TERM translated '${n}' runs (want 0)"
"$rvrun" --engine auto --jit-threshold 1 --jit-sync --jit-stats --checkpoint-signal USR1 \
  --snapshot "$tmp/s.snap" "$prog" >/dev/null 2>"$tmp/sig.err"
n=$(translated "$tmp/sig.err")
if [ "$tier" = yes ]; then
  [ -n "$n" ] && [ "$n" != 0 ] || bad "auto with --checkpoint-signal USR1 translated nothing"
  "$rvrun" --engine jit --checkpoint-signal INT --snapshot "$tmp/s.snap" "$prog" \
    >"$tmp/sig.out" 2>"$tmp/sig.err"
  s=$?
  [ "$s" = 125 ] || bad "--engine jit --checkpoint-signal INT: exit $s, want 125"
  [ "$(wc -l <"$tmp/sig.err")" = 1 ] || bad "--engine jit --checkpoint-signal INT: $(cat "$tmp/sig.err")"
  [ -s "$tmp/sig.out" ] && bad "--engine jit --checkpoint-signal INT ran the program"
fi

# An unknown engine: one line, exit 125, nothing run.
"$rvrun" --engine fast "$prog" >"$tmp/bad.out" 2>"$tmp/bad.err"
s=$?
[ "$s" = 125 ] || bad "--engine fast: exit $s, want 125"
[ "$(cat "$tmp/bad.err")" = "rvrun: --engine is 'interp', 'jit' or 'auto', not 'fast'" ] ||
  bad "--engine fast: stderr '$(cat "$tmp/bad.err")'"
[ -s "$tmp/bad.out" ] && bad "--engine fast ran the program"

[ $fail = 0 ] && echo "ok (tier: $tier)"
exit $fail
