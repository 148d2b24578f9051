/*
 * Snapshots: the state of a machine stopped at a cycle budget, holding only
 * what differs from the freshly loaded program. A fresh machine, in another
 * process or on another host, resumes from it with results identical to a
 * run that never stopped. The format is specified in docs/snapshot-format.md.
 */
#ifndef RVVM_SNAPSHOT_H
#define RVVM_SNAPSHOT_H

#include "rvvm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Everything declared here is the library's ABI; the library builds with
 * hidden visibility, so nothing else leaves librvvm.so. */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

#define RVVM_SNAPSHOT_FORMAT_VERSION 5

/* Flags for saving. */
enum {
    RVVM_SNAPSHOT_COMPRESS = 1u << 0, /* zstd-compress page data */
};

/*
 * Snapshots are untrusted input: resuming one opens nothing but the program
 * it names (a regular file, hash-checked) and files beneath the directories
 * the resumer grants (see rvvm_resume_options.grants).
 *
 * Writes a snapshot of a machine that can still run (loaded, or stopped at
 * a cycle budget) to `path`, atomically: a temporary file in the same
 * directory is written, fsync'd and renamed over `path`. On failure `path` is
 * left as it was.
 */
rvvm_status rvvm_snapshot_save_file(rvvm_machine *m, const char *path, uint32_t flags);

/*
 * Writes a diff snapshot to `path` (atomically, like rvvm_snapshot_save_file):
 * only the pages that changed since `parent`, with the full registers and OS
 * state. `parent` must be the snapshot this machine was last resumed from or
 * last saved to (full or diff; its checksum is compared), and must lie in the
 * same directory as `path`: the diff records its file name and checksum, and
 * resuming the diff follows the chain. After any save, full or diff, the next
 * diff holds only what changed after it.
 */
rvvm_status rvvm_snapshot_save_diff_file(rvvm_machine *m, const char *path, const char *parent,
                                         uint32_t flags);

/*
 * Folds the chain that ends at `path` (a full or diff snapshot) into one full
 * snapshot written atomically to `out`. Nothing but the chain's files is read.
 */
rvvm_status rvvm_snapshot_merge_file(const char *out, const char *path, uint32_t flags, char *err,
                                     size_t err_size);

/* The same into a malloc'd buffer, which the caller releases with rvvm_buffer_free. */
rvvm_status rvvm_snapshot_save_buffer(rvvm_machine *m, uint32_t flags, uint8_t **data,
                                      size_t *size);
void rvvm_buffer_free(void *data);

/*
 * Creates a machine from a snapshot: checks the checksum and every field,
 * loads the program it names (or `program` if not NULL), checks the
 * program's SHA-256, and applies the saved state. Nothing is half-applied: on
 * failure *out is NULL and, if err is not NULL, a one-line reason is written
 * there. Statuses: RVVM_ERR_IO (unreadable), RVVM_ERR_SNAPSHOT (damaged,
 * truncated, unknown version, invalid field), RVVM_ERR_PROGRAM_MISMATCH.
 * These grant no directories: a snapshot whose run had granted directories
 * needs rvvm_resume_from_file or rvvm_resume with rvvm_resume_options.grants.
 * rvvm_resume_file follows a diff snapshot's chain of parents.
 */
rvvm_status rvvm_resume_file(const char *path, const char *program, rvvm_machine **out,
                             char *err, size_t err_size);
rvvm_status rvvm_resume_buffer(const void *data, size_t size, const char *program,
                               rvvm_machine **out, char *err, size_t err_size);

/*
 * Options for rvvm_resume. Fill with rvvm_resume_options_init, then set
 * fields: the only way to fill it, so that it can grow without breaking
 * binaries built against an older header.
 */
/* A host directory the resumer grants; see rvvm_resume_options.grants. */
typedef struct rvvm_resume_grant {
    const char *host;  /* host directory */
    const char *guest; /* absolute guest path; NULL: the host path made absolute */
    bool writable;
} rvvm_resume_grant;

typedef struct rvvm_resume_options {
    uint32_t struct_size;      /* set by rvvm_resume_options_init */
    const char *program_path;  /* the program's file instead of the path the snapshot names */
    const void *program_image; /* or the program's bytes: no host file needed. Either way its
                                  SHA-256 must match the snapshot's. Not both. */
    size_t program_size;
    /*
     * The directories the resumer grants (rvvm_grant_dir's arguments). The
     * snapshot's own list of host directories is never used: each directory it
     * recorded must be granted here at the same guest path, and the grant here
     * decides the host directory and the access (a file the snapshot holds
     * open for writing needs a writable grant). Grants at other guest paths
     * are added after the snapshot's. Missing ones: RVVM_ERR_SNAPSHOT.
     */
    const rvvm_resume_grant *grants;
    size_t grant_count;
    /* For rvvm_resume on a diff snapshot: the directory holding its parents
     * (rvvm_resume_from_file uses the snapshot's own directory). */
    const char *chain_dir;
    /*
     * The sysroot for a dynamically linked program (rvvm_set_sysroot): the
     * snapshot never names one itself. Its interpreter and every mapped file
     * it recorded are read from here and must have the SHA-256 they had.
     */
    const char *sysroot;
} rvvm_resume_options;

void rvvm_resume_options_init(rvvm_resume_options *options);

/*
 * Resumes from a snapshot file with options, following a diff snapshot's
 * chain of parents. The file is streamed: peak host memory is the guest's
 * restored pages plus a few MiB, whatever the file's size.
 */
rvvm_status rvvm_resume_from_file(const char *path, const rvvm_resume_options *options,
                                  rvvm_machine **out, char *err, size_t err_size);

/*
 * Creates a machine from a snapshot in memory, as rvvm_resume_buffer does,
 * with options (NULL: the defaults). With program_image set, nothing is read
 * from the host file system: an embedder can run, snapshot and resume with
 * buffers only.
 */
rvvm_status rvvm_resume(const void *data, size_t size, const rvvm_resume_options *options,
                        rvvm_machine **out, char *err, size_t err_size);

/* One saved page, as listed by rvvm_snapshot_inspect. */
typedef enum rvvm_snapshot_page_kind {
    RVVM_PAGE_ZERO = 0,      /* all zeros: stored as a marker */
    RVVM_PAGE_DATA = 1,      /* 4096 bytes stored */
    RVVM_PAGE_AS_LOADED = 2, /* contents as loaded, only permissions changed */
} rvvm_snapshot_page_kind;

typedef struct rvvm_snapshot_page {
    uint64_t address;
    uint8_t perms; /* bit 0 read, bit 1 write, bit 2 execute */
    uint8_t kind;  /* rvvm_snapshot_page_kind */
} rvvm_snapshot_page;

typedef struct rvvm_snapshot_info {
    uint32_t format_version;
    bool compressed;
    uint64_t file_size;
    uint64_t page_data_stored; /* bytes of page data in the file, after compression */
    char *program_path;
    uint8_t program_sha256[32];
    rvvm_config config;
    uint64_t x[32];
    uint64_t pc, cycles, instructions;
    bool reservation_valid;
    uint8_t reservation_size; /* 4 or 8: the LR's width */
    uint64_t reservation_address;
    uint32_t fcsr;
    uint64_t f[32]; /* FP registers, raw (singles NaN-boxed) */
    uint64_t mtvec; /* kept for bare-metal start-up code */
    bool call_active; /* stopped inside a guest call (rvvm_call) */
    uint64_t brk_start, brk, stack_low, mmap_low;
    size_t page_count;
    rvvm_snapshot_page *pages;

    /* Format version 3. */
    uint8_t checksum[16];       /* this file's XXH3-128, canonical byte order */
    bool has_parent;            /* a diff snapshot: pages are changes to the parent */
    char *parent_name;          /* the parent's file name, in the same directory */
    uint8_t parent_checksum[16];
    uint64_t parent_size;
    uint32_t chain_depth;       /* 0 for a full snapshot, parent's depth + 1 for a diff */
    /* What resuming needs from the host (the Linux layer's OS section). */
    size_t grant_count;
    struct rvvm_snapshot_grant {
        char *host;             /* recorded for information only: never used on resume */
        char *guest;            /* must be granted at this guest path on resume */
        bool writable;          /* as recorded */
        bool needs_write;       /* a file beneath it is open for writing */
    } *grants;
    size_t file_count;          /* open file descriptions that name host files */
    struct rvvm_snapshot_file {
        char *guest_path;       /* absolute guest path */
        uint8_t kind;           /* 1 regular, 2 directory, 3 O_PATH handle */
        bool writing;           /* open for writing */
        uint64_t size;          /* regular files: size and SHA-256 when saved */
        uint8_t sha256[32];
    } *files;
    size_t mapping_count;       /* mapped guest ranges [start, end) */
    uint64_t (*mappings)[2];
    /* Format version 5: files whose bytes resuming maps again (dynamic linking). */
    bool needs_sysroot;         /* resuming needs rvvm_resume_options.sysroot */
    size_t mapped_file_count;
    struct rvvm_snapshot_mapped_file {
        char *guest_path;       /* absolute guest path */
        bool sysroot;           /* found in the sysroot (else in a granted directory) */
        bool interpreter;       /* the program's PT_INTERP, loaded by the loader */
        uint64_t size;          /* size and SHA-256 the file must have on resume */
        uint8_t sha256[32];
        uint64_t mapped_pages;  /* pages of guest memory that hold its bytes */
    } *mapped_files;
} rvvm_snapshot_info;

/* Verifies a snapshot and decodes its summary; free it with rvvm_snapshot_info_free. */
rvvm_status rvvm_snapshot_inspect(const void *data, size_t size, rvvm_snapshot_info **out,
                                  char *err, size_t err_size);
void rvvm_snapshot_info_free(rvvm_snapshot_info *info);

/* The same from a file, streamed: memory stays a few MiB whatever its size. */
rvvm_status rvvm_snapshot_inspect_file(const char *path, rvvm_snapshot_info **out, char *err,
                                       size_t err_size);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

#endif
