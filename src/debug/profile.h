/*
 * Cycle profiles by function (rvrun --profile, docs/debugging.md): the
 * program runs one instruction at a time through rvvm_step, each
 * instruction's cycles go to the current call stack, which is a shadow stack
 * kept from calls (a jump that links ra or t0) and returns (a jump to a
 * return address on the shadow stack), and functions are named from the ELF
 * symbols.
 */
#ifndef RVVM_DEBUG_PROFILE_H
#define RVVM_DEBUG_PROFILE_H

#include <stdio.h>

#include "rvvm/rvvm.h"

typedef struct rv_profile rv_profile;

rv_profile *rv_profile_create(rvvm_machine *m);
void rv_profile_destroy(rv_profile *p);

/* Runs as rvvm_run(m, max_cycles, res) would, recording the profile. */
rvvm_status rv_profile_run(rv_profile *p, uint64_t max_cycles, rvvm_run_result *res);

/*
 * Writes folded stacks ("main;parse;strlen 12345", one line per stack with
 * its own cycles) to folded and, if flat is not NULL, a table of functions
 * with self and total cycles, most expensive first. False on a write error.
 */
bool rv_profile_write(const rv_profile *p, FILE *folded, FILE *flat);

#endif
