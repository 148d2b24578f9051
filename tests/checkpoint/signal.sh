#!/usr/bin/env bash
# Preemption: the same command line (--resume-or-start) is started again and
# again; each time a signal makes it stop at an instruction boundary, save
# atomically and exit 85, until the job finishes. Output and state digest
# equal an uninterrupted run's, and every restart really resumed (its
# snapshot's cycle count grows). A second signal during the save and a
# SIGKILL at any moment never damage the previous snapshot. The sleeps only
# pace the signals: every result is checked, whatever the timing.
# usage: signal.sh RVRUN LONGRUN_ELF
set -euo pipefail
rvrun=$1 prog=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
digest() { sed -n 's/.*"state_digest": "\([0-9a-f]*\)".*/\1/p' "$1"; }
cycles_of() { "$rvrun" --inspect "$1" --json | sed -n 's/^ *"cycles": \([0-9]*\).*/\1/p' | head -n 1; }
args=(60 2000000)
# The signals are paced for the interpreter's speed: rvrun's default engine
# (auto) translates this loop and finishes the job (0.27 s) before the first
# signal. Stops with the tier on are checked at exact budgets by the mixed
# split suites (snap-eq-mixed-*, *-mixed), which do not depend on timing.
engine=(--engine interp)

"$rvrun" "${engine[@]}" --report "$tmp/ref.json" "$prog" "${args[@]}" >"$tmp/ref.out"
job=("$rvrun" "${engine[@]}" --resume-or-start "$tmp/job.snap" --checkpoint-signal USR1 --report "$tmp/job.json"
     "$prog" "${args[@]}")

checkpoints=0 last_cycles=0 round=0
: >"$tmp/job.out"
while :; do
  round=$((round + 1))
  [ "$round" -le 200 ] || fail "the job never finished"
  "${job[@]}" >>"$tmp/job.out" 2>>"$tmp/job.err" &
  pid=$!
  sleep 0.3
  kill -USR1 "$pid" 2>/dev/null || true
  [ $((round % 3)) = 0 ] && kill -USR1 "$pid" 2>/dev/null || true   # a second signal mid-save
  set +e; wait "$pid"; rc=$?; set -e
  if [ "$rc" = 0 ]; then break; fi
  [ "$rc" = 85 ] || fail "round $round: status $rc, want 85 or 0 ($(tail -n 2 "$tmp/job.err"))"
  checkpoints=$((checkpoints + 1))
  c=$(cycles_of "$tmp/job.snap")
  [ -n "$c" ] && [ "$c" -gt "$last_cycles" ] || fail "round $round: snapshot cycles $c not past $last_cycles"
  last_cycles=$c
  # SIGKILL while running: the previous snapshot stays whole.
  if [ "$round" = 2 ]; then
    "${job[@]}" >/dev/null 2>&1 &
    kpid=$!
    sleep 0.1
    kill -KILL "$kpid" 2>/dev/null || true
    wait "$kpid" 2>/dev/null || true
    [ "$(cycles_of "$tmp/job.snap")" = "$c" ] || fail "SIGKILL changed the previous snapshot"
  fi
done
[ "$checkpoints" -ge 2 ] || fail "only $checkpoints checkpoints: the signals came too late to test anything"
cmp -s "$tmp/ref.out" "$tmp/job.out" || fail "output differs from the uninterrupted run"
[ "$(digest "$tmp/ref.json")" = "$(digest "$tmp/job.json")" ] || fail "state digest differs"
echo "checkpoints: $checkpoints"
echo "1 passed, 0 failed"
