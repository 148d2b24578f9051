#!/usr/bin/env bash
# Snapshots of a program holding files without names (tests/linux/glibc/ghost.c
# with "list"), through rvrun: runs split into 2, 7 and 23 parts (each part a
# new process, compressed snapshots for 7) give the same stdout, status and
# state digest as the whole run, and no file is left in the granted
# directory. Splits at every cycle of the window are in snap-eq-ghost-*.
# usage: ghost_snapshot.sh RVRUN ELF DATA_DIR
set -euo pipefail
rvrun=$(realpath "$1")
elf=$(realpath "$2")
data=$(realpath "$3")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linux_ghost.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir "$tmp/t"
dirs=(--dir "$data:/data" --dir "$tmp/t:/tmp:rw")

"$rvrun" "${dirs[@]}" --report "$tmp/whole.json" "$elf" list >"$tmp/whole.out" || fail "whole run failed"
total=$(sed -n 's/.*"cycles": \([0-9]*\).*/\1/p' "$tmp/whole.json")
digest=$(sed -n 's/.*"state_digest": "\([0-9a-f]*\)".*/\1/p' "$tmp/whole.json")
[[ $total -gt 10000 ]] || fail "implausible cycle count '$total'"
for parts in 2 7 23; do
    step=$((total / parts + 1))
    extra=()
    [[ $parts -eq 7 ]] && extra=(--snapshot-compress)
    set +e
    "$rvrun" "${dirs[@]}" "${extra[@]}" --max-cycles $step --snapshot "$tmp/s.snap" "$elf" list >"$tmp/split.out"
    status=$?
    while [[ $status -eq 124 ]]; do
        "$rvrun" --resume "$tmp/s.snap" "${dirs[@]}" "${extra[@]}" --max-cycles $step --snapshot "$tmp/s2.snap" \
            --report "$tmp/split.json" >>"$tmp/split.out"
        status=$?
        [[ $status -eq 124 ]] && mv "$tmp/s2.snap" "$tmp/s.snap"
    done
    set -e
    [[ $status -eq 0 ]] || fail "split into $parts: final status $status"
    cmp -s "$tmp/whole.out" "$tmp/split.out" || fail "split into $parts: stdout differs"
    grep -q "\"state_digest\": \"$digest\"" "$tmp/split.json" || fail "split into $parts: digest differs"
    [[ -z $(ls -A "$tmp/t") ]] || fail "split into $parts: files left in the granted directory: $(ls -A "$tmp/t")"
    echo "ok: split into $parts parts"
done
