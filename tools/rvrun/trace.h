/* rvrun --trace: one line per instruction (docs/tracing.md). */
#ifndef RVRUN_TRACE_H
#define RVRUN_TRACE_H

#include <stdio.h>

#include "rvvm/rvvm.h"

/*
 * Runs m as rvvm_run(m, max_cycles, res) would, fast up to cycle `from`
 * (counted from the program's start, like rvvm_cycles), then one instruction
 * at a time, writing a trace line for each to f.
 */
rvvm_status rvrun_trace(rvvm_machine *m, FILE *f, uint64_t from, uint64_t max_cycles,
                        rvvm_run_result *res);

#endif
