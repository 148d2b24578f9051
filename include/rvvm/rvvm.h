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

/* Everything declared here is the library's ABI; the library builds with
 * hidden visibility, so nothing else leaves librvvm.so. */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

#define RVVM_VERSION_STRING "0.1.0"

/* An opaque virtual machine: registers, guest memory, counters, OS state. */
typedef struct rvvm_machine rvvm_machine;

/* Host mappings kept for reuse by new machines (rvvm_pool_create). */
typedef struct rvvm_pool rvvm_pool;

typedef enum rvvm_status {
    RVVM_OK = 0,
    RVVM_ERR_INVALID_ARGUMENT, /* a bad parameter or configuration value */
    RVVM_ERR_NO_MEMORY,        /* host allocation failed, or guest memory too small */
    RVVM_ERR_IO,               /* a host file could not be read or written */
    RVVM_ERR_ELF,              /* the program is not a loadable RV64 executable */
    RVVM_ERR_SNAPSHOT,         /* a snapshot is damaged, truncated or of unknown version */
    RVVM_ERR_PROGRAM_MISMATCH, /* a snapshot's program is missing or its hash differs */
    RVVM_ERR_STATE,            /* the call is not valid in the machine's current state */
    RVVM_ERR_BUDGET,           /* rvvm_charge: the run's budget cannot pay */
    RVVM_ERR_FAULT,            /* a guest address range is unmapped or lacks the permission */
    RVVM_ERR_NOT_FOUND,        /* a looked-up name (such as a symbol) does not exist */
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

/* The OS layer that answers the ecalls a host's handler passes on. */
typedef enum rvvm_os {
    RVVM_OS_LINUX = 0, /* the Linux user ABI and RISC-V semihosting (the default) */
    RVVM_OS_NONE = 1,  /* none: a bare VM, every ecall is the host's; unhandled ones fault */
} rvvm_os;

/*
 * Fill it with rvvm_config_init, then change fields: that is the only way to
 * fill it, so that a binary built against an older, shorter rvvm_config keeps
 * working (struct_size tells the library how much of it the caller knows).
 */
/*
 * Execution engines (rvvm_config.engine, rvvm_set_engine). All give the same
 * cycles, stops, faults, output and snapshots.
 *   RVVM_ENGINE_INTERP: the interpreter only.
 *   RVVM_ENGINE_JIT: the translation tier; RVVM_ERR_INVALID_ARGUMENT in a
 *     build without it.
 *   RVVM_ENGINE_AUTO: the translation tier where this build has it, else the
 *     interpreter, silently. The machine's config then says which it got
 *     (rvvm_get_config: RVVM_ENGINE_JIT or RVVM_ENGINE_INTERP). libgccjit is
 *     not loaded to decide (that costs ~3 ms): it is loaded when code first
 *     gets hot, and where it does not load the machine interprets, as with
 *     RVVM_ENGINE_JIT.
 * rvvm_config_init's default is RVVM_ENGINE_INTERP, not AUTO: the tier starts
 * a compile thread in the embedder's process and loads libgccjit, whose
 * strtok() use is process-global (see rvvm_jit_cache), so embedders opt in.
 * rvrun's default is --engine auto.
 */
typedef enum rvvm_engine {
    RVVM_ENGINE_INTERP = 0,
    RVVM_ENGINE_JIT = 1,
    RVVM_ENGINE_AUTO = 2,
} rvvm_engine;

/*
 * True if this build of the library has the translation tier (RVVM_ENGINE_JIT)
 * and libgccjit (libgccjit.so.0, loaded with dlopen only when code is first
 * translated) can be loaded now. Without it a machine set to
 * RVVM_ENGINE_JIT simply interprets.
 */
bool rvvm_jit_available(void);

/*
 * A translation cache (docs/jit.md): translated code keyed by guest page
 * (address, ISA and every byte of it), with the thread that compiles it.
 * Machines that name the same cache in rvvm_config.jit_cache (and their
 * rvvm_fork children, which inherit it) share translations: code compiled
 * for one is installed in the others without compiling again. Thread-safe;
 * reference counted: each machine holds a reference, so the host may
 * release its own at any time after the machines that use it are made.
 *
 * RVVM_JIT_SYNC: a machine whose run gets hot waits until its code is
 * compiled instead of interpreting on meanwhile (so tests know exactly
 * which runs execute translated; guest-visible results are the same either way).
 *
 * Limitation: libgccjit calls strtok() while it compiles, on the cache's
 * compile thread, and glibc's strtok keeps its position in one static for
 * the whole process (not per thread). An embedder using the tier must not
 * use strtok (strtok_r is unaffected) on any thread. Likewise, its compiler
 * driver installs its own SIGINT, SIGHUP and SIGTERM handlers (unless
 * ignored) while it compiles: they delete its temporary files and kill the
 * process with the signal; it also sets SIGCHLD to SIG_DFL. The tier puts
 * the process's handlers back after each compilation, but a signal that
 * arrives during one (milliseconds) meets the driver's. An embedder that
 * relies on those signals should not use the tier (rvrun: auto interprets,
 * jit is refused, see docs/jit.md).
 */
typedef struct rvvm_jit_cache rvvm_jit_cache;
#define RVVM_JIT_SYNC 1u
/* NULL if flags has unknown bits, the build has no tier, or the host is out of memory. */
rvvm_jit_cache *rvvm_jit_cache_create(unsigned flags);
void rvvm_jit_cache_release(rvvm_jit_cache *cache); /* NULL: nothing */

/*
 * A translation cache that also keeps its code in a file for later processes
 * (docs/jit.md, "Ahead-of-time cache"). dir: an existing directory, which may
 * be shared by programs and processes; key: bytes naming the program (rvrun
 * gives the ELF file's contents), whose SHA-256 names the file in dir.
 *
 * At creation the file is read if it is there: it is used only if its format,
 * rvvm version, code generator, host architecture, key and SHA-256 all check
 * out; its code is then installed the first time a slot it has is counted,
 * without compiling. Code is still matched to guest pages by every byte, so a
 * changed program never runs old code. A stale or damaged file is ignored
 * (the call succeeds; err says why it was ignored, or is "" if it was used or
 * absent) and replaced by the next save.
 *
 * Saving compiles everything the cache has translated into one shared object
 * and renames it into place atomically (processes saving at once leave one
 * whole file). Once the file was loaded, a save compiles only what no file
 * has yet and writes it as a delta file beside it (<hash>-<n>.rvjit, checked
 * the same way; after 8 of them the next save writes one whole file again).
 * It happens in rvvm_jit_cache_save, and in the last release if anything was
 * queued for translation since the file was read or written (errors there
 * are ignored). The directory must be trusted as code is: a
 * valid file in it is code the process runs.
 *
 * NULL with a one-line reason in err if dir is not a directory, flags are
 * unknown, the build has no tier, or memory ran out.
 */
rvvm_jit_cache *rvvm_jit_cache_create_persistent(const char *dir, const void *key, size_t key_size,
                                                 unsigned flags, char *err, size_t err_size);
/* Writes the cache file now (RVVM_OK if there was nothing to write);
 * RVVM_ERR_IO with a one-line reason if it could not be written,
 * RVVM_ERR_INVALID_ARGUMENT for a cache without a directory. */
rvvm_status rvvm_jit_cache_save(rvvm_jit_cache *cache, char *err, size_t err_size);
/* What a cache has done: compilations run, slots whose code was loaded from
 * its file, and slots written by its last successful save. */
typedef struct rvvm_jit_cache_stats {
    uint64_t compilations;
    uint64_t loaded;
    uint64_t saved;
} rvvm_jit_cache_stats;
void rvvm_jit_cache_get_stats(rvvm_jit_cache *cache, rvvm_jit_cache_stats *out);

typedef struct rvvm_config {
    uint32_t struct_size;       /* sizeof(rvvm_config) as the caller saw it; set by init */
    uint64_t memory_size;       /* bytes of guest address space, page multiple */
    uint32_t isa;               /* RVVM_ISA_* bits */
    rvvm_cost_model cost_model; /* copied into the machine */
    bool strict_syscalls;       /* unknown syscalls fault instead of -ENOSYS */
    uint64_t seed;              /* feeds AT_RANDOM; same seed, same bytes */
    rvvm_os os;                 /* the OS layer; RVVM_OS_LINUX by default */
    /*
     * Cap on the host memory the machine commits, in bytes (0: none): guest
     * pages written (by the guest, the host or the OS layer; pages the loader
     * filled count from their first write: the rest of the program is bounded
     * by the image the host passed in), decoded code (at most
     * RVVM_CODE_PAGE_BYTES per executed page), checkpoint copies and an
     * estimate of the OS layer's state. Reaching it is RVVM_ERR_NO_MEMORY
     * from the call that would pass it, or the guest fault
     * RVVM_FAULT_MEMORY_LIMIT from rvvm_run (after emptying the decode cache
     * did not make room); never a host out-of-memory kill. The OS layer's
     * own bookkeeping (munmap, mmap of files) may pass it by at most one
     * system call's pages; the next write then stops.
     */
    uint64_t max_host_memory;
    /*
     * Back guest memory with a memory file from the start, so that every
     * rvvm_fork of this machine costs microseconds. Without it the first
     * fork copies the pages in use into such a file once. Costs one file
     * descriptor per machine.
     */
    bool forkable;
    /*
     * Bound on the bytes the guest may add to the host's disks through
     * granted directories (Linux OS layer), over the machine's whole life
     * including every run resumed from its snapshots: each byte passed to
     * write/pwrite/writev (and semihosting SYS_WRITE) to a file, whatever
     * it overwrites; the growth of a file by ftruncate; and
     * RVVM_WRITE_NAME_COST bytes for each new name (a file made by open with
     * O_CREAT or O_TMPFILE, a directory, a symbolic or hard link). Deleting
     * or shrinking files gives nothing back. A write that would pass the
     * bound writes what still fits and returns that short count; then the
     * guest gets EDQUOT, as from a disk quota. Console, pipes and devices are
     * not counted. Default RVVM_DEFAULT_MAX_WRITE_BYTES (1 GiB);
     * RVVM_NO_LIMIT for none. The bytes used so far are OS state: kept in
     * snapshots, copied by rvvm_fork and put back by rvvm_restore (files
     * themselves are not rolled back); the bound itself is the host's to set
     * (rvvm_set_max_write_bytes after resuming).
     */
    uint64_t max_write_bytes;
    /*
     * Cap on the host memory of the decode cache, in bytes (0: the default,
     * RVVM_DEFAULT_CODE_CACHE). Each executed guest page takes at most
     * RVVM_CODE_PAGE_BYTES of it. When a new page would pass the cap, the
     * cache is emptied at the next point where no decoded code is in use
     * and refilled as the guest runs on: a guest that executes code in many
     * pages, or keeps rewriting its code, runs slower but cannot grow host
     * memory without bound. Cycle counts, results and snapshots never depend
     * on it. Decoded code also counts against max_host_memory; reaching that
     * empties the cache the same way before the run faults.
     */
    uint64_t max_code_cache;
    /*
     * How guest code runs (docs/jit.md): RVVM_ENGINE_INTERP (the default),
     * RVVM_ENGINE_JIT, which translates hot straight-line runs to host code,
     * or RVVM_ENGINE_AUTO (the tier where built, else the interpreter; see
     * rvvm_engine). Any gives the same cycles, stops, faults and snapshots.
     * RVVM_ENGINE_JIT is RVVM_ERR_INVALID_ARGUMENT in a build without the
     * tier (no libgccjit header at build time). See rvvm_jit_cache for the
     * strtok limitation of libgccjit.
     */
    rvvm_engine engine;
    /* With RVVM_ENGINE_JIT (or AUTO): executions of a run's start before it is
     * queued for translation (0 or 1: at once). rvvm_config_init sets the default. */
    uint32_t jit_threshold;
    /* With RVVM_ENGINE_JIT: the translation cache to share (the machine takes a
     * reference), or NULL (default): the machine makes its own when it first needs one. */
    rvvm_jit_cache *jit_cache;
    /*
     * A pool of host mappings to take this machine's from and give it back
     * to on rvvm_destroy (NULL: none; see rvvm_pool_create). It makes
     * starting many short-lived machines cheaper and changes nothing a
     * guest or a snapshot can see. Not used by forkable machines or forks.
     */
    rvvm_pool *pool;
} rvvm_config;

/* config.max_write_bytes by default (1 GiB), and what each new name costs. */
#define RVVM_DEFAULT_MAX_WRITE_BYTES (1ull << 30)
#define RVVM_WRITE_NAME_COST 4096u

/* The decode cache's default cap (rvvm_config.max_code_cache): 64 MiB, about 960 pages. */
#define RVVM_DEFAULT_CODE_CACHE ((uint64_t)64 << 20)
/* Host bytes the decoded form of one executed 4 KiB guest page can take. */
#define RVVM_CODE_PAGE_BYTES ((uint64_t)17 << 12)

/* Fills *config with the defaults: 256 MiB, RV64GC with Zba/Zbb/Zbc/Zbs/Zicond, unit costs. */
void rvvm_config_init(rvvm_config *config);

/*
 * A pool of host mappings for machines that start and end often (one
 * contract call per machine). A machine created with config.pool set takes
 * a mapping of its size from the pool if one is there; rvvm_destroy zeroes
 * every host page the machine touched and gives the mapping back, instead
 * of unmapping it. So a new machine skips the host's mmap, munmap and
 * first-touch page faults for the pages its predecessor used. A machine
 * never sees another's data: a reused mapping is all zero, as a new one.
 * Machines that touched more than RVVM_POOL_MAX_CLEAN_PAGES host pages, and
 * machines that are or were fork templates or forks, unmap as usual.
 *
 * The pool keeps at most RVVM_POOL_MAX_MAPPINGS mappings (only the host
 * pages they used stay committed). It may be used by machines on several
 * threads at once. rvvm_pool_destroy may be called while machines created
 * with the pool live: the pool is freed after the last of them is
 * destroyed. rvvm_pool_create returns NULL if out of memory.
 */
rvvm_pool *rvvm_pool_create(void);
void rvvm_pool_destroy(rvvm_pool *pool);
#define RVVM_POOL_MAX_MAPPINGS 16u
#define RVVM_POOL_MAX_CLEAN_PAGES 1024u

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
 * Loads an ELF64 RISC-V executable (ET_EXEC, or ET_DYN placed at 0x10000) from a
 * host file and builds the
 * Linux initial stack: argc, argv (argv[0] is the first element of argv),
 * envp, and auxv. argv and envp are NULL-terminated arrays; envp may be NULL.
 * After loading, no page is dirty. The file's SHA-256 and absolute path are
 * remembered as the program's identity for snapshots.
 *
 * What loads follows Linux's ELF loader (docs/snapshot-format.md, "Loading
 * rules", has the exact rules): empty PT_LOAD segments are ignored, p_align
 * is not used, a page shared by two segments gets the permissions of the
 * later one, a writable segment is also readable, PT_GNU_STACK with PF_X
 * makes the stack executable, and other segment types (PT_NOTE, PT_TLS,
 * PT_GNU_RELRO, PT_RISCV_ATTRIBUTES, ...) are left to the program. Refused
 * with RVVM_ERR_ELF and a one-line message: what Linux refuses (p_filesz >
 * p_memsz, p_offset and p_vaddr differing modulo 4096, a program header
 * table over 64 KiB), a PT_INTERP program without a sysroot (rvvm_set_sysroot),
 * plus overlapping segments, segments outside
 * guest memory or in page 0, and an entry point that is not 2-byte aligned
 * (4 without the C extension) or not in an executable segment. Loading costs
 * time in proportion to the file and the pages the program occupies, not to
 * guest memory.
 */
rvvm_status rvvm_load_elf_file(rvvm_machine *m, const char *path, const char *const *argv,
                               const char *const *envp);

/* The same from an in-memory image; the identity path is `name` (may be NULL). */
rvvm_status rvvm_load_elf_memory(rvvm_machine *m, const void *image, size_t size,
                                 const char *name, const char *const *argv,
                                 const char *const *envp);

/*
 * Sets the sysroot for dynamically linked programs (like qemu's -L), before
 * loading: a host directory, read-only. A program with PT_INTERP has its
 * interpreter loaded from there (refused with RVVM_ERR_ELF when no sysroot is
 * set), and guest paths that no granted directory holds are looked up in it,
 * read-only, never leaving it (docs/dynamic-linking.md).
 */
rvvm_status rvvm_set_sysroot(rvvm_machine *m, const char *dir);

/* ---- Running ------------------------------------------------------------ */

#define RVVM_NO_LIMIT UINT64_MAX

typedef enum rvvm_stop_reason {
    RVVM_STOP_EXITED,      /* the guest called exit or exit_group */
    RVVM_STOP_CYCLE_LIMIT, /* the next instruction would exceed the budget */
    RVVM_STOP_FAULT,       /* the guest faulted; see rvvm_run_result.fault */
    RVVM_STOP_HOST,        /* an ecall handler returned RVVM_ECALL_STOP; see host_code */
    RVVM_STOP_RETURNED,    /* the function rvvm_call started has returned; see return_value */
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
    RVVM_FAULT_DEADLOCK,            /* every guest thread is blocked for good (pc: the
                                       running thread's; address: its tid) */
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
    uint64_t host_code;    /* for RVVM_STOP_HOST: the code the handler chose */
    uint64_t return_value; /* for RVVM_STOP_RETURNED: a0 as the function returned */
} rvvm_run_result;

/*
 * Runs until the guest exits, faults, or the next instruction would take the
 * cycles spent in this call past max_cycles (RVVM_NO_LIMIT for none), or an
 * ecall handler stops the run (RVVM_STOP_HOST, after the ecall), or the
 * function of a guest call returns (RVVM_STOP_RETURNED, see rvvm_call). At a
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
 * Switches the engine of an existing machine (for example one made by
 * rvvm_resume) and sets config.jit_threshold; drops translated and decoded code. State, cycles and
 * snapshots are unaffected. RVVM_ENGINE_AUTO becomes RVVM_ENGINE_JIT or
 * RVVM_ENGINE_INTERP as in rvvm_create. RVVM_ERR_INVALID_ARGUMENT for an
 * unknown or unavailable engine; not valid inside an ecall handler (RVVM_ERR_STATE).
 */
rvvm_status rvvm_set_engine(rvvm_machine *m, rvvm_engine engine, uint32_t jit_threshold);
/* Sets config.jit_cache of an existing machine (a reference is taken; NULL: its own). */
rvvm_status rvvm_set_jit_cache(rvvm_machine *m, rvvm_jit_cache *cache);
/* Translated runs installed in this machine since its engine was last set (tests, tuning). */
uint64_t rvvm_jit_translated(const rvvm_machine *m);

/*
 * SHA-256 over the architectural state: x1..x31, pc, fcsr, f0..f31, mtvec, and every guest
 * page whose contents are not all zero, with its address; then, once a program has made
 * threads or pipes, every other thread's registers, the scheduler and the pipes' bytes. Two machines in
 * the same state give the same digest however their runs were split.
 */
rvvm_status rvvm_state_digest(const rvvm_machine *m, uint8_t digest[32]);

/*
 * Guest threads (Linux OS layer) take turns round-robin, each running this
 * many cycles before the next one's turn, or less if it blocks, yields or
 * exits (docs/threads.md). Default 100000; kept in snapshots; takes effect
 * from the next turn. RVVM_ERR_STATE without a Linux OS layer.
 */
rvvm_status rvvm_set_thread_slice(rvvm_machine *m, uint64_t cycles);

/*
 * Copies guest memory out or in (writes mark pages dirty and drop decoded
 * code they overwrite). Host privilege: respects no page permissions.
 */
rvvm_status rvvm_read_memory(rvvm_machine *m, uint64_t addr, void *buf, size_t len);
rvvm_status rvvm_write_memory(rvvm_machine *m, uint64_t addr, const void *buf, size_t len);

/* ---- Registers ------------------------------------------------------------ */

/*
 * Register setters, for a machine that is not running (between runs, or
 * inside an ecall handler). Writes to x0 are ignored, as the hardware ignores
 * them. rvvm_set_pc refuses (RVVM_ERR_INVALID_ARGUMENT) a pc that is not
 * 2-byte aligned, or 4-byte aligned when the C extension is off: the machine
 * never holds a pc the hardware could not fetch from.
 */
rvvm_status rvvm_set_reg(rvvm_machine *m, unsigned index, uint64_t value);
rvvm_status rvvm_set_pc(rvvm_machine *m, uint64_t pc);
/* f0..f31 as raw bits (single-precision values are NaN-boxed); 0 if out of range. */
uint64_t rvvm_freg(const rvvm_machine *m, unsigned index);
rvvm_status rvvm_set_freg(rvvm_machine *m, unsigned index, uint64_t bits);
/* fcsr: frm << 5 | fflags; values above 0xff are refused. */
uint32_t rvvm_fcsr(const rvvm_machine *m);
rvvm_status rvvm_set_fcsr(rvvm_machine *m, uint32_t fcsr);

/* ---- Guest memory as the guest sees it ----------------------------------- */

/*
 * Copies to or from guest memory honouring page permissions, as the guest's
 * own loads and stores would: every page of the range must be readable
 * (rvvm_guest_read) or writable (rvvm_guest_write). A range that is not
 * returns RVVM_ERR_FAULT and copies nothing, so a handler can answer a bad
 * guest pointer with an error (e.g. -EFAULT) instead of crashing the host.
 * Writes mark pages dirty and drop decoded code they overwrite.
 * rvvm_guest_string copies a NUL-terminated string of at most size-1 bytes
 * into buf; RVVM_ERR_INVALID_ARGUMENT if it is longer (buf then holds size-1
 * bytes and a NUL).
 */
rvvm_status rvvm_guest_read(rvvm_machine *m, uint64_t addr, void *buf, size_t len);
rvvm_status rvvm_guest_write(rvvm_machine *m, uint64_t addr, const void *buf, size_t len);
rvvm_status rvvm_guest_string(rvvm_machine *m, uint64_t addr, char *buf, size_t size);

/* ---- Host calls ----------------------------------------------------------- */

/* What an ecall handler did with the call. */
typedef enum rvvm_ecall_action {
    RVVM_ECALL_HANDLED = 0, /* done: the guest continues after the ecall */
    RVVM_ECALL_PASS,        /* not mine: offer the call to the OS layer */
    RVVM_ECALL_STOP,        /* done, and rvvm_run returns RVVM_STOP_HOST after the ecall
                               with host_code = *code; the next rvvm_run continues there */
    RVVM_ECALL_FAULT,       /* the ecall faults (RVVM_FAULT_BAD_SYSCALL, address = a7) */
    RVVM_ECALL_EXIT,        /* the guest exits with status *code (low 8 bits kept) */
} rvvm_ecall_action;

/*
 * An ecall handler. It sees the machine as it is at the ecall: pc is the
 * ecall's address, a7 (x17) usually the call number, a0-a6 the arguments,
 * and rvvm_cycles() the cycles before the ecall. It reads and writes
 * registers (rvvm_reg, rvvm_set_reg: the result goes in a0 by convention)
 * and guest memory (rvvm_guest_read/write/string). *code is an out value for
 * RVVM_ECALL_STOP and RVVM_ECALL_EXIT.
 *
 * Valid inside a handler: rvvm_reg, rvvm_set_reg, rvvm_freg, rvvm_set_freg,
 * rvvm_fcsr, rvvm_set_fcsr, rvvm_pc, rvvm_cycles, rvvm_instructions,
 * rvvm_guest_read/write/string, rvvm_read_memory, rvvm_write_memory,
 * rvvm_charge, rvvm_symbol, rvvm_state_digest, rvvm_last_error,
 * rvvm_get_config. Everything else (rvvm_run, rvvm_call, rvvm_set_pc,
 * snapshots, checkpoints, fork, destroy) returns RVVM_ERR_STATE or is
 * undefined there.
 */
typedef rvvm_ecall_action (*rvvm_ecall_fn)(rvvm_machine *m, void *user, uint64_t *code);

/*
 * Installs the host's handler: it sees every ecall before the OS layer (fn
 * NULL removes it). Without an OS layer (RVVM_OS_NONE), an ecall the handler
 * passes on faults with RVVM_FAULT_BAD_SYSCALL.
 */
void rvvm_set_ecall_handler(rvvm_machine *m, rvvm_ecall_fn fn, void *user);

/*
 * Inside an ecall handler: adds `cycles` to the ecall's cost (gas for host
 * work). If the run's budget cannot pay the ecall's own cost plus everything
 * charged so far, returns RVVM_ERR_BUDGET; the handler must then return
 * without side effects (its return value is ignored), and the run stops
 * with RVVM_STOP_CYCLE_LIMIT *before* the ecall, as if the ecall had cost
 * more than the budget left. A later run with more budget executes the ecall
 * again, so the handler runs again and no host effect is lost or repeated.
 * Charging is part of the metering: cycle counts stay exact and the same
 * however a run is split. Outside a handler: RVVM_ERR_STATE.
 */
rvvm_status rvvm_charge(rvvm_machine *m, uint64_t cycles);

/* ---- Guest calls ---------------------------------------------------------- */

/*
 * Calls the guest function at addr with the RISC-V calling convention:
 * args[0..nargs-1] in a0..a7 (nargs <= 8), ra set to a return address that
 * lies outside guest memory, so no guest code can be there. The function
 * runs on the guest's stack below the current sp. The call is metered like
 * any run: at most max_cycles cycles.
 *
 * Returns RVVM_OK with *result telling how the run ended:
 *  - RVVM_STOP_RETURNED: the function returned; *ret (if not NULL) and
 *    result->return_value hold a0. Every register, the pc and the run state
 *    are then as they were before the call (a call is invisible to the
 *    machine's own thread of execution), except memory and the counters.
 *  - RVVM_STOP_CYCLE_LIMIT or RVVM_STOP_HOST: the call is still in progress.
 *    It can be snapshotted and resumed like any run; rvvm_run continues it
 *    and returns RVVM_STOP_RETURNED (with return_value) when it returns.
 *  - RVVM_STOP_EXITED or RVVM_STOP_FAULT: the guest exited or faulted inside
 *    the function; the call is over and the machine stopped for good.
 * A jump to the return address while the stack pointer differs from its
 * value at the call (a forged return, not a real one) faults with
 * RVVM_FAULT_FETCH_ACCESS at that address.
 *
 * Valid on a machine that is loaded and stopped (ready, or stopped at a
 * budget or by a host stop) and also on one that has exited: a host can run
 * main once to set up, then call functions many times. Not valid inside an
 * ecall handler, while another call is in progress, or on a faulted machine
 * (RVVM_ERR_STATE); addr must be a valid pc (see rvvm_set_pc).
 */
rvvm_status rvvm_call(rvvm_machine *m, uint64_t addr, const uint64_t *args, unsigned nargs,
                      uint64_t max_cycles, rvvm_run_result *result, uint64_t *ret);

/* The return address rvvm_call gives the function (ra): outside any guest memory. */
#define RVVM_CALL_RETURN_ADDRESS 0xfffffffffffff000ull

/* ---- Tracing ------------------------------------------------------------------ */

/*
 * The OS layer describes every system call it answers, one line each without
 * a newline (e.g. "write(0x1, 0x1f000, 0x6, ...) = 0x6"), through this
 * callback; fn NULL turns it off (the default). The library never writes to
 * stderr itself.
 */
typedef void (*rvvm_trace_fn)(void *user, const char *line);
void rvvm_set_trace(rvvm_machine *m, rvvm_trace_fn fn, void *user);

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
 * Sets the bound on bytes written through granted directories
 * (config.max_write_bytes; RVVM_NO_LIMIT for none), for instance after
 * resuming, where it starts at RVVM_DEFAULT_MAX_WRITE_BYTES. A bound below
 * what was already used makes the next growing call fail with EDQUOT.
 * rvvm_get_config reports it. RVVM_ERR_STATE without a Linux OS layer.
 */
rvvm_status rvvm_set_max_write_bytes(rvvm_machine *m, uint64_t max_bytes);

/* Bytes counted against config.max_write_bytes so far (0 without a Linux OS layer). */
uint64_t rvvm_write_bytes_used(const rvvm_machine *m);

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

/* ---- Disassembly -------------------------------------------------------- */

/*
 * Writes the assembler text of the instruction whose bits start `raw` (the
 * low 16 bits for a compressed one) at address `pc` into buf, NUL-terminated
 * and truncated to `size` bytes, as GNU objdump -d prints it: ABI register
 * names, objdump's pseudo-instructions ("li a0,1", "ret", "sext.w a0,a0"),
 * jump and branch targets as absolute hex addresses. Instructions outside
 * `isa` (RVVM_ISA_* bits) and encodings that are no instruction print as
 * objdump's ".2byte 0x..." / ".4byte 0x..."; 0x0000 prints "unimp". Returns
 * the instruction's length from its low bits: 4 if they are 11, else 2.
 * docs/tracing.md lists where the text differs from objdump's.
 */
size_t rvvm_disassemble(uint32_t raw, uint64_t pc, uint32_t isa, char *buf, size_t size);

/*
 * The ABI name of register `reg` (0-31) of file 'x' (integer: "zero", "ra",
 * ...) or 'f' (floating point: "ft0", ...), as rvvm_disassemble prints it;
 * NULL for another file or number.
 */
const char *rvvm_register_name(char file, unsigned reg);

/* ---- Stepping ----------------------------------------------------------- */

typedef enum rvvm_step_access {
    RVVM_ACCESS_NONE,
    RVVM_ACCESS_LOAD,  /* loads, LR */
    RVVM_ACCESS_STORE, /* stores, a successful SC, AMOs (the value stored) */
} rvvm_step_access;

/* What one instruction did (rvvm_step). */
typedef struct rvvm_step_info {
    uint64_t pc;          /* the instruction's address */
    uint32_t encoding;    /* its bits (the low 16 for a compressed one); 0 if it could not be fetched */
    uint8_t length;       /* 2 or 4; 0 if it could not be fetched */
    bool retired;         /* it ran to completion (false: it faulted, or the budget could not pay it) */
    uint64_t cycles;      /* rvvm_cycles before it */
    uint64_t instret;     /* rvvm_instructions before it */
    char reg_file;        /* 'x' or 'f' if it wrote a register (x0 does not count), else 0 */
    uint8_t reg;          /* that register's index */
    uint64_t reg_value;   /* the value written (F singles NaN-boxed); for ecall, a0 after the call */
    rvvm_step_access access;
    uint64_t mem_addr;    /* the data address */
    uint8_t mem_size;     /* 1, 2, 4 or 8 bytes */
    uint64_t mem_value;   /* the bytes loaded or stored, zero-extended */
} rvvm_step_info;

/*
 * Runs exactly the next instruction, if its cost is at most max_cycles, on
 * the same metering as rvvm_run: cycles, instructions and state afterwards
 * are those of a fast run that executed the same instructions, and the two
 * can be mixed freely (a snapshot taken between steps resumes in rvvm_run).
 * out->reason is RVVM_STOP_CYCLE_LIMIT when the machine can go on (after the
 * instruction, or without running it when max_cycles cannot pay for it:
 * info->retired tells which), RVVM_STOP_EXITED or RVVM_STOP_FAULT as for
 * rvvm_run. info describes the instruction (see rvvm_step_info).
 */
rvvm_status rvvm_step(rvvm_machine *m, uint64_t max_cycles, rvvm_step_info *info,
                      rvvm_run_result *out);

/* ---- Symbols ---- */

/*
 * The address of a symbol of the loaded program's ELF symbol table
 * (SHT_SYMTAB), which rvvm keeps after loading and after resuming a snapshot:
 * FUNC, OBJECT and NOTYPE symbols, global, weak or local, that are defined.
 * When several share the name, a global or weak one wins over a local one,
 * then the lowest address. Returns RVVM_ERR_NOT_FOUND if there is no such
 * symbol (a stripped program has none), RVVM_ERR_STATE before a program is
 * loaded. At most 2^20 symbols with names of at most 1024 bytes are kept.
 */
rvvm_status rvvm_symbol(rvvm_machine *m, const char *name, uint64_t *addr);


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
 * OS layer's state (brk, mappings, open files and their offsets, guest threads,
 * the scheduler and pipes). The contents of host files are host state and are
 * not rolled back, whether the file has a name or not (an unlinked or
 * O_TMPFILE file); a file closed since the checkpoint is open again after a
 * restore, on the same host file.
 *
 * Taking a checkpoint copies no guest memory: from then on, the first write
 * to each page saves that page. Its cost is in proportion to the pages
 * written since the previous checkpoint, and host memory grows by one page
 * per page written while the checkpoint exists (see max_host_memory).
 *
 * Checkpoints nest: a machine may hold any number, and any of them can be
 * restored while it exists. Valid on a machine with a program loaded, in
 * any run state, also during a guest call (rvvm_call) stopped by its
 * budget; not inside an ecall handler (RVVM_ERR_STATE), and neither are
 * rvvm_restore and rvvm_fork. Returns
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
 * or by siblings. The child's open files have their own offsets on the same
 * host files (writes to a granted file reach the host, as any run's would);
 * a file without a name (unlinked, O_TMPFILE) is copied, so it stays private. Forking costs a few microseconds, plus host work only for
 * the pages a child writes, not for the template's size. Unless the template
 * was created with config.forkable, its first fork moves its memory into a
 * shareable form once, at a cost in proportion to the pages it has in use.
 * Checkpoints are not inherited.
 *
 * Children share the template's decoded code: a child runs the code the
 * template already ran without decoding it again, and takes a private copy
 * of a page's decoded form only when it must change it (decoding more of
 * that page, stopping at a budget inside it). A child that writes to a code
 * page (self-modifying code, rvvm_write_memory) drops its view of that
 * page's decoded code and decodes its new bytes; the template and siblings
 * keep theirs. Shared decoded code does not count against a child's
 * max_code_cache or max_host_memory; its copies do.
 *
 * While any child is alive, the template is frozen: rvvm_run, rvvm_call,
 * rvvm_set_reg, rvvm_write_memory and rvvm_restore on it return
 * RVVM_ERR_STATE, so neither its memory nor its decoded code can change
 * under its children. It may be
 * read (rvvm_read_memory, rvvm_reg, rvvm_state_digest, snapshots), forked
 * again, and destroyed: children keep working after their template is
 * destroyed (its decoded code stays until the last child that shares it is
 * destroyed). Once its last child is destroyed, the template runs again. Children may be destroyed on any thread. rvvm_fork may be
 * called from several threads at once on one template; no other call on the
 * template may run at the same time.
 *
 * The template must be ready to run (loaded, not exited or faulted):
 * otherwise RVVM_ERR_STATE. A child is an ordinary machine: it can run,
 * checkpoint, snapshot and fork in turn. *child is NULL on failure.
 */
rvvm_status rvvm_fork(rvvm_machine *template_machine, rvvm_machine **child);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

#endif /* RVVM_RVVM_H */
