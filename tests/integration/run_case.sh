#!/usr/bin/env bash
# Runs one guest program and checks its stdout, exit status and stderr.
#
# usage: run_case.sh [options] RUNNER ELF EXPECTED_OUT EXPECTED_STATUS [STDIN_FILE] [-- ARGS...]
#
#   RUNNER           path to rvrun, a qemu-riscv64 (any name containing "qemu"),
#                    or the word "native" to execute ELF directly (host builds
#                    made by check_all.sh --host)
#   EXPECTED_OUT     file that stdout must match byte for byte
#   EXPECTED_STATUS  expected exit status (128+signal for guest faults)
#   STDIN_FILE       fed to the guest's stdin; empty or absent means /dev/null
#
# options:
#   --env NAME=VALUE     guest environment variable (repeatable); the guest
#                        environment is otherwise empty for every runner
#   --expect-stderr FILE stderr must match FILE byte for byte (not checked
#                        when EXPECTED_STATUS >= 128)
#
# For expected faults (status >= 128) under rvrun, stderr must be exactly one
# line (rvrun's fault report). qemu and native runs print nothing reliable
# there, so that check is skipped for them.
#
# Exit: 0 pass, 1 mismatch, 99 harness error (meson reports 99 as ERROR).
set -euo pipefail

prog=${0##*/}
die() {
    echo "$prog: $*" >&2
    exit 99
}

envs=()
expect_stderr=
while [[ $# -gt 0 ]]; do
    case $1 in
    --env)
        [[ $# -ge 2 ]] || die "--env needs NAME=VALUE"
        [[ $2 == *=* ]] || die "--env '$2' is not NAME=VALUE"
        envs+=("$2")
        shift 2
        ;;
    --expect-stderr)
        [[ $# -ge 2 ]] || die "--expect-stderr needs a file"
        expect_stderr=$2
        shift 2
        ;;
    --)
        break
        ;;
    -*)
        die "unknown option '$1'"
        ;;
    *)
        break
        ;;
    esac
done

positional=()
while [[ $# -gt 0 && $1 != -- ]]; do
    positional+=("$1")
    shift
done
if [[ $# -gt 0 ]]; then
    shift # the "--"
fi
guest_args=("$@")

if [[ ${#positional[@]} -lt 4 || ${#positional[@]} -gt 5 ]]; then
    die "usage: $prog [--env K=V]... [--expect-stderr FILE] RUNNER ELF EXPECTED_OUT EXPECTED_STATUS [STDIN_FILE] [-- ARGS...]"
fi
runner=${positional[0]}
elf=${positional[1]}
expected_out=${positional[2]}
expected_status=${positional[3]}
stdin_file=${positional[4]:-}

[[ -f $elf ]] || die "guest '$elf' does not exist (was it built?)"
[[ -f $expected_out ]] || die "expected output '$expected_out' does not exist"
[[ $expected_status =~ ^[0-9]+$ && $expected_status -le 255 ]] ||
    die "expected status '$expected_status' is not a number in 0..255"
[[ -z $stdin_file || -f $stdin_file ]] || die "stdin file '$stdin_file' does not exist"
[[ -z $expect_stderr || -e $expect_stderr ]] || die "expected stderr '$expect_stderr' does not exist"
[[ -n $stdin_file ]] || stdin_file=/dev/null

if [[ $runner == native ]]; then
    kind=native
    cmd=(env -i "${envs[@]}" "$elf" "${guest_args[@]}")
else
    # Resolve now: env -i below drops PATH.
    runner_path=$(command -v -- "$runner") || die "runner '$runner' not found"
    case ${runner##*/} in
    *qemu*)
        kind=qemu
        # qemu-user hands its own environment to the guest; clearing it also
        # keeps stray QEMU_* settings from changing behaviour.
        cmd=(env -i "${envs[@]}" "$runner_path" "$elf" "${guest_args[@]}")
        ;;
    *)
        kind=rvrun
        opts=()
        for e in "${envs[@]}"; do
            opts+=(--env "$e")
        done
        cmd=("$runner_path" "${opts[@]}" "$elf" "${guest_args[@]}")
        ;;
    esac
fi

# qemu dumps a core file of the guest into the cwd when it dies of a signal.
ulimit -c 0 2>/dev/null || true

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run_case.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

set +e
"${cmd[@]}" <"$stdin_file" >"$tmp/stdout" 2>"$tmp/stderr"
status=$?
set -e

failed=0
stderr_shown=0
fail() {
    if [[ $failed -eq 0 ]]; then
        echo "FAIL: ${cmd[*]} <$stdin_file" >&2
    fi
    failed=1
    echo "--- $*" >&2
}

if [[ $status -ne $expected_status ]]; then
    what=
    case $status in
    124) what=" (cycle limit)" ;;
    125) what=" (rvrun error)" ;;
    126 | 127) what=" (could not execute)" ;;
    132) what=" (SIGILL)" ;;
    133) what=" (SIGTRAP)" ;;
    135) what=" (SIGBUS)" ;;
    139) what=" (SIGSEGV)" ;;
    esac
    fail "exit status $status$what, expected $expected_status"
fi

if ! cmp -s -- "$expected_out" "$tmp/stdout"; then
    fail "stdout differs from $expected_out ($(wc -c <"$tmp/stdout") bytes, expected $(wc -c <"$expected_out")):"
    diff -u --label expected --label actual -- "$expected_out" "$tmp/stdout" | head -n 100 >&2 || true
fi

if [[ $expected_status -ge 128 ]]; then
    if [[ $kind == rvrun ]]; then
        nl=$(tr -cd '\n' <"$tmp/stderr" | wc -c)
        size=$(wc -c <"$tmp/stderr")
        last=$(tail -c 1 "$tmp/stderr" | od -An -c | tr -d ' ')
        if [[ $nl -ne 1 || $last != '\n' || $size -lt 2 ]]; then
            fail "stderr should be exactly one fault line, got $nl line(s), $size bytes:"
            head -n 20 "$tmp/stderr" >&2
            stderr_shown=1
        elif [[ $(head -c 6 "$tmp/stderr") != "rvrun:" ]]; then
            echo "note: fault line does not start with 'rvrun:': $(cat "$tmp/stderr")" >&2
        fi
    fi
elif [[ -n $expect_stderr ]]; then
    if ! cmp -s -- "$expect_stderr" "$tmp/stderr"; then
        fail "stderr differs from $expect_stderr:"
        diff -u --label expected --label actual -- "$expect_stderr" "$tmp/stderr" | head -n 100 >&2 || true
        stderr_shown=1
    fi
fi

if [[ $failed -ne 0 ]]; then
    if [[ -s $tmp/stderr && $stderr_shown -eq 0 ]]; then
        echo "--- stderr was:" >&2
        head -n 20 "$tmp/stderr" >&2
    fi
    exit 1
fi
echo "ok: ${elf##*/} ${guest_args[*]} -> status $status ($kind)"
exit 0
