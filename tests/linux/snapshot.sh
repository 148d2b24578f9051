#!/usr/bin/env bash
# Snapshots of a program with OS state (an input file read piecewise, an
# output file being written, mappings, getrandom, clocks):
#   1. runs split at several cycle budgets, each part a new rvrun process,
#      give the same stdout, output file, exit status and final state digest
#      as one whole run;
#   2. resuming after the input file changed fails with exit 125 and a
#      one-line message naming the file; so does resuming after the output
#      file was changed, and a second resume of the same snapshot;
#   3. --dir given again on resume is needed (snapshots are untrusted and
#      grant nothing themselves), a conflicting one is refused.
# usage: snapshot.sh RVRUN ELF FSROOT
set -euo pipefail
rvrun=$(realpath "$1")
elf=$(realpath "$2")
fsroot=$(realpath "$3")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linux_snap.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
dirs=(--dir data --dir out:rw)

fresh() { rm -rf "$tmp/w"; mkdir -p "$tmp/w/out"; cp -R "$fsroot/data" "$tmp/w/"; }

fresh
(cd "$tmp/w" && "$rvrun" "${dirs[@]}" --report "$tmp/whole.json" "$elf" >"$tmp/whole.out") ||
    fail "whole run failed"
cp "$tmp/w/out/sums.txt" "$tmp/whole.sums"
total=$(sed -n 's/.*"cycles": \([0-9]*\).*/\1/p' "$tmp/whole.json")
digest=$(sed -n 's/.*"state_digest": "\([0-9a-f]*\)".*/\1/p' "$tmp/whole.json")
[[ $total -gt 1000 ]] || fail "implausible cycle count '$total'"

for parts in 2 3 5; do
    fresh
    step=$((total / parts + 1))
    : >"$tmp/split.out"
    (cd "$tmp/w" && "$rvrun" "${dirs[@]}" --max-cycles $step --snapshot "$tmp/s.snap" "$elf" \
        >>"$tmp/split.out") && fail "part 1 of $parts did not stop at its budget" || true
    status=124
    while [[ $status -eq 124 ]]; do
        set +e
        (cd "$tmp/w" && "$rvrun" --resume "$tmp/s.snap" "${dirs[@]}" --max-cycles $step --snapshot "$tmp/s2.snap" \
            --report "$tmp/split.json" >>"$tmp/split.out")
        status=$?
        set -e
        [[ $status -eq 124 ]] && mv "$tmp/s2.snap" "$tmp/s.snap"
    done
    [[ $status -eq 0 ]] || fail "split into $parts: final status $status"
    cmp -s "$tmp/whole.out" "$tmp/split.out" || fail "split into $parts: stdout differs"
    cmp -s "$tmp/whole.sums" "$tmp/w/out/sums.txt" || fail "split into $parts: out/sums.txt differs"
    grep -q "\"state_digest\": \"$digest\"" "$tmp/split.json" || fail "split into $parts: digest differs"
    echo "ok: split into $parts parts"
done

# A snapshot in the middle, then damage to the files it depends on.
fresh
half=$((total / 2))
(cd "$tmp/w" && "$rvrun" "${dirs[@]}" --max-cycles $half --snapshot "$tmp/mid.snap" "$elf" >/dev/null) ||
    [[ $? -eq 124 ]] || fail "mid snapshot"
cp -R "$tmp/w" "$tmp/w_saved"
expect_refusal() {
    local what=$1
    shift
    set +e
    [[ $# -gt 0 ]] || set -- "${dirs[@]}"
    [[ $1 != none ]] || set --
    (cd "$tmp/w" && "$rvrun" --resume "$tmp/mid.snap" "$@" >/dev/null 2>"$tmp/err")
    local status=$?
    set -e
    [[ $status -eq 125 ]] || fail "$what: resume exited $status, expected 125"
    [[ $(wc -l <"$tmp/err") -eq 1 ]] || fail "$what: expected one line on stderr, got: $(cat "$tmp/err")"
    echo "ok: $what refused: $(cat "$tmp/err")"
}
echo "tampered" >>"$tmp/w/data/numbers.txt"
expect_refusal "changed input file"
grep -q "numbers.txt" "$tmp/err" || fail "the message does not name the file"
rm -rf "$tmp/w" && cp -R "$tmp/w_saved" "$tmp/w"
echo "tampered" >>"$tmp/w/out/sums.txt"
expect_refusal "changed output file"
rm -rf "$tmp/w" && cp -R "$tmp/w_saved" "$tmp/w"
rm "$tmp/w/data/numbers.txt"
expect_refusal "deleted input file"
rm -rf "$tmp/w" && cp -R "$tmp/w_saved" "$tmp/w"
expect_refusal "conflicting --dir" --dir "$tmp/w/out:/data"
expect_refusal "resume without --dir (a snapshot grants nothing itself)" none
grep -q -- "--dir HOST:/" "$tmp/err" || fail "the message does not name the --dir needed"
expect_refusal "output directory granted read-only" --dir data --dir out
grep -q "read-only" "$tmp/err" || fail "the message does not say read-only"
rm -rf "$tmp/w" && cp -R "$tmp/w_saved" "$tmp/w"
(cd "$tmp/w" && "$rvrun" --resume "$tmp/mid.snap" "${dirs[@]}" >"$tmp/rest.out") ||
    fail "resume with the same --dir options failed"
grep -q "^done:" "$tmp/rest.out" || fail "the resumed run did not finish"
expect_refusal "second resume of the same snapshot (output file grew)"
echo "ok: snapshot tests passed"
