#!/usr/bin/env bash
# rvrun --trace and --trace-from against fast runs (docs/tracing.md).
# Usage: trace.sh RVRUN OBJDUMP ELF...
# For each program and for the unit and weighted cost models:
# - a traced run and a fast run give the same exit status, output, cycles,
#   instructions and state digest; the trace has one line per retired
#   instruction (plus the faulting one), cycles rising from 0, and each line's
#   disassembly is objdump's text at that pc;
# - --trace-from N gives the same end state and starts tracing at cycle N;
# - a snapshot taken in trace mode resumes in the fast interpreter, and a fast
#   snapshot resumes in trace mode, both to the fast run's digest.
set -euo pipefail
exec < /dev/null  # the guests read no input
rvrun=$1 objdump=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=1; }
field() { sed -n "s/^  \"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$1"; }

for elf in "$@"; do
    name=$(basename "$elf" .elf)
    # objdump's text by pc (tab as one space, "<symbol>" and "# comment" dropped)
    "$objdump" -d "$elf" | awk -F'\t' 'NF >= 3 && $1 ~ /^ *[0-9a-f]+:$/ {
        a = $1; gsub(/[ :]/, "", a); t = $3; if ($4 != "") t = t " " $4
        sub(/ *#.*/, "", t); sub(/ <[^>]*>/, "", t); gsub(/ +$/, "", t); print "0x" a "\t" t }' \
        > "$tmp/objdump.txt"
    for cost in unit weighted; do
        run() { "$rvrun" --cost-model "$cost" "$@"; }
        sf=0; run --report "$tmp/f.json" "$elf" > "$tmp/f.out" 2>/dev/null || sf=$?
        st=0; run --trace "$tmp/t.trace" --report "$tmp/t.json" "$elf" > "$tmp/t.out" 2>/dev/null || st=$?
        [[ $sf == "$st" ]] || bad "$name/$cost: exit $st traced, $sf fast"
        cmp -s "$tmp/f.out" "$tmp/t.out" || bad "$name/$cost: output differs"
        for k in cycles instructions pc state_digest; do
            [[ "$(field "$tmp/f.json" $k)" == "$(field "$tmp/t.json" $k)" ]] ||
                bad "$name/$cost: $k $(field "$tmp/t.json" $k) traced, $(field "$tmp/f.json" $k) fast"
        done
        insns=$(field "$tmp/f.json" instructions)
        cycles=$(field "$tmp/f.json" cycles)
        want_lines=$insns
        [[ $(field "$tmp/f.json" status) == fault ]] && want_lines=$((insns + 1))
        lines=$(wc -l < "$tmp/t.trace")
        [[ $lines == "$want_lines" ]] || bad "$name/$cost: $lines trace lines, want $want_lines"
        awk -F'\t' -v unit=$([[ $cost == unit ]] && echo 1 || echo 0) '
            NR == 1 && $1 != 0 { print "first cycle " $1; exit 1 }
            NR > 1 && $1 <= prev { print "cycles not rising at line " NR; exit 1 }
            unit && $1 != NR - 1 { print "unit costs: line " NR " at cycle " $1; exit 1 }
            { prev = $1 }' "$tmp/t.trace" || bad "$name/$cost: trace cycles"
        # each line's disassembly against objdump's at its pc
        mism=$(awk -F'\t' 'NR == FNR { want[$1] = $2; next }
            ($2 in want) && want[$2] != $4 { n++; if (n <= 3) print $2 ": " $4 " / objdump: " want[$2] }
            ($2 in want) { seen++ }
            END { if (seen == 0) print "no line found in objdump output" }' "$tmp/objdump.txt" "$tmp/t.trace")
        [[ -z $mism ]] || bad "$name/$cost: disassembly: $mism"

        # --trace-from: fast up to cycle `from`, then traced
        from=$((cycles / 2))
        s2=0; run --trace "$tmp/t2.trace" --trace-from $from --report "$tmp/t2.json" "$elf" > "$tmp/t2.out" 2>/dev/null || s2=$?
        [[ $s2 == "$sf" ]] || bad "$name/$cost: --trace-from: exit $s2, want $sf"
        cmp -s "$tmp/f.out" "$tmp/t2.out" || bad "$name/$cost: --trace-from: output differs"
        [[ "$(field "$tmp/t2.json" state_digest)" == "$(field "$tmp/f.json" state_digest)" ]] ||
            bad "$name/$cost: --trace-from: digest differs"
        first=$(head -1 "$tmp/t2.trace" | cut -f1)
        if [[ $cost == unit && $first != "$from" ]] || (( first > from )); then
            bad "$name/$cost: --trace-from $from: first line at cycle $first"
        fi
        # the traced lines are the full trace's tail
        tail -n "$(wc -l < "$tmp/t2.trace")" "$tmp/t.trace" | cmp -s - "$tmp/t2.trace" ||
            bad "$name/$cost: --trace-from lines differ from the full trace's"

        # a snapshot taken while tracing resumes fast to the same digest
        s3=0; run --trace "$tmp/t3.trace" --max-cycles $from --snapshot "$tmp/s.snap" "$elf" > "$tmp/a.out" 2>/dev/null || s3=$?
        if [[ $s3 == 124 ]]; then
            s4=0; "$rvrun" --resume "$tmp/s.snap" --report "$tmp/r.json" > "$tmp/b.out" 2>/dev/null || s4=$?
            [[ $s4 == "$sf" ]] || bad "$name/$cost: resumed trace-mode snapshot: exit $s4, want $sf"
            cat "$tmp/a.out" "$tmp/b.out" | cmp -s - "$tmp/f.out" || bad "$name/$cost: split output differs"
            [[ "$(field "$tmp/r.json" state_digest)" == "$(field "$tmp/f.json" state_digest)" ]] ||
                bad "$name/$cost: trace-mode snapshot resumed fast: digest differs"
            # and a fast snapshot resumes in trace mode
            "$rvrun" --cost-model "$cost" --max-cycles $from --snapshot "$tmp/s2.snap" "$elf" > /dev/null 2>&1 || true
            s5=0; "$rvrun" --resume "$tmp/s2.snap" --trace "$tmp/t5.trace" --report "$tmp/r5.json" > /dev/null 2>&1 || s5=$?
            [[ $s5 == "$sf" ]] || bad "$name/$cost: fast snapshot resumed traced: exit $s5, want $sf"
            [[ "$(field "$tmp/r5.json" state_digest)" == "$(field "$tmp/f.json" state_digest)" ]] ||
                bad "$name/$cost: fast snapshot resumed traced: digest differs"
            cmp -s "$tmp/t5.trace" "$tmp/t2.trace" || bad "$name/$cost: resumed trace differs from --trace-from's"
        else
            bad "$name/$cost: trace with --max-cycles $from: exit $s3, want 124"
        fi
        [[ $fail == 0 ]] && echo "ok   $name/$cost: $insns instructions, $cycles cycles, $lines trace lines"
    done
done
exit $fail
