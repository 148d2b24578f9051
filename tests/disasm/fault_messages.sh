#!/usr/bin/env bash
# rvrun's fault messages name the faulting instruction as objdump shows it.
# Usage: fault_messages.sh RVRUN OBJDUMP FAULT_ILLEGAL_ELF FAULT_NULL_ELF FAULT_RODATA_STORE_ELF
# The pc comes from --report, the instruction text from objdump's line at that pc
# (tab as one space, "# comment" and "<symbol>" dropped), so the expectation does not
# depend on rvrun's disassembler.
set -euo pipefail
rvrun=$1 objdump=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

objdump_text() { # elf pc -> "encoding|text"
    "$objdump" -d "$1" | awk -v pc="$2" -F'\t' '
        { a = $1; gsub(/[ :]/, "", a) }
        a == pc { t = $3; if ($4 != "") t = t " " $4; sub(/ *#.*/, "", t); sub(/ <[^>]*>/, "", t); gsub(/ +$/, "", t)
                  e = $2; gsub(/ /, "", e); if (!done) print e "|" t; done = 1 }'
}

check() { # elf status expected-line-template(with @PC@ @ENC@ @TEXT@)
    local elf=$1 want_status=$2 template=$3 status=0
    "$rvrun" --report "$tmp/r.json" "$elf" >/dev/null 2>"$tmp/err" || status=$?
    if [[ $status != "$want_status" ]]; then
        echo "FAIL $elf: exit $status, want $want_status"; fail=1; return
    fi
    local pc
    pc=$(sed -n 's/.*"pc": *"0x0*\([0-9a-f]*\)".*/\1/p' "$tmp/r.json" | head -1)
    local addr
    addr=$(sed -n 's/.*"address": *"0x0*\([0-9a-f]*\)".*/\1/p' "$tmp/r.json" | head -1)
    local et enc text
    et=$(objdump_text "$elf" "$pc")
    enc=${et%%|*} text=${et#*|}
    [[ -n $et ]] || { echo "FAIL $elf: objdump shows nothing at $pc"; fail=1; return; }
    local want=${template//@PC@/0x$pc}
    want=${want//@ENC@/0x$enc}
    want=${want//@ADDR@/0x${addr:-0}}
    want=${want//@TEXT@/$text}
    if [[ "$(cat "$tmp/err")" != "$want" ]]; then
        echo "FAIL $elf:"; echo "  got:  $(cat "$tmp/err")"; echo "  want: $want"; fail=1
    else
        echo "ok   $want"
    fi
}

# .word 0: its first halfword, 0x0000, is the defined illegal instruction (objdump: unimp)
check "$3" 132 'rvrun: illegal instruction 0x0000 (unimp) at pc @PC@'
check "$4" 139 'rvrun: load access fault at address 0x0 (pc @PC@: @TEXT@)'
check "$5" 139 "rvrun: store access fault at address @ADDR@ (pc @PC@: @TEXT@)"
exit $fail
