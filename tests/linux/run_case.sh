#!/usr/bin/env bash
# Runs one Linux-ABI or semihosting guest and checks stdout, status, stderr
# and files it wrote.
#
# usage: run_case.sh [options] RUNNER ELF EXPECTED_OUT EXPECTED_STATUS [STDIN_FILE] [-- ARGS...]
#
#   RUNNER   rvrun, the semihosting runner (shrun), or a qemu-riscv64 (any
#            name containing "qemu": run with `env -i`, rvrun options ignored)
#
# options:
#   --fs DIR             copy DIR (a tree with data/ and outside/) into a fresh
#                        working directory, add out/ (empty) and the symbolic
#                        links the sandbox tests use, and run the guest there
#   --opt OPTION         pass OPTION to rvrun or shrun (repeatable), e.g. --dir=data
#   --env NAME=VALUE     guest environment variable (repeatable)
#   --expect-stderr FILE stderr must match FILE (not checked for statuses >= 128)
#   --expect-file REL=FILE  after the run, REL (in the working directory) must match FILE
#   --skip-on-status N   report the case as skipped (77) if the runner exits with N
#
# Exit: 0 pass, 1 mismatch, 77 skipped, 99 harness error.
set -euo pipefail

prog=${0##*/}
die() {
    echo "$prog: $*" >&2
    exit 99
}

fs=
opts=()
envs=()
expect_stderr=
expect_files=()
skip_status=()
while [[ $# -gt 0 ]]; do
    case $1 in
    --fs) fs=$2; shift 2 ;;
    --opt) opts+=("$2"); shift 2 ;;
    --env) envs+=("$2"); shift 2 ;;
    --expect-stderr) expect_stderr=$2; shift 2 ;;
    --expect-file) expect_files+=("$2"); shift 2 ;;
    --skip-on-status) skip_status+=("$2"); shift 2 ;;
    --) break ;;
    -*) die "unknown option '$1'" ;;
    *) break ;;
    esac
done
positional=()
while [[ $# -gt 0 && $1 != -- ]]; do
    positional+=("$1")
    shift
done
[[ $# -gt 0 ]] && shift
guest_args=("$@")
[[ ${#positional[@]} -ge 4 && ${#positional[@]} -le 5 ]] ||
    die "usage: $prog [options] RUNNER ELF EXPECTED_OUT EXPECTED_STATUS [STDIN_FILE] [-- ARGS...]"
runner=${positional[0]}
elf=$(realpath -- "${positional[1]}")
expected_out=$(realpath -- "${positional[2]}")
expected_status=${positional[3]}
stdin_file=${positional[4]:-}
[[ -f $elf ]] || die "guest '$elf' does not exist (was it built?)"
[[ -n $stdin_file ]] && stdin_file=$(realpath -- "$stdin_file")
[[ -n $stdin_file ]] || stdin_file=/dev/null
[[ -n $expect_stderr ]] && expect_stderr=$(realpath -- "$expect_stderr")
runner_path=$(command -v -- "$runner") || die "runner '$runner' not found"
runner_path=$(realpath -- "$runner_path")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/linux_case.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
work=$tmp/work
mkdir -p "$work"
if [[ -n $fs ]]; then
    cp -R -- "$fs"/. "$work"/
    mkdir -p "$work/out"
    # Links for the escape tests: two stay inside data/, the rest point out.
    ln -s in.txt "$work/data/good_link"
    ln -s sub "$work/data/subdir_link"
    ln -s ../outside/secret.txt "$work/data/rel_escape"
    ln -s "$work/outside/secret.txt" "$work/data/abs_escape"
    ln -s "/proc/self/root$work/outside/secret.txt" "$work/data/proc_escape"
    ln -s ../outside "$work/data/dir_escape"
    ln -s loop "$work/data/loop"
fi

case ${runner##*/} in
*qemu*) kind=qemu; cmd=(env -i "${envs[@]}" "$runner_path" "$elf" "${guest_args[@]}") ;;
*)
    kind=rvvm
    ropts=()
    for e in "${envs[@]}"; do ropts+=(--env "$e"); done
    cmd=("$runner_path" "${ropts[@]}" "${opts[@]}" "$elf" "${guest_args[@]}")
    ;;
esac

ulimit -c 0 2>/dev/null || true
set +e
(cd "$work" && "${cmd[@]}" <"$stdin_file" >"$tmp/stdout" 2>"$tmp/stderr")
status=$?
set -e

for s in "${skip_status[@]}"; do
    if [[ $status -eq $s && $status -ne $expected_status ]]; then
        echo "skipped: ${cmd[*]} exited $status: $(head -n 1 "$tmp/stderr")"
        exit 77
    fi
done

failed=0
fail() {
    [[ $failed -eq 0 ]] && echo "FAIL: (in $work) ${cmd[*]} <$stdin_file" >&2
    failed=1
    echo "--- $*" >&2
}
[[ $status -eq $expected_status ]] || fail "exit status $status, expected $expected_status"
if ! cmp -s -- "$expected_out" "$tmp/stdout"; then
    fail "stdout differs from $expected_out:"
    diff -u --label expected --label actual -- "$expected_out" "$tmp/stdout" | head -n 80 >&2 || true
fi
if [[ $expected_status -lt 128 && -n $expect_stderr ]] && ! cmp -s -- "$expect_stderr" "$tmp/stderr"; then
    fail "stderr differs from $expect_stderr:"
    diff -u --label expected --label actual -- "$expect_stderr" "$tmp/stderr" | head -n 40 >&2 || true
fi
for spec in "${expect_files[@]}"; do
    rel=${spec%%=*}
    want=${spec#*=}
    if ! cmp -s -- "$want" "$work/$rel"; then
        fail "file $rel differs from $want:"
        diff -u --label expected --label actual -- "$want" "$work/$rel" | head -n 40 >&2 || true
    fi
done
if [[ $failed -ne 0 ]]; then
    echo "--- stderr was:" >&2
    head -n 20 "$tmp/stderr" >&2
    exit 1
fi
echo "ok: ${elf##*/} ${guest_args[*]} -> status $status ($kind)"
exit 0
