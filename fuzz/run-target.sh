#!/usr/bin/env bash
# Runs one libFuzzer target for a fixed time:
#   run-target.sh FUZZER SECONDS SEED_CORPUS WORK_DIR
# New inputs go to WORK_DIR/corpus, findings to WORK_DIR/artifacts; the seed
# corpus is read, never written. Ends with one line: target, time, runs,
# executions per second, corpus size; exit status non-zero on a finding.
# FUZZ_TIMEOUT: seconds one input may take before it counts as a hang (default 10).
set -uo pipefail
fuzzer=$1 seconds=$2 seeds=$3 work=$4
name=$(basename "$fuzzer")
mkdir -p "$work/corpus" "$work/artifacts"
log="$work/last.log"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
"$fuzzer" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds" >"$log" 2>&1
status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
corpus=$(ls "$work/corpus" | wc -l)
if [ $status -ne 0 ]; then
  grep -E 'ERROR|check failed|SUMMARY|Test unit written|timeout' "$log" | head -20
  echo "$name: FOUND A PROBLEM after ${runs:-?} runs (log: $log; input in $work/artifacts)"
  exit 1
fi
echo "$name: ${seconds}s, ${runs:-?} runs, ${eps:-?} exec/s, ${cov:-cov ?}, corpus +$corpus"
