#!/usr/bin/env bash
# Host instructions per guest instruction on rvvm's hot path, counted with
# valgrind's callgrind (exact instruction counts, independent of machine load).
#
#   bash bench/callgrind.sh [PROGRAM [REPS]]     default: sort 1
#
# Runs build/rvrun on build/bench/riscv/PROGRAM.elf with REPS repetitions
# (argv[1] of the benchmark programs; small, since callgrind is ~50x slower)
# and build/rvrun on tests/guests hello.elf, then prints
#   total Ir / guest instructions                     (whole process)
#   (Ir - Ir_hello) / (insns - insns_hello)           (startup cost removed)
# and the functions with the most Ir. Needs valgrind (apt-get install valgrind),
# `bash scripts/build.sh` and `make -C bench` first. The callgrind output stays
# in build/bench/callgrind/ for callgrind_annotate or kcachegrind.
set -euo pipefail
cd "$(dirname "$0")/.."
prog=${1:-sort}
reps=${2:-1}
rvrun=${RVRUN:-build/rvrun}
elf=build/bench/riscv/$prog.elf
hello=build/tests/guests/hello.elf
out=build/bench/callgrind
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
for f in "$rvrun" "$elf" "$hello"; do
    [[ -e $f ]] || { echo "callgrind.sh: $f is missing (bash scripts/build.sh; make -C bench)" >&2; exit 1; }
done
mkdir -p "$out"

# guest instruction count, from a plain run
insns() { # elf args...
    "$rvrun" --engine interp --report "$out/report.json" "$@" >/dev/null
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["instructions"])' "$out/report.json"
}
# total Ir of the whole rvrun process under callgrind
ir() { # name elf args...
    local name=$1
    shift
    valgrind --tool=callgrind --callgrind-out-file="$out/$name.callgrind" -q "$rvrun" --engine interp "$@" >/dev/null
    awk '/^(summary|totals):/ { print $2; exit }' "$out/$name.callgrind"
}

n_prog=$(insns "$elf" "$reps")
n_hello=$(insns "$hello")
echo "callgrind: $prog $reps ($n_prog guest instructions) ..." >&2
ir_prog=$(ir "$prog-$reps" "$elf" "$reps")
echo "callgrind: hello ($n_hello guest instructions) ..." >&2
ir_hello=$(ir hello "$hello")

python3 - "$prog" "$reps" "$n_prog" "$ir_prog" "$n_hello" "$ir_hello" <<'PY'
import sys
prog, reps, n, ir, nh, irh = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
print(f"| program | guest insns | host Ir (rvrun) | Ir / guest insn | (Ir - Ir_hello) / (insns - insns_hello) |")
print(f"|---|---:|---:|---:|---:|")
print(f"| {prog} (reps {reps}) | {n:,} | {ir:,} | {ir / n:.1f} | {(ir - irh) / (n - nh):.1f} |")
print(f"| hello | {nh:,} | {irh:,} | {irh / nh:.0f} | |")
PY
echo
echo "Top functions by Ir ($out/$prog-$reps.callgrind):"
# Read the whole listing (no early exit), so pipefail sees no SIGPIPE from callgrind_annotate.
callgrind_annotate "$out/$prog-$reps.callgrind" 2>/dev/null |
    awk 'found && /^ *[0-9][0-9,]* / && n < 15 { print; n++ } /file:function/ { found = 1 }'
