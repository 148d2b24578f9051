/*
 * In-place checkpoints and copy-on-write fork (the public side is in
 * rvvm.h, "Checkpoints and fork").
 *
 * Guest memory is saved page by page as it is first written after a
 * checkpoint (see memory.h); everything else the core owns is copied whole
 * when the checkpoint is taken. State that belongs to the OS layer (brk,
 * mappings, open files) is saved through the hooks below.
 */
#ifndef RVVM_CHECKPOINT_H
#define RVVM_CHECKPOINT_H

#include <stddef.h>

#include "rvvm/rvvm.h"

/*
 * How the core saves, restores and forks the state of the layer that handles
 * ecalls (the machine's state_hooks_state). A machine with no hooks has no
 * such state to save.
 */
typedef struct rv_state_hooks {
    /* A deep copy of state; NULL if out of memory. */
    void *(*save)(rvvm_machine *m, void *state);
    /* Makes state equal to saved; does not consume saved. */
    void (*restore)(rvvm_machine *m, void *state, const void *saved);
    /* Frees a copy made by save. */
    void (*discard)(void *saved);
    /* A fork's own state, equal to the template's; NULL if out of memory. */
    void *(*fork)(rvvm_machine *child, const void *template_state);
    /* Optional: host bytes a state or saved copy takes, for the host-memory
     * limit. NULL: RV_STATE_SIZE_ESTIMATE. */
    size_t (*size)(const void *state);
} rv_state_hooks;

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
