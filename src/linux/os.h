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

typedef struct rv_grant {
    char *host;    /* canonical absolute host path */
    char *guest;   /* normalised absolute guest path ("/" or "/a/b") */
    bool writable;
    int dirfd;     /* O_PATH | O_DIRECTORY descriptor of host */
} rv_grant;

typedef enum rv_file_kind {
    RV_FILE_CONSOLE = 0, /* guest stdin/stdout/stderr through the machine's I/O hooks */
    RV_FILE_REGULAR = 1, /* a regular file inside a granted directory */
    RV_FILE_DIR = 2,     /* a directory inside a granted directory */
    RV_FILE_PATH = 3,    /* an O_PATH descriptor of a file or directory */
    RV_FILE_FEATURES = 4 /* semihosting's ":semihosting-features" */
} rv_file_kind;

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
    int host_fd;       /* -1 when there is none */
    rv_dirent *dir;    /* RV_FILE_DIR: sorted listing, read on the first getdents64 */
    size_t dir_count;
    bool dir_loaded;
} rv_file;

typedef struct rv_fd {
    rv_file *file; /* NULL: the descriptor is free */
    bool cloexec;
} rv_fd;

/* A mapped range of pages (program, stack, break area, mmap), page aligned. */
typedef struct rv_vma {
    uint64_t start, end;
} rv_vma;

typedef struct rv_os {
    rv_grant grants[RV_OS_MAX_GRANTS];
    uint32_t grant_count;
    rv_fd fds[RV_OS_MAX_FDS];
    char *cwd;             /* guest working directory, normalised */
    rv_vma *vmas;          /* sorted, disjoint, non-adjacent */
    size_t vma_count, vma_cap;
    uint64_t rng_state;    /* getrandom: SplitMix64 state */
    uint64_t sleep_ns;     /* guest time added by nanosleep and friends */
    uint64_t sigmask;      /* rt_sigprocmask's mask; signals are never delivered */
    bool real_time;        /* clocks and file times from the host */
    int32_t sh_errno;      /* semihosting SYS_ERRNO */
    char *cmdline;         /* argv joined by spaces, for SYS_GET_CMDLINE */
} rv_os;

/* The Linux provider (src/linux/provider.c) and a machine's state in it (NULL: another or none). */
extern const rv_provider rv_linux_provider;
#define RV_OS(m) ((rv_os *)rv_provider_state((m), &rv_linux_provider))

/* Lifetime of the provider's state; create returns NULL if out of memory. */
rv_os *rv_os_create(uint64_t seed);
void rv_os_destroy(rv_os *os);

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
/* Host open flags that reopen a description's file (never creating or truncating it). */
int rv_os_reopen_flags(uint32_t guest_flags);
int64_t rv_os_file_lseek(rv_file *f, int64_t off, int whence);

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
