#!/usr/bin/env bash
# --checkpoint-every / --keep / --failure-dir: a late null-pointer store, a
# non-zero exit and SIGINT. Each time the failure directory holds the oldest
# kept checkpoint (a whole interval or more before the failure), and:
#  - the run's output and report equal those of a run without checkpoints
#    (the console is not written again by the replay);
#  - trace.txt equals, line for line, the tail of an independent
#    `--trace --trace-from CHECKPOINT` of the whole run;
#  - `rvrun --resume checkpoint.snap < stdin` fails the same way at the same
#    cycle with the same state digest, printing the tail of the output.
# The SIGINT case waits for output before signalling; whatever cycle the
# signal lands on, every check is relative to it.
# usage: failure.sh RVRUN FAILING_ELF
set -euo pipefail
rvrun=$1 prog=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
field() { sed -n "s/^ *\"$2\": \"\\{0,1\\}\\([^\",]*\\).*/\\1/p" "$1" | head -n 1; }
every=200000
printf 'hello\nlate input\n' >"$tmp/in"

run() { # name expected-status args... (stdin from $tmp/in)
  local name=$1 want=$2; shift 2
  set +e; "$rvrun" "$@" <"$tmp/in" >"$tmp/$name.out" 2>"$tmp/$name.err"; local rc=$?; set -e
  [ "$rc" = "$want" ] || fail "$name: status $rc, want $want ($(tail -n 2 "$tmp/$name.err"))"
}

check_window() { # name keep want-status want-failure
  local name=$1 keep=$2 want=$3 kind=$4 d="$tmp/$1.fail"
  [ "$(field "$d/failure.json" failure)" = "$kind" ] || fail "$name: failure kind"
  [ "$(field "$d/failure.json" replay_matches)" = true ] || fail "$name: replay did not match"
  local cp fc
  cp=$(field "$d/failure.json" checkpoint_cycles) fc=$(field "$d/failure.json" failure_cycles)
  [ "$fc" = "$(field "$tmp/$name.json" cycles)" ] || fail "$name: failure cycles $fc vs report"
  [ $((cp % every)) = 0 ] || fail "$name: checkpoint at $cp, not on the $every grid"
  [ $((fc - cp)) -ge $(((keep - 1) * every)) ] && [ $((fc - cp)) -le $((keep * every)) ] ||
    fail "$name: window $cp..$fc for --keep $keep"
  [ "$(field "$d/failure.json" state_digest)" = "$(field "$tmp/$name.json" state_digest)" ] ||
    fail "$name: digest in failure.json"
  # The replayed trace is the tail of an independent trace of the whole run.
  run "$name-full" "$want" --trace "$tmp/$name.full" --trace-from "$cp" "${@:5}"
  awk -v c="$cp" '$1 >= c' "$tmp/$name.full" | cmp -s - "$d/trace.txt" ||
    fail "$name: trace.txt differs from --trace --trace-from $cp"
  [ "$(wc -l <"$d/trace.txt")" -ge $(((keep - 1) * every)) ] || fail "$name: trace too short"
}

# 1. A null store after 30 rounds of work; stdin read at the start and in the window.
run ref-fault 139 --report "$tmp/ref-fault.json" "$prog" fault 30
run fault 139 --checkpoint-every $every --failure-dir "$tmp/fault.fail" --report "$tmp/fault.json" \
  "$prog" fault 30
cmp -s "$tmp/ref-fault.out" "$tmp/fault.out" || fail "fault: output differs (written twice?)"
cmp -s "$tmp/ref-fault.json" "$tmp/fault.json" || fail "fault: report differs from a plain run"
tail -n 1 "$tmp/fault.fail/trace.txt" | grep -q 'fault: .* at 0x0$' || fail "fault: no fault line in trace"
check_window fault 2 139 fault "$prog" fault 30
[ "$(cat "$tmp/fault.fail/stdin")" = "late input" ] || fail "fault: stdin since the checkpoint"
set +e
"$rvrun" --resume "$tmp/fault.fail/checkpoint.snap" --report "$tmp/fault-resumed.json" \
  <"$tmp/fault.fail/stdin" >"$tmp/fault-resumed.out" 2>/dev/null
rc=$?; set -e
[ "$rc" = 139 ] || fail "fault: resumed status $rc"
for k in status cycles instructions pc state_digest; do
  [ "$(field "$tmp/fault-resumed.json" $k)" = "$(field "$tmp/fault.json" $k)" ] ||
    fail "fault: resumed $k differs"
done
n=$(wc -l <"$tmp/fault-resumed.out")
[ "$n" -ge 1 ] && tail -n "$n" "$tmp/ref-fault.out" | cmp -s - "$tmp/fault-resumed.out" ||
  fail "fault: resumed output is not the tail of the run's"

# 2. Exit status 3 after 20 rounds, keeping 3 checkpoints.
run ref-exit 3 --report "$tmp/ref-exit.json" "$prog" exit 20
run exit 3 --checkpoint-every $every --keep 3 --failure-dir "$tmp/exit.fail" \
  --report "$tmp/exit.json" "$prog" exit 20
cmp -s "$tmp/ref-exit.out" "$tmp/exit.out" || fail "exit: output differs"
cmp -s "$tmp/ref-exit.json" "$tmp/exit.json" || fail "exit: report differs from a plain run"
check_window exit 3 3 exited "$prog" exit 20
set +e
"$rvrun" --resume "$tmp/exit.fail/checkpoint.snap" --report "$tmp/exit-resumed.json" \
  <"$tmp/exit.fail/stdin" >/dev/null 2>&1
rc=$?; set -e
[ "$rc" = 3 ] || fail "exit: resumed status $rc"
for k in cycles state_digest; do
  [ "$(field "$tmp/exit-resumed.json" $k)" = "$(field "$tmp/exit.json" $k)" ] || fail "exit: resumed $k"
done
# Success writes nothing.
run ok 0 --checkpoint-every $every --failure-dir "$tmp/ok.fail" "$prog" exit 0
[ ! -e "$tmp/ok.fail" ] || fail "a successful run wrote a failure directory"

# 3. A granted directory and a file open across the window: in-place restore
# keeps the grant and puts the file offset back.
mkdir "$tmp/data" && cp "$tmp/in" "$tmp/data/in"
run ref-file 4 --dir "$tmp/data:/data" --report "$tmp/ref-file.json" "$prog" file 20
run file 4 --dir "$tmp/data:/data" --checkpoint-every $every --failure-dir "$tmp/file.fail" \
  --report "$tmp/file.json" "$prog" file 20
cmp -s "$tmp/ref-file.out" "$tmp/file.out" || fail "file: output differs"
grep -q "^file: " "$tmp/file.out" || fail "file: the program did not read its file"
check_window file 2 4 exited --dir "$tmp/data:/data" "$prog" file 20
set +e
"$rvrun" --resume "$tmp/file.fail/checkpoint.snap" --dir "$tmp/data:/data" \
  --report "$tmp/file-resumed.json" </dev/null >/dev/null 2>&1
rc=$?; set -e
[ "$rc" = 4 ] || fail "file: resumed status $rc"
[ "$(field "$tmp/file-resumed.json" state_digest)" = "$(field "$tmp/file.json" state_digest)" ] ||
  fail "file: resumed digest"

# 4. SIGINT into an endless loop, once it has printed a few rounds.
"$rvrun" --checkpoint-every $every --failure-dir "$tmp/int.fail" --report "$tmp/int.json" \
  "$prog" loop </dev/null >"$tmp/int.out" 2>"$tmp/int.err" &
pid=$!
for _ in $(seq 600); do
  [ "$(wc -l <"$tmp/int.out")" -ge 20 ] && break
  sleep 0.1
done
kill -INT "$pid"
set +e; wait "$pid"; rc=$?; set -e
[ "$rc" = 130 ] || fail "sigint: status $rc, want 130 ($(cat "$tmp/int.err"))"
[ "$(field "$tmp/int.fail/failure.json" failure)" = interrupted ] || fail "sigint: failure kind"
[ "$(field "$tmp/int.fail/failure.json" replay_matches)" = true ] || fail "sigint: replay"
cp=$(field "$tmp/int.fail/failure.json" checkpoint_cycles)
fc=$(field "$tmp/int.json" cycles)
[ "$(field "$tmp/int.fail/failure.json" failure_cycles)" = "$fc" ] || fail "sigint: cycles"
[ "$cp" -gt 0 ] && [ $((fc - cp)) -ge "$every" ] || fail "sigint: window $cp..$fc"
set +e
"$rvrun" --resume "$tmp/int.fail/checkpoint.snap" --max-cycles $((fc - cp)) \
  --report "$tmp/int-resumed.json" </dev/null >"$tmp/int-resumed.out" 2>/dev/null
rc=$?; set -e
[ "$rc" = 124 ] || fail "sigint: resumed status $rc"
[ "$(field "$tmp/int-resumed.json" cycles)" = "$fc" ] || fail "sigint: resumed cycles"
[ "$(field "$tmp/int-resumed.json" state_digest)" = "$(field "$tmp/int.json" state_digest)" ] ||
  fail "sigint: resumed digest"
n=$(wc -l <"$tmp/int-resumed.out")
[ "$n" -ge 1 ] && tail -n "$n" "$tmp/int.out" | cmp -s - "$tmp/int-resumed.out" ||
  fail "sigint: resumed output is not the tail of the run's"
run int-full 124 --trace "$tmp/int.full" --trace-from "$cp" --max-cycles "$fc" "$prog" loop
cmp -s "$tmp/int.full" "$tmp/int.fail/trace.txt" || fail "sigint: trace.txt differs from --trace"

# Usage errors.
run bad1 125 --keep 2 "$prog" exit 0
run bad2 125 --checkpoint-every 0 "$prog" exit 0
echo "1 passed, 0 failed"
