/*
 * The OS layer as a provider: the core's side of the interface.
 *
 * An ecall goes first to the host's handler (rvvm_set_ecall_handler), then,
 * if the handler passes, to the machine's OS layer. The OS layer's ecall entry
 * has exactly the host handler's type (rvvm_ecall_fn), so the Linux ABI is one
 * provider among possible others; the rest of this table is its lifecycle and
 * its snapshot section. The core knows this table, never the provider behind
 * it: src/core includes nothing from src/linux.
 */
#ifndef RVVM_PROVIDER_H
#define RVVM_PROVIDER_H

#include "rvvm/rvvm.h"

struct rvvm_resume_options;
struct rvvm_snapshot_info;

typedef struct rv_provider {
    const char *name;
    /* Creates the provider's state for a new machine; NULL if out of memory. */
    void *(*create)(rvvm_machine *m);
    void (*destroy)(void *state);
    /* An ecall the host's handler passed on. Same contract as rvvm_ecall_fn. */
    rvvm_ecall_fn ecall;
    /* A RISC-V semihosting call (ebreak in its marker sequence); NULL: a breakpoint. */
    rvvm_ecall_fn semihost;
    /* A program was loaded; argv is NULL when a snapshot supplies the command line. */
    rvvm_status (*program_loaded)(rvvm_machine *m, void *state, const char *const *argv);

    /* The snapshot's OS section: serialise; parse and validate without a machine;
     * apply to a machine whose memory has been restored; free a parsed section. */
    rvvm_status (*save)(rvvm_machine *m, void *state, uint8_t **data, size_t *len, char *err,
                        size_t err_size);
    rvvm_status (*parse)(const uint8_t *data, size_t len, uint64_t memory_size, void **parsed,
                         char *err, size_t err_size);
    /* opt: a snapshot being resumed (untrusted: only opt's grants are given),
     * or NULL for the machine's own state restored in process (checkpoints,
     * fork), whose recorded grants are kept. */
    rvvm_status (*restore)(rvvm_machine *m, void *state, const void *parsed,
                           const struct rvvm_resume_options *opt, char *err, size_t err_size);
    void (*parsed_free)(void *parsed);

    /*
     * In-process copies of the state for checkpoints and fork, without going
     * through the snapshot section. clone_state: a new state equal to src
     * (freed with destroy); NULL if out of memory. for_fork: the copy is a
     * new machine's (a fork child), which must never disturb src's machine;
     * false: a checkpoint's saved copy, or a restore from one, for the same
     * machine. Never concurrent with other uses of src. state_size: host
     * bytes a state takes, counted against config.max_host_memory.
     * A provider without clone_state cannot be checkpointed or forked.
     */
    void *(*clone_state)(const void *src, bool for_fork);
    size_t (*state_size)(const void *state);
    /* Lists what resuming a parsed section needs from the host (grants, files,
     * mappings) in info's fields, malloc'd; rvvm_snapshot_info_free frees them. */
    rvvm_status (*describe)(const void *parsed, struct rvvm_snapshot_info *info);
    /* Checks the layout words against the parsed section (e.g. mmap low against
     * the mappings), so inspecting refuses what resuming would; NULL: nothing to check. */
    rvvm_status (*check_layout)(const void *parsed, uint64_t brk, uint64_t stack_low,
                                uint64_t mmap_low, char *err, size_t err_size);

    /*
     * Optional deterministic scheduling of guest threads (NULL: one thread).
     * slice: cycles the running thread may still use before its slice ends
     * (UINT64_MAX: no switch due). rvvm_run runs the interpreter for at most
     * min(the caller's budget left, slice), and calls switch_thread when the
     * slice is used up or a call asked for a switch (rv_request_switch);
     * switch_thread returns false with m->fault set if no thread can run.
     * digest adds state beyond the running thread's registers (other threads,
     * scheduler) to rvvm_state_digest through add(ctx, bytes, len).
     */
    uint64_t (*slice)(rvvm_machine *m, void *state);
    bool (*switch_thread)(rvvm_machine *m, void *state);
    bool (*digest)(rvvm_machine *m, void *state, bool (*add)(void *ctx, const void *p, size_t n),
                   void *ctx);
} rv_provider;

/* The built-in OS layers (src/linux provides RVVM_OS_LINUX); NULL for RVVM_OS_NONE. */
const rv_provider *rv_builtin_provider(rvvm_os os);

/* The machine's OS-layer state, or NULL if it has none (or another provider). */
void *rv_provider_state(const rvvm_machine *m, const rv_provider *p);

/* Services the core gives providers. */

/* Drops every decoded instruction (fence.i, riscv_flush_icache). */
void rv_flush_code(rvvm_machine *m);
/* Drops decoded instructions that read bytes of [addr, addr+len) (mapping changes). */
void rv_drop_code(rvvm_machine *m, uint64_t addr, uint64_t len);

/* Sends a line of tracing to the host's trace callback, if one is installed. */
void rv_trace(rvvm_machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool rv_tracing(const rvvm_machine *m);

/* From inside an ecall: end the running thread's slice right after this call
 * (it blocked, yielded or exited); rvvm_run then calls switch_thread. */
void rv_request_switch(rvvm_machine *m);

#endif
