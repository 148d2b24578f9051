/*
 * In-place checkpoints and copy-on-write fork (the public side is in
 * rvvm.h, "Checkpoints and fork").
 *
 * Guest memory is saved page by page as it is first written after a
 * checkpoint (see memory.h); everything else the core owns is copied whole
 * when the checkpoint is taken. State that belongs to the OS layer (brk,
 * mappings, open files) is copied through the provider's clone_state hook
 * (provider.h).
 */
#ifndef RVVM_CHECKPOINT_H
#define RVVM_CHECKPOINT_H

#include <stddef.h>

#include "rvvm/rvvm.h"

/* Host bytes counted for an OS state whose provider has no state_size hook. */
#define RV_STATE_SIZE_ESTIMATE ((size_t)4096)

/* The machine's checkpoints, oldest first (checkpoint.c). */
typedef struct rv_checkpoints rv_checkpoints;

/* Sets up a new machine's checkpoint state (its id tag). */
void rv_checkpoint_init(rvvm_machine *m);

/* Frees every checkpoint of a machine being destroyed. */
void rv_checkpoint_destroy(rvvm_machine *m);

/*
 * True while m is a fork template with live children: its memory and
 * registers must not change (children read them copy-on-write). Calls that
 * would change them return RVVM_ERR_STATE.
 */
bool rv_machine_frozen(const rvvm_machine *m);

#endif
