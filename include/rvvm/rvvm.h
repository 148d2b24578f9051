/*
 * rvvm: a metered RV64 user-mode virtual machine.
 *
 * This header is the library's whole contract. Every function takes the
 * machine first, reports failure through an rvvm_status, never exits the
 * process and never touches global mutable state. A machine is not
 * thread-safe; distinct machines may run on distinct threads.
 */
#ifndef RVVM_RVVM_H
#define RVVM_RVVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RVVM_VERSION_STRING "0.1.0"

/* An opaque virtual machine: registers, guest memory, counters, OS state. */
typedef struct rvvm_machine rvvm_machine;

typedef enum rvvm_status {
    RVVM_OK = 0,
    RVVM_ERR_INVALID_ARGUMENT, /* a bad parameter or configuration value */
    RVVM_ERR_NO_MEMORY,        /* host allocation failed, or guest memory too small */
    RVVM_ERR_IO,               /* a host file could not be read or written */
    RVVM_ERR_ELF,              /* the program is not a loadable RV64 executable */
    RVVM_ERR_SNAPSHOT,         /* a snapshot is damaged, truncated or of unknown version */
    RVVM_ERR_PROGRAM_MISMATCH, /* a snapshot's program is missing or its hash differs */
    RVVM_ERR_STATE,            /* the call is not valid in the machine's current state */
} rvvm_status;

/* A static, human-readable name for a status. */
const char *rvvm_status_string(rvvm_status status);

/* ---- ISA selection ------------------------------------------------------ */

/* Extension bits for rvvm_config.isa. RV64I is always present. */
enum {
    RVVM_ISA_M = 1u << 0,
    RVVM_ISA_A = 1u << 1,
    RVVM_ISA_C = 1u << 2,
    RVVM_ISA_ZICSR = 1u << 3,
    RVVM_ISA_ZIFENCEI = 1u << 4,
    RVVM_ISA_ZBA = 1u << 5,
    RVVM_ISA_ZBB = 1u << 6,
    RVVM_ISA_ZBC = 1u << 7,
    RVVM_ISA_ZBS = 1u << 8,
    RVVM_ISA_ZICOND = 1u << 9,
    RVVM_ISA_F = 1u << 10,
    RVVM_ISA_D = 1u << 11, /* requires F */
};
#define RVVM_ISA_B (RVVM_ISA_ZBA | RVVM_ISA_ZBB | RVVM_ISA_ZBS)
#define RVVM_ISA_DEFAULT                                                        \
    (RVVM_ISA_M | RVVM_ISA_A | RVVM_ISA_F | RVVM_ISA_D | RVVM_ISA_C | RVVM_ISA_ZICSR |     \
     RVVM_ISA_ZIFENCEI | RVVM_ISA_ZBA | RVVM_ISA_ZBB | RVVM_ISA_ZBC | RVVM_ISA_ZBS |        \
     RVVM_ISA_ZICOND)
/* Every extension this build implements. */
#define RVVM_ISA_ALL RVVM_ISA_DEFAULT

/*
 * Parses an ISA string such as "rv64imac" or "rv64imac_zicsr_zifencei_zba"
 * into extension bits. "b" means Zba, Zbb and Zbs; "g" means imafd plus Zicsr
 * and Zifencei. Only extensions this build implements are accepted.
 */
rvvm_status rvvm_isa_parse(const char *text, uint32_t *isa_out);

/* ---- Cycle metering ----------------------------------------------------- */

/*
 * Every instruction belongs to one cost class; the cost model gives each
 * class a price in cycles. A budget of N cycles runs exactly the longest
 * prefix of instructions whose summed cost is at most N.
 */
typedef enum rvvm_cost_class {
    RVVM_COST_ALU,    /* integer arithmetic, logic, lui/auipc, nop */
    RVVM_COST_BRANCH, /* conditional branches, taken or not */
    RVVM_COST_JUMP,   /* jal, jalr */
    RVVM_COST_LOAD,
    RVVM_COST_STORE,
    RVVM_COST_MUL,
    RVVM_COST_DIV, /* div, divu, rem, remu and the W forms */
    RVVM_COST_ATOMIC, /* lr, sc, amo* */
    RVVM_COST_CSR,
    RVVM_COST_FENCE, /* fence, fence.i */
    RVVM_COST_ECALL, /* the whole system call, whatever it does */
    RVVM_COST_EBREAK,
    RVVM_COST_FP,     /* F/D arithmetic, fused multiply-add, conversions, moves, compares */
    RVVM_COST_FPDIV,  /* fdiv, fsqrt */
    RVVM_COST_CLASS_COUNT
} rvvm_cost_class;

/* Costs must lie in [1, RVVM_COST_MAX]: a zero cost would let a budget run forever. */
#define RVVM_COST_MAX 1000000u

typedef struct rvvm_cost_model {
    char name[32];
    uint32_t cost[RVVM_COST_CLASS_COUNT];
} rvvm_cost_model;

/* The class's name as used in cost files, e.g. "branch"; NULL if out of range. */
const char *rvvm_cost_class_name(rvvm_cost_class cls);

/* Fills *out with a built-in model: "unit" (every class costs 1) or "weighted". */
rvvm_status rvvm_cost_model_builtin(const char *name, rvvm_cost_model *out);

/*
 * Parses a cost file: lines of "class = cycles", '#' comments, blank lines.
 * Classes not named keep cost 1. On failure, writes a one-line reason
 * (e.g. "line 3: unknown class 'foo'") into err if it is not NULL.
 */
rvvm_status rvvm_cost_model_parse(const char *text, size_t len, rvvm_cost_model *out,
                                  char *err, size_t err_size);

/* ---- Configuration ------------------------------------------------------ */

#define RVVM_DEFAULT_MEMORY_SIZE (256ull << 20)
#define RVVM_MIN_MEMORY_SIZE (1ull << 20)
#define RVVM_MAX_MEMORY_SIZE (16ull << 30)

typedef struct rvvm_config {
    uint64_t memory_size;       /* bytes of guest address space, page multiple */
    uint32_t isa;               /* RVVM_ISA_* bits */
    rvvm_cost_model cost_model; /* copied into the machine */
    bool strict_syscalls;       /* unknown syscalls fault instead of -ENOSYS */
    uint64_t seed;              /* feeds AT_RANDOM; same seed, same bytes */
    /*
     * Cap on the host memory the machine commits, in bytes (0: none): guest
     * pages written (by the guest, the host or the OS layer; pages the loader
     * filled count from their first write: the rest of the program is bounded
     * by the image the host passed in), decoded code (128 KiB per executed page),
     * checkpoint copies and an estimate of the OS layer's state. Reaching it
     * is RVVM_ERR_NO_MEMORY from the call that would pass it, or the guest
     * fault RVVM_FAULT_MEMORY_LIMIT from rvvm_run; never a host out-of-memory
     * kill. The OS layer's own bookkeeping (munmap, mmap of files) may pass it
     * by at most one system call's pages; the next write then stops.
     */
    uint64_t max_host_memory;
    /*
     * Back guest memory with a memory file from the start, so that every
     * rvvm_fork of this machine costs microseconds. Without it the first
     * fork copies the pages in use into such a file once. Costs one file
     * descriptor per machine.
     */
    bool forkable;
} rvvm_config;

/* Fills *config with the defaults: 256 MiB, RV64GC with Zba/Zbb/Zbc/Zbs/Zicond, unit costs. */
void rvvm_config_init(rvvm_config *config);

/* ---- Lifetime ----------------------------------------------------------- */

/*
 * Creates an empty machine. Guest memory is reserved, not committed: host
 * memory is used only for pages the guest touches. *out is NULL on failure.
 */
rvvm_status rvvm_create(const rvvm_config *config, rvvm_machine **out);

/* Frees everything the machine owns. NULL is allowed. */
void rvvm_destroy(rvvm_machine *m);

/*
 * After a failed call, a one-line description of what went wrong (for
 * example "overlapping segments"), or "" if the last call succeeded. The
 * string belongs to the machine and is valid until the next call.
 */
const char *rvvm_last_error(const rvvm_machine *m);

/* ---- Loading ------------------------------------------------------------ */

/*
 * Loads a static ELF64 RISC-V executable from a host file and builds the
 * Linux initial stack: argc, argv (argv[0] is the first element of argv),
 * envp, and auxv. argv and envp are NULL-terminated arrays; envp may be NULL.
 * After loading, no page is dirty. The file's SHA-256 and absolute path are
 * remembered as the program's identity for snapshots.
 */
rvvm_status rvvm_load_elf_file(rvvm_machine *m, const char *path, const char *const *argv,
                               const char *const *envp);

/* The same from an in-memory image; the identity path is `name` (may be NULL). */
rvvm_status rvvm_load_elf_memory(rvvm_machine *m, const void *image, size_t size,
                                 const char *name, const char *const *argv,
                                 const char *const *envp);

/* ---- Running ------------------------------------------------------------ */

#define RVVM_NO_LIMIT UINT64_MAX

typedef enum rvvm_stop_reason {
    RVVM_STOP_EXITED,      /* the guest called exit or exit_group */
    RVVM_STOP_CYCLE_LIMIT, /* the next instruction would exceed the budget */
    RVVM_STOP_FAULT,       /* the guest faulted; see rvvm_run_result.fault */
} rvvm_stop_reason;

typedef enum rvvm_fault_kind {
    RVVM_FAULT_NONE = 0,
    RVVM_FAULT_ILLEGAL_INSTRUCTION, /* unknown or reserved encoding, unknown CSR */
    RVVM_FAULT_FETCH_MISALIGNED,    /* jump or branch to a misaligned target */
    RVVM_FAULT_FETCH_ACCESS,        /* fetch from an unmapped or non-executable page */
    RVVM_FAULT_LOAD_ACCESS,         /* load from an unmapped or unreadable page */
    RVVM_FAULT_STORE_ACCESS,        /* store to an unmapped or read-only page */
    RVVM_FAULT_BREAKPOINT,          /* ebreak */
    RVVM_FAULT_MISALIGNED_ATOMIC,   /* LR, SC or AMO on a misaligned address */
    RVVM_FAULT_BAD_SYSCALL,         /* unknown syscall under strict_syscalls */
    RVVM_FAULT_MEMORY_LIMIT,        /* a store or new code page would pass max_host_memory */
} rvvm_fault_kind;

typedef struct rvvm_fault {
    rvvm_fault_kind kind;
    uint64_t pc;       /* the faulting instruction */
    uint64_t address;  /* the data address or jump target; 0 if none */
    uint32_t encoding; /* the instruction bits for illegal instructions */
} rvvm_fault;

typedef struct rvvm_run_result {
    rvvm_stop_reason reason;
    int exit_code;     /* the guest's status, for RVVM_STOP_EXITED */
    rvvm_fault fault;  /* for RVVM_STOP_FAULT */
} rvvm_run_result;

/*
 * Runs until the guest exits, faults, or the next instruction would take the
 * cycles spent in this call past max_cycles (RVVM_NO_LIMIT for none). At a
 * cycle-limit stop the machine is consistent before that instruction, and a
 * later rvvm_run continues exactly as if it had never stopped. A faulting
 * instruction is not retired and costs nothing. Running an exited or faulted
 * machine returns RVVM_ERR_STATE.
 */
rvvm_status rvvm_run(rvvm_machine *m, uint64_t max_cycles, rvvm_run_result *out);

/* Name of a fault kind, e.g. "illegal instruction". */
const char *rvvm_fault_kind_string(rvvm_fault_kind kind);

/* The POSIX signal a native process would die of for this fault (SIGILL = 4, ...). */
int rvvm_fault_signal(rvvm_fault_kind kind);

/* ---- Inspecting --------------------------------------------------------- */

uint64_t rvvm_cycles(const rvvm_machine *m);       /* since the program started */
uint64_t rvvm_instructions(const rvvm_machine *m); /* retired since the program started */
uint64_t rvvm_pc(const rvvm_machine *m);
uint64_t rvvm_reg(const rvvm_machine *m, unsigned index); /* x0..x31; 0 if out of range */
const rvvm_config *rvvm_get_config(const rvvm_machine *m);

/*
 * SHA-256 over the architectural state: x1..x31, pc, fcsr, f0..f31, mtvec, and every guest
 * page whose contents are not all zero, with its address. Two machines in
 * the same state give the same digest however their runs were split.
 */
rvvm_status rvvm_state_digest(const rvvm_machine *m, uint8_t digest[32]);

/* Copies guest memory out or in (writes mark pages dirty). Respects no permissions. */
rvvm_status rvvm_read_memory(rvvm_machine *m, uint64_t addr, void *buf, size_t len);
rvvm_status rvvm_write_memory(rvvm_machine *m, uint64_t addr, const void *buf, size_t len);

/* ---- Host I/O ----------------------------------------------------------- */

/*
 * The guest's read(0) and write(1|2) go through these hooks. They return the
 * byte count, or a negative errno that the guest sees. The defaults use the
 * host's file descriptors 0, 1 and 2.
 */
typedef int64_t (*rvvm_read_fn)(void *user, int fd, void *buf, size_t len);
typedef int64_t (*rvvm_write_fn)(void *user, int fd, const void *buf, size_t len);
void rvvm_set_io(rvvm_machine *m, rvvm_read_fn read_fn, rvvm_write_fn write_fn, void *user);

/* ---- Host files and time ------------------------------------------------ */

/*
 * Lets the guest use the host directory host_dir (read-only unless
 * writable). The guest sees it at guest_dir, an absolute guest path; NULL
 * means host_dir's own path made absolute ("data" and "./data" become
 * "/data"). The guest's working directory starts at "/". By default the guest
 * has no files at all: paths outside every granted directory do not exist
 * (ENOENT), and no path can leave a granted directory -- not "..", not an
 * absolute or relative symbolic link pointing out, not /proc magic links
 * (such attempts fail with EXDEV or ELOOP). Only regular files and
 * directories can be opened. Callable before or after loading and after
 * resuming; granting the same directory at the same guest path again is a
 * no-op, a different directory at an already granted guest path is
 * RVVM_ERR_INVALID_ARGUMENT. Snapshots record the grants (with the host
 * paths) and the open files; resuming grants the same directories again.
 */
rvvm_status rvvm_grant_dir(rvvm_machine *m, const char *host_dir, const char *guest_dir,
                           bool writable);

/*
 * Real time on or off (off by default). Off, the guest's clocks follow the
 * cycle count: 1 cycle = 1 ns, CLOCK_MONOTONIC starts at 0, CLOCK_REALTIME
 * at 2024-01-01T00:00:00Z (Unix time 1704067200), sleeps advance the clocks
 * without waiting, and files show timestamp 0. On, CLOCK_REALTIME,
 * CLOCK_MONOTONIC, gettimeofday, semihosting SYS_TIME and file timestamps
 * come from the host and sleeps really wait; runs are then no longer
 * reproducible. The setting is saved in snapshots.
 */
rvvm_status rvvm_set_real_time(rvvm_machine *m, bool enabled);

/*
 * Bare-metal programs (picolibc or newlib over RISC-V semihosting) load as
 * hardware holds them: a segment whose load address (p_paddr) differs from
 * its address gets its file bytes at the load address ("flash") and its
 * address range zeroed, for the start-up code to copy; the pages from the
 * highest segment below the symbol __stack up to __stack become RAM. When
 * the program lies above what config.memory_size holds, rvvm_load_elf_file
 * and rvvm_load_elf_memory grow guest memory to the smallest power of two
 * holding it and the stack (at most RVVM_MAX_MEMORY_SIZE; reserved, not
 * committed); rvvm_get_config then reports the size used. Semihosting files
 * go through the directory sandbox above; ":tt" is the console.
 */

/* ---- Checkpoints and fork ----------------------------------------------- */

/*
 * Identifies a checkpoint of one machine. Ids are never reused within a
 * machine, and carry a per-machine tag, so an id that was freed, undone or
 * taken on another machine is recognised and rejected.
 */
typedef uint64_t rvvm_checkpoint_id;

/*
 * Takes an in-place checkpoint of the machine and stores its id in *out.
 * A checkpoint covers everything rvvm_restore puts back: the integer and FP
 * registers, fcsr, mtvec, pc, the cycle and instruction counters, the LR
 * reservation, guest memory (contents, permissions and the "written since
 * loading" state snapshots use), the memory layout (brk, stack, mmap area),
 * the run state (ready, exited or faulted, with exit code and fault), and the
 * OS layer's state (brk, mappings, open files and their offsets).
 *
 * Taking a checkpoint copies no guest memory: from then on, the first write
 * to each page saves that page. Its cost is in proportion to the pages
 * written since the previous checkpoint, and host memory grows by one page
 * per page written while the checkpoint exists (see max_host_memory).
 *
 * Checkpoints nest: a machine may hold any number, and any of them can be
 * restored while it exists. Valid on a machine with a program loaded, in
 * any run state; not from inside a host-call handler. Returns
 * RVVM_ERR_STATE if no program is loaded, RVVM_ERR_NO_MEMORY if the host or
 * max_host_memory cannot pay for it.
 */
rvvm_status rvvm_checkpoint(rvvm_machine *m, rvvm_checkpoint_id *out);

/*
 * Puts the machine back into the state it had when checkpoint cp was taken:
 * afterwards rvvm_state_digest equals the digest at the checkpoint, and runs
 * continue as they would have from there. The cost is in proportion to the
 * pages written since cp was taken, not to the size of guest memory.
 *
 * cp stays valid, so a transaction can be retried from it any number of
 * times. Checkpoints taken after cp are discarded: their ids become invalid.
 *
 * Returns RVVM_ERR_INVALID_ARGUMENT (machine unchanged) if cp was freed,
 * discarded by an earlier restore, or belongs to another machine;
 * RVVM_ERR_STATE if the machine is a fork template with live children;
 * RVVM_ERR_NO_MEMORY if the host ran out of memory while saving a page
 * written after cp (cp cannot be restored then, and the machine is
 * unchanged).
 */
rvvm_status rvvm_restore(rvvm_machine *m, rvvm_checkpoint_id cp);

/*
 * Frees checkpoint cp. Older and newer checkpoints stay valid and restore
 * exactly as before. Freeing an id that is not valid for m changes nothing;
 * rvvm_last_error then says why. NULL m is allowed.
 */
void rvvm_checkpoint_free(rvvm_machine *m, rvvm_checkpoint_id cp);

/*
 * Creates *child, a copy of template_machine that shares its guest memory
 * copy-on-write: the child starts with the template's registers, pc,
 * counters, FP state, layout, guest memory, configuration, program identity,
 * I/O hooks and OS state, and writes of either are never seen by the other
 * or by siblings. Forking costs a few microseconds, plus host work only for
 * the pages a child writes, not for the template's size. Unless the template
 * was created with config.forkable, its first fork moves its memory into a
 * shareable form once, at a cost in proportion to the pages it has in use. Decoded code is not shared: a child
 * decodes the code it runs. Checkpoints are not inherited.
 *
 * While any child is alive, the template is frozen: rvvm_run,
 * rvvm_write_memory and rvvm_restore on it return RVVM_ERR_STATE. It may be
 * read (rvvm_read_memory, rvvm_reg, rvvm_state_digest, snapshots), forked
 * again, and destroyed: children keep working after their template is
 * destroyed. Children may be destroyed on any thread. rvvm_fork may be
 * called from several threads at once on one template; no other call on the
 * template may run at the same time.
 *
 * The template must be ready to run (loaded, not exited or faulted):
 * otherwise RVVM_ERR_STATE. A child is an ordinary machine: it can run,
 * checkpoint, snapshot and fork in turn. *child is NULL on failure.
 */
rvvm_status rvvm_fork(rvvm_machine *template_machine, rvvm_machine **child);

#ifdef __cplusplus
}
#endif

#endif /* RVVM_RVVM_H */
