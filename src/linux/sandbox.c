/*
 * The directory sandbox: granted host directories, guest path normalisation,
 * and opening a path strictly beneath a granted directory.
 *
 * A guest path is first made absolute (against the working directory or a
 * directory descriptor) and normalised lexically: "." and empty components
 * vanish, ".." removes the previous component and stops at "/". The longest
 * granted guest directory that contains it is chosen; the rest is a relative
 * path without "..". That path is opened beneath the grant's host directory
 * with openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS), so symbolic links
 * are followed only while they stay inside. Where openat2 is missing, a
 * component-by-component walk with O_NOFOLLOW does the same: each symbolic
 * link is read and spliced into the path, an absolute target or a ".." above
 * the grant's root fails with EXDEV, and more than 40 links with ELOOP.
 */
#include "../core/cpu.h"
#include "os.h"
#include "sandbox.h"
#include "sysno.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#define RV_HAVE_OPENAT2_H 1
#endif
#endif
#ifndef RV_HAVE_OPENAT2_H
struct open_how {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
};
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_BENEATH 0x08
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

#define RV_MAX_SYMLINKS 40

/* ---- guest paths ------------------------------------------------------------- */

int rv_path_normalize(const char *base, const char *path, char *out, bool *trailing_slash)
{
    /* Components are appended to out ("/a/b"), ".." pops the last one. */
    size_t len = 0;
    out[0] = '\0';
    const char *parts[2] = {path[0] == '/' ? "" : base, path};
    for (int k = 0; k < 2; k++) {
        const char *s = parts[k];
        while (*s) {
            while (*s == '/')
                s++;
            const char *e = s;
            while (*e && *e != '/')
                e++;
            size_t n = (size_t)(e - s);
            if (n == 0 || (n == 1 && s[0] == '.')) {
                /* nothing */
            } else if (n == 2 && s[0] == '.' && s[1] == '.') {
                while (len > 0 && out[len - 1] != '/')
                    len--;
                if (len > 0)
                    len--; /* the slash */
                out[len] = '\0';
            } else {
                if (len + 1 + n + 1 > RV_OS_PATH_MAX)
                    return -ENAMETOOLONG;
                out[len++] = '/';
                memcpy(out + len, s, n);
                len += n;
                out[len] = '\0';
            }
            s = e;
        }
    }
    if (len == 0) {
        out[0] = '/';
        out[1] = '\0';
    }
    if (trailing_slash) {
        size_t pl = strlen(path);
        *trailing_slash = pl > 0 && path[pl - 1] == '/';
    }
    return 0;
}

/* The longest grant whose guest directory holds `abs`; -1 if none. */
static int find_grant(const rv_os *os, const char *abs, const char **rest)
{
    int best = -1;
    size_t best_len = 0;
    for (uint32_t i = 0; i < os->grant_count; i++) {
        const char *g = os->grants[i].guest;
        size_t n = strlen(g);
        const char *r;
        if (n == 1) { /* "/" holds everything */
            r = abs + 1;
        } else if (strncmp(abs, g, n) == 0 && (abs[n] == '\0' || abs[n] == '/')) {
            r = abs[n] ? abs + n + 1 : abs + n;
        } else {
            continue;
        }
        if (best < 0 || n > best_len) {
            best = (int)i;
            best_len = n;
            *rest = r;
        }
    }
    return best;
}

/* The absolute guest path of an open description that names a directory. */
int rv_file_guest_path(const rv_os *os, const rv_file *f, char *out)
{
    if (f->kind == RV_FILE_DEVDIR) {
        snprintf(out, RV_OS_PATH_MAX, "/dev");
        return 0;
    }
    if (f->kind != RV_FILE_DIR && f->kind != RV_FILE_PATH)
        return -ENOTDIR;
    const rv_grant *g = &os->grants[f->grant];
    int n;
    if (f->path[0] == '\0')
        n = snprintf(out, RV_OS_PATH_MAX, "%s", g->guest);
    else
        n = snprintf(out, RV_OS_PATH_MAX, "%s%s%s", g->guest, strcmp(g->guest, "/") ? "/" : "",
                     f->path);
    return n < 0 || n >= RV_OS_PATH_MAX ? -ENAMETOOLONG : 0;
}

int rv_resolve(rvvm_machine *m, int64_t dirfd, const char *path, rv_resolved *out)
{
    rv_os *os = RV_OS(m);
    char base[RV_OS_PATH_MAX];
    out->dev = RV_DEV_NONE;
    if (path[0] == '\0')
        return -ENOENT;
    if (path[0] == '/' || dirfd == G_AT_FDCWD) {
        snprintf(base, sizeof base, "%s", os->cwd);
    } else {
        rv_file *f = rv_os_file(m, (uint64_t)dirfd);
        if (!f)
            return -EBADF;
        int r = rv_file_guest_path(os, f, base);
        if (r)
            return r;
    }
    int r = rv_path_normalize(base, path, out->abs, &out->must_be_dir);
    if (r)
        return r;
    if (strncmp(out->abs, "/dev", 4) == 0 && (out->abs[4] == '\0' || out->abs[4] == '/')) {
        /* The device directory: never a grant. */
        out->grant = 0;
        out->rel[0] = '\0';
        const char *name = out->abs[4] ? out->abs + 5 : NULL;
        if (!name) {
            out->dev = RV_DEV_DIR;
            return 0;
        }
        const char *slash = strchr(name, '/');
        size_t n = slash ? (size_t)(slash - name) : strlen(name);
        for (int d = 1; d < RV_DEV_COUNT; d++) {
            const char *dn = rv_dev_name(d);
            if (strlen(dn) == n && strncmp(dn, name, n) == 0) {
                out->dev = slash ? RV_DEV_MISSING : d;
                return slash ? -ENOTDIR : 0;
            }
        }
        out->dev = RV_DEV_MISSING;
        return -ENOENT;
    }
    const char *rest = NULL;
    int g = find_grant(os, out->abs, &rest);
    if (g < 0 && os->has_sysroot) {
        /* No grant holds it: the sysroot does, read-only (docs/dynamic-linking.md). */
        g = RV_OS_SYSROOT;
        rest = out->abs + 1;
    }
    if (g < 0)
        return -ENOENT;
    out->grant = (uint32_t)g;
    snprintf(out->rel, sizeof out->rel, "%s", rest);
    return 0;
}

/* ---- opening beneath a directory --------------------------------------------- */

/* Splits a relative path into its components, in place. */
static size_t split(char *p, char **comp, size_t max)
{
    size_t n = 0;
    char *s = p;
    while (*s) {
        while (*s == '/')
            *s++ = '\0';
        if (!*s)
            break;
        if (n == max)
            return SIZE_MAX;
        comp[n++] = s;
        while (*s && *s != '/')
            s++;
    }
    return n;
}

/*
 * Replaces component i (a symbolic link with target `target`) in the path
 * made of comp[0..n): prefix + target + rest, normalised against the grant's
 * root. Fails with EXDEV if the result would leave the root.
 */
static int splice_link(char **comp, size_t n, size_t i, const char *target, char *out)
{
    if (target[0] == '/')
        return -EXDEV;
    char tmp[RV_OS_PATH_MAX * 2];
    size_t len = 0;
    tmp[0] = '\0';
    for (size_t k = 0; k < i; k++) {
        int w = snprintf(tmp + len, sizeof tmp - len, "%s/", comp[k]);
        if (w < 0 || (size_t)w >= sizeof tmp - len)
            return -ENAMETOOLONG;
        len += (size_t)w;
    }
    int w = snprintf(tmp + len, sizeof tmp - len, "%s", target);
    if (w < 0 || (size_t)w >= sizeof tmp - len)
        return -ENAMETOOLONG;
    len += (size_t)w;
    for (size_t k = i + 1; k < n; k++) {
        w = snprintf(tmp + len, sizeof tmp - len, "/%s", comp[k]);
        if (w < 0 || (size_t)w >= sizeof tmp - len)
            return -ENAMETOOLONG;
        len += (size_t)w;
    }
    /* Normalise, refusing any ".." that climbs above the root. */
    size_t olen = 0;
    out[0] = '\0';
    char *s = tmp;
    while (*s) {
        while (*s == '/')
            s++;
        char *e = s;
        while (*e && *e != '/')
            e++;
        size_t cn = (size_t)(e - s);
        if (cn == 0 || (cn == 1 && s[0] == '.')) {
        } else if (cn == 2 && s[0] == '.' && s[1] == '.') {
            if (olen == 0)
                return -EXDEV;
            while (olen > 0 && out[olen - 1] != '/')
                olen--;
            if (olen > 0)
                olen--;
            out[olen] = '\0';
        } else {
            if (olen + cn + 2 > RV_OS_PATH_MAX)
                return -ENAMETOOLONG;
            if (olen)
                out[olen++] = '/';
            memcpy(out + olen, s, cn);
            olen += cn;
            out[olen] = '\0';
        }
        s = e;
    }
    return 0;
}

static int read_link_at(int fd, char *buf, size_t size)
{
    ssize_t n = readlinkat(fd, "", buf, size - 1);
    if (n < 0)
        return -errno;
    if ((size_t)n >= size - 1)
        return -ENAMETOOLONG;
    buf[n] = '\0';
    return 0;
}

int rv_walk_open(int root, const char *rel, int flags, unsigned mode, bool follow_last)
{
    char path[RV_OS_PATH_MAX];
    if (strlen(rel) >= sizeof path)
        return -ENAMETOOLONG;
    snprintf(path, sizeof path, "%s", rel);
    for (int hops = 0;; hops++) {
        if (hops > RV_MAX_SYMLINKS)
            return -ELOOP;
        char work[RV_OS_PATH_MAX];
        memcpy(work, path, sizeof work);
        char *comp[RV_OS_PATH_MAX / 2];
        size_t n = split(work, comp, sizeof comp / sizeof comp[0]);
        if (n == SIZE_MAX)
            return -ENAMETOOLONG;
        if (n == 0) {
            int fd = openat(root, ".", flags | O_CLOEXEC, mode);
            return fd < 0 ? -errno : fd;
        }
        int cur = openat(root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (cur < 0)
            return -errno;
        bool restart = false;
        for (size_t i = 0; i < n; i++) {
            bool last = i + 1 == n;
            if (comp[i][0] == '.' && (comp[i][1] == '\0' || (comp[i][1] == '.' && !comp[i][2]))) {
                close(cur);
                return -EINVAL; /* cannot happen: paths are normalised */
            }
            if (!last || follow_last) {
                int fd = openat(cur, comp[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0) {
                    int e = errno;
                    if (last && e == ENOENT && (flags & O_CREAT))
                        goto final; /* created below, never through a link */
                    close(cur);
                    return -e;
                }
                struct stat st;
                if (fstat(fd, &st) != 0) {
                    int e = errno;
                    close(fd);
                    close(cur);
                    return -e;
                }
                if (S_ISLNK(st.st_mode)) {
                    char target[RV_OS_PATH_MAX];
                    int r = read_link_at(fd, target, sizeof target);
                    close(fd);
                    close(cur);
                    if (r)
                        return r;
                    char next[RV_OS_PATH_MAX];
                    r = splice_link(comp, n, i, target, next);
                    if (r)
                        return r;
                    memcpy(path, next, sizeof path);
                    restart = true;
                    break;
                }
                if (!last) {
                    if (!S_ISDIR(st.st_mode)) {
                        close(fd);
                        close(cur);
                        return -ENOTDIR;
                    }
                    close(cur);
                    cur = fd;
                    continue;
                }
                close(fd);
            }
        final:;
            /* The last component, opened without following a link. */
            int fd = openat(cur, comp[i], flags | O_NOFOLLOW | O_CLOEXEC, mode);
            int e = errno;
            close(cur);
            if (fd < 0)
                return -e;
            return fd;
        }
        if (!restart) {
            close(cur);
            return -EINVAL;
        }
    }
}

int rv_beneath_open(int root, const char *rel, int flags, unsigned mode, bool follow_last,
                    bool force_walk)
{
    if (!follow_last)
        flags |= O_NOFOLLOW;
    if (!force_walk) {
        struct open_how how;
        memset(&how, 0, sizeof how);
        how.flags = (uint64_t)(flags | O_CLOEXEC);
        how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
        long fd;
        int tries = 0;
        do
            fd = syscall(SYS_openat2, root, rel[0] ? rel : ".", &how, sizeof how);
        while (fd < 0 && (errno == EINTR || errno == EAGAIN) && ++tries < 64);
        if (fd >= 0)
            return (int)fd;
        /* ENOSYS: an old kernel; EPERM: a seccomp filter that does not know openat2. */
        if (errno != ENOSYS && errno != EPERM)
            return -errno;
    }
    return rv_walk_open(root, rel, flags & ~O_NOFOLLOW, mode, follow_last);
}

/* ---- grants -------------------------------------------------------------------- */

rvvm_status rv_os_grant(rvvm_machine *m, const char *host, const char *guest, bool writable,
                        char *err, size_t err_size)
{
    rv_os *os = RV_OS(m);
    char gpath[RV_OS_PATH_MAX];
    if (!host || !*host) {
        snprintf(err, err_size, "no host directory given");
        return RVVM_ERR_INVALID_ARGUMENT;
    }
    if (guest && guest[0] != '/') {
        snprintf(err, err_size, "guest directory '%s' is not an absolute path", guest);
        return RVVM_ERR_INVALID_ARGUMENT;
    }
    if (rv_path_normalize("/", guest ? guest : host, gpath, NULL) != 0) {
        snprintf(err, err_size, "guest directory path too long");
        return RVVM_ERR_INVALID_ARGUMENT;
    }
    if (strncmp(gpath, "/dev", 4) == 0 && (gpath[4] == '\0' || gpath[4] == '/')) {
        snprintf(err, err_size, "guest directory '%s' is reserved for the device files", gpath);
        return RVVM_ERR_INVALID_ARGUMENT;
    }
    char *real = realpath(host, NULL);
    if (!real) {
        snprintf(err, err_size, "cannot grant '%s': %s", host, strerror(errno));
        return RVVM_ERR_IO;
    }
    for (uint32_t i = 0; i < os->grant_count; i++) {
        if (strcmp(os->grants[i].guest, gpath) != 0)
            continue;
        bool same = strcmp(os->grants[i].host, real) == 0 && os->grants[i].writable == writable;
        if (!same)
            snprintf(err, err_size, "guest directory '%s' is already granted (to '%s')", gpath,
                     os->grants[i].host);
        free(real);
        return same ? RVVM_OK : RVVM_ERR_INVALID_ARGUMENT;
    }
    if (os->grant_count == RV_OS_MAX_GRANTS) {
        free(real);
        snprintf(err, err_size, "too many granted directories (at most %d)", RV_OS_MAX_GRANTS);
        return RVVM_ERR_INVALID_ARGUMENT;
    }
    int fd = open(real, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, err_size, "cannot grant '%s': %s", host, strerror(errno));
        free(real);
        return RVVM_ERR_IO;
    }
    char *g = strdup(gpath);
    if (!g) {
        close(fd);
        free(real);
        snprintf(err, err_size, "out of memory");
        return RVVM_ERR_NO_MEMORY;
    }
    rv_grant *gr = &os->grants[os->grant_count++];
    gr->host = real;
    gr->guest = g;
    gr->writable = writable;
    gr->dirfd = fd;
    gr->share = NULL; /* its own until a copy of the state shares it */
    return RVVM_OK;
}

rvvm_status rvvm_grant_dir(rvvm_machine *m, const char *host_dir, const char *guest_dir,
                           bool writable)
{
    if (!m || !host_dir)
        return RVVM_ERR_INVALID_ARGUMENT;
    m->error[0] = '\0';
    if (!RV_OS(m))
        return rv_fail(m, RVVM_ERR_STATE, "the machine has no Linux OS layer");
    return rv_os_grant(m, host_dir, guest_dir, writable, m->error, sizeof m->error);
}
