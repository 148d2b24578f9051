#!/usr/bin/env bash
# Benchmarks rvvm against native code and qemu-riscv64 (see bench/README.md).
#
#   bash scripts/bench.sh [--runs N] [--programs sort,crc32,...] [--no-qemu] [--jit] [--clock cpu]
#                         [--no-touched] [--hello-runs N] [--out FILE] [--json FILE]
#
# Installs missing packages (scripts/deps.sh), builds rvvm (scripts/build.sh),
# builds the benchmark programs for RV64 and natively (bench/Makefile, into
# build/bench), then runs bench/run_bench.py, which prints a Markdown report
# for docs/performance.md. The report is also saved to build/bench/results.md
# and the raw measurements to build/bench/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
make -s -C bench -j"$(nproc)"
export RVVM_BENCH_COMMAND="bash scripts/bench.sh${*:+ $*}"
exec python3 bench/run_bench.py --out build/bench/results.md --json build/bench/results.json "$@"
