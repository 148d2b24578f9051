#!/usr/bin/env bash
# The write bound across snapshots: the bytes already written are part of
# the snapshot, so a run split anywhere -- in particular right at the write
# that reaches the bound -- writes exactly as much, prints the same and ends
# in the same state as one whole run. A resumed run that forgot the count
# would write up to a whole bound more and print a different byte count.
# usage: writebound.sh RVRUN ELF
set -euo pipefail
rvrun=$(realpath "$1")
elf=$(realpath "$2")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/writebound.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
bound=100000
opts=(--dir out:/out:rw --max-write-bytes $bound)
# The hand-worked end: 4096 for the new file, then 95 blocks of 1000 and a short 904.
final=95904

fresh() { rm -rf "$tmp/w"; mkdir -p "$tmp/w/out"; }
digest_of() { sed -n 's/.*"state_digest": "\([0-9a-f]*\)".*/\1/p' "$1"; }

fresh
(cd "$tmp/w" && "$rvrun" "${opts[@]}" --report "$tmp/whole.json" "$elf" /out fill >"$tmp/whole.out") ||
    fail "whole run failed"
grep -q "^write after $final bytes: -1 EDQUOT$" "$tmp/whole.out" || fail "whole run: $(cat "$tmp/whole.out")"
total=$(sed -n 's/.*"cycles": \([0-9]*\).*/\1/p' "$tmp/whole.json")
digest=$(digest_of "$tmp/whole.json")
[[ $total -gt 10000 ]] || fail "implausible cycle count '$total'"

# Runs the program split at the given cycle budgets (increasing); checks the result.
split_at() {
    local what=$1
    shift
    fresh
    : >"$tmp/split.out"
    local done=0 snap= status
    for b in "$@"; do
        set +e
        if [[ -z $snap ]]; then
            (cd "$tmp/w" && "$rvrun" "${opts[@]}" --max-cycles "$b" --snapshot "$tmp/a.snap" \
                "$elf" /out fill >>"$tmp/split.out")
        else
            (cd "$tmp/w" && "$rvrun" --resume "$snap" "${opts[@]}" --max-cycles $((b - done)) \
                --snapshot "$tmp/a.snap" >>"$tmp/split.out")
        fi
        status=$?
        set -e
        [[ $status -eq 124 ]] || fail "$what: part ending at $b exited $status"
        mv "$tmp/a.snap" "$tmp/s.snap"
        snap=$tmp/s.snap
        done=$b
    done
    set +e
    (cd "$tmp/w" && "$rvrun" --resume "$snap" "${opts[@]}" --report "$tmp/split.json" >>"$tmp/split.out")
    status=$?
    set -e
    [[ $status -eq 0 ]] || fail "$what: last part exited $status"
    cmp -s "$tmp/whole.out" "$tmp/split.out" || fail "$what: stdout differs: $(diff "$tmp/whole.out" "$tmp/split.out" | head -5)"
    [[ $(digest_of "$tmp/split.json") == "$digest" ]] || fail "$what: state digest differs"
}

for parts in 2 3 7; do
    budgets=()
    for ((i = 1; i < parts; i++)); do budgets+=($((total * i / parts))); done
    split_at "split into $parts" "${budgets[@]}"
    echo "ok: split into $parts parts"
done

# The first budget at which the short write that reaches the bound is done:
# out/big (truncated to 100 bytes later) is $final bytes long there.
size_at() {
    fresh
    (cd "$tmp/w" && "$rvrun" "${opts[@]}" --max-cycles "$1" "$elf" /out fill >/dev/null) || true
    stat -c %s "$tmp/w/out/big" 2>/dev/null || echo 0
}
lo=1 hi=$total
while ((lo < hi)); do
    mid=$(((lo + hi) / 2))
    s=$(size_at $mid)
    if ((s >= final || s == 100)); then hi=$mid; else lo=$((mid + 1)); fi
done
[[ $(size_at $((lo - 1))) -eq 95000 ]] || fail "no cycle found where the bound is reached"
echo "the bound is reached at cycle $lo"
for b in $((lo - 2)) $((lo - 1)) $lo $((lo + 1)) $((lo + 2)); do
    split_at "split at cycle $b" "$b"
    # ... and a second split right after, while the guest sees EDQUOT.
    split_at "split at cycles $b, $((b + 50))" "$b" $((b + 50))
done
echo "ok: splits around the bound (cycle $lo)"
