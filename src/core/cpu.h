/* Internal machine state shared by the core, the loader and the snapshot code. */
#ifndef RVVM_CPU_H
#define RVVM_CPU_H

#include <pthread.h>

#include "rvvm/rvvm.h"
#include "../memory/memory.h"
#include "insn_table.h"
#include "provider.h"
#include "checkpoint.h"
#include "jit.h"

/*
 * One decoded instruction, as the decoder produces it. Writes to x0 are
 * redirected to the sink register x[32], so handlers never test rd.
 */
typedef struct rv_insn {
    uint16_t op;          /* rv_op */
    uint8_t rd, rs1, rs2, rs3;
    uint8_t len;          /* 2 or 4 bytes */
    uint32_t cost;        /* cycles of this instruction */
    uint32_t raw;         /* the encoding */
    int64_t imm;          /* immediate; pc-relative as encoded until rv_specialise */
} rv_insn;

/*
 * The interpreter's form of an instruction: one slot per halfword of an
 * executable page.
 *
 * Straight-line runs: decoding starts at a block entry and continues to the
 * first control-transfer or system instruction or the page end. Each slot
 * records the cost and count of the instructions from itself to the end of
 * its run, so entering a run anywhere charges exactly the rest of it. A
 * slot's own cost is its block_cost less that of the next instruction's slot
 * (the last of a run: all of it).
 */
typedef struct rv_slot {
    const void *handler;  /* threaded dispatch target: the handler of op */
    int64_t imm;          /* immediate; for jal and same-page branches the
                             target's slot address, for the _far forms the
                             absolute target */
    uint32_t block_cost;  /* cycles from here to the end of the run */
    uint32_t raw;         /* the encoding: fault reports, and its length */
    uint16_t block_count; /* instructions from here to the end of the run */
    uint8_t op;           /* rv_op: possibly a specialised or fused form */
    uint8_t rd, rs1, rs2, rs3;
    uint8_t next;         /* bytes from this slot to the next instruction's slot */
} rv_slot;

_Static_assert(sizeof(rv_slot) == 32, "slots are 32 bytes, so `next` fits a byte");
_Static_assert(RV_OP_COUNT <= 256, "an op fits a slot's byte");

/* An instruction's length from its encoding: 4 if the low bits are 11. */
#define RV_SLOT_LEN(s) (((s)->raw & 3) == 3 ? 4u : 2u)

#define RV_SINK_REG 32
#define RV_INSNS_PER_PAGE (RV_PAGE_SIZE / 2)
/* Two end-of-page slots follow a page's slots, so running off the page needs no
 * test; their imm holds the page's guest address. */
#define RV_SLOTS_PER_PAGE (RV_INSNS_PER_PAGE + 2)
/*
 * A page's slot array is aligned to its own (power-of-two) size, so the array
 * and the page's address follow from any slot pointer: the interpreter then
 * keeps neither in a register.
 *
 * Arrays are handed out by the machine's code arena (code_cache.c), one
 * reservation that the host commits only where touched. A slot that was
 * never written is all zero: op RV_OP_undecoded with a NULL handler. Only
 * the entries into a run can be such a slot, and the interpreter tests for
 * it where it enters a slot it did not decode (lookup, a jump to a computed
 * target); slots that decoded code steps or branches to are written as
 * "undecoded" when that code is decoded. So a page's decoded code commits
 * only the host pages its runs occupy.
 */
#define RV_SLOT_ARRAY_SIZE ((size_t)1 << 17)
_Static_assert(RV_SLOTS_PER_PAGE * sizeof(rv_slot) <= RV_SLOT_ARRAY_SIZE, "slot array fits");
#define RV_SLOTS_OF(s) ((rv_slot *)((uintptr_t)(s) & ~(uintptr_t)(RV_SLOT_ARRAY_SIZE - 1)))
#define RV_PAGE_BASE_OF(s) ((uint64_t)RV_SLOTS_OF(s)[RV_INSNS_PER_PAGE].imm)

/* After a page's slots: which of them may be non-zero, so resetting or
 * copying the page touches only those. hi == 0: none. */
typedef struct rv_code_hdr {
    uint16_t lo, hi;      /* slots [lo, hi) */
} rv_code_hdr;
#define RV_CODE_HDR(slots) ((rv_code_hdr *)((slots) + RV_SLOTS_PER_PAGE))
/* What one page's decoded code may commit: its slots and header, in host pages. */
#define RV_CODE_PAGE_COST ((size_t)RVVM_CODE_PAGE_BYTES)
_Static_assert(RV_SLOTS_PER_PAGE * sizeof(rv_slot) + sizeof(rv_code_hdr) <= RVVM_CODE_PAGE_BYTES,
               "the cost covers a page's slots");

/* A machine's decoded slot arrays (code_cache.c), shared read-only with its forks. */
typedef struct rv_code_arena rv_code_arena;

/* Where the loader placed things, needed by syscalls and snapshots. */
typedef struct rv_layout {
    uint64_t brk_start;   /* first byte after the highest loaded segment, page aligned */
    uint64_t brk;         /* current program break */
    uint64_t stack_low;   /* lowest stack address */
    uint64_t mmap_low;    /* next anonymous mapping goes below this */
} rv_layout;

/*
 * A guest call in progress (rvvm_call): what to put back when the function
 * returns, and the stack pointer a real return must show.
 */
typedef struct rv_call_frame {
    bool active;
    uint8_t prior_state;  /* rv_run_state before the call: READY or EXITED */
    int prior_exit_code;
    uint64_t sp;          /* sp at entry; the function returns with the same sp */
    uint64_t x[32];       /* x0..x31 before the call */
    uint64_t pc;
    uint64_t f[32];
    uint32_t fcsr;
} rv_call_frame;

typedef enum rv_run_state {
    RV_STATE_EMPTY,   /* nothing loaded */
    RV_STATE_READY,   /* loaded or stopped at a budget: can run */
    RV_STATE_EXITED,
    RV_STATE_FAULTED,
} rv_run_state;

/*
 * The core's state apart from guest memory, code and configuration: what a
 * checkpoint copies whole and what a snapshot's CPU section and layout words
 * hold. Checkpoints, fork and resuming a snapshot all put it into a machine
 * with rv_core_load, and take it with rv_core_save (checkpoint.c).
 */
typedef struct rv_core_state {
    uint64_t x[32];
    uint64_t pc, cycles, instret;
    uint64_t resv_addr;
    bool resv_valid;
    uint8_t resv_size;
    uint32_t fcsr;
    uint64_t f[32];
    uint64_t mtvec;
    rv_layout layout;
    rv_run_state state;
    int exit_code;
    rvvm_fault fault;
    rv_call_frame call;  /* a guest call (rvvm_call) in progress */
} rv_core_state;

struct rvvm_machine {
    uint64_t *x;          /* x0..x31 and the sink: mem.regs, beside guest memory */
    uint64_t pc;
    uint64_t cycles;
    uint64_t instret;
    uint64_t resv_addr;
    bool resv_valid;
    uint8_t resv_size;
    uint32_t fcsr;        /* frm << 5 | fflags */
    uint64_t f[32];       /* FP registers; singles are NaN-boxed */
    uint64_t mtvec;       /* storage only, for bare-metal start-up code */

    rv_memory mem;
    rv_slot **code;       /* per page, decoded slots; NULL until executed (a fork: see
                             code_tmpl; RV_CODE_NONE for none) */
    const void *const *handlers; /* the interpreter's handlers (set by rvvm_run): [op]
                                    for 2-byte instructions, [RV_OP_COUNT + op] for 4-byte */
    uint32_t *code_pages; /* the pages that have slots, so freeing them is quick */
    size_t code_page_count, code_page_cap;
    rv_code_arena *code_arena;  /* where this machine's slot arrays come from; NULL until one */
    uintptr_t code_own_lo, code_own_hi; /* its address range */
    uint8_t *code_reserve;      /* room reserved for the arena with guest memory (rv_code_init) */
    size_t code_reserve_size;
    rvvm_pool *pool;            /* config.pool, referenced by this machine; NULL: none */
    /* A fork's view of its template's decoded code (code_cache.c): the
     * template's table, read for pages this machine has not resolved yet
     * (code[page] NULL); the arena and address range of the arrays it may
     * share, read-only; the pages the template had arrays for. */
    rv_slot *const *code_tmpl;
    rv_code_arena *code_shared;
    uintptr_t code_shared_lo, code_shared_hi;
    uint32_t *code_tmpl_pages;
    size_t code_tmpl_count;
    uint64_t code_flushes;      /* times the decode cache was emptied to stay in its cap */

    rvvm_config config;
    rv_layout layout;
    rv_run_state state;
    int exit_code;
    rvvm_fault fault;

    char *program_path;   /* absolute path of the ELF, or a caller's name */
    uint8_t program_sha256[32];
    bool program_hashed;     /* program_sha256 is computed on first need */
    uint8_t *program_image;  /* the ELF bytes, kept until hashed */
    size_t program_size;
    struct rv_elf_info *elf; /* the program's symbols and loaded pages (src/elf/loader.h) */
    /* rvvm_set_sysroot: where a dynamic program's interpreter and libraries come from
     * (NULL: none); sysroot_fd is its O_PATH descriptor, valid only when sysroot is set. */
    char *sysroot;
    int sysroot_fd;

    rvvm_read_fn read_fn;
    rvvm_write_fn write_fn;
    void *io_user;

    const rv_provider *os; /* the OS layer, or NULL (RVVM_OS_NONE) */
    void *os_state;

    rvvm_ecall_fn ecall_fn; /* the host's ecall handler, or NULL */
    void *ecall_user;
    rvvm_trace_fn trace_fn;
    void *trace_user;
    /* While a handler runs: what the budget can still pay, and what it charged. */
    bool in_handler;
    bool over_budget;      /* rvvm_charge failed during this ecall */
    uint64_t handler_budget;
    uint64_t handler_charged;
    uint64_t handler_wanted; /* after a failed rvvm_charge: what the ecall wanted charged in all
                                (rvvm_step retries it with that budget) */
    uint64_t host_code;    /* RVVM_STOP_HOST's code */
    bool switch_pending;   /* the OS layer asked for a thread switch (rv_request_switch) */

    rv_call_frame call;

    /* The last snapshot saved or resumed from: what the next diff is against. */
    struct rv_snap_baseline *baseline;
    /* Checkpoints and fork (checkpoint.c). */
    rv_checkpoints *checkpoints;       /* NULL until the first checkpoint */
    uint32_t checkpoint_tag;           /* the high half of this machine's checkpoint ids */
    uint32_t checkpoint_seq;           /* the last id's low half: ids are never reused */
    pthread_mutex_t fork_lock;         /* serialises rvvm_fork calls on this template */

    char error[256];

    struct rv_jit *jit;    /* translated code (jit.c); NULL until the tier translates */
    int32_t jit_tick;      /* counted-slot entries until the next one is counted (jit.c) */
    bool jit_count_exits;  /* runs that translated code exits to are counted too (jit.c) */
};

/* Copies the core state out of a machine, or into it (with_x false: leave
 * x alone, as a fork child's registers are the template's copy-on-write). */
void rv_core_save(const rvvm_machine *m, rv_core_state *c);
void rv_core_load(rvvm_machine *m, const rv_core_state *c, bool with_x);

/* Frees a machine's snapshot baseline (src/snapshot). */
void rv_snap_baseline_free(struct rv_snap_baseline *b);

/* Records a one-line error message for rvvm_last_error and returns status. */
rvvm_status rv_fail(rvvm_machine *m, rvvm_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Decodes the instruction bits at the start of `raw` (16 or 32 bits used).
 * Fills op, registers, len, cost, raw and imm (pc-relative as encoded).
 */
void rv_decode(uint32_t raw, uint32_t isa, const rvvm_cost_model *costs, rv_insn *out);

/*
 * Rewrites a decoded instruction found at `pc` into the interpreter's form:
 * specialised ops (li, mv, nop), absolute jump targets, checked forms for
 * IALIGN=32.
 */
void rv_specialise(rv_insn *insn, uint64_t pc, uint32_t isa);

/* The rvvm_cost_class of an op. */
unsigned rv_op_cost_class(unsigned op);

/* True if the op ends a straight-line run. */
bool rv_op_ends_run(unsigned op);

/*
 * The decoded slots of an executable page, allocated on first use (then
 * slot `entry`, where execution enters, is made an undecoded entry); NULL if
 * there is no room. With may_flush, a full cache (its cap or the host-memory
 * limit) is emptied first: only where no slot pointer is held.
 */
rv_slot *rv_code_page(rvvm_machine *m, uint64_t page, size_t entry, bool may_flush);

/* Decodes and specialises the instruction at pc; false if it cannot be fetched. */
bool rv_decode_at(rvvm_machine *m, uint64_t pc, rv_insn *out);

/* The interpreter's extra handlers past its 2 * RV_OP_COUNT per-op ones (m->handlers):
 * a slot counted for translation, and a slot with translated code. */
#define RV_HANDLER_JIT_COUNT (2 * RV_OP_COUNT)
#define RV_HANDLER_JIT_RUN (2 * RV_OP_COUNT + 1)
/* Translated code left for slot s of its page: the run there is counted for translation too. */
void rv_code_count_exit(rvvm_machine *m, rv_slot *s);


/*
 * The slots of a page that this machine may write: for a fork, a page still
 * shared with its template is copied first. NULL if there is no room.
 */
rv_slot *rv_code_private(rvvm_machine *m, uint64_t page, bool may_flush);

/* True if the page's slots at `slots` are another machine's (a fork's template's). */
static inline bool rv_code_readonly(const rvvm_machine *m, const rv_slot *slots)
{
    return (uintptr_t)slots >= m->code_shared_lo && (uintptr_t)slots < m->code_shared_hi;
}

/* code[page] of a fork whose template's slots for the page must not be used. */
#define RV_CODE_NONE ((rv_slot *)1)

/* Empties the decode cache (this machine's own arrays): only where no slot pointer is held. */
void rv_code_flush(rvvm_machine *m);

/* Host bytes the machine's own decoded code counts (RV_CODE_PAGE_COST per array). */
uint64_t rv_code_bytes(const rvvm_machine *m);

/* A fork starts with its template's decoded code, shared read-only; false if out of memory. */
bool rv_code_share(rvvm_machine *child, rvvm_machine *tmpl);

/*
 * Host bytes to reserve with guest memory (rv_memory_init_with's front) for
 * the table of slot pointers and the arena, and taking them into use: one
 * mapping serves the whole machine.
 */
size_t rv_code_front_size(const rvvm_config *config, uint64_t page_count);
/* Bytes from the start of the front (m->code) that may be non-zero. */
size_t rv_code_front_used(const rvvm_machine *m);

/* src/core/pool.c: a pool's mappings, and its references. */
void *rv_pool_take(rvvm_pool *p, size_t len);
void rv_pool_give(rvvm_pool *p, void *map, size_t len);
void rv_pool_ref(rvvm_pool *p);
void rv_pool_unref(rvvm_pool *p);
void rv_code_init(rvvm_machine *m, void *front, size_t front_size);

/* The per-page array of slot pointers for a memory of page_count pages, in a
 * mapping of its own (rv_code_free_all frees it). */
rv_slot **rv_code_table_alloc(uint64_t page_count);

/* Frees every page's slots and the table (m->code). */
void rv_code_free_all(rvvm_machine *m);

/*
 * Decodes the run starting at `slot` of the page at page_base. Returns false
 * on a fetch fault at the first instruction (m->fault set).
 */
bool rv_decode_run(rvvm_machine *m, rv_slot *slots, uint64_t page_base, rv_slot *slot);

/*
 * Turns the fused slot f back into the slot of its first instruction alone,
 * keeping its run sums (for a budget stop between the pair's instructions).
 */
void rv_unfuse(rvvm_machine *m, rv_slot *slots, uint64_t page_base, rv_slot *f);

/* Permission change that also drops decoded code of the affected pages. */
int rv_set_perms(rvvm_machine *m, uint64_t addr, uint64_t len, unsigned perms);

/* Forgets decoded code for one page, or for all pages. */
void rv_code_invalidate_page(rvvm_machine *m, uint64_t page);
void rv_code_invalidate_all(rvvm_machine *m);

/*
 * Writing guest bytes [addr, addr+len) other than by a fast store takes two
 * calls: rv_memory_prepare_write(&m->mem, addr, len) before (it saves the
 * pages for checkpoints and counts them against the host-memory limit; the
 * OS layer's rv_memory_range_ok with RV_PAGE_W does it), and
 * rv_guest_written after: dirty bits, and dropping decoded code that read
 * those bytes. Returns true if decoded code was dropped.
 */
bool rv_guest_written(rvvm_machine *m, uint64_t addr, uint64_t len);

/* Drops decoded code that depends on page pg's bytes; true if there was some. */
bool rv_code_page_changed(rvvm_machine *m, uint64_t pg);

/* What an ecall or semihosting call did, for the interpreter. */
typedef enum rv_call_outcome {
    RV_CALL_CONTINUE, /* retired: continue after it */
    RV_CALL_EXIT,     /* retired: the guest exited (m->exit_code) */
    RV_CALL_HOST,     /* retired: a handler stopped the run (m->host_code) */
    RV_CALL_FAULT,    /* not retired: m->fault is set */
    RV_CALL_BUDGET,   /* not retired: the budget cannot pay what it charged */
} rv_call_outcome;

/*
 * Runs an ecall (semihost false) or a semihosting call through the host's
 * handler and the OS layer. budget: what the run can still pay beyond the
 * instruction's own cost; on RV_CALL_CONTINUE/EXIT/HOST, m->handler_charged
 * holds the extra cycles charged (at most budget).
 */
rv_call_outcome rv_system_call(rvvm_machine *m, bool semihost, uint64_t budget);

/*
 * Reads a whole regular file of at most `max` bytes; the caller frees *data.
 * On failure writes "cannot read 'path': why" into err.
 */
rvvm_status rv_read_file(const char *path, uint64_t max, uint8_t **data, size_t *size, char *err,
                         size_t err_size);

/*
 * Loads an ELF image; with_stack false skips the initial stack (a snapshot
 * supplies it). Checks everything before touching guest memory.
 */
rvvm_status rv_load_image(rvvm_machine *m, const void *image, size_t size, const char *name,
                          bool with_stack, const char *const *argv, const char *const *envp);

/* The loaded program's SHA-256, computed on first use (startup needs no hashing). */
rvvm_status rv_program_sha256(rvvm_machine *m, const uint8_t **digest);

/* Static names of instructions, indexed by rv_op. */
extern const char *const rv_op_names[RV_OP_COUNT];

#endif
