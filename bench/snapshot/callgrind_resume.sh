#!/usr/bin/env bash
# Where the host instructions of a resumed rvrun process go, counted exactly
# with valgrind's callgrind (independent of machine load).
#
#   bash bench/snapshot/callgrind_resume.sh [KIB]      default 1024
#
# Needs `bash bench/snapshot/run.sh` (or its build steps) first, for
# build/bench/snapshot/dirty_mb.elf. Makes two snapshots with rvrun, of
# dirty_mb with 0 and KIB KiB written, stopped one cycle before its exit, then
# runs under callgrind
#   fresh:    rvrun --memory 1G --max-cycles 1 dirty_mb.elf KIB random
#   resume-0: rvrun --resume 0.snap --max-cycles 1
#   resume-K: rvrun --resume K.snap --max-cycles 1
# and prints each one's total Ir and its functions with the most inclusive Ir.
# Note: valgrind does not run the SHA-NI instructions OpenSSL uses natively, so
# the program's SHA-256 (checked on resume) costs more Ir here than on the CPU.
set -euo pipefail
cd "$(dirname "$0")/../.."
kib=${1:-1024}
rvrun=${RVRUN:-build/rvrun}
elf=$PWD/build/bench/snapshot/dirty_mb.elf
out=build/bench/snapshot/callgrind
command -v valgrind >/dev/null || { echo "callgrind_resume.sh: valgrind is not installed" >&2; exit 1; }
[[ -e $elf ]] || { echo "callgrind_resume.sh: $elf is missing (bash bench/snapshot/run.sh)" >&2; exit 1; }
mkdir -p "$out"

snap() { # kib file
    "$rvrun" --memory 1G --report "$out/report.json" "$elf" "$1" >/dev/null
    local c
    c=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cycles"])' "$out/report.json")
    set +e
    "$rvrun" --memory 1G --max-cycles $((c - 1)) --snapshot "$2" "$elf" "$1" >/dev/null
    local st=$?
    set -e
    [[ $st -eq 124 ]] || { echo "callgrind_resume.sh: snapshot run exited $st" >&2; exit 1; }
}
snap 0 "$out/0.snap"
snap "$kib" "$out/$kib.snap"

run() { # name args...
    local name=$1
    shift
    set +e
    valgrind --tool=callgrind --callgrind-out-file="$out/$name.callgrind" -q "$rvrun" "$@" >/dev/null
    set -e
    local ir
    ir=$(awk '/^(summary|totals):/ { print $2; exit }' "$out/$name.callgrind")
    echo
    echo "== $name: rvrun $* -- $ir Ir"
    callgrind_annotate --inclusive=yes "$out/$name.callgrind" 2>/dev/null |
        awk 'found && n < 25 && /^ *[0-9][0-9,]* / { print; n++ } /file:function/ { found = 1 }'
}
run fresh --memory 1G --max-cycles 1 "$elf" "$kib" random
run resume-0 --resume "$out/0.snap" --max-cycles 1
run "resume-$kib" --resume "$out/$kib.snap" --max-cycles 1
