#!/usr/bin/env bash
# Builds with AddressSanitizer and UndefinedBehaviorSanitizer in ./build-asan and runs the
# test suite there (the long split-equivalence tests are skipped by default: pass
# --all to include them).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
if [ ! -f build-asan/build.ninja ]; then
  meson setup build-asan -Db_sanitize=address,undefined -Dbuildtype=debugoptimized -Dwerror=true >/dev/null
fi
ninja -C build-asan >/dev/null
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
if [ "${1:-}" = "--all" ]; then
  meson test -C build-asan --print-errorlogs --num-processes "$(nproc)"
else
  meson test -C build-asan --print-errorlogs --num-processes "$(nproc)" --no-suite snapshot
  meson test -C build-asan --print-errorlogs --num-processes "$(nproc)" \
    snap-damage snap-cli-damage snap-cli-chain snap-size snap-atomic snap-eq-hello
fi
