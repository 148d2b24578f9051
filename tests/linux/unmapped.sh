#!/usr/bin/env bash
# Pages written and then unmapped (munmap, mremap shrinking or moving, brk
# going down) are not stored in a snapshot: at a snapshot taken after the
# program gave them back, no stored page is without permissions (the
# program's own loaded pages are never unmapped here), and resuming gives
# the same output and state digest as the whole run.
# usage: unmapped.sh RVRUN ELF
set -euo pipefail
rvrun=$(realpath "$1")
elf=$(realpath "$2")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linux_unmapped.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$rvrun" --report "$tmp/whole.json" "$elf" >"$tmp/whole.out" || fail "whole run failed"
total=$(sed -n 's/.*"cycles": \([0-9]*\).*/\1/p' "$tmp/whole.json")
digest=$(sed -n 's/.*"state_digest": "\([0-9a-f]*\)".*/\1/p' "$tmp/whole.json")
at=$((total - 200000)) # inside the final spin, after every page was given back
[[ $at -gt 100000 ]] || fail "implausible cycle count '$total'"
set +e
"$rvrun" --max-cycles $at --snapshot "$tmp/s.snap" "$elf" >"$tmp/part1.out"
status=$?
set -e
[[ $status -eq 124 ]] || fail "the first part exited $status, expected 124"
"$rvrun" --inspect "$tmp/s.snap" >"$tmp/inspect.txt" || fail "inspect failed"
unmapped=$(grep -c '^  0x[0-9a-f]* --- ' "$tmp/inspect.txt" || true)
echo "$(grep '^pages:' "$tmp/inspect.txt"); pages without permissions: $unmapped"
[[ $unmapped -eq 0 ]] || fail "$unmapped unmapped pages were stored"
"$rvrun" --resume "$tmp/s.snap" --report "$tmp/split.json" >"$tmp/part2.out" || fail "resume failed"
cat "$tmp/part1.out" "$tmp/part2.out" | cmp -s - "$tmp/whole.out" || fail "output differs"
grep -q "\"state_digest\": \"$digest\"" "$tmp/split.json" || fail "state digest differs"
echo "ok: unmapped pages left out, resume identical"
