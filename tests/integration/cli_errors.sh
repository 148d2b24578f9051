#!/usr/bin/env bash
# rvrun's own errors and the fault statuses that need special inputs:
#   cli_errors.sh RVRUN HELLO_ELF
# Every bad input must give exit 125 with exactly one line on stderr; a jump to
# a 2-aligned target without C must give 135 (SIGBUS) like a native process.
set -uo pipefail
rvrun=$1 hello=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 checks=0

# expect STATUS PATTERN -- command...: exit status and a one-line stderr matching PATTERN.
expect() {
    local want=$1 pattern=$2
    shift 3
    checks=$((checks + 1))
    "$@" >"$work/out" 2>"$work/err" </dev/null
    local got=$? lines
    lines=$(wc -l <"$work/err")
    if [ "$got" != "$want" ] || [ "$lines" != 1 ] || ! grep -qE "$pattern" "$work/err"; then
        echo "FAIL: $* -> status $got (want $want), $lines stderr lines (want 1):"
        sed 's/^/    /' "$work/err"
        failures=$((failures + 1))
    fi
}

# Malformed ELF files, built from the good one.
printf 'not an elf at all' >"$work/text"
head -c 40 "$hello" >"$work/trunc_header"
head -c 300 "$hello" >"$work/trunc_segment"
cp "$hello" "$work/class32" && printf '\001' | dd of="$work/class32" bs=1 seek=4 conv=notrunc status=none
cp "$hello" "$work/x86" && printf '\076\000' | dd of="$work/x86" bs=1 seek=18 conv=notrunc status=none
# ET_REL (an object file): refused (ET_DYN is a PIE and loads, docs/dynamic-linking.md).
cp "$hello" "$work/rel" && printf '\001\000' | dd of="$work/rel" bs=1 seek=16 conv=notrunc status=none
: >"$work/empty"
expect 125 "not an ELF" -- "$rvrun" "$work/text"
expect 125 "not an ELF" -- "$rvrun" "$work/empty"
expect 125 "truncated|incomplete" -- "$rvrun" "$work/trunc_header"
expect 125 "truncated|past end" -- "$rvrun" "$work/trunc_segment"
expect 125 "class" -- "$rvrun" "$work/class32"
expect 125 "machine" -- "$rvrun" "$work/x86"
expect 125 "executable|ET_EXEC" -- "$rvrun" "$work/rel"
expect 125 "cannot (open|read)" -- "$rvrun" "$work/missing.elf"
expect 125 "not a regular file" -- "$rvrun" "$work"

# Usage errors.
expect 125 "no program" -- "$rvrun"
expect 125 "unknown option" -- "$rvrun" --bogus "$hello"
expect 125 "max-cycles" -- "$rvrun" --max-cycles -5 "$hello"
expect 125 "max-cycles" -- "$rvrun" --max-cycles 12x "$hello"
expect 125 "memory" -- "$rvrun" --memory 3K "$hello"
expect 125 "isa" -- "$rvrun" --isa rv32imac "$hello"
expect 125 "env" -- "$rvrun" --env NOEQUALS "$hello"
printf 'alu = 1\nbranch = 0\n' >"$work/zero.cost"
printf 'alu = 1\nwarp = 3\n' >"$work/unknown.cost"
expect 125 "line 2" -- "$rvrun" --cost-model "$work/zero.cost" "$hello"
expect 125 "line 2.*warp" -- "$rvrun" --cost-model "$work/unknown.cost" "$hello"
expect 125 "cost model" -- "$rvrun" --cost-model nosuchmodel "$hello"
expect 125 "resume" -- "$rvrun" --resume "$work/none.snap" "$hello"

# A jump to a 2-aligned address with C disabled: "instruction-address-misaligned",
# reported on the jump (SIGBUS, 135). The program is three hand-assembled words.
python3 - "$work/misaligned.elf" <<'PY'
import struct, sys
code = struct.pack('<3I',
    0x00000297,   # auipc t0, 0
    0x00a28293,   # addi  t0, t0, 10   (a 2-aligned target)
    0x00028067)   # jalr  x0, 0(t0)
entry = 0x10000 + 64 + 56
ehdr = struct.pack('<16sHHIQQQIHHHHHH', b'\x7fELF\x02\x01\x01' + b'\0' * 9, 2, 243, 1,
                   entry, 64, 0, 0, 64, 56, 1, 0, 0, 0)
size = 64 + 56 + len(code)
phdr = struct.pack('<IIQQQQQQ', 1, 5, 0, 0x10000, 0x10000, size, size, 0x1000)
open(sys.argv[1], 'wb').write(ehdr + phdr + code)
PY
expect 135 "misaligned" -- "$rvrun" --isa rv64ima "$work/misaligned.elf"

# With C (the default) the same target is legal: the fetch there is what fails,
# as two zero bytes past the end are outside the segment.
checks=$((checks + 1))
"$rvrun" "$work/misaligned.elf" >/dev/null 2>&1
if [ $? = 135 ]; then
    echo "FAIL: with C, a 2-aligned jump target must not be a misaligned fetch"
    failures=$((failures + 1))
fi

echo "$checks checks, $failures failures"
[ "$failures" = 0 ]
