#!/usr/bin/env bash
# Installs the Debian packages rvvm needs to build, test and benchmark, if missing.
# Safe to run repeatedly: it only calls apt-get when something is absent.
set -euo pipefail

packages=(
  meson ninja-build pkg-config gcc clang libclang-rt-14-dev
  libelf-dev libcmocka-dev libzstd-dev libssl-dev libxxhash-dev xxhash xxd zstd python3
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
  qemu-user valgrind gdb-multiarch
  csmith libcsmith-dev
  libgccjit-12-dev
  slurmctld slurmd slurm-client munge python3
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "deps: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
