#!/bin/bash
# Snapshot equivalence through the real CLI: chains of rvrun processes.
#
#   cli_chain.sh RVRUN compute_atomic.elf syscall_heavy.elf STDIN_FILE hello.elf fault_null.elf
#
# For each program, an unsplit `rvrun --report` run is the reference. Then a
# chain of real processes: `rvrun --max-cycles K --snapshot s.snap prog`,
# followed by `rvrun --resume s.snap --max-cycles K --snapshot s.snap`
# (resuming into the same file name) until the program exits; every 7th link
# saves with --snapshot-compress. The chain's concatenated stdout and stderr,
# exit status, and the last report's status, exit_code, cycles,
# instructions, pc and state_digest must equal the reference. Each
# intermediate report must say cycle_limit at exactly (i+1)*K cycles (unit
# cost model). The last process, which exits before its budget, must leave
# s.snap byte-identical.
#
# stdin: syscall_heavy reads stdin to EOF. The whole chain shares ONE pipe
# (opened once by this script as fd 3, each process gets it as its stdin).
# The guest's read(0) goes straight to read(2) on the host's fd 0, so every
# process consumes exactly the bytes its part of the run reads and the next
# process continues where it stopped, as a shell pipeline into a chain would.
#
# Also: programs that exit (or fault) before their budget write no snapshot
# and leave an existing one byte-identical; a budget of exactly the total
# exits, one less stops with a snapshot.
set -u
RVRUN=$(realpath "$1") CA=$2 SH=$3 STDIN=$4 HELLO=$5 FAULT=$6
. "$(dirname "$0")/lib.sh"

LINKS=56

# chain NAME PROG USE_STDIN [first-process options...]
chain() {
    local name=$1 prog=$2 use_stdin=$3
    shift 3
    local d=$work/$name
    mkdir -p "$d"
    local in=/dev/null
    [ "$use_stdin" = yes ] && in=$STDIN
    "$RVRUN" "$@" --report "$d/ref.json" "$prog" < "$in" > "$d/ref.out" 2> "$d/ref.err"
    local ref_status=$?
    local total
    total=$(report_field "$d/ref.json" cycles)
    if [ -z "$total" ] || [ "$ref_status" -ne 0 ]; then
        fail "$name: reference run failed (status $ref_status)"
        return
    fi
    local k=$((total / LINKS + 1))

    # One pipe for the whole chain.
    exec 3< <(cat "$in")
    "$RVRUN" "$@" --max-cycles "$k" --snapshot "$d/s.snap" --report "$d/r.json" "$prog" \
        <&3 > "$d/chain.out" 2> "$d/chain.err"
    local st=$? i=1 resumes=0 compressed=0 unit=yes
    case " $* " in *" --cost-model "*) unit=no ;; esac
    while [ "$st" -eq 124 ]; do
        if [ "$unit" = yes ]; then
            local c
            c=$(report_field "$d/r.json" cycles)
            [ "$c" = "$((i * k))" ] || fail "$name: link $i stopped at cycle $c, expected $((i * k))"
        fi
        [ "$(report_field "$d/r.json" status)" = cycle_limit ] ||
            fail "$name: link $i report status is not cycle_limit"
        [ -f "$d/s.snap" ] || { fail "$name: link $i left no snapshot"; break; }
        local extra=()
        if [ $((i % 7)) -eq 3 ]; then
            extra=(--snapshot-compress)
            compressed=$((compressed + 1))
        fi
        cp "$d/s.snap" "$d/prev.snap"
        "$RVRUN" --resume "$d/s.snap" --max-cycles "$k" --snapshot "$d/s.snap" "${extra[@]}" \
            --report "$d/r.json" <&3 >> "$d/chain.out" 2>> "$d/chain.err"
        st=$?
        resumes=$((resumes + 1))
        if [ "$st" -eq 124 ] && [ ${#extra[@]} -gt 0 ]; then
            "$RVRUN" --inspect "$d/s.snap" --json > "$d/inspect.json" 2>&1
            check "$name: link $i wrote a compressed snapshot" \
                grep -q '"compressed": true' "$d/inspect.json"
        fi
        i=$((i + 1))
        [ "$i" -le $((LINKS * 3)) ] || { fail "$name: chain does not end"; break; }
    done
    exec 3<&-

    check "$name: at least 50 resumes ($resumes)" [ "$resumes" -ge 50 ]
    check "$name: some compressed links ($compressed)" [ "$compressed" -ge 3 ]
    check "$name: chain exit status $st equals the unsplit $ref_status" [ "$st" -eq "$ref_status" ]
    check "$name: concatenated stdout equals the unsplit run's" cmp -s "$d/ref.out" "$d/chain.out"
    check "$name: concatenated stderr equals the unsplit run's" cmp -s "$d/ref.err" "$d/chain.err"
    local f
    for f in status exit_code cycles instructions pc state_digest; do
        local a b
        a=$(report_field "$d/ref.json" "$f")
        b=$(report_field "$d/r.json" "$f")
        check "$name: report $f '$b' equals the unsplit '$a'" same "$a" "$b"
    done
    check "$name: the exiting last link left s.snap byte-identical" cmp -s "$d/prev.snap" "$d/s.snap"
    check "$name: no temporary files left" no_temp_files "$d"
    echo "$name: $total cycles, $resumes resumes of $k cycles ($compressed compressed)"
}

chain compute_atomic "$CA" no
chain syscall_heavy "$SH" yes
# The configuration travels in the snapshot: resumes take no options for it.
chain compute_atomic_weighted "$CA" no --cost-model weighted --memory 64M --seed 7

# ---- exiting or faulting before the budget writes nothing ------------------
d=$work/noop
mkdir -p "$d"
"$RVRUN" --max-cycles 1000 --snapshot "$d/out.snap" "$CA" > /dev/null
check "a cut run exits 124" [ $? -eq 124 ]
cp "$d/out.snap" "$d/keep.snap"
"$RVRUN" --max-cycles 100000000 --snapshot "$d/out.snap" "$HELLO" > "$d/hello.out"
check "hello exits 0 under a large budget" [ $? -eq 0 ]
check "hello's exit left an existing out.snap byte-identical" cmp -s "$d/keep.snap" "$d/out.snap"
"$RVRUN" --max-cycles 100000000 --snapshot "$d/out.snap" --snapshot-compress "$HELLO" > /dev/null
check "hello's exit (with --snapshot-compress) left out.snap byte-identical" \
    cmp -s "$d/keep.snap" "$d/out.snap"
"$RVRUN" --max-cycles 100000000 --snapshot "$d/out.snap" "$FAULT" > /dev/null 2> "$d/fault.err"
st=$?
check "fault_null dies with 139 (got $st)" [ "$st" -eq 139 ]
check "a faulting run left out.snap byte-identical" cmp -s "$d/keep.snap" "$d/out.snap"
"$RVRUN" --max-cycles 100000000 --snapshot "$d/new.snap" "$HELLO" > /dev/null
check "an exiting run creates no snapshot" [ ! -e "$d/new.snap" ]
check "no temporary files after exiting runs" no_temp_files "$d"

# The exact edge: a budget of the total exits, one less stops.
"$RVRUN" --report "$d/h.json" "$HELLO" > /dev/null
total=$(report_field "$d/h.json" cycles)
"$RVRUN" --max-cycles "$total" --snapshot "$d/edge.snap" "$HELLO" > /dev/null
check "budget == total ($total) exits 0" [ $? -eq 0 ]
check "budget == total writes no snapshot" [ ! -e "$d/edge.snap" ]
"$RVRUN" --max-cycles $((total - 1)) --snapshot "$d/edge.snap" "$HELLO" > "$d/edge.out"
check "budget == total-1 stops with 124" [ $? -eq 124 ]
check "budget == total-1 writes a snapshot" [ -s "$d/edge.snap" ]
"$RVRUN" --resume "$d/edge.snap" --max-cycles 1 --snapshot "$d/edge.snap" >> "$d/edge.out"
check "resuming the last instruction with a budget of 1 exits 0" [ $? -eq 0 ]
check "the split hello prints its line once" [ "$(cat "$d/edge.out")" = "Hello, rvvm!" ]

# ---- what --inspect says about a default-configuration snapshot ------------
"$RVRUN" --max-cycles 1000 --snapshot "$d/i.snap" "$CA" > /dev/null
"$RVRUN" --inspect "$d/i.snap" --json > "$d/i.json"
check "--inspect --json exits 0" [ $? -eq 0 ]
check "--inspect reports cycles 1000" [ "$(json_field "$d/i.json" cycles)" = 1000 ]
# Regression check: tools/rvrun/inspect.c isa_string() once lacked F and D,
# showing the default configuration (RV64GC + Zb*, Zicond) as "rv64imac_...".
isa=$(grep -o '"isa": "[^"]*"' "$d/i.json")
check "--inspect shows F and D of the default ISA ($isa)" \
    grep -q '"isa": "rv64imafdc' "$d/i.json"

finish
