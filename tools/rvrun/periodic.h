/*
 * rvrun --checkpoint-every / --keep / --failure-dir: the last K in-memory
 * checkpoints of a run, the guest's console I/O since the oldest, and the
 * failure replay that writes that checkpoint and a trace of the window
 * (docs/checkpoints.md).
 */
#ifndef RVRUN_PERIODIC_H
#define RVRUN_PERIODIC_H

#include <stdbool.h>

#include "rvvm/rvvm.h"

typedef struct rvrun_periodic rvrun_periodic;

/*
 * Installs recording console hooks on m and takes the first checkpoint.
 * With dir (--checkpoint-dir), every checkpoint is also written there as a
 * snapshot chain: DIR/ckpt-000000.snap full, the next ones diffs against
 * the one before (snapshot_flags as for rvvm_snapshot_save_file). NULL (with
 * a message on stderr) on failure.
 */
rvrun_periodic *rvrun_periodic_create(rvvm_machine *m, unsigned keep, const char *dir,
                                      unsigned snapshot_flags);

/* Takes a checkpoint, freeing the oldest when more than K are kept.
 * 0, or rvrun's error status with a message on stderr. */
int rvrun_periodic_take(rvrun_periodic *p);

/*
 * The run ended in a failure, described by res (an interrupted run has
 * reason RVVM_STOP_CYCLE_LIMIT). Restores the oldest kept checkpoint, saves
 * it to DIR/checkpoint.snap (snapshot_flags as for rvvm_snapshot_save_file),
 * the guest's stdin since then to DIR/stdin, replays the window to
 * DIR/trace.txt and describes it in DIR/failure.json. The machine ends in
 * the failure state again. 0, or rvrun's error status.
 */
int rvrun_periodic_failure(rvrun_periodic *p, const char *dir, const rvvm_run_result *res,
                           unsigned snapshot_flags);

void rvrun_periodic_destroy(rvrun_periodic *p);

#endif
