/* rvrun --profile FILE (src/debug/profile.c, docs/debugging.md). */
#ifndef RVRUN_PROFILE_H
#define RVRUN_PROFILE_H

#include "rvvm/rvvm.h"

/* Runs m with the profiler; writes FILE (folded stacks) and FILE.txt. 0 or -1 (printed). */
int rvrun_profile(rvvm_machine *m, const char *path, uint64_t max_cycles, rvvm_run_result *res);

#endif
