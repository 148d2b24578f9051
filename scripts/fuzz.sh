#!/usr/bin/env bash
# Fuzzes every libFuzzer target (fuzz/, docs/fuzzing.md) for SECONDS each, one after another:
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]     (default 600 s; targets: elf snapshot
#                                                  costmodel interp syscall jit)
# Builds ./build-fuzz with clang (-Dfuzz=true) if needed. New inputs accumulate in
# build-fuzz/fuzz/long/TARGET/corpus, findings in build-fuzz/fuzz/long/TARGET/artifacts;
# replay one with build/fuzz/fuzz_replay_TARGET FILE and add it to fuzz/regress/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(elf snapshot costmodel interp syscall jit)
bash scripts/deps.sh
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzz=true -Dwerror=true >/dev/null
fi
ninja -C build-fuzz $(printf 'fuzz/fuzz_%s ' "${targets[@]}") >/dev/null
status=0
for t in "${targets[@]}"; do
  # jit inputs wait for libgccjit compilations: a minute before one counts as a hang.
  FUZZ_TIMEOUT=$([ "$t" = jit ] && echo 60 || echo "${FUZZ_TIMEOUT:-10}") \
  bash fuzz/run-target.sh "build-fuzz/fuzz/fuzz_$t" "$seconds" "fuzz/corpus/$t" \
    "build-fuzz/fuzz/long/$t" || status=1
done
exit $status
