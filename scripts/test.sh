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

# Interpreter-only, as on a machine without libgccjit's header (docs/jit.md):
# ./build-nojit (-Djit=disabled) must build warning-free and pass the unit and
# ISA suites and the engine tests, where --engine auto interprets and
# --engine jit is refused. Only for the whole suite.
if [ $# -eq 0 ]; then
  [ -f build-nojit/build.ninja ] || meson setup build-nojit -Djit=disabled -Dwerror=true >/dev/null
  ninja -C build-nojit >/dev/null
  meson test -C build-nojit --no-rebuild --print-errorlogs --num-processes "$(nproc)" --suite unit --suite isa
  meson test -C build-nojit --no-rebuild --print-errorlogs int-engine-auto engine-auto-lib
fi

# Fuzz smoke (docs/fuzzing.md): every libFuzzer target for a short fixed time, in
# ./build-fuzz (clang, ASan + UBSan), when clang can link libFuzzer. Only for the whole
# suite: with arguments (e.g. --suite isa) it is skipped.
if [ $# -eq 0 ]; then
  probe=$(mktemp -d)
  echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }' >"$probe/p.c"
  if clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
    if [ ! -f build-fuzz/build.ninja ]; then
      CC=clang meson setup build-fuzz -Dfuzz=true -Dwerror=true >/dev/null
    fi
    # Quiet when it builds; the compiler's errors when it does not.
    if ! log=$(ninja -C build-fuzz fuzz/fuzz_elf fuzz/fuzz_snapshot fuzz/fuzz_costmodel \
               fuzz/fuzz_interp fuzz/fuzz_syscall fuzz/fuzz_jit 2>&1); then
      printf '%s\n' "$log" | grep -v '^\[' | tail -n 30
      echo "fuzz smoke: the fuzz build failed"
      exit 1
    fi
    meson test -C build-fuzz --no-rebuild --print-errorlogs --num-processes "$(nproc)" --suite fuzz
  else
    echo "fuzz smoke: skipped (clang cannot link libFuzzer; install libclang-rt-14-dev)"
  fi
  rm -rf "$probe"
fi
