#!/usr/bin/env bash
# Regenerates the seed corpora in fuzz/corpus/ from a normal build:
#   bash fuzz/make-corpus.sh [BUILD_DIR]     (default: build)
# elf: small guest programs; snapshot: snapshots of fuzz/guest/snapguest.elf
# (rebuilt from snapguest.c) taken by rvrun at several cycle counts, with the
# fuzz sandbox's files granted; the others: make-corpus.py.
set -euo pipefail
cd "$(dirname "$0")"
build=$(cd "../${1:-build}" && pwd)

riscv64-unknown-elf-gcc -O2 -nostdlib -nostartfiles -static -march=rv64imafdc_zicsr_zifencei \
  -mabi=lp64d -ffreestanding -fno-builtin -Wall -Wextra \
  ../tests/guests/start.S ../tests/guests/rt.c guest/snapguest.c -o guest/snapguest.elf

rm -rf corpus/elf corpus/snapshot
mkdir -p corpus/elf corpus/snapshot
for g in tests/guests/hello tests/guests/fault_null tests/guests/args riscv-tests/simple \
         riscv-tests/fence_i riscv-tests/rvc_mem; do
  cp "$build/$g.elf" "corpus/elf/$(basename "$g")"
done
riscv64-unknown-elf-strip -o corpus/elf/hello-stripped corpus/elf/hello
cp guest/snapguest.elf corpus/elf/snapguest

# The same files as fuzz/sandbox.c puts in its grant and read-only directories.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/grant/d" "$tmp/ro" "$tmp/outside"
printf 'hello, sandbox\n' >"$tmp/grant/a.txt"
printf 'x\n' >"$tmp/grant/d/x.txt"
printf 'read only\n' >"$tmp/ro/r.txt"
printf 'secret\n' >"$tmp/outside/secret.txt"
mkfifo "$tmp/grant/fifo"
ln -s ../outside "$tmp/grant/link"
ln -s "$tmp/outside/secret.txt" "$tmp/grant/abs"
for c in 300 2500 9000 60000 400000; do
  for z in "" "--snapshot-compress"; do
    name=c$c${z:+-z}
    cp "$tmp/grant/a.txt" "$tmp/a.bak"
    set +e
    "$build/rvrun" --max-cycles $c --snapshot "corpus/snapshot/$name" $z --seed 7 \
      --dir "$tmp/grant:/data:rw" --dir "$tmp/ro:/ro" guest/snapguest.elf >/dev/null
    status=$?
    set -e
    [ $status -eq 124 ] || { echo "make-corpus: snapguest ended ($status) before $c cycles" >&2; exit 1; }
    cp "$tmp/a.bak" "$tmp/grant/a.txt"
  done
done
# A dynamically linked program's snapshot: format 5's mapped files and interpreter
# (docs/dynamic-linking.md), from the cross glibc's sysroot.
riscv64-linux-gnu-gcc -O2 -Wall ../tests/linux/glibc/hello.c -o guest/dynhello
set +e
"$build/rvrun" --sysroot /usr/riscv64-linux-gnu --max-cycles 120000 --snapshot-compress \
  --snapshot corpus/snapshot/dyn-c120000-z guest/dynhello >/dev/null 2>&1
status=$?
set -e
rm -f guest/dynhello
[ $status -eq 124 ] || { echo "make-corpus: dynhello ended ($status) before 120000 cycles" >&2; exit 1; }
python3 make-corpus.py "$build"
ls corpus/* | head -50
