/* rvrun --gdb PORT: serve one GDB session on 127.0.0.1 (docs/debugging.md). */
#ifndef RVRUN_GDB_H
#define RVRUN_GDB_H

#include <stdbool.h>
#include <stdint.h>

#include "rvvm/rvvm.h"

/*
 * Listens on 127.0.0.1:port (0: a free port; the port is printed on stderr
 * as "rvrun: gdb: listening on 127.0.0.1:PORT"), serves one debugger, then
 * returns: 0 when the program exited, faulted or ran out of budget in the
 * session (*res says how, as rvvm_run would); 2 when the debugger detached
 * or went away with the program still able to run (it then runs on with
 * *budget_left, what remains of max_cycles); 1 when the debugger killed it;
 * -1 on a set-up error (message printed).
 */
int rvrun_gdb(rvvm_machine *m, unsigned port, const char *exec_path, uint64_t max_cycles,
              uint32_t snapshot_flags, rvvm_run_result *res, uint64_t *budget_left);

#endif
