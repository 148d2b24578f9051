#!/usr/bin/env bash
# Guest-requested checkpoints: one run stops at the request (--exit-on-request);
# ten resumes of its snapshot, each with other stdin, print what ten full runs
# print, with the same state digest. Without the option the request returns
# -38, as under qemu-riscv64.
# usage: request.sh RVRUN REQUEST_ELF [QEMU]
set -euo pipefail
rvrun=$1 prog=$2 qemu=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
digest() { sed -n 's/.*"state_digest": "\([0-9a-f]*\)".*/\1/p' "$1"; }

set +e
"$rvrun" --snapshot-on-request "$tmp/ck-%t-%n.snap" --exit-on-request "$prog" </dev/null \
  >"$tmp/stop.out" 2>"$tmp/stop.err"
rc=$?
set -e
[ "$rc" = 124 ] || fail "--exit-on-request: status $rc, want 124"
[ -f "$tmp/ck-7-0.snap" ] || fail "no snapshot ck-7-0.snap (pattern %t-%n)"
[ ! -s "$tmp/stop.out" ] || fail "output before the request: $(cat "$tmp/stop.out")"

n=0
for input in 1 2 10 97 1000 4096 65536 99991 250000 400000; do
  echo "$input" >"$tmp/in"
  "$rvrun" --snapshot-on-request "$tmp/full-%n.snap" --report "$tmp/full.json" "$prog" \
    <"$tmp/in" >"$tmp/full.out" 2>"$tmp/full.err"
  "$rvrun" --resume "$tmp/ck-7-0.snap" --report "$tmp/resumed.json" \
    <"$tmp/in" >"$tmp/resumed.out" 2>"$tmp/resumed.err"
  cmp -s "$tmp/full.out" "$tmp/resumed.out" || fail "input $input: outputs differ"
  grep -q "checkpoint request: 0" "$tmp/full.err" || fail "input $input: full run's request did not return 0"
  [ "$(digest "$tmp/full.json")" = "$(digest "$tmp/resumed.json")" ] || fail "input $input: digests differ"
  grep -q "^primes up to $input: " "$tmp/full.out" || fail "input $input: unexpected output $(cat "$tmp/full.out")"
  n=$((n + 1))
done
# Known values (prime counting function): pi(10) = 4, pi(1000) = 168, pi(65536) = 6542.
echo 10 | "$rvrun" --resume "$tmp/ck-7-0.snap" 2>/dev/null | grep -qx "primes up to 10: 4, the largest 7" || fail "pi(10)"
echo 1000 | "$rvrun" --resume "$tmp/ck-7-0.snap" 2>/dev/null | grep -qx "primes up to 1000: 168, the largest 997" || fail "pi(1000)"
echo 65536 | "$rvrun" --resume "$tmp/ck-7-0.snap" 2>/dev/null | grep -qx "primes up to 65536: 6542, the largest 65521" || fail "pi(65536)"

# Without the option: nothing happens, the call returns -ENOSYS.
echo 97 | "$rvrun" "$prog" >"$tmp/plain.out" 2>"$tmp/plain.err"
grep -q "checkpoint request: -38" "$tmp/plain.err" || fail "without the option: $(cat "$tmp/plain.err")"
echo 97 | "$rvrun" --resume "$tmp/ck-7-0.snap" >"$tmp/r97.out" 2>/dev/null
cmp -s "$tmp/plain.out" "$tmp/r97.out" || fail "plain run and resume differ"
if [ -n "$qemu" ]; then
  echo 97 | "$qemu" "$prog" >"$tmp/qemu.out" 2>"$tmp/qemu.err"
  cmp -s "$tmp/plain.out" "$tmp/qemu.out" || fail "qemu-riscv64 output differs"
  grep -q "checkpoint request: -38" "$tmp/qemu.err" || fail "qemu: $(cat "$tmp/qemu.err")"
fi
echo "$n passed, 0 failed"
