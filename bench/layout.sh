#!/usr/bin/env bash
# Times an rvrun binary so that host memory layout does not decide the result.
#
#   bash bench/layout.sh RVRUN [PROGRAM...]     default: all nine benchmark programs
#
# How fast the same rvrun binary runs can depend on where the host puts its
# heap and stack (measured: sort 0.41 s or 0.70 s depending on the length of
# rvrun's own path name, before 033f6f9). To compare two builds, this copies
# RVRUN under 8 path names of different lengths in a temporary directory,
# takes the best of 3 CPU times (user + system) of each copy on each program
# (build/bench/riscv/PROGRAM.elf, from `make -C bench`), and prints per program
# the median over the 8 names, with the range.
set -euo pipefail
cd "$(dirname "$0")/.."
rvrun=${1:?usage: bash bench/layout.sh RVRUN [PROGRAM...]}
shift
programs=("$@")
[ ${#programs[@]} -gt 0 ] || programs=(sort crc32 sha256 bytecode matmul strings linkedlist branchy memory)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
TIMEFORMAT='%U %S'
names=()
for k in 1 2 3 4 5 6 7 8; do
  n=$dir/$(printf 'r%*s' "$k" '' | tr ' ' x)
  cp "$rvrun" "$n"
  names+=("$n")
done
for p in "${programs[@]}"; do
  elf=build/bench/riscv/$p.elf
  [ -e "$elf" ] || { echo "layout.sh: $elf is missing (make -C bench)" >&2; exit 1; }
  times=()
  for n in "${names[@]}"; do
    best=
    for _ in 1 2 3; do
      t=$( { time "$n" --engine interp "$elf" >/dev/null 2>&1; } 2>&1 | awk '{ print $1 + $2 }')
      best=$(awk -v a="$t" -v b="${best:-$t}" 'BEGIN { print (a < b ? a : b) }')
    done
    times+=("$best")
  done
  printf '%s\n' "${times[@]}" | sort -g |
    awk -v p="$p" '{ v[NR] = $1 } END { printf "%s %.3f [%.2f-%.2f]\n", p, (v[4] + v[5]) / 2, v[1], v[NR] }'
done
