#!/usr/bin/env bash
# rvrun --profile against hand-counted cycles (tests/gdb/profiled.S), and a
# larger program whose profile must add up to its run's cycle count.
# usage: profile.sh RVRUN PROFILED_ELF OTHER_ELF
set -u
rvrun=$1 prog=$2 other=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
check() { local what=$1; shift; if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi; }

"$rvrun" --profile "$work/p.folded" --report "$work/r.json" "$prog"
check "exit status of the profiled run" [ $? = 0 ]
# Hand count (profiled.S, unit costs): _start 4, outer 13, leaf 3 x 6 = 18.
expected=$'_start 4\n_start;outer 13\n_start;outer;leaf 18'
check "folded stacks as counted by hand" [ "$(sort "$work/p.folded")" = "$expected" ]
check "flat summary: leaf self 18 total 18" grep -Eq '^ +18 +51\.43% +18 +51\.43%  leaf$' "$work/p.folded.txt"
check "flat summary: outer self 13 total 31" grep -Eq '^ +13 +37\.14% +31 +88\.57%  outer$' "$work/p.folded.txt"
check "flat summary: _start total 35 = all cycles" grep -Eq '^ +4 +11\.43% +35 +100\.00%  _start$' "$work/p.folded.txt"
check "report: 35 cycles" grep -q '"cycles": 35,' "$work/r.json"

# A compiled program: the folded counts add up to the cycles of a plain run, under the
# weighted cost model, and the run's state digest is the plain run's.
"$rvrun" --cost-model weighted --report "$work/plain.json" "$other" > "$work/plain.out" < /dev/null
"$rvrun" --cost-model weighted --profile "$work/o.folded" --report "$work/prof.json" "$other" \
  > "$work/prof.out" < /dev/null
cycles=$(sed -n 's/.*"cycles": \([0-9]*\),/\1/p' "$work/plain.json")
sum=$(awk '{ s += $NF } END { print s }' "$work/o.folded")
check "profile sums to the run's $cycles cycles" [ "$sum" = "$cycles" ]
check "same digest with and without --profile" \
  [ "$(grep state_digest "$work/plain.json")" = "$(grep state_digest "$work/prof.json")" ]
check "same output" cmp -s "$work/plain.out" "$work/prof.out"
check "main is on the stacks, called from rt_start_c" grep -q '^_start;rt_start_c;main ' "$work/o.folded"

# --max-cycles: the profiled run stops where a plain run does.
"$rvrun" --max-cycles 20 --report "$work/b1.json" "$prog"; s1=$?
"$rvrun" --max-cycles 20 --profile "$work/b.folded" --report "$work/b2.json" "$prog"; s2=$?
check "budget stop: same status (124)" [ "$s1/$s2" = "124/124" ]
check "budget stop: same report" cmp -s "$work/b1.json" "$work/b2.json"
check "budget stop: 20 cycles profiled" [ "$(awk '{ s += $NF } END { print s }' "$work/b.folded")" = 20 ]

# Bad options: refused before the program runs.
"$rvrun" --profile "$work/no/such/dir/p" "$prog" > "$work/bad.out" 2> "$work/bad.err"
check "unwritable profile: status 125 with a message" \
  [ "$?/$(grep -c "cannot write profile" "$work/bad.err")" = "125/1" ]
"$rvrun" --profile "$work/q" --trace "$work/t" "$prog" 2> "$work/bad.err"
check "--profile with --trace refused" [ "$?" = 125 ]
"$rvrun" --gdb 65536 "$prog" 2> "$work/bad.err"
check "--gdb with a bad port refused" [ "$?/$(grep -c "TCP port" "$work/bad.err")" = "125/1" ]
exit $fail
