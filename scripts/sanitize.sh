#!/usr/bin/env bash
# Builds with AddressSanitizer and UndefinedBehaviorSanitizer in ./build-asan and runs the
# test suite there (the long split-equivalence tests are skipped by default: pass
# --all to include them). Then builds with ThreadSanitizer in ./build-tsan and runs the
# tests that use threads (test_checkpoint: many threads forking and running machines).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
if [ ! -f build-asan/build.ninja ]; then
  meson setup build-asan -Db_sanitize=address,undefined -Dbuildtype=debugoptimized -Dwerror=true >/dev/null
fi
ninja -C build-asan >/dev/null
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# The translation tier's tests load libgccjit, which keeps GCC's own allocations.
export LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp:print_suppressions=0
if [ "${1:-}" = "--all" ]; then
  meson test -C build-asan --print-errorlogs --num-processes "$(nproc)"
else
  meson test -C build-asan --print-errorlogs --num-processes "$(nproc)" --no-suite snapshot
  meson test -C build-asan --print-errorlogs --num-processes "$(nproc)" \
    snap-damage snap-cli-damage snap-cli-chain snap-size snap-atomic snap-eq-hello
fi

# ThreadSanitizer: the library keeps no global state, so machines on different threads,
# and forks of one template on many threads, must not race.
if [ ! -f build-tsan/build.ninja ]; then
  meson setup build-tsan -Db_sanitize=thread -Dbuildtype=debugoptimized -Dwerror=true >/dev/null
fi
ninja -C build-tsan tests/unit/test_checkpoint tests/unit/test_os_clone tests/unit/test_pool >/dev/null
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 meson test -C build-tsan --print-errorlogs \
  --no-rebuild checkpoint os_clone pool
# The translation tier's compile thread and shared caches (docs/jit.md), where the tier is built.
if grep -q "jit-cache" <(meson test -C build-tsan --list 2>/dev/null); then
  # test_jit runs the sort and crc32 guests, built here like the tests.
  ninja -C build-tsan tests/unit/test_jit tests/unit/test_metering tests/guests/sort.elf \
    tests/guests/crc32.elf tests/unit/test_jit_aot >/dev/null
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 meson test -C build-tsan --print-errorlogs \
    --no-rebuild jit-cache metering-jit jit-aot
fi
