#!/usr/bin/env bash
# --checkpoint-every with --checkpoint-dir: a chain of on-disk snapshots,
# the first full and the others diffs. A program fills a 256 KiB table, then
# works writing only a few pages: every diff after the fill is much smaller
# than a full snapshot of the same state. Resuming the last link gives the
# tail of the output and the state digest of the uninterrupted run, and
# --inspect counts the chain.
# usage: chain.sh RVRUN FAILING_ELF
set -euo pipefail
rvrun=$1 prog=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
field() { sed -n "s/^ *\"$2\": \"\\{0,1\\}\\([^\",]*\\).*/\\1/p" "$1" | head -n 1; }
every=1000000

"$rvrun" --report "$tmp/ref.json" "$prog" light 40 </dev/null >"$tmp/ref.out"
"$rvrun" --checkpoint-every $every --checkpoint-dir "$tmp/chain" --report "$tmp/run.json" \
  "$prog" light 40 </dev/null >"$tmp/run.out"
cmp -s "$tmp/ref.out" "$tmp/run.out" || fail "output differs from a plain run"
cmp -s "$tmp/ref.json" "$tmp/run.json" || fail "report differs from a plain run"
cycles=$(field "$tmp/ref.json" cycles)
files=("$tmp"/chain/ckpt-*.snap)
want=$((cycles / every + 1))
[ "${#files[@]}" = "$want" ] || fail "${#files[@]} files, want $want"
last=${files[-1]}
# A full snapshot of the last link's state, for the sizes.
set +e
"$rvrun" --max-cycles $(((want - 1) * every)) --snapshot "$tmp/full.snap" "$prog" light 40 \
  </dev/null >/dev/null
rc=$?; set -e
[ "$rc" = 124 ] || fail "the full run should stop at the budget, status $rc"
full=$(stat -c %s "$tmp/full.snap")
for f in "${files[@]:3}"; do
  [ $(($(stat -c %s "$f") * 4)) -lt "$full" ] || fail "$(basename "$f") is not small: $(stat -c %s "$f") vs full $full"
done
set +e
"$rvrun" --resume "$last" --report "$tmp/resumed.json" </dev/null >"$tmp/resumed.out"
rc=$?; set -e
[ "$rc" = 0 ] || fail "resume of the last link: status $rc"
[ "$(field "$tmp/resumed.json" state_digest)" = "$(field "$tmp/ref.json" state_digest)" ] ||
  fail "resumed digest differs"
[ "$(field "$tmp/resumed.json" cycles)" = "$cycles" ] || fail "resumed cycles differ"
n=$(wc -l <"$tmp/resumed.out")
[ "$n" -ge 1 ] && tail -n "$n" "$tmp/ref.out" | cmp -s - "$tmp/resumed.out" ||
  fail "resumed output is not the tail of the run's"
# The last link's state is the full snapshot's: same digest when resumed for 0 cycles.
"$rvrun" --resume "$last" --max-cycles 0 --report "$tmp/a.json" </dev/null >/dev/null || true
"$rvrun" --resume "$tmp/full.snap" --max-cycles 0 --report "$tmp/b.json" </dev/null >/dev/null || true
[ "$(field "$tmp/a.json" state_digest)" = "$(field "$tmp/b.json" state_digest)" ] ||
  fail "the last link is not the state at its cycle"
echo "links: ${#files[@]}, full snapshot $full bytes, last diff $(stat -c %s "$last") bytes"
echo "1 passed, 0 failed"
