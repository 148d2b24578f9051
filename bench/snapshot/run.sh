#!/usr/bin/env bash
# Snapshot benchmark: write time and size against dirty bytes (with and without
# zstd), writing 64 MiB of dirty pages against cp and cp + fsync, and the cost
# of resuming (in process and whole rvrun process). See bench/snapshot/README.md.
#
#   bash bench/snapshot/run.sh [snapbench options]     e.g. --runs 3 --sizes 0,1024
#
# Builds rvvm (scripts/build.sh), the guest build/bench/snapshot/dirty_mb.elf
# (riscv64-unknown-elf-gcc, freestanding, like tests/guests) and the driver
# build/bench/snapshot/snapbench (linked with build/librvvm.a), then runs the
# driver with its files in build/bench/snapshot/work. Prints a Markdown report
# and saves it in build/bench/snapshot/results.md, every sample in
# build/bench/snapshot/results.json. Takes 2-4 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=$root/build/bench/snapshot
bash scripts/deps.sh
bash scripts/build.sh
mkdir -p "$out/work"

rt=tests/guests
riscv64-unknown-elf-gcc -O2 -nostdlib -nostartfiles -static -ffreestanding -fno-builtin \
    -march=rv64imac_zicsr_zifencei -mabi=lp64 -Wall -Wextra -Werror -Wl,--no-warn-rwx-segments \
    -I"$rt" -o "$out/dirty_mb.elf" "$rt/start.S" "$rt/rt.c" bench/snapshot/dirty_mb.c
# shellcheck disable=SC2046
gcc -O2 -std=c11 -Wall -Wextra -Werror -Iinclude -o "$out/snapbench" bench/snapshot/snapbench.c \
    build/librvvm.a $(pkg-config --libs libelf libcrypto libzstd libxxhash)

{
    echo "## Snapshot benchmark"
    echo
    echo "- command: \`bash bench/snapshot/run.sh${*:+ $*}\`"
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    dirty=$(git diff HEAD -- src include tools 2>/dev/null | sha256sum | cut -c1-12)
    echo "- rvvm commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src include tools 2>/dev/null || echo " plus uncommitted changes in src/, include/ or tools/ (diff sha256 $dirty)")"
    echo "- machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM"
    echo "- file system of $out/work: $(findmnt -n -o FSTYPE,SOURCE --target "$out/work" | tr -s ' ')"
    echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
} > "$out/results.md.tmp"
cat "$out/results.md.tmp"

# a private copy of rvrun, so that a rebuild elsewhere cannot change it halfway
cp build/rvrun "$out/rvrun"
extra=()
[[ -e build/tests/guests/hello.elf ]] && extra+=(--hello "$root/build/tests/guests/hello.elf")
command -v qemu-riscv64 >/dev/null && extra+=(--qemu "$(command -v qemu-riscv64)")
"$out/snapbench" --rvrun "$out/rvrun" --dir "$out/work" --json "$out/results.json" "${extra[@]}" "$@" \
    "$out/dirty_mb.elf" | tee -a "$out/results.md.tmp"

echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/results.md.tmp"
mv "$out/results.md.tmp" "$out/results.md"
echo "(saved in $out/results.md and $out/results.json)" >&2
