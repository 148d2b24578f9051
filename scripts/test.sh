#!/usr/bin/env bash
# The whole test suite from a fresh Debian machine: installs what is missing,
# builds with GCC (and checks the Clang build is warning-free too), runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
if [ -f build-clang/build.ninja ]; then
  ninja -C build-clang >/dev/null
else
  CC=clang meson setup build-clang -Dwerror=true >/dev/null
  ninja -C build-clang >/dev/null
fi
echo "clang build: warning-free"
meson test -C build --print-errorlogs --num-processes "$(nproc)" "$@"
