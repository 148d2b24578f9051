#!/usr/bin/env bash
# Builds every guest by hand and runs every case in cases.txt, without meson.
#
# usage: check_all.sh [--qemu [QEMU] | --rvrun RVRUN | --host] [--regen] [CASE...]
#
#   --qemu [QEMU]  riscv guests under qemu-riscv64 (default mode)
#   --rvrun RVRUN  riscv guests under the given rvrun binary
#   --host         guests compiled natively for x86-64 Linux and run directly:
#                  an oracle independent of any RISC-V emulator (the atomic
#                  and mul/div parts then run C models of the instructions)
#   --regen        (qemu only) rewrite expected/<case>.out/.err from the run
#                  instead of checking; review the diff before committing
#   CASE...        only these cases
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
guests=$(cd "$here/../guests" && pwd)

mode=qemu
runner=${QEMU:-qemu-riscv64}
regen=0
only=()
while [[ $# -gt 0 ]]; do
    case $1 in
    --qemu)
        mode=qemu
        if [[ $# -ge 2 && $2 != -* && $2 == *qemu* ]]; then
            runner=$2
            shift
        fi
        ;;
    --rvrun)
        [[ $# -ge 2 ]] || { echo "--rvrun needs a path" >&2; exit 2; }
        mode=rvrun
        runner=$2
        shift
        ;;
    --host) mode=host runner=native ;;
    --regen) regen=1 ;;
    -h | --help)
        sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    -*)
        echo "unknown option $1" >&2
        exit 2
        ;;
    *) only+=("$1") ;;
    esac
    shift
done
if [[ $regen -eq 1 && $mode != qemu ]]; then
    echo "--regen only makes sense with the qemu oracle" >&2
    exit 2
fi

if [[ $mode != host ]]; then
    runner=$(command -v -- "$runner") || { echo "runner not found" >&2; exit 2; }
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/rvvm-guests.XXXXXX")
trap 'rm -rf "$out"' EXIT

build() {
    local name=$1
    if [[ $mode == host ]]; then
        gcc -O2 -nostdlib -nostartfiles -static -ffreestanding -fno-builtin \
            -fno-stack-protector -fno-pie -no-pie -fcf-protection=none -Wall -Wextra \
            -o "$out/$name.elf" "$guests/host/start_x86_64.S" "$guests/rt.c" "$guests/$name.c"
    else
        riscv64-unknown-elf-gcc -O2 -nostdlib -nostartfiles -static \
            -march=rv64imac_zicsr_zifencei -mabi=lp64 -ffreestanding -fno-builtin -Wall -Wextra \
            -o "$out/$name.elf" "$guests/start.S" "$guests/rt.c" "$guests/$name.c"
    fi
}

pass=0
failed=()
while IFS='|' read -r case prog args stdin status env; do
    [[ -z $case || $case == \#* ]] && continue
    if [[ ${#only[@]} -gt 0 && " ${only[*]} " != *" $case "* ]]; then
        continue
    fi
    [[ -f $out/$prog.elf ]] || build "$prog"

    read -r -a argv <<<"$args"
    read -r -a envv <<<"$env"
    stdin_path=${stdin:+$here/inputs/$stdin}
    exp_out=$here/expected/$case.out
    exp_err=$here/expected/$case.err

    if [[ $regen -eq 1 ]]; then
        set +e
        (ulimit -c 0; exec env -i "${envv[@]}" "$runner" "$out/$prog.elf" "${argv[@]}") \
            <"${stdin_path:-/dev/null}" >"$exp_out" 2>"$out/stderr"
        got=$?
        set -e
        if [[ $status -lt 128 && -s $out/stderr ]]; then
            cp "$out/stderr" "$exp_err"
        else
            rm -f "$exp_err"
        fi
        if [[ $got -ne $status ]]; then
            echo "REGEN $case: status $got but cases.txt says $status" >&2
            failed+=("$case")
        else
            pass=$((pass + 1))
        fi
        continue
    fi

    opts=()
    for e in "${envv[@]}"; do
        opts+=(--env "$e")
    done
    if [[ $status -lt 128 ]]; then
        if [[ -f $exp_err ]]; then
            opts+=(--expect-stderr "$exp_err")
        else
            opts+=(--expect-stderr /dev/null)
        fi
    fi
    if "$here/run_case.sh" "${opts[@]}" "$runner" "$out/$prog.elf" "$exp_out" "$status" \
        "${stdin_path}" -- "${argv[@]}" >/dev/null 2>"$out/log"; then
        pass=$((pass + 1))
    else
        echo "== $case" >&2
        cat "$out/log" >&2
        failed+=("$case")
    fi
done <"$here/cases.txt"

echo "$mode: $pass passed, ${#failed[@]} failed${failed[*]:+: ${failed[*]}}"
[[ ${#failed[@]} -eq 0 ]]
