/* The directory sandbox, shared by the file system calls, semihosting and snapshots. */
#ifndef RVVM_LINUX_SANDBOX_H
#define RVVM_LINUX_SANDBOX_H

#include "os.h"

/* A guest path resolved to a grant and a path relative to its root. */
typedef struct rv_resolved {
    uint32_t grant;
    bool must_be_dir;             /* the guest path ended in '/' */
    int dev;                      /* an rv_device under /dev (grant and rel unused), or RV_DEV_NONE */
    char abs[RV_OS_PATH_MAX];     /* normalised absolute guest path */
    char rel[RV_OS_PATH_MAX];     /* below the grant's root, "" for the root; no "." or ".." */
} rv_resolved;

/*
 * Joins path to base (when path is relative) and normalises the result into
 * out (RV_OS_PATH_MAX bytes): absolute, no "." or ".." or empty components.
 */
int rv_path_normalize(const char *base, const char *path, char *out, bool *trailing_slash);

/*
 * Resolves a guest path relative to dirfd; ENOENT if no grant holds it.
 * /dev and the paths below it never reach a grant: out->dev says which
 * device (0 and RV_DEV_DIR for /dev itself), or RV_DEV_MISSING with ENOENT
 * (ENOTDIR below a device).
 */
int rv_resolve(rvvm_machine *m, int64_t dirfd, const char *path, rv_resolved *out);

/* The absolute guest path of a directory description. */
int rv_file_guest_path(const rv_os *os, const rv_file *f, char *out);

/*
 * Opens rel (normalised, relative) beneath the directory `root` with host
 * open flags; follow_last false opens a final symbolic link itself (with
 * O_PATH) or fails with ELOOP. Returns a host fd or -errno. force_walk skips
 * openat2 (for tests of the fallback).
 */
int rv_beneath_open(int root, const char *rel, int flags, unsigned mode, bool follow_last,
                    bool force_walk);
int rv_walk_open(int root, const char *rel, int flags, unsigned mode, bool follow_last);

#endif
