/*
 * A GDB remote-protocol server for one rvvm machine, with reverse execution
 * (docs/debugging.md). Built as an internal module for rvrun and the tests;
 * it uses only the public API (include/rvvm). It never writes to stderr and
 * never exits: replies go through the send callback.
 *
 * The engine is a byte-stream consumer: rv_gdb_feed takes what the debugger
 * sent (framing, acks, Ctrl-C and packets) and answers through send, so it
 * can be driven by a socket (rv_gdb_serve) or by a fuzzer.
 */
#ifndef RVVM_DEBUG_GDBSTUB_H
#define RVVM_DEBUG_GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rvvm/rvvm.h"

typedef struct rv_gdb rv_gdb;

typedef struct rv_gdb_options {
    uint64_t max_cycles;          /* budget from the session's start; RVVM_NO_LIMIT for none */
    const char *exec_path;        /* reported by qXfer:exec-file; may be NULL */
    uint32_t snapshot_flags;      /* for `monitor snapshot` (RVVM_SNAPSHOT_*) */
    uint64_t checkpoint_interval; /* instructions between history checkpoints; 0: default */
    bool console;                 /* pass guest I/O to host fds 0/1/2 (else: EOF / discard) */
    /* Writes reply bytes; required. */
    void (*send)(void *user, const char *data, size_t len);
    /* Polled while the guest runs: true when the debugger sent Ctrl-C. May be NULL. */
    bool (*interrupted)(void *user);
    void *user;
} rv_gdb_options;

typedef enum rv_gdb_state {
    RV_GDB_ACTIVE,   /* the session goes on */
    RV_GDB_DETACHED, /* 'D': the debugger left; the program may run on */
    RV_GDB_KILLED,   /* 'k' */
} rv_gdb_state;

/* NULL when out of memory. Installs the machine's I/O hooks (record and replay). */
rv_gdb *rv_gdb_create(rvvm_machine *m, const rv_gdb_options *options);
/* Frees the history checkpoints and restores the default I/O hooks. */
void rv_gdb_destroy(rv_gdb *g);

/* Consumes bytes from the debugger; answers through options.send. */
rv_gdb_state rv_gdb_feed(rv_gdb *g, const uint8_t *data, size_t len);

/* Serves a connected socket until the debugger detaches, kills or disconnects. */
rv_gdb_state rv_gdb_serve(rv_gdb *g, int fd);

/*
 * How the program stands: *ended is true once it exited or faulted (res then
 * says how), else res->reason is RVVM_STOP_CYCLE_LIMIT; *budget_stop tells
 * whether the budget ran out.
 */
void rv_gdb_status(const rv_gdb *g, rvvm_run_result *res, bool *ended, bool *budget_stop);

/* Cycles left of max_cycles (RVVM_NO_LIMIT for none). */
uint64_t rv_gdb_budget_left(const rv_gdb *g);

#endif
