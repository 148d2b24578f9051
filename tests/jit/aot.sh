#!/usr/bin/env bash
# The translation tier's ahead-of-time cache file (docs/jit.md, "Ahead-of-time
# cache") through rvrun --jit-cache, against the interpreter: every run here
# must end with the interpreter's exit status, output and report (cycles,
# instructions, pc, state digest).
#   - a cold run writes one valid file (checked by an independent reader);
#   - a warm run compiles nothing, loads code and translates runs, also at the
#     default threshold, where nothing gets hot in this short program without
#     the file (code is installed at a slot's first count);
#   - a damaged or stale file (flipped byte, truncated, empty, garbage, wrong
#     format/generator/rvvm version/host/key, hostile counts, bad slot, missing
#     function) is ignored for the right reason, and rebuilt by that run;
#   - four processes writing one directory at once leave one valid file;
#   - a missing directory or a file is an rvrun error (125); an unwritable one
#     a one-line warning, with the guest's results and status unchanged.
# The default-threshold part runs LOOP_PROGRAM (one whose loops get hot).
#   aot.sh RVRUN PROGRAM LOOP_PROGRAM
set -u
rvrun=$1 prog=$2 loop_prog=$3
here=$(cd "$(dirname "$0")" && pwd)
tamper="python3 $here/aot_tamper.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

"$rvrun" --engine interp --report "$tmp/ref.json" "$prog" >"$tmp/ref.out" 2>/dev/null
ref_status=$?
[ -s "$tmp/ref.json" ] || { echo "no reference report"; exit 1; }
"$rvrun" --engine interp --report "$tmp/loopref.json" "$loop_prog" >"$tmp/loopref.out" 2>/dev/null
loopref_status=$?

# run NAME DIR [rvrun options]: a jit run with the cache, compared with the interpreter.
run() {
    local name=$1 dir=$2 p=$prog ref=ref rs=$ref_status; shift 2
    if [ "${1:-}" = loop ]; then p=$loop_prog ref=loopref rs=$loopref_status; shift; fi
    "$rvrun" --engine jit --jit-cache "$dir" --jit-stats --report "$tmp/$name.json" "$@" "$p" \
        >"$tmp/$name.out" 2>"$tmp/$name.err"
    local s=$?
    [ "$s" = "$rs" ] || bad "$name: exit status $s, interpreter $rs"
    cmp -s "$tmp/$ref.out" "$tmp/$name.out" || bad "$name: output differs"
    cmp -s "$tmp/$ref.json" "$tmp/$name.json" || { bad "$name: report differs"; diff "$tmp/$ref.json" "$tmp/$name.json"; }
    compilations=$(sed -n 's/^rvrun: jit cache: \([0-9]*\) compilations.*/\1/p' "$tmp/$name.err")
    loaded=$(sed -n 's/.*compilations, \([0-9]*\) slots loaded.*/\1/p' "$tmp/$name.err")
    saved=$(sed -n 's/.*loaded, \([0-9]*\) slots saved.*/\1/p' "$tmp/$name.err")
    translated=$(sed -n 's/^rvrun: jit: \([0-9]*\) runs translated$/\1/p' "$tmp/$name.err")
    if [ -z "$compilations" ] || [ -z "$translated" ]; then bad "$name: no statistics"; cat "$tmp/$name.err"; fi
}
sync=(--jit-threshold 1 --jit-sync)
one_file() { ls "$1"/*.rvjit 2>/dev/null | head -1; }

# Cold, then warm.
mkdir "$tmp/c"
run cold "$tmp/c" "${sync[@]}"
[ "${compilations:-0}" -gt 0 ] || bad "cold: nothing compiled"
[ "${saved:-0}" -gt 0 ] || bad "cold: nothing saved"
[ "${loaded:-1}" = 0 ] || bad "cold: $loaded slots loaded from an empty directory"
f=$(one_file "$tmp/c")
[ -n "$f" ] || bad "cold: no cache file written"
[ "$(ls -A "$tmp/c" | wc -l)" = 1 ] || bad "cold: stray files: $(ls -A "$tmp/c")"
$tamper "$f" check >"$tmp/check" || bad "cold: the file does not read back"
code=$(sed -n 's/.* code \([0-9]*\)$/\1/p' "$tmp/check")
[ "$code" = "$saved" ] || bad "cold: the file has $code slots with code, rvrun saved $saved"
cp "$f" "$tmp/good.rvjit"

run warm "$tmp/c" "${sync[@]}"
[ "$compilations" = 0 ] || bad "warm: $compilations compilations"
[ "$loaded" = "$code" ] || bad "warm: $loaded slots loaded, the file has $code"
[ "$translated" -gt 0 ] || bad "warm: nothing translated"
cmp -s "$f" "$tmp/good.rvjit" || bad "warm: the file was rewritten although nothing was compiled"

# RVVM_JIT_CACHE names the directory too (with --engine jit; ignored without).
RVVM_JIT_CACHE="$tmp/c" "$rvrun" --engine jit "${sync[@]}" --jit-stats "$prog" >/dev/null 2>"$tmp/env.err"
grep -q "compilations, $code slots loaded" "$tmp/env.err" || { bad "RVVM_JIT_CACHE not used"; cat "$tmp/env.err"; }
RVVM_JIT_CACHE="$tmp/missing" "$rvrun" "$prog" >/dev/null 2>&1
[ $? = "$ref_status" ] || bad "RVVM_JIT_CACHE used by the interpreter"

# The default threshold: in the loop program's short run code gets hot (and
# saved) but is compiled too late to be installed; with the file it is
# installed at the first (sampled) count of its slots.
mkdir "$tmp/d"
run default-cold "$tmp/d" loop
nofile_translated=$translated
[ "$saved" -gt 0 ] || bad "default-cold: nothing saved"
run default-warm "$tmp/d" loop
[ "$compilations" = 0 ] || bad "default-warm: $compilations compilations"
[ "$translated" -gt "$nofile_translated" ] || bad "default-warm: $translated runs translated, without a file $nofile_translated"

# Damaged or stale files: ignored (the reason named), results unchanged, rebuilt.
damage() {
    local what=$1 reason=$2; shift 2
    local dir="$tmp/dmg-$what"
    mkdir "$dir"
    cp "$tmp/good.rvjit" "$dir/$(basename "$f")"
    $tamper "$dir/$(basename "$f")" "$what" "$@" || { bad "$what: tamper failed"; return; }
    run "dmg-$what" "$dir" "${sync[@]}"
    grep -q "^rvrun: jit: ignored .*: .*$reason" "$tmp/dmg-$what.err" ||
        { bad "$what: not ignored for '$reason'"; cat "$tmp/dmg-$what.err"; }
    [ "$loaded" = 0 ] || bad "$what: $loaded slots loaded from a bad file"
    [ "$compilations" -gt 0 ] || bad "$what: nothing compiled"
    $tamper "$dir/$(basename "$f")" check >/dev/null || bad "$what: not rebuilt"
    run "dmg-$what-again" "$dir" "${sync[@]}"
    [ "$compilations" = 0 ] && [ "$loaded" -gt 0 ] || bad "$what: the rebuilt file was not used"
}
damage flip-so "SHA-256 mismatch"
damage truncate "no trailer"
damage empty "size 0 out of range"
damage garbage "no trailer"
damage format "format 7 generator" 7
damage generator "generator 99," 99
damage rvvm-version "another rvvm version" 0.0.9
damage host "another host (s390x/other-be-p64" s390x/other-be-p64 # never this host (x86-64 or AArch64)
damage key "another program key" 0000000000000000000000000000000000000000000000000000000000000000
damage pages "too many" 4294967295
damage bad-slot "bad slot in page 0"
damage bad-name "function no_such_function missing"

# Four processes saving into one directory at once (fresh, then over a file).
mkdir "$tmp/p"
for round in 1 2; do
    pids=()
    for i in 1 2 3 4; do
        "$rvrun" --engine jit "${sync[@]}" --jit-cache "$tmp/p" --report "$tmp/p$i.json" "$prog" \
            >"$tmp/p$i.out" 2>"$tmp/p$i.err" &
        pids+=($!)
    done
    for i in 1 2 3 4; do
        wait "${pids[$((i - 1))]}"
        [ $? = "$ref_status" ] || bad "parallel $round.$i: exit status"
        cmp -s "$tmp/ref.json" "$tmp/p$i.json" || bad "parallel $round.$i: report differs"
        cmp -s "$tmp/ref.out" "$tmp/p$i.out" || bad "parallel $round.$i: output differs"
    done
    [ "$(ls -A "$tmp/p" | wc -l)" = 1 ] || bad "parallel $round: files left: $(ls -A "$tmp/p")"
    $tamper "$(one_file "$tmp/p")" check >/dev/null || bad "parallel $round: the file is damaged"
    rm -f "$(one_file "$tmp/p")" # round 2 starts fresh too, racing from the start
done
run after-parallel "$tmp/p" "${sync[@]}"

# Directories that cannot be used.
"$rvrun" --engine jit --jit-cache "$tmp/missing" "$prog" >/dev/null 2>"$tmp/missing.err"
s=$?
[ $s = 125 ] || bad "missing directory: exit status $s"
[ "$(wc -l <"$tmp/missing.err")" = 1 ] && grep -q "^rvrun: --jit-cache: .*missing.*No such file" "$tmp/missing.err" ||
    { bad "missing directory: message"; cat "$tmp/missing.err"; }
"$rvrun" --engine jit --jit-cache "$tmp/ref.json" "$prog" >/dev/null 2>"$tmp/notdir.err"
[ $? = 125 ] && grep -q "not a directory" "$tmp/notdir.err" || bad "a file as the directory"
"$rvrun" --engine interp --jit-cache "$tmp/c" "$prog" >/dev/null 2>"$tmp/interp.err"
[ $? = 125 ] && grep -q "needs the translation tier" "$tmp/interp.err" || bad "--jit-cache with --engine interp"
# rvrun's default engine (auto) uses the directory where it picks the tier.
if "$rvrun" --engine jit --jit-threshold 1 "$prog" >/dev/null 2>&1; then
    mkdir "$tmp/auto"
    "$rvrun" --jit-cache "$tmp/auto" --jit-threshold 1 "$prog" >/dev/null 2>&1
    ls "$tmp/auto"/*.rvjit >/dev/null 2>&1 || bad "--jit-cache under auto wrote no file"
fi
# /proc/self is a directory nobody (not even root) can create files in.
run unwritable /proc/self "${sync[@]}"
grep -q "^rvrun: warning: jit cache not saved: cannot write in /proc/self" "$tmp/unwritable.err" ||
    { bad "unwritable: no warning"; cat "$tmp/unwritable.err"; }

[ $fail = 0 ] && echo "aot cache: warm: 0 compilations, $code slots loaded; 12 damaged files ignored and rebuilt"
exit $fail
