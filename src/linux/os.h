/*
 * The guest operating system: the Linux user ABI (system calls), RISC-V
 * semihosting, the directory sandbox and the state they keep per machine
 * (open files, memory mappings, clocks, the getrandom generator).
 *
 * Everything here is deterministic unless the machine was switched to real
 * time: no host time, randomness, inode number or address reaches the guest.
 * Guest time is the cycle count at 1 ns per cycle plus whatever the guest
 * slept (so after a sleep, CLOCK_MONOTONIC runs ahead of the time CSR).
 */
#ifndef RVVM_LINUX_OS_H
#define RVVM_LINUX_OS_H

#include "rvvm/rvvm.h"
#include "../core/provider.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Guest file descriptors 0 .. RV_OS_MAX_FDS-1 (also the RLIMIT_NOFILE we report). */
#define RV_OS_MAX_FDS 1024
/* Granted directories per machine. */
#define RV_OS_MAX_GRANTS 64
/* Longest guest path, including the NUL (Linux PATH_MAX). */
#define RV_OS_PATH_MAX 4096
/* Most separate memory-mapping ranges a guest may hold. */
#define RV_OS_MAX_VMAS 65536

/* Fixed wall-clock origin: guest CLOCK_REALTIME starts at 2024-01-01T00:00:00Z. */
#define RV_OS_EPOCH_SECONDS 1704067200ull

/*
 * How many copies of the OS state (a checkpoint's saved copy, fork children)
 * hold one host resource: a grant, or an open file's host descriptor. NULL
 * while one copy owns it alone; os_clone.c counts from 2 when it first
 * shares it. Atomic: children may be destroyed on any thread.
 */
typedef struct rv_share rv_share;

typedef struct rv_grant {
    char *host;    /* canonical absolute host path */
    char *guest;   /* normalised absolute guest path ("/" or "/a/b") */
    bool writable;
    int dirfd;     /* O_PATH | O_DIRECTORY descriptor of host */
    rv_share *share; /* the three above are shared (never changed) by copies */
} rv_grant;

typedef enum rv_file_kind {
    RV_FILE_CONSOLE = 0, /* guest stdin/stdout/stderr through the machine's I/O hooks */
    RV_FILE_REGULAR = 1, /* a regular file inside a granted directory */
    RV_FILE_DIR = 2,     /* a directory inside a granted directory */
    RV_FILE_PATH = 3,    /* an O_PATH descriptor of a file or directory */
    RV_FILE_FEATURES = 4, /* semihosting's ":semihosting-features" */
    RV_FILE_PIPE = 5,     /* one end of a pipe inside the program (thread.c) */
    /* Kinds 6..7 are free. */
    RV_FILE_DEVICE = 8,   /* a device file under /dev: rv_file.device */
    RV_FILE_DEVDIR = 9    /* the /dev directory itself */
} rv_file_kind;

/*
 * The device files. They live in a virtual /dev that exists whatever is
 * granted (a grant at or below /dev is refused). /dev/stdin, /dev/stdout and
 * /dev/stderr are symbolic links to /proc/self/fd/0..2 for lstat and
 * readlink; opening one opens what the descriptor holds.
 */
typedef enum rv_device {
    RV_DEV_NONE = -1,   /* rv_resolved.dev: not under /dev */
    RV_DEV_DIR = 0,     /* /dev itself */
    RV_DEV_NULL = 1,
    RV_DEV_ZERO = 2,
    RV_DEV_RANDOM = 3,
    RV_DEV_URANDOM = 4,
    RV_DEV_STDIN = 5,
    RV_DEV_STDOUT = 6,
    RV_DEV_STDERR = 7,
    RV_DEV_COUNT = 8,
    RV_DEV_MISSING = 99 /* rv_resolved.dev: a name under /dev that does not exist */
} rv_device;

/* st_dev of everything under /dev (granted directories have 1 .. RV_OS_MAX_GRANTS). */
#define RV_OS_DEVFS_DEV (RV_OS_MAX_GRANTS + 1)

typedef struct rv_dirent {
    char *name;
    uint8_t type; /* DT_* */
} rv_dirent;

/* An open file description, shared by duplicated descriptors. */
typedef struct rv_file {
    uint32_t refs;
    uint8_t kind;      /* rv_file_kind */
    uint8_t console;   /* RV_FILE_CONSOLE: the hook fd, 0, 1 or 2 */
    uint32_t grant;    /* index into rv_os.grants */
    char *path;        /* relative to the grant's root, "" for the root itself */
    uint32_t flags;    /* guest O_* flags (generic Linux values) as opened, minus O_CLOEXEC */
    uint64_t offset;   /* the file position, kept here rather than in the host fd */
    int host_fd;       /* -1 when there is none; only pread/pwrite/fstat, never its offset */
    rv_share *fd_share; /* host_fd is shared with other copies of the state (os_clone.c) */
    rv_dirent *dir;    /* RV_FILE_DIR: sorted listing, read on the first getdents64 */
    size_t dir_count;
    bool dir_loaded;
    uint8_t device;    /* RV_FILE_DEVICE: an rv_device */
    /*
     * RV_FILE_REGULAR: the file has no name any more (unlinked, or opened
     * with O_TMPFILE, or recreated from a snapshot's ghost file); path is
     * where it was, for inode numbers and messages. RV_FILE_DIR: the
     * directory was removed while open; after a snapshot it has no host
     * descriptor (host_fd -1) and ghost_mode holds its permission bits.
     * RV_FILE_PATH restored from a snapshot without a name: host_fd -1,
     * ghost_mode is the whole st_mode and ghost_size the size stat showed.
     */
    bool ghost;
    uint32_t ghost_mode;
    uint64_t ghost_size;
    /* A ghost from O_TMPFILE (without O_EXCL) not yet linked: linkat may name it; path is its directory. */
    bool linkable;
    struct rv_pipe *pipe; /* RV_FILE_PIPE: the pipe; flags' access mode says which end */
} rv_file;

typedef struct rv_fd {
    rv_file *file; /* NULL: the descriptor is free */
    bool cloexec;
} rv_fd;

/* The sysroot's slot in rv_os.grants, after the granted directories' (rvvm_set_sysroot). */
#define RV_OS_SYSROOT RV_OS_MAX_GRANTS

/*
 * A file whose bytes private mappings hold (filemap.c): a regular file from
 * the sysroot or a read-only grant, identified for snapshots by where it was
 * found, its size and SHA-256. The interpreter the loader placed is one too.
 */
typedef struct rv_mapped_file {
    uint32_t root;     /* grant index, or RV_OS_SYSROOT */
    char *rel;         /* path beneath the root */
    char *guest;       /* absolute guest path */
    uint64_t size;
    uint8_t sha256[32];
    bool interp;       /* the program's interpreter (loaded pages, no ranges) */
    /* Host identity when hashed, so a file mapped again is not hashed again (not saved). */
    uint64_t host_dev, host_ino;
    int64_t host_mtime_ns;
} rv_mapped_file;

/* Pages [start, end) hold the bytes of mapped file `file` from `offset` (zero past its end). */
typedef struct rv_file_map {
    uint64_t start, end, offset;
    uint32_t file;
    uint32_t prot;     /* PROT_* when mapped (the page table has the current ones) */
} rv_file_map;

/* A mapped range of pages (program, stack, break area, mmap), page aligned. */
typedef struct rv_vma {
    uint64_t start, end;
} rv_vma;

/* ---- threads and pipes (thread.c, docs/threads.md) ---------------------------- */

/* Most guest threads alive at once, and most pipes. */
#define RV_OS_MAX_THREADS 1024
#define RV_OS_MAX_PIPES 512
/* Bytes a pipe buffers (Linux's default pipe size); writes up to 4096 bytes are atomic. */
#define RV_PIPE_CAPACITY 65536u
/* Default scheduler slice: a thread runs this many cycles before the next one's turn. */
#define RV_THREAD_SLICE 100000u

/* Why a thread is not runnable. */
typedef enum rv_wait {
    RV_WAIT_NONE = 0,  /* runnable */
    RV_WAIT_FUTEX = 1, /* futex wait on wait_addr with wait_bitset; woken by FUTEX_WAKE */
    RV_WAIT_PIPE = 2,  /* read or write on pipe wait_addr; retried when it can go on */
    RV_WAIT_POLL = 3,  /* ppoll on wait_addr (its fd array) with wait_bitset fds; retried */
    RV_WAIT_SLEEP = 4, /* nanosleep: only the deadline ends it */
} rv_wait;

typedef struct rv_pipe {
    uint8_t *buf;         /* RV_PIPE_CAPACITY bytes, a ring */
    uint32_t head, len;   /* first buffered byte, bytes buffered */
    uint32_t readers, writers; /* open descriptions of each end */
    uint32_t id;          /* index in rv_os.pipes */
    struct rv_os *os;
} rv_pipe;

typedef struct rv_thread {
    uint32_t tid;
    uint8_t wait;         /* rv_wait */
    bool restart;         /* blocked in a call that runs again when woken (pc = the ecall) */
    bool timed_out;       /* woken by its deadline: the restarted call reports a timeout */
    uint64_t deadline;    /* guest CLOCK_MONOTONIC ns that ends the wait; UINT64_MAX: none */
    uint64_t wait_addr;   /* futex address, pipe id, or ppoll's fd array */
    uint32_t wait_bitset; /* futex bitset, or ppoll's fd count */
    uint64_t wait_seq;    /* order of futex waits: FIFO wakes; a pipe write: bytes already in */
    uint64_t clear_tid;   /* CLONE_CHILD_CLEARTID / set_tid_address */
    uint64_t robust_head, robust_len; /* set_robust_list (walked at the thread's exit) */
    uint64_t sigmask;     /* the thread's signal mask while it is not running */
    /* The context while the thread is not running (the machine holds the running one's). */
    uint64_t x[32], f[32], pc;
    uint32_t fcsr;
} rv_thread;

typedef struct rv_os {
    rv_grant grants[RV_OS_MAX_GRANTS + 1]; /* + the sysroot at RV_OS_SYSROOT */
    bool has_sysroot;
    uint32_t grant_count;
    /* The descriptor table: fd_cap entries (grown by rv_os_fd_reserve up to
     * RV_OS_MAX_FDS); descriptors from fd_cap on are free. Read through
     * rv_os_file. Kept small so that copying the state is cheap. */
    rv_fd *fds;
    uint32_t fd_cap;
    uint32_t pipe_top;     /* pipes[pipe_top..] are all NULL (set by thread.c's pipe_new) */
    char *cwd;             /* guest working directory, normalised */
    rv_vma *vmas;          /* sorted, disjoint, non-adjacent */
    size_t vma_count, vma_cap;
    uint64_t rng_state;    /* getrandom: SplitMix64 state */
    uint64_t sleep_ns;     /* guest time added by nanosleep and friends */
    uint64_t sigmask;      /* rt_sigprocmask's mask; signals are never delivered */
    bool real_time;        /* clocks and file times from the host */
    int32_t sh_errno;      /* semihosting SYS_ERRNO */
    uint32_t umask;        /* the guest's file mode creation mask (umask), 022 at start */
    char *cmdline;         /* argv joined by spaces, for SYS_GET_CMDLINE */

    /* Threads in creation order; threads[current] runs, its context in the machine. */
    rv_thread *threads;
    uint32_t thread_count, thread_cap, current;
    uint32_t next_tid;     /* the next clone's tid (the first thread is 1, the pid) */
    bool current_gone;     /* the running thread exited: nothing to save at the switch */
    bool threaded;         /* a thread was ever made: the scheduler is on */
    int32_t leader_status; /* -1, or the exit status the first thread left with */
    uint64_t slice_len;    /* cycles per slice (RV_THREAD_SLICE) */
    uint64_t slice_start;  /* cycle count when the running thread's slice began */
    uint64_t slice_end;    /* ... and when it ends */
    uint64_t wait_seq;     /* the next futex wait's sequence number */
    bool switch_asked;     /* this thread blocked, yielded or exited in the last call */
    bool keep_running;     /* the last call only made the scheduler start: no switch */
    bool sigpipe_kill;     /* the last call raised SIGPIPE with its default action */
    uint64_t sigpipe_action; /* SIGPIPE's handler as set: 0 default, 1 ignore, else a handler */
    rv_pipe *pipes[RV_OS_MAX_PIPES];
    /* Bytes counted against config.max_write_bytes (fs.c); in snapshots. */
    uint64_t write_used;

    /* Private file mappings whose pages are not dirty (filemap.c), sorted, disjoint. */
    rv_mapped_file *mfiles;
    uint32_t mfile_count, mfile_cap;
    rv_file_map *fmaps;
    size_t fmap_count, fmap_cap;
} rv_os;

/* The Linux provider (src/linux/provider.c) and a machine's state in it (NULL: another or none). */
extern const rv_provider rv_linux_provider;
#define RV_OS(m) ((rv_os *)rv_provider_state((m), &rv_linux_provider))

/* Lifetime of the provider's state; create returns NULL if out of memory. */
rv_os *rv_os_create(uint64_t seed);
void rv_os_destroy(rv_os *os);

/*
 * In-process copies of the state (os_clone.c), for checkpoints and fork:
 * a new state equal to src, without serialising. Host descriptors and
 * grants are shared (reference-counted; rvvm keeps file offsets itself, so
 * a copy never moves another's); everything the guest can change is the
 * copy's own. for_fork: the copy is another machine's, so a file without a
 * name (a ghost: the guest's private data) gets its own host copy.
 * NULL if out of memory or a ghost cannot be copied. Not concurrent with
 * other uses of src (rvvm_fork holds the template's fork lock).
 */
rv_os *rv_os_clone(const rv_os *src, bool for_fork);
/* Host bytes a state takes, for config.max_host_memory. */
size_t rv_os_size(const rv_os *os);
/* Gives up this copy's hold on a shared resource: true if it was the last
 * (the caller then closes or frees it). */
bool rv_share_release(rv_share **s);

/*
 * Called when a program has been loaded. argv is NULL for a snapshot's
 * program (the snapshot then supplies the command line).
 */
rvvm_status rv_os_program_loaded(rvvm_machine *m, const char *const *argv);

/* Linux system call at an ecall: 0 continue, 1 the guest exited, -1 fault. */
int rv_syscall(rvvm_machine *m);

/*
 * RISC-V semihosting call (the ebreak of slli x0,x0,0x1f; ebreak; srai
 * x0,x0,7): a0 = operation, a1 = parameter. The result goes to a0.
 * Returns 0 continue, 1 the guest exited, -1 fault (unknown operation under
 * strict_syscalls).
 */
int rv_semihost(rvvm_machine *m);

/* ---- inside the OS layer ----------------------------------------------- */

/* Guest time in nanoseconds: monotonic (from 0) and real time (from RV_OS_EPOCH_SECONDS). */
uint64_t rv_os_monotonic_ns(const rvvm_machine *m);
uint64_t rv_os_realtime_ns(const rvvm_machine *m);

/* Copies between host and guest memory with permission checks; 0 or -EFAULT. */
int rv_os_copy_out(rvvm_machine *m, uint64_t addr, const void *src, uint64_t len);
int rv_os_copy_in(rvvm_machine *m, void *dst, uint64_t addr, uint64_t len);

/* Copies a NUL-terminated guest string into buf (size RV_OS_PATH_MAX); 0 or -errno. */
int rv_os_read_path(rvvm_machine *m, uint64_t addr, char *buf);

/* File descriptors. */
rv_file *rv_os_file(rvvm_machine *m, uint64_t fd);
/* Grows the table to hold descriptor fd (< RV_OS_MAX_FDS); false if out of memory. */
bool rv_os_fd_reserve(rv_os *os, uint64_t fd);
int rv_os_install(rvvm_machine *m, rv_file *f, bool cloexec, int lowest);
void rv_os_file_unref(rv_file *f);
int rv_os_close(rvvm_machine *m, uint64_t fd);

/*
 * Opens guest path `path` relative to dirfd (AT_FDCWD = -100 for the working
 * directory) with guest O_* flags and mode. Returns a new description or
 * sets *err to a negative errno.
 */
rv_file *rv_os_open_path(rvvm_machine *m, int64_t dirfd, const char *path, uint32_t flags,
                         uint32_t mode, int *err);

/* Reads from / writes to a description at its offset (or at `pos` if pos_given). */
int64_t rv_os_file_read(rvvm_machine *m, rv_file *f, uint64_t addr, uint64_t len, bool pos_given,
                        uint64_t pos);
int64_t rv_os_file_write(rvvm_machine *m, rv_file *f, uint64_t addr, uint64_t len,
                         bool pos_given, uint64_t pos);
int64_t rv_os_file_size(rv_file *f);
/*
 * The write bound (config.max_write_bytes): how many of `want` bytes may
 * still be written (0: none, the call fails with EDQUOT), and charging what
 * was written or created.
 */
uint64_t rv_os_write_room(const rvvm_machine *m, uint64_t want);
void rv_os_write_charge(rvvm_machine *m, uint64_t bytes);
/* Host open flags that reopen a description's file (never creating or truncating it). */
int rv_os_reopen_flags(uint32_t guest_flags);
int64_t rv_os_file_lseek(rv_file *f, int64_t off, int whence);

/* The device files (fs.c): the name of an rv_device below /dev, NULL for none. */
const char *rv_dev_name(int dev);

/* Filesystem and memory system calls: the result for a0. */
int64_t rv_fs_syscall(rvvm_machine *m, uint64_t nr, const uint64_t *a, bool *handled);
int64_t rv_mm_syscall(rvvm_machine *m, uint64_t nr, const uint64_t *a, bool *handled);

/* Sets the break to `want` (page-granular mapping); returns the new break. */
uint64_t rv_mm_brk(rvvm_machine *m, uint64_t want);

/* Drops decoded code for the pages covering [addr, addr+len). */
void rv_mm_invalidate(rvvm_machine *m, uint64_t addr, uint64_t len);

/* Recomputes layout.mmap_low from the mappings above the break. */
void rv_mm_update_low(rvvm_machine *m);
uint64_t rv_mm_top(const rvvm_machine *m);

/* Records what loading mapped (every page with permissions); false if out of memory. */
bool rv_mm_record_loaded(rvvm_machine *m);

/* VMA list helpers. */
bool rv_vma_insert(rv_os *os, uint64_t start, uint64_t end);
bool rv_vma_remove(rv_os *os, uint64_t start, uint64_t end);

/* ---- file mappings and the sysroot (filemap.c, docs/dynamic-linking.md) ---- */

/* Sets up the sysroot slot from the machine's sysroot and records its interpreter. */
bool rv_fmap_program_loaded(rvvm_machine *m);
/*
 * Maps file f privately at [at, at+len) (pages, already unmapped) from off:
 * 0 done (the pages hold the file's bytes and are not dirty), 1 the file
 * does not qualify (not read-only: the caller copies its bytes as data), or
 * a negative errno.
 */
int rv_fmap_map(rvvm_machine *m, rv_file *f, uint64_t at, uint64_t len, uint64_t off,
                unsigned prot);
/* Pages [start, end) hold no file's bytes any more. */
void rv_fmap_remove(rvvm_machine *m, uint64_t start, uint64_t end);
uint64_t rv_fmap_read(rvvm_machine *m, int fd, uint64_t at, uint64_t len, uint64_t off);
void rv_fmap_free(rv_os *os);
/* For rv_os_clone: forget the tables (a copy's pointers), copy them, their host memory. */
void rv_fmap_detach(rv_os *os);
bool rv_fmap_clone(rv_os *os, const rv_os *src);
size_t rv_fmap_size(const rv_os *os);

/* Threads, futexes, pipes (thread.c). */
bool rv_thread_init(rv_os *os);
void rv_thread_free(rv_os *os);
int64_t rv_thread_syscall(rvvm_machine *m, uint64_t nr, const uint64_t *a, bool *handled,
                          int *exited);
uint32_t rv_thread_tid(const rv_os *os);
bool rv_thread_exists(const rv_os *os, uint64_t tid);
/* nanosleep in a program with threads: blocks the thread; false with one thread. */
bool rv_thread_sleep(rvvm_machine *m, uint64_t ns);
/* After each system call: a call that did not block again ends its restart. */
void rv_thread_call_done(rvvm_machine *m, int64_t ret);
/* A blocking call's result: the thread waits and the call runs again when it can go on. */
#define RV_RESTART (-512)
int64_t rv_pipe_read(rvvm_machine *m, rv_file *f, uint64_t addr, uint64_t len);
int64_t rv_pipe_write(rvvm_machine *m, rv_file *f, uint64_t addr, uint64_t len);
/* writev on a pipe: cnt guest iovecs (16 bytes each) already copied in, their sum below 2^63. */
int64_t rv_pipe_writev(rvvm_machine *m, rv_file *f, const uint8_t *iov, uint64_t cnt);
/* Longest read or write Linux does at once (MAX_RW_COUNT). */
#define RV_RW_COUNT_MAX 0x7ffff000u
void rv_pipe_end_closed(rv_file *f);
/* The provider's scheduling hooks (provider.h). */
uint64_t rv_thread_slice(rvvm_machine *m);
bool rv_thread_switch(rvvm_machine *m);
bool rv_thread_digest(rvvm_machine *m, bool (*add)(void *, const void *, size_t), void *ctx);
/* Snapshot part for threads and pipes, after the mappings; see docs/snapshot-format.md. */
struct writer;
struct reader;
typedef struct rv_threads_saved rv_threads_saved;
void rv_threads_save(const rvvm_machine *m, struct writer *w);
/* NULL with a message in err if malformed. */
rv_threads_saved *rv_threads_parse(struct reader *in, char *err, size_t err_size);
void rv_threads_saved_free(rv_threads_saved *s);
bool rv_threads_has_pipe(const rv_threads_saved *s, uint32_t id);
/* Puts threads, scheduler and pipes back; before files are reopened. */
rvvm_status rv_threads_restore(rvvm_machine *m, const rv_threads_saved *s, char *err,
                               size_t err_size);
/* Links a reopened pipe end to its pipe. */
void rv_pipe_attach(rv_os *os, rv_file *f, uint32_t id);

/* ---- snapshots (the OS section after its four layout words) ------------- */

typedef struct rv_os_saved rv_os_saved;

/* Serialises the OS state; the caller frees *data. On failure writes a reason. */
rvvm_status rv_os_save(rvvm_machine *m, uint8_t **data, size_t *len, char *err, size_t err_size);

/*
 * Parses and validates the serialised OS state of a machine with
 * memory_size bytes of guest memory. *out is freed with rv_os_saved_free.
 */
rvvm_status rv_os_parse(const uint8_t *data, size_t len, uint64_t memory_size, rv_os_saved **out,
                        char *err, size_t err_size);
void rv_os_saved_free(rv_os_saved *s);

/*
 * Applies a parsed OS state to a machine whose memory has been restored:
 * re-grants directories, reopens files and checks that each regular file
 * still has the content it had when the snapshot was taken.
 */
struct rvvm_resume_options;
struct rvvm_snapshot_info;
rvvm_status rv_os_restore(rvvm_machine *m, const rv_os_saved *s,
                          const struct rvvm_resume_options *opt, char *err, size_t err_size);
/* Checks that mmap low is what the mappings and the break imply (rv_mm_update_low's rule). */
rvvm_status rv_os_check_layout(const rv_os_saved *s, uint64_t brk, uint64_t stack_low,
                               uint64_t mmap_low, char *err, size_t err_size);
/* Fills info's grants, files and mappings from a parsed OS state. */
rvvm_status rv_os_describe(const rv_os_saved *s, struct rvvm_snapshot_info *info);

/* Grants a host directory (rvvm_grant_dir with the message in err), also for snapshots. */
rvvm_status rv_os_grant(rvvm_machine *m, const char *host, const char *guest, bool writable,
                        char *err, size_t err_size);

#endif
