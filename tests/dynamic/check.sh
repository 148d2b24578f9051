#!/usr/bin/env bash
# Dynamically linked programs (docs/dynamic-linking.md), checked against
# qemu-riscv64 -L and against themselves across snapshots.
#
# usage: check.sh MODE RVRUN QEMU SYSROOT DIR [ELF...]
#
#   qemu      each ELF (NAME.elf in DIR, or a path) under `rvrun --sysroot` and
#             `qemu-riscv64 -L`, both with an empty environment: same stdout,
#             stderr and exit status (stdin from tests/linux/inputs/lines.in)
#   static    the same without a sysroot (static-pie programs), against plain qemu
#   split     each ELF stopped at many cycle counts, snapshotted and resumed
#             (once more split in the middle of the rest for some): output,
#             status and state digest equal the unsplit run's
#   refuse    a changed library or interpreter refused on resume (125, one
#             line naming it); no sysroot: 125 naming --sysroot, also on resume
#   base      the documented load addresses: a PIE's interpreter entry and a
#             static-pie's entry at 0x10000 + e_entry
set -euo pipefail
mode=$1 rvrun=$(realpath -- "$2") qemu=$3 sysroot=$4 dir=$5
shift 5
inputs=$(cd "$(dirname "$0")/../linux/inputs" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}
elf_of() { [[ $1 == */* ]] && realpath -- "$1" || echo "$dir/$1.elf"; }

# A run's stdout, stderr and status in $work/NAME.{out,err,rc}.
run_rvrun() { # name elf [rvrun options...] -- args
    local name=$1 elf=$2 rc=0
    shift 2
    (cd "$work" && env -i "$rvrun" "$@" <"$inputs/lines.in" >"$name.out" 2>"$name.err") || rc=$?
    echo "$rc" >"$work/$name.rc"
}

digest() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["state_digest"])' "$1"; }
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

case $mode in
qemu | static)
    [[ -x $qemu ]] || { echo "qemu-riscv64 missing"; exit 1; }
    for e in "$@"; do
        elf=$(elf_of "$e")
        n=$(basename "$elf" .elf)
        opts=()
        qopts=()
        if [[ $mode == qemu ]]; then
            opts=(--sysroot "$sysroot")
            qopts=(-L "$sysroot")
        fi
        args=()
        [[ $n == *args* ]] && args=(a 'b c' --x=1)
        [[ $n == *exitcode* ]] && args=(42 exit)
        run_rvrun "$n.rv" "$elf" "${opts[@]}" "$elf" "${args[@]}"
        rc=0
        (cd "$work" && env -i "$qemu" "${qopts[@]}" "$elf" "${args[@]}" <"$inputs/lines.in" \
            >"$n.q.out" 2>"$n.q.err") || rc=$?
        echo "$rc" >"$work/$n.q.rc"
        for k in out err rc; do
            if ! cmp -s "$work/$n.rv.$k" "$work/$n.q.$k"; then
                fail "$n: $k differs from qemu-riscv64"
                diff "$work/$n.rv.$k" "$work/$n.q.$k" | head -5 || true
            fi
        done
        ! grep -q '!= file' "$work/$n.rv.out" || fail "$n: a mapping differs from the file"
        [[ -s $work/$n.rv.out || $(cat "$work/$n.rv.rc") != 0 ]] ||
            fail "$n: no output and status 0 (a test that cannot fail)"
        echo "$n: status $(cat "$work/$n.rv.rc"), $(wc -c <"$work/$n.rv.out") bytes of output, same as qemu"
    done
    ;;
split)
    for e in "$@"; do
        elf=$(elf_of "$e")
        n=$(basename "$elf" .elf)
        S=(--sysroot "$sysroot")
        run_rvrun "$n.whole" "$elf" "${S[@]}" --report "$n.whole.json" "$elf"
        total=$(field "$work/$n.whole.json" cycles)
        want=$(digest "$work/$n.whole.json")
        # Early points fall inside ld.so (relocation, mapping libc), later ones in main.
        points=""
        for f in 1 3 7 15 30 60 120 250 400 550 700 850 930 990 999; do
            points+=" $((total * f / 1000 + f))"
        done
        points+=" 1 2 100 1000 20000 60000"
        checked=0
        for c in $points; do
            [[ $c -lt $total ]] || continue
            rc=0
            (cd "$work" && env -i "$rvrun" "${S[@]}" --max-cycles "$c" --snapshot "$n.snap" "$elf" \
                <"$inputs/lines.in" >"$n.p1.out" 2>"$n.p1.err") || rc=$?
            [[ $rc == 124 ]] || { fail "$n at $c: first part exited $rc, not 124"; continue; }
            # Half the points split the rest once more, as a diff snapshot's parent would.
            if ((checked % 2)); then
                mid=$(((total - c) / 2 + 1))
                rc=0
                (cd "$work" && env -i "$rvrun" --resume "$n.snap" "${S[@]}" --max-cycles "$mid" \
                    --snapshot "$n.snap2" >"$n.p2.out" 2>"$n.p2.err" </dev/null) || rc=$?
                [[ $rc == 124 ]] || { fail "$n at $c+$mid: second part exited $rc"; continue; }
                rest=$n.snap2
            else
                : >"$work/$n.p2.out"
                : >"$work/$n.p2.err"
                rest=$n.snap
            fi
            rc=0
            (cd "$work" && env -i "$rvrun" --resume "$rest" "${S[@]}" --report "$n.r.json" \
                >"$n.p3.out" 2>"$n.p3.err" </dev/null) || rc=$?
            if [[ $rc != "$(cat "$work/$n.whole.rc")" ]]; then
                fail "$n at $c: resumed run exited $rc, whole run $(cat "$work/$n.whole.rc")"
                cat "$work/$n.p3.err" | head -3
                continue
            fi
            cat "$work/$n.p1.out" "$work/$n.p2.out" "$work/$n.p3.out" | cmp -s - "$work/$n.whole.out" ||
                fail "$n at $c: split output differs"
            cat "$work/$n.p1.err" "$work/$n.p2.err" "$work/$n.p3.err" | cmp -s - "$work/$n.whole.err" ||
                fail "$n at $c: split stderr differs"
            [[ $(digest "$work/$n.r.json") == "$want" ]] || fail "$n at $c: state digest differs"
            [[ $(field "$work/$n.r.json" cycles) == "$total" ]] || fail "$n at $c: cycles differ"
            checked=$((checked + 1))
        done
        [[ $checked -ge 15 ]] || fail "$n: only $checked split points checked"
        echo "$n: $checked split points ($total cycles), digest $want"
    done
    ;;
refuse)
    elf=$(elf_of "$1")
    n=$(basename "$elf" .elf)
    # A private copy of the sysroot's lib directory holding what the program needs.
    mkdir -p "$work/root/lib"
    cp "$sysroot"/lib/ld-linux-riscv64-lp64d.so.1 "$sysroot"/lib/libc.so.6 "$sysroot"/lib/libm.so.6 \
        "$work/root/lib/"
    S=(--sysroot "$work/root")
    run_rvrun whole "$elf" "${S[@]}" --report whole.json "$elf"
    [[ $(cat "$work/whole.rc") == 0 ]] || fail "whole run with the copied sysroot failed"
    total=$(field "$work/whole.json" cycles)
    c=$((total * 9 / 10))
    rc=0
    (cd "$work" && env -i "$rvrun" "${S[@]}" --max-cycles "$c" --snapshot s.snap "$elf" >/dev/null 2>&1) || rc=$?
    [[ $rc == 124 ]] || fail "snapshot run exited $rc"
    "$rvrun" --inspect "$work/s.snap" >"$work/inspect.txt"
    grep -q '^needs --sysroot: yes' "$work/inspect.txt" || fail "--inspect does not say a sysroot is needed"
    grep -q '^  /lib/libc.so.6 (sysroot) [0-9]* bytes sha256 [0-9a-f]\{64\}, [1-9][0-9]* pages mapped' \
        "$work/inspect.txt" || fail "--inspect does not list libc.so.6 with mapped pages"
    grep -q '^  /lib/ld-linux-riscv64-lp64d.so.1 \[interpreter\] (sysroot)' "$work/inspect.txt" ||
        fail "--inspect does not list the interpreter"
    resume() { # expected-status pattern [options...]
        local want=$1 pat=$2 rc=0
        shift 2
        "$rvrun" --resume "$work/s.snap" "$@" >/dev/null 2>"$work/resume.err" || rc=$?
        [[ $rc == "$want" ]] || fail "resume $*: exit $rc, want $want: $(cat "$work/resume.err")"
        if [[ -n $pat ]]; then
            [[ $(wc -l <"$work/resume.err") == 1 ]] || fail "resume $*: not one line of error"
            grep -q -- "$pat" "$work/resume.err" || fail "resume $*: message lacks '$pat': $(cat "$work/resume.err")"
        fi
    }
    resume 0 "" "${S[@]}"
    resume 125 "--sysroot"                 # no sysroot given on resume
    cp "$work/root/lib/libc.so.6" "$work/libc.orig"
    printf '\x01' | dd of="$work/root/lib/libc.so.6" bs=1 seek=70000 conv=notrunc status=none
    resume 125 "/lib/libc.so.6" "${S[@]}"  # a changed libc
    grep -q "changed" "$work/resume.err" || fail "message does not say libc.so.6 changed"
    cp "$work/libc.orig" "$work/root/lib/libc.so.6"
    resume 0 "" "${S[@]}"
    echo >>"$work/root/lib/ld-linux-riscv64-lp64d.so.1"  # a changed interpreter
    resume 125 "ld-linux-riscv64-lp64d.so.1" "${S[@]}"
    # No sysroot at all for a fresh run: one line naming the option.
    rc=0
    env -i "$rvrun" "$elf" >/dev/null 2>"$work/nosys.err" || rc=$?
    [[ $rc == 125 ]] || fail "no sysroot: exit $rc, want 125"
    [[ $(wc -l <"$work/nosys.err") == 1 ]] && grep -q -- "--sysroot" "$work/nosys.err" ||
        fail "no sysroot: message is not one line naming --sysroot: $(cat "$work/nosys.err")"
    rc=0
    env -i "$rvrun" --sysroot "$work/missing" "$elf" >/dev/null 2>"$work/nosys.err" || rc=$?
    [[ $rc == 125 ]] || fail "missing sysroot directory: exit $rc, want 125"
    rc=0
    env -i RVVM_SYSROOT="$sysroot" "$rvrun" "$elf" >/dev/null 2>&1 || rc=$?
    [[ $rc == 0 ]] || fail "RVVM_SYSROOT is not used: exit $rc"
    echo "refusals checked with $n"
    ;;
openlib)
    # The moment ld.so has mapped libc.so.6 but not yet closed it: bisect for the first
    # cycle count whose snapshot lists libc among the mapped files. There the snapshot
    # holds an open file in the sysroot too (grant index 64).
    elf=$(elf_of "$1")
    n=$(basename "$elf" .elf)
    S=(--sysroot "$sysroot")
    run_rvrun whole "$elf" "${S[@]}" --report whole.json "$elf"
    total=$(field "$work/whole.json" cycles)
    mapped_at() {
        env -i "$rvrun" "${S[@]}" --max-cycles "$1" --snapshot "$work/o.snap" "$elf" >/dev/null 2>&1 || true
        "$rvrun" --inspect "$work/o.snap" >"$work/o.txt"
        grep -q '^  /lib/libc.so.6 (sysroot)' "$work/o.txt"
    }
    lo=0 hi=$((total - 1))
    mapped_at "$hi" || fail "libc.so.6 never mapped"
    while ((hi - lo > 1)); do
        mid=$(((lo + hi) / 2))
        if mapped_at "$mid"; then hi=$mid; else lo=$mid; fi
    done
    env -i "$rvrun" "${S[@]}" --max-cycles "$hi" --snapshot "$work/o.snap" "$elf" >"$work/p1.out" \
        2>"$work/p1.err" || true
    "$rvrun" --inspect "$work/o.snap" >"$work/inspect.txt"
    grep -q '^open files:   1' "$work/inspect.txt" && grep -q "^  file /lib/libc.so.6 $(stat -c %s "$sysroot/lib/libc.so.6") bytes" "$work/inspect.txt" ||
        fail "at cycle $hi the snapshot does not hold libc.so.6 open: $(grep -A2 '^open files' "$work/inspect.txt")"
    # The independent reader sees the same: libc open in the sysroot (grant index 64).
    python3 - "$work/o.snap" "$(dirname "$0")/../snapshot" <<'PY' || fail "snapread.py disagrees"
import sys
sys.path.insert(0, sys.argv[2])
import snapread
o = snapread.parse(open(sys.argv[1], "rb").read())["os"]
assert [f["path"] for f in o["files"] if f["grant"] == snapread.SYSROOT] == [b"lib/libc.so.6"], o["files"]
assert any(m["guest"] == b"/lib/libc.so.6" and m["sysroot"] for m in o["mapped_files"])
PY
    rc=0
    (cd "$work" && env -i "$rvrun" --resume o.snap "${S[@]}" --report r.json >p2.out 2>p2.err) || rc=$?
    [[ $rc == "$(cat "$work/whole.rc")" ]] || fail "resume at $hi: exit $rc"
    cat "$work/p1.out" "$work/p2.out" | cmp -s - "$work/whole.out" || fail "resume at $hi: output differs"
    cat "$work/p1.err" "$work/p2.err" | cmp -s - "$work/whole.err" || fail "resume at $hi: stderr differs"
    [[ $(digest "$work/r.json") == "$(digest "$work/whole.json")" ]] || fail "resume at $hi: digest differs"
    rc=0
    "$rvrun" --resume "$work/o.snap" >/dev/null 2>"$work/e.err" || rc=$?
    [[ $rc == 125 ]] && grep -q -- --sysroot "$work/e.err" || fail "resume without a sysroot: exit $rc"
    echo "$n: libc.so.6 mapped and still open at cycle $hi of $total; resumed from there"
    ;;
base)
    # --max-cycles 0 stops before the first instruction: pc is where loading put the entry.
    # Expected from the ELF headers alone (python, struct): an ET_DYN program's first page
    # at 0x10000; the interpreter's pages end at the stack's guard page (256 MiB memory:
    # 8 MiB stack, guard page below it), so its entry is that end - span + e_entry.
    expect=$(cat <<'PY'
import struct, sys
def info(path):
    d = open(path, "rb").read()
    entry, phoff = struct.unpack_from("<QQ", d, 24)
    phnum = struct.unpack_from("<H", d, 56)[0]
    lo, hi, interp = None, 0, None
    for i in range(phnum):
        t, fl, off, va, pa, fs, ms, al = struct.unpack_from("<IIQQQQQQ", d, phoff + 56 * i)
        if t == 3:
            interp = d[off:off + fs].split(b"\0")[0].decode()
        if t == 1 and ms:
            lo = va & ~0xfff if lo is None else min(lo, va & ~0xfff)
            hi = max(hi, (va + ms + 0xfff) & ~0xfff)
    return entry, lo, hi, interp
entry, lo, hi, interp = info(sys.argv[1])
if interp is None:
    print(hex(0x10000 + entry - lo))
else:
    ie, ilo, ihi, _ = info(sys.argv[2] + interp)
    usable_end = (256 << 20) - (8 << 20) - 4096
    print(hex(((usable_end - (ihi - ilo)) & ~0xfff) + ie - ilo))
PY
)
    for e in "$@"; do
        elf=$(elf_of "$e")
        want=$(python3 -c "$expect" "$elf" "$sysroot")
        rc=0
        env -i "$rvrun" --sysroot "$sysroot" --max-cycles 0 --snapshot "$work/b.snap" "$elf" \
            >/dev/null 2>&1 || rc=$?
        [[ $rc == 124 ]] || { fail "$e: exit $rc"; continue; }
        pc=$("$rvrun" --inspect "$work/b.snap" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pc"])')
        [[ $((pc)) == $((want)) ]] || fail "$e: entry pc $pc, want $want"
        echo "$e: starts at $pc"
    done
    ;;
*)
    echo "unknown mode $mode"
    exit 99
    ;;
esac
[[ $fails == 0 ]] || { echo "$fails failure(s)"; exit 1; }
echo "all checks passed"
