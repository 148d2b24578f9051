/*
 * The OS state in snapshots: the part of the OS section after its four
 * layout words, specified in docs/snapshot-format.md. Little-endian, field by
 * field; the parser checks every count, length, index and path before
 * anything is applied, and restoring reopens files and checks their contents.
 *
 * Regular files are identified by the SHA-256 of their content when the
 * snapshot is taken (read through the guest path, as resuming will); resuming
 * refuses a file whose content differs, whether the guest only read it or
 * also wrote it.
 */
#include "../core/cpu.h"
#include "../elf/loader.h"
#include "os.h"
#include "../snapshot/codec.h"
#include "sandbox.h"
#include "sysno.h"
#include "rvvm/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CMDLINE (16u << 20)
/* hash_path's result for a path that is not a regular file (no errno says it). */
#define EFTYPE_NOT_REGULAR 4096
/* Kinds only snapshots have: an unnamed regular file with its contents, a listed directory. */
#define SNAP_KIND_GHOST 10
#define SNAP_KIND_LISTED_DIR 11
#define SNAP_KIND_GHOST_DIR 12
#define SNAP_KIND_GHOST_PATH 13
/* Most entries a stored directory listing may have. */
#define MAX_LISTING (1u << 20)

/* ---- a small writer and reader ------------------------------------------------- */

static void o_str(writer *o, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    w_le(o, n, 4);
    w_bytes(o, s, n);
}

/* A length-prefixed string without NUL bytes, at most max bytes; malloc'd. */
static char *i_str(reader *in, uint32_t max)
{
    uint64_t n = r_le(in, 4);
    if (in->failed || n > max) {
        in->failed = true;
        return NULL;
    }
    const uint8_t *p = r_take(in, (size_t)n);
    if (!p || memchr(p, 0, (size_t)n)) {
        in->failed = true;
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (!s) {
        in->failed = true;
        return NULL;
    }
    memcpy(s, p, (size_t)n);
    s[n] = '\0';
    return s;
}

static rvvm_status errf(char *err, size_t err_size, rvvm_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static rvvm_status errf(char *err, size_t err_size, rvvm_status st, const char *fmt, ...)
{
    if (err && err_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, err_size, fmt, ap);
        va_end(ap);
    }
    return st;
}

/* ---- hashing files ---------------------------------------------------------------- */

/*
 * Hashes at most `max` bytes of fd (a regular file); *size gets the bytes read.
 * Reading stops one byte past `max`, so a file larger than expected shows as
 * larger without being read whole.
 */
static int hash_fd(int fd, uint64_t max, uint8_t out[32], uint64_t *size)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return -ENOMEM;
    bool ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
    uint8_t *buf = malloc(1 << 16);
    int e = 0;
    uint64_t total = 0;
    off_t off = 0;
    if (!buf)
        ok = false, e = ENOMEM;
    while (ok && total <= max) {
        uint64_t want = max - total + 1;
        ssize_t n = pread(fd, buf, want < (1 << 16) ? (size_t)want : (1 << 16), off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            e = errno;
            ok = false;
            break;
        }
        if (n == 0)
            break;
        ok = EVP_DigestUpdate(ctx, buf, (size_t)n) == 1;
        off += n;
        total += (uint64_t)n;
    }
    unsigned len = 0;
    ok = ok && EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == 32;
    EVP_MD_CTX_free(ctx);
    free(buf);
    *size = total;
    return ok ? 0 : -(e ? e : EIO);
}

/*
 * Reads all of an open file (a file without a name: its contents go into the
 * snapshot). A write-only host descriptor is reopened for reading.
 */
static int read_whole(int fd, bool readable, uint8_t **out, uint64_t *size)
{
    int rfd = fd;
    if (!readable) {
        char p[64];
        snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
        rfd = open(p, O_RDONLY | O_CLOEXEC);
        if (rfd < 0)
            return -errno;
    }
    struct stat st;
    int r = fstat(rfd, &st) == 0 ? 0 : -errno;
    uint8_t *buf = NULL;
    uint64_t cap = r == 0 && st.st_size > 0 ? (uint64_t)st.st_size : 0, len = 0;
    if (r == 0 && cap > SIZE_MAX / 2)
        r = -EFBIG;
    if (r == 0 && !(buf = malloc(cap ? (size_t)cap : 1)))
        r = -ENOMEM;
    while (r == 0) {
        if (len == cap) {
            uint8_t *nb = realloc(buf, (size_t)(cap ? cap * 2 : 4096));
            if (!nb) {
                r = -ENOMEM;
                break;
            }
            buf = nb;
            cap = cap ? cap * 2 : 4096;
        }
        ssize_t n = pread(rfd, buf + len, (size_t)(cap - len), (off_t)len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            r = -errno;
        if (n <= 0)
            break;
        len += (uint64_t)n;
    }
    if (rfd != fd)
        close(rfd);
    if (r) {
        free(buf);
        return r;
    }
    *out = buf;
    *size = len;
    return 0;
}

/* The guest path of a description, for messages. */
static void describe(const rv_os *os, uint32_t grant, const char *rel, char *out, size_t size)
{
    const char *g = grant < os->grant_count || (grant == RV_OS_SYSROOT && os->has_sysroot)
                        ? os->grants[grant].guest
                        : "?";
    snprintf(out, size, "%s%s%s", g, (rel[0] && strcmp(g, "/")) ? "/" : "", rel);
}

/*
 * Opens a description's path read-only beneath its grant and hashes at most
 * max bytes of it. O_NONBLOCK: a FIFO or device there must never block; only
 * a regular file is read (anything else gives -EFTYPE_NOT_REGULAR).
 */
static int hash_path(const rv_os *os, uint32_t grant, const char *rel, bool follow, uint64_t max,
                     uint8_t out[32], uint64_t *size, struct stat *st)
{
    int fd = rv_beneath_open(os->grants[grant].dirfd, rel, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0,
                             follow, false);
    if (fd < 0)
        return fd;
    int r = fstat(fd, st) == 0 ? 0 : -errno;
    if (r == 0)
        r = S_ISREG(st->st_mode) ? hash_fd(fd, max, out, size) : -EFTYPE_NOT_REGULAR;
    close(fd);
    return r;
}

/* strerror for hash_path's results. */
static const char *open_error(int r)
{
    return r == -EFTYPE_NOT_REGULAR ? "not a regular file" : strerror(-r);
}

/* ---- saving --------------------------------------------------------------------------- */

/*
 * The sysroot's host path (informative: a resumer gives its own), the mapped
 * files still in use (the interpreter, and every file a range refers to) and
 * the file-mapped ranges, with file indexes renumbered to the files written.
 */
static void save_file_maps(const rv_os *os, writer *o)
{
    o_str(o, os->has_sysroot ? os->grants[RV_OS_SYSROOT].host : "");
    uint32_t *index = calloc(os->mfile_count ? os->mfile_count : 1, sizeof *index);
    if (!index) {
        o->failed = true;
        return;
    }
    uint32_t n = 0;
    for (size_t k = 0; k < os->fmap_count; k++)
        index[os->fmaps[k].file] = 1;
    for (uint32_t i = 0; i < os->mfile_count; i++)
        index[i] = index[i] || os->mfiles[i].interp ? n++ : UINT32_MAX;
    w_le(o, n, 4);
    for (uint32_t i = 0; i < os->mfile_count; i++) {
        const rv_mapped_file *f = &os->mfiles[i];
        if (index[i] == UINT32_MAX)
            continue;
        w_le(o, f->root == RV_OS_SYSROOT ? 1 : 0, 1);
        w_le(o, f->interp ? 1 : 0, 1);
        w_le(o, 0, 2);
        w_le(o, f->root == RV_OS_SYSROOT ? 0 : f->root, 4);
        o_str(o, f->rel);
        o_str(o, f->guest);
        w_le(o, f->size, 8);
        w_bytes(o, f->sha256, 32);
    }
    w_le(o, os->fmap_count, 8);
    for (size_t k = 0; k < os->fmap_count; k++) {
        const rv_file_map *r = &os->fmaps[k];
        w_le(o, r->start, 8);
        w_le(o, r->end, 8);
        w_le(o, r->offset, 8);
        w_le(o, index[r->file], 4);
        w_le(o, r->prot, 4);
    }
    free(index);
}

rvvm_status rv_os_save(rvvm_machine *m, uint8_t **data, size_t *len, char *err, size_t err_size)
{
    rv_os *os = RV_OS(m);
    writer o = {0};
    w_le(&o, os->real_time ? 1 : 0, 1);
    w_le(&o, 0, 3);
    w_le(&o, (uint32_t)os->sh_errno, 4);
    w_le(&o, os->rng_state, 8);
    w_le(&o, os->sleep_ns, 8);
    w_le(&o, os->sigmask, 8);
    o_str(&o, os->cwd);
    o_str(&o, os->cmdline);

    w_le(&o, os->grant_count, 4);
    for (uint32_t i = 0; i < os->grant_count; i++) {
        w_le(&o, os->grants[i].writable ? 1 : 0, 1);
        w_le(&o, 0, 3);
        o_str(&o, os->grants[i].host);
        o_str(&o, os->grants[i].guest);
    }

    /* Descriptions in order of their lowest descriptor. */
    rv_file *files[RV_OS_MAX_FDS];
    uint32_t index[RV_OS_MAX_FDS];
    uint32_t nfiles = 0, nfds = 0;
    for (uint32_t fd = 0; fd < os->fd_cap; fd++) {
        rv_file *f = os->fds[fd].file;
        if (!f)
            continue;
        nfds++;
        uint32_t k = 0;
        while (k < nfiles && files[k] != f)
            k++;
        if (k == nfiles)
            files[nfiles++] = f;
        index[fd] = k;
    }
    w_le(&o, nfiles, 4);
    for (uint32_t k = 0; k < nfiles; k++) {
        rv_file *f = files[k];
        uint8_t sum[32] = {0};
        uint64_t size = 0;
        uint8_t kind = f->kind;
        uint8_t *content = NULL;
        uint32_t mode = 0, gflags = 0;
        uint64_t psize = 0;
        if (f->kind == RV_FILE_REGULAR) {
            struct stat held, now;
            char name[RV_OS_PATH_MAX + 64];
            describe(os, f->grant, f->path, name, sizeof name);
            int r = fstat(f->host_fd, &held) == 0 ? 0 : -errno;
            bool ghost = f->ghost || (r == 0 && held.st_nlink == 0);
            if (r == 0 && !ghost) {
                r = hash_path(os, f->grant, f->path, !(f->flags & G_O_NOFOLLOW), UINT64_MAX - 1,
                              sum, &size, &now);
                /* Its name now leads elsewhere or nowhere: a file without a name. */
                if ((r == 0 && (held.st_dev != now.st_dev || held.st_ino != now.st_ino)) ||
                    r == -ENOENT || r == -ENOTDIR || r == -ELOOP || r == -EXDEV || r == -EISDIR ||
                    r == -EFTYPE_NOT_REGULAR)
                    ghost = true, r = 0;
            }
            if (r == 0 && ghost) {
                /* A ghost file: its contents travel in the snapshot. */
                kind = SNAP_KIND_GHOST;
                mode = (uint32_t)held.st_mode & 07777;
                gflags = f->ghost && f->linkable ? 1 : 0;
                r = read_whole(f->host_fd, (f->flags & G_O_ACCMODE) != G_O_WRONLY, &content,
                               &size);
                unsigned n = 0;
                if (r == 0 && (EVP_Digest(content, (size_t)size, sum, &n, EVP_sha256(), NULL) != 1 ||
                               n != 32))
                    r = -ENOMEM;
            }
            if (r) {
                free(content);
                free(o.buf);
                return errf(err, err_size, RVVM_ERR_IO, "cannot snapshot open file '%s': %s",
                            name, strerror(-r));
            }
        } else if (f->kind == RV_FILE_DIR) {
            /* Removed while open (or its path now leads elsewhere): a directory without a name. */
            struct stat held, now;
            bool ghost = f->ghost || f->host_fd < 0;
            mode = f->ghost_mode;
            if (f->host_fd >= 0 && fstat(f->host_fd, &held) == 0) {
                mode = (uint32_t)held.st_mode & 07777;
                if (!ghost) {
                    int pfd = rv_beneath_open(os->grants[f->grant].dirfd, f->path,
                                              O_PATH | O_DIRECTORY, 0, true, false);
                    ghost = held.st_nlink == 0 || pfd < 0 || fstat(pfd, &now) != 0 ||
                            now.st_dev != held.st_dev || now.st_ino != held.st_ino;
                    if (pfd >= 0)
                        close(pfd);
                }
            }
            if (ghost) {
                kind = SNAP_KIND_GHOST_DIR;
                gflags = f->dir_loaded ? 1 : 0;
            } else if (f->dir_loaded) {
                kind = SNAP_KIND_LISTED_DIR;
            }
        } else if (f->kind == RV_FILE_PATH) {
            /* An O_PATH handle whose file lost its name: what stat says travels instead. */
            struct stat held, now;
            bool ghost = f->ghost || f->host_fd < 0;
            mode = f->ghost_mode;
            psize = f->ghost_size;
            if (f->host_fd >= 0 && fstat(f->host_fd, &held) == 0) {
                mode = (uint32_t)held.st_mode & (S_IFMT | 07777);
                psize = held.st_size > 0 ? (uint64_t)held.st_size : 0;
                int pfd = rv_beneath_open(os->grants[f->grant].dirfd, f->path, O_PATH, 0,
                                          !(f->flags & G_O_NOFOLLOW), false);
                ghost = ghost || held.st_nlink == 0 || pfd < 0 || fstat(pfd, &now) != 0 ||
                        now.st_dev != held.st_dev || now.st_ino != held.st_ino;
                if (pfd >= 0)
                    close(pfd);
            }
            if (ghost)
                kind = SNAP_KIND_GHOST_PATH;
        }
        bool local = f->kind == RV_FILE_CONSOLE || f->kind == RV_FILE_FEATURES ||
                     f->kind == RV_FILE_DEVICE || f->kind == RV_FILE_DEVDIR;
        w_le(&o, kind, 1);
        w_le(&o, f->kind == RV_FILE_CONSOLE ? f->console : 0, 1);
        w_le(&o, 0, 2);
        w_le(&o, local ? 0 : f->grant, 4);
        w_le(&o, f->flags, 4);
        o_str(&o, local ? "" : f->path);
        w_le(&o, f->offset, 8);
        w_le(&o, size, 8);
        w_bytes(&o, sum, 32);
        /* What the newer kinds add. */
        if (kind == RV_FILE_DEVICE) {
            w_le(&o, f->device, 1);
            w_le(&o, 0, 3);
        } else if (kind == SNAP_KIND_GHOST) {
            w_le(&o, mode, 4);
            w_le(&o, gflags, 4);
            w_bytes(&o, content, (size_t)size);
            free(content);
        } else if (kind == SNAP_KIND_GHOST_PATH) {
            w_le(&o, mode, 4);
            w_le(&o, 0, 4);
            w_le(&o, psize, 8);
        } else if (kind == SNAP_KIND_LISTED_DIR || kind == SNAP_KIND_GHOST_DIR) {
            if (kind == SNAP_KIND_GHOST_DIR) {
                w_le(&o, mode, 4);
                w_le(&o, gflags, 4);
            }
            if (kind == SNAP_KIND_LISTED_DIR || gflags) {
                w_le(&o, f->dir_count, 4);
                for (size_t i = 0; i < f->dir_count; i++) {
                    w_le(&o, f->dir[i].type, 1);
                    o_str(&o, f->dir[i].name);
                }
            }
        }
    }
    w_le(&o, nfds, 4);
    for (uint32_t fd = 0; fd < os->fd_cap; fd++) {
        if (!os->fds[fd].file)
            continue;
        w_le(&o, (uint64_t)fd, 4);
        w_le(&o, index[fd], 4);
        w_le(&o, os->fds[fd].cloexec ? 1 : 0, 1);
        w_le(&o, 0, 3);
    }
    w_le(&o, os->vma_count, 8);
    for (size_t i = 0; i < os->vma_count; i++) {
        w_le(&o, os->vmas[i].start, 8);
        w_le(&o, os->vmas[i].end, 8);
    }
    w_le(&o, os->umask, 4);
    rv_threads_save(m, &o);
    w_le(&o, os->write_used, 8);
    save_file_maps(os, &o);
    if (o.failed) {
        free(o.buf);
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory building the snapshot");
    }
    *data = o.buf;
    *len = o.len;
    return RVVM_OK;
}

/* ---- parsing ---------------------------------------------------------------------------- */

typedef struct saved_grant {
    bool writable;
    char *host, *guest;
} saved_grant;

typedef struct saved_file {
    uint8_t kind, console;
    uint32_t grant, flags;
    char *path;
    uint64_t offset, size;
    uint8_t sha256[32];
    uint32_t refs;
    uint8_t device;     /* kind RV_FILE_DEVICE */
    uint32_t mode;      /* SNAP_KIND_GHOST: permission bits */
    bool linkable;      /* SNAP_KIND_GHOST: from O_TMPFILE, not yet linked */
    uint8_t *content;   /* SNAP_KIND_GHOST: size bytes */
    rv_dirent *listing; /* SNAP_KIND_LISTED_DIR, SNAP_KIND_GHOST_DIR */
    bool has_listing;
    uint64_t path_size; /* SNAP_KIND_GHOST_PATH: the size stat showed */
    uint32_t listing_count;
} saved_file;

typedef struct saved_fd {
    uint32_t fd, file;
    bool cloexec;
} saved_fd;

struct rv_os_saved {
    bool real_time;
    int32_t sh_errno;
    uint64_t rng_state, sleep_ns, sigmask;
    char *cwd, *cmdline;
    uint32_t grant_count, file_count, fd_count;
    saved_grant grants[RV_OS_MAX_GRANTS];
    saved_file *files;
    saved_fd *fds;
    uint64_t vma_count;
    rv_vma *vmas;
    uint32_t umask;
    rv_threads_saved *threads;
    uint64_t write_used;
    char *sysroot;              /* the saver's sysroot ("" none): only for in-process restores */
    bool needs_sysroot;         /* an open file or a mapped file lives in the sysroot */
    uint32_t mfile_count;
    rv_mapped_file *mfiles;
    uint64_t fmap_count;
    rv_file_map *fmaps;
};

void rv_os_saved_free(rv_os_saved *s)
{
    if (!s)
        return;
    free(s->cwd);
    free(s->cmdline);
    for (uint32_t i = 0; i < s->grant_count; i++) {
        free(s->grants[i].host);
        free(s->grants[i].guest);
    }
    for (uint32_t i = 0; s->files && i < s->file_count; i++) {
        free(s->files[i].path);
        free(s->files[i].content);
        for (uint32_t k = 0; s->files[i].listing && k < s->files[i].listing_count; k++)
            free(s->files[i].listing[k].name);
        free(s->files[i].listing);
    }
    free(s->files);
    free(s->fds);
    free(s->vmas);
    rv_threads_saved_free(s->threads);
    free(s->sysroot);
    for (uint32_t i = 0; s->mfiles && i < s->mfile_count; i++) {
        free(s->mfiles[i].rel);
        free(s->mfiles[i].guest);
    }
    free(s->mfiles);
    free(s->fmaps);
    free(s);
}

/* True if `p` is already absolute and normalised. */
static bool normal_abs(const char *p)
{
    char n[RV_OS_PATH_MAX];
    return p[0] == '/' && rv_path_normalize("/", p, n, NULL) == 0 && strcmp(n, p) == 0;
}

/* True if `p` is "" or a normalised relative path. */
static bool normal_rel(const char *p)
{
    if (!p[0])
        return true;
    char a[RV_OS_PATH_MAX], n[RV_OS_PATH_MAX];
    if (p[0] == '/' || strlen(p) + 2 > sizeof a)
        return false;
    snprintf(a, sizeof a, "/%s", p);
    return rv_path_normalize("/", a, n, NULL) == 0 && strcmp(n, a) == 0;
}

/* Frees the partial result after the message is formatted (it may quote the result). */
static rvvm_status bad_out(rv_os_saved *s, rvvm_status st)
{
    rv_os_saved_free(s);
    return st;
}
#define BAD(...) bad_out(s, errf(err, err_size, RVVM_ERR_SNAPSHOT, __VA_ARGS__))

rvvm_status rv_os_parse(const uint8_t *data, size_t len, uint64_t memory_size, rv_os_saved **out,
                        char *err, size_t err_size)
{
    *out = NULL;
    rv_os_saved *s = calloc(1, sizeof *s);
    if (!s)
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    reader in = {.p = data, .len = len};
    uint64_t rt = r_le(&in, 1), pad = r_le(&in, 3);
    s->sh_errno = (int32_t)(uint32_t)r_le(&in, 4);
    s->rng_state = r_le(&in, 8);
    s->sleep_ns = r_le(&in, 8);
    s->sigmask = r_le(&in, 8);
    s->cwd = i_str(&in, RV_OS_PATH_MAX - 1);
    s->cmdline = i_str(&in, MAX_CMDLINE);
    if (in.failed)
        return BAD("invalid snapshot: os section truncated or malformed");
    if (rt > 1 || pad || s->sh_errno < 0 || s->sh_errno > 4095)
        return BAD("invalid snapshot: os section holds impossible values");
    if (!normal_abs(s->cwd))
        return BAD("invalid snapshot: working directory '%s' is not a normalised path", s->cwd);
    s->real_time = rt != 0;

    uint64_t grants = r_le(&in, 4);
    if (in.failed || grants > RV_OS_MAX_GRANTS)
        return BAD("invalid snapshot: bad number of granted directories");
    for (uint32_t i = 0; i < grants; i++) {
        saved_grant *g = &s->grants[i];
        uint64_t w = r_le(&in, 1), gpad = r_le(&in, 3);
        g->host = i_str(&in, RV_OS_PATH_MAX - 1);
        g->guest = i_str(&in, RV_OS_PATH_MAX - 1);
        s->grant_count = i + 1;
        if (in.failed || w > 1 || gpad)
            return BAD("invalid snapshot: granted directory %u is malformed", i);
        if (g->host[0] != '/' || !normal_abs(g->guest))
            return BAD("invalid snapshot: granted directory %u has a bad path", i);
        for (uint32_t j = 0; j < i; j++)
            if (!strcmp(s->grants[j].guest, g->guest))
                return BAD("invalid snapshot: guest directory '%s' granted twice", g->guest);
        g->writable = w != 0;
    }

    uint64_t files = r_le(&in, 4);
    if (in.failed || files > RV_OS_MAX_FDS)
        return BAD("invalid snapshot: bad number of open files");
    s->files = calloc(files ? (size_t)files : 1, sizeof *s->files);
    if (!s->files)
        return BAD("out of memory");
    for (uint32_t i = 0; i < files; i++) {
        saved_file *f = &s->files[i];
        f->kind = (uint8_t)r_le(&in, 1);
        f->console = (uint8_t)r_le(&in, 1);
        uint64_t fpad = r_le(&in, 2);
        f->grant = (uint32_t)r_le(&in, 4);
        f->flags = (uint32_t)r_le(&in, 4);
        f->path = i_str(&in, RV_OS_PATH_MAX - 1);
        f->offset = r_le(&in, 8);
        f->size = r_le(&in, 8);
        const uint8_t *sum = r_take(&in, 32);
        s->file_count = i + 1;
        if (in.failed || fpad)
            return BAD("invalid snapshot: open file %u is malformed", i);
        memcpy(f->sha256, sum, 32);
        bool pipe = f->kind == RV_FILE_PIPE; /* grant: the pipe's id, checked below */
        bool local = f->kind == RV_FILE_CONSOLE || f->kind == RV_FILE_FEATURES ||
                     f->kind == RV_FILE_DEVICE || f->kind == RV_FILE_DEVDIR;
        bool known = f->kind <= RV_FILE_FEATURES || pipe || f->kind == RV_FILE_DEVICE ||
                     f->kind == RV_FILE_DEVDIR || f->kind == SNAP_KIND_GHOST ||
                     f->kind == SNAP_KIND_LISTED_DIR || f->kind == SNAP_KIND_GHOST_DIR ||
                     f->kind == SNAP_KIND_GHOST_PATH;
        bool sized = f->kind == RV_FILE_REGULAR || f->kind == SNAP_KIND_GHOST;
        bool ok = known && f->offset <= INT64_MAX &&
                  (!pipe || (f->path[0] == '\0' && f->offset == 0 &&
                             (f->flags & ~(uint32_t)(G_O_ACCMODE | G_O_NONBLOCK | G_O_APPEND)) == 0 &&
                             (f->flags & G_O_ACCMODE) <= G_O_WRONLY)) &&
                  (local ? f->grant == 0 && f->path[0] == '\0'
                         : pipe || f->grant < s->grant_count || f->grant == RV_OS_SYSROOT) &&
                  (f->kind == RV_FILE_CONSOLE ? f->console <= 2 : f->console == 0) &&
                  normal_rel(f->path) &&
                  ((f->flags & G_O_ACCMODE) != 3 || f->kind == RV_FILE_PATH ||
                   f->kind == SNAP_KIND_GHOST_PATH ||
                   (f->kind == RV_FILE_DEVICE && (f->flags & G_O_PATH))) &&
                  (sized || f->size == 0);
        if (!ok)
            return BAD("invalid snapshot: open file %u holds impossible values", i);
        if (f->kind == RV_FILE_DEVICE) {
            uint64_t d = r_le(&in, 1), dpad = r_le(&in, 3);
            if (in.failed || d < 1 || d >= RV_DEV_COUNT || dpad)
                return BAD("invalid snapshot: device file %u is malformed", i);
            f->device = (uint8_t)d;
        } else if (f->kind == SNAP_KIND_GHOST) {
            uint64_t mode = r_le(&in, 4), gflags = r_le(&in, 4);
            if (in.failed || mode > 07777 || gflags > 1 || f->size > in.len - in.pos)
                return BAD("invalid snapshot: unnamed file %u is malformed", i);
            const uint8_t *p = r_take(&in, (size_t)f->size);
            uint8_t check[32];
            unsigned n = 0;
            f->content = malloc(f->size ? (size_t)f->size : 1);
            if (!f->content)
                return BAD("out of memory");
            if (f->size)
                memcpy(f->content, p, (size_t)f->size);
            if (in.failed || EVP_Digest(f->content, (size_t)f->size, check, &n, EVP_sha256(), NULL) != 1 || n != 32 ||
                memcmp(check, f->sha256, 32) != 0)
                return BAD("invalid snapshot: unnamed file %u does not match its SHA-256", i);
            f->mode = (uint32_t)mode;
            f->linkable = gflags != 0;
        }
        if (f->kind == SNAP_KIND_GHOST_PATH) {
            uint64_t mode = r_le(&in, 4), ppad = r_le(&in, 4), psize = r_le(&in, 8);
            uint64_t type = mode & S_IFMT;
            bool type_ok = type == S_IFREG || type == S_IFDIR || type == S_IFLNK ||
                           type == S_IFIFO || type == S_IFSOCK || type == S_IFCHR ||
                           type == S_IFBLK;
            if (in.failed || (mode & ~(uint64_t)(S_IFMT | 07777)) || !type_ok || ppad ||
                psize > INT64_MAX)
                return BAD("invalid snapshot: O_PATH handle %u is malformed", i);
            f->mode = (uint32_t)mode;
            f->path_size = psize;
        }
        bool listed = f->kind == SNAP_KIND_LISTED_DIR;
        if (f->kind == SNAP_KIND_GHOST_DIR) {
            uint64_t mode = r_le(&in, 4), gflags = r_le(&in, 4);
            if (in.failed || mode > 07777 || gflags > 1)
                return BAD("invalid snapshot: removed directory %u is malformed", i);
            f->mode = (uint32_t)mode;
            listed = gflags != 0;
            f->has_listing = listed;
        }
        if (listed) {
            uint64_t count = r_le(&in, 4);
            if (in.failed || count > MAX_LISTING || count > (in.len - in.pos) / 5)
                return BAD("invalid snapshot: directory listing %u is malformed", i);
            f->listing = calloc(count ? (size_t)count : 1, sizeof *f->listing);
            if (!f->listing)
                return BAD("out of memory");
            for (uint32_t k = 0; k < count; k++) {
                uint64_t type = r_le(&in, 1);
                char *name = i_str(&in, 255);
                f->listing[k].name = name;
                f->listing[k].type = (uint8_t)type;
                f->listing_count = k + 1;
                if (in.failed || type > 14 || !name[0] || strchr(name, '/'))
                    return BAD("invalid snapshot: directory listing %u is malformed", i);
            }
            if (f->offset > count)
                return BAD("invalid snapshot: directory listing %u is malformed", i);
        }
    }

    uint64_t fds = r_le(&in, 4);
    if (in.failed || fds > RV_OS_MAX_FDS)
        return BAD("invalid snapshot: bad number of file descriptors");
    s->fds = calloc(fds ? (size_t)fds : 1, sizeof *s->fds);
    if (!s->fds)
        return BAD("out of memory");
    s->fd_count = (uint32_t)fds;
    for (uint32_t i = 0; i < fds; i++) {
        saved_fd *d = &s->fds[i];
        uint64_t fd = r_le(&in, 4), file = r_le(&in, 4), cl = r_le(&in, 1), dpad = r_le(&in, 3);
        if (in.failed || fd >= RV_OS_MAX_FDS || file >= s->file_count || cl > 1 || dpad ||
            (i > 0 && fd <= s->fds[i - 1].fd))
            return BAD("invalid snapshot: file descriptor entry %u is malformed", i);
        d->fd = (uint32_t)fd;
        d->file = (uint32_t)file;
        d->cloexec = cl != 0;
        s->files[file].refs++;
    }
    for (uint32_t i = 0; i < s->file_count; i++)
        if (s->files[i].refs == 0)
            return BAD("invalid snapshot: open file %u has no descriptor", i);

    uint64_t vmas = r_le(&in, 8);
    if (in.failed || vmas > RV_OS_MAX_VMAS || vmas > (in.len - in.pos) / 16)
        return BAD("invalid snapshot: bad number of memory mappings");
    s->vmas = calloc(vmas ? (size_t)vmas : 1, sizeof *s->vmas);
    if (!s->vmas)
        return BAD("out of memory");
    s->vma_count = vmas;
    for (uint64_t i = 0; i < vmas; i++) {
        uint64_t a = r_le(&in, 8), b = r_le(&in, 8);
        if (in.failed || (a | b) & RV_PAGE_MASK || a >= b || b > memory_size ||
            (i > 0 && a <= s->vmas[i - 1].end))
            return BAD("invalid snapshot: memory mapping %llu is malformed",
                       (unsigned long long)i);
        s->vmas[i] = (rv_vma){a, b};
    }
    uint64_t um = r_le(&in, 4);
    if (in.failed || um > 0777)
        return BAD("invalid snapshot: bad umask");
    s->umask = (uint32_t)um;
    char why[256];
    s->threads = rv_threads_parse(&in, why, sizeof why);
    if (!s->threads)
        return BAD("%s", why);
    for (uint32_t i = 0; i < s->file_count; i++)
        if (s->files[i].kind == RV_FILE_PIPE && !rv_threads_has_pipe(s->threads, s->files[i].grant))
            return BAD("invalid snapshot: open file %u is the end of a pipe that does not exist", i);
    for (uint32_t id = 0; id < RV_OS_MAX_PIPES; id++) {
        bool used = false;
        for (uint32_t i = 0; i < s->file_count && !used; i++)
            used = s->files[i].kind == RV_FILE_PIPE && s->files[i].grant == id;
        if (!used && rv_threads_has_pipe(s->threads, id))
            return BAD("invalid snapshot: pipe %u has no open end", id);
    }
    s->write_used = r_le(&in, 8);
    if (in.failed)
        return BAD("invalid snapshot: os section truncated (bytes written)");
    for (uint32_t i = 0; i < s->file_count; i++)
        if (s->files[i].kind != RV_FILE_PIPE && s->files[i].grant == RV_OS_SYSROOT)
            s->needs_sysroot = true;
    s->sysroot = i_str(&in, RV_OS_PATH_MAX - 1);
    uint64_t mfiles = r_le(&in, 4);
    if (in.failed || (s->sysroot[0] && s->sysroot[0] != '/') || mfiles > RV_OS_MAX_VMAS ||
        mfiles > (in.len - in.pos) / 56)
        return BAD("invalid snapshot: bad number of mapped files");
    s->mfiles = calloc(mfiles ? (size_t)mfiles : 1, sizeof *s->mfiles);
    if (!s->mfiles)
        return BAD("out of memory");
    bool have_interp = false;
    for (uint32_t i = 0; i < mfiles; i++) {
        rv_mapped_file *f = &s->mfiles[i];
        uint64_t sys = r_le(&in, 1), interp = r_le(&in, 1), mpad = r_le(&in, 2);
        uint64_t grant = r_le(&in, 4);
        f->rel = i_str(&in, RV_OS_PATH_MAX - 1);
        f->guest = i_str(&in, RV_OS_PATH_MAX - 1);
        f->size = r_le(&in, 8);
        const uint8_t *sum = r_take(&in, 32);
        s->mfile_count = i + 1;
        if (in.failed || sys > 1 || interp > 1 || mpad || (sys && grant) ||
            (!sys && grant >= s->grant_count) || (interp && !sys) || (interp && have_interp) ||
            !f->rel[0] || !normal_rel(f->rel) || !normal_abs(f->guest) || f->size > INT64_MAX)
            return BAD("invalid snapshot: mapped file %u is malformed", i);
        memcpy(f->sha256, sum, 32);
        f->root = sys ? RV_OS_SYSROOT : (uint32_t)grant;
        f->interp = interp != 0;
        have_interp |= f->interp;
        s->needs_sysroot |= sys != 0;
    }
    uint64_t fmaps = r_le(&in, 8);
    if (in.failed || fmaps > RV_OS_MAX_VMAS || fmaps > (in.len - in.pos) / 32)
        return BAD("invalid snapshot: bad number of file mappings");
    s->fmaps = calloc(fmaps ? (size_t)fmaps : 1, sizeof *s->fmaps);
    if (!s->fmaps)
        return BAD("out of memory");
    s->fmap_count = fmaps;
    uint64_t vk = 0;
    for (uint64_t i = 0; i < fmaps; i++) {
        rv_file_map *r = &s->fmaps[i];
        r->start = r_le(&in, 8);
        r->end = r_le(&in, 8);
        r->offset = r_le(&in, 8);
        uint64_t file = r_le(&in, 4), prot = r_le(&in, 4);
        if (in.failed || ((r->start | r->end | r->offset) & RV_PAGE_MASK) || r->start >= r->end ||
            r->end > memory_size || r->offset > INT64_MAX || file >= s->mfile_count ||
            s->mfiles[file].interp || prot > 7 || (i > 0 && r->start < s->fmaps[i - 1].end))
            return BAD("invalid snapshot: file mapping %llu is malformed", (unsigned long long)i);
        r->file = (uint32_t)file;
        r->prot = (uint32_t)prot;
        /* Inside one recorded mapping (both lists are sorted: one pass over both). */
        while (vk < s->vma_count && s->vmas[vk].end <= r->start)
            vk++;
        if (vk == s->vma_count || s->vmas[vk].start > r->start || r->end > s->vmas[vk].end)
            return BAD("invalid snapshot: file mapping %llu is outside the mappings",
                       (unsigned long long)i);
    }
    if (in.pos != in.len)
        return BAD("invalid snapshot: os section is overlong");
    *out = s;
    return RVVM_OK;
}

#undef BAD

/* ---- restoring -------------------------------------------------------------------------- */

#define FAIL(...) errf(err, err_size, RVVM_ERR_SNAPSHOT, __VA_ARGS__)

static rvvm_status reopen(rvvm_machine *m, const saved_file *sf, rv_file **out, char *err,
                          size_t err_size)
{
    rv_os *os = RV_OS(m);
    rv_file *f = calloc(1, sizeof *f);
    char *path = strdup(sf->path);
    if (!f || !path) {
        free(f);
        free(path);
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    }
    f->kind = sf->kind == SNAP_KIND_GHOST                                            ? RV_FILE_REGULAR
              : sf->kind == SNAP_KIND_LISTED_DIR || sf->kind == SNAP_KIND_GHOST_DIR ? RV_FILE_DIR
              : sf->kind == SNAP_KIND_GHOST_PATH                                    ? RV_FILE_PATH
                                                                                    : sf->kind;
    f->console = sf->console;
    f->grant = sf->grant;
    f->flags = sf->flags;
    f->offset = sf->offset;
    f->path = path;
    f->host_fd = -1;
    f->refs = 0;
    f->device = sf->device;
    *out = f;
    if (sf->kind == RV_FILE_CONSOLE || sf->kind == RV_FILE_FEATURES ||
        sf->kind == RV_FILE_DEVICE || sf->kind == RV_FILE_DEVDIR)
        return RVVM_OK;
    if (sf->kind == RV_FILE_PIPE) {
        rv_pipe_attach(os, f, sf->grant);
        return RVVM_OK;
    }
    char name[RV_OS_PATH_MAX + 64];
    describe(os, sf->grant, sf->path, name, sizeof name);
    const rv_grant *g = &os->grants[sf->grant];
    bool follow = !(sf->flags & G_O_NOFOLLOW);
    /* The resumer's grant decides the access, before anything is opened. */
    if (!g->writable && (sf->flags & G_O_ACCMODE) != G_O_RDONLY && sf->kind != RV_FILE_PATH &&
        sf->kind != SNAP_KIND_GHOST_PATH)
        return FAIL("file '%s' is open for writing but '%s' is granted read-only: resume with "
                    "--dir HOST:%s:rw", name, g->guest, g->guest);
    if (sf->kind == SNAP_KIND_GHOST) {
        /*
         * A file without a name, where the guest cannot reach it by any
         * path: an O_TMPFILE in its directory when linkat may still name it,
         * otherwise in memory (memfd), or an O_TMPFILE in the grant's root.
         */
        f->ghost = true;
        f->linkable = sf->linkable;
        int fd = -1;
        if (sf->linkable)
            fd = rv_beneath_open(g->dirfd, sf->path, O_TMPFILE | O_RDWR, 0600, true, false);
        if (fd < 0)
            fd = memfd_create("rvvm-ghost", MFD_CLOEXEC);
        if (fd < 0)
            fd = rv_beneath_open(g->dirfd, "", O_TMPFILE | O_RDWR, 0600, true, false);
        if (fd < 0)
            return FAIL("cannot recreate the unnamed file that was '%s': %s", name,
                        strerror(fd == -1 ? errno : -fd));
        f->host_fd = fd;
        for (uint64_t done = 0; done < sf->size;) {
            ssize_t n = pwrite(fd, sf->content + done, (size_t)(sf->size - done), (off_t)done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return FAIL("cannot recreate the unnamed file that was '%s': %s", name,
                            n < 0 ? strerror(errno) : "short write");
            done += (uint64_t)n;
        }
        if (fchmod(fd, (mode_t)sf->mode) != 0)
            return FAIL("cannot recreate the unnamed file that was '%s': %s", name,
                        strerror(errno));
        return RVVM_OK;
    }
    if (sf->kind == RV_FILE_REGULAR) {
        uint8_t sum[32];
        uint64_t size;
        struct stat st;
        /* Read at most the recorded size (and one byte more, to see growth). */
        int r = hash_path(os, sf->grant, sf->path, follow, sf->size, sum, &size, &st);
        if (r)
            return FAIL("cannot reopen '%s' from the snapshot: %s", name, open_error(r));
        if (size != sf->size || memcmp(sum, sf->sha256, 32) != 0)
            return FAIL("file '%s' changed since the snapshot was taken (SHA-256 differs)", name);
    }
    /* O_NONBLOCK until the kind is known: what replaced the file may be a FIFO. */
    int flags = rv_os_reopen_flags(sf->flags);
    if (sf->kind == SNAP_KIND_GHOST_DIR || sf->kind == SNAP_KIND_GHOST_PATH) {
        /* Removed while open: nothing on the host; stat and getdents know it. */
        f->ghost = true;
        f->ghost_mode = sf->mode;
        f->ghost_size = sf->path_size;
    } else {
        int extra = (flags & O_PATH) ? 0 : O_NONBLOCK | O_NOCTTY; /* O_PATH takes no others */
        int fd = rv_beneath_open(g->dirfd, sf->path, flags | extra, 0, follow, false);
        if (fd < 0)
            return FAIL("cannot reopen '%s' from the snapshot: %s", name, strerror(-fd));
        f->host_fd = fd;
    }
    struct stat st;
    if (f->host_fd >= 0 && fstat(f->host_fd, &st) != 0)
        return FAIL("cannot reopen '%s' from the snapshot: %s", name, strerror(errno));
    bool ok = f->host_fd < 0                                                 ? true
              : sf->kind == RV_FILE_REGULAR                                  ? S_ISREG(st.st_mode)
              : sf->kind == RV_FILE_DIR || sf->kind == SNAP_KIND_LISTED_DIR ? S_ISDIR(st.st_mode)
                                                                             : true;
    if (!ok)
        return FAIL("'%s' is no longer a %s", name,
                    sf->kind == RV_FILE_REGULAR ? "regular file" : "directory");
    if (f->host_fd >= 0 && !(flags & O_NONBLOCK) && !(flags & O_PATH)) {
        int fl = fcntl(f->host_fd, F_GETFL);
        if (fl >= 0)
            fcntl(f->host_fd, F_SETFL, fl & ~O_NONBLOCK);
    }
    if (sf->kind == SNAP_KIND_LISTED_DIR || sf->has_listing) {
        /* The listing the guest was reading, as it was read. */
        f->dir = calloc(sf->listing_count ? sf->listing_count : 1, sizeof *f->dir);
        if (!f->dir)
            return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
        for (uint32_t k = 0; k < sf->listing_count; k++) {
            f->dir[k].type = sf->listing[k].type;
            if (!(f->dir[k].name = strdup(sf->listing[k].name)))
                return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
            f->dir_count = k + 1;
        }
        f->dir_loaded = true;
    }
    return RVVM_OK;
}

/* The guest path a resumer's grant names, normalised as rvvm_grant_dir does. */
static bool grant_guest_path(const rvvm_resume_grant *g, char out[RV_OS_PATH_MAX])
{
    const char *p = g->guest ? g->guest : g->host;
    return p && p[0] && (!g->guest || p[0] == '/') && rv_path_normalize("/", p, out, NULL) == 0;
}

/* True if some description beneath saved grant i is open for writing. */
static bool grant_needs_write(const rv_os_saved *s, uint32_t i)
{
    for (uint32_t k = 0; k < s->file_count; k++) {
        const saved_file *f = &s->files[k];
        bool local = f->kind == RV_FILE_CONSOLE || f->kind == RV_FILE_FEATURES ||
                     f->kind == RV_FILE_DEVICE || f->kind == RV_FILE_DEVDIR;
        if (!local && f->kind != RV_FILE_PATH && f->kind != SNAP_KIND_GHOST_PATH &&
            f->kind != RV_FILE_PIPE && f->grant == i && (f->flags & G_O_ACCMODE) != G_O_RDONLY)
            return true;
    }
    return false;
}

/*
 * Grants the directories: each one the snapshot recorded must be granted by
 * the resumer at the same guest path (the snapshot's host path is never
 * used), then the resumer's other grants follow.
 */
static rvvm_status grant_again(rvvm_machine *m, const rv_os_saved *s,
                               const rvvm_resume_options *opt, char *err, size_t err_size)
{
    char why[512], gp[RV_OS_PATH_MAX];
    if (!opt) {
        /* No resume options: the machine's own state restored in process
         * (checkpoints, fork), never a file. Its grants are kept as they were. */
        for (uint32_t i = 0; i < s->grant_count; i++) {
            rvvm_status st = rv_os_grant(m, s->grants[i].host, s->grants[i].guest,
                                         s->grants[i].writable, why, sizeof why);
            if (st != RVVM_OK)
                return FAIL("cannot grant the directory again: %s", why);
        }
        return RVVM_OK;
    }
    size_t n = opt->grant_count;
    const rvvm_resume_grant *gs = opt->grants;
    bool used[RV_OS_MAX_GRANTS] = {0};
    if (n > RV_OS_MAX_GRANTS)
        return errf(err, err_size, RVVM_ERR_INVALID_ARGUMENT,
                    "too many granted directories (at most %d)", RV_OS_MAX_GRANTS);
    for (size_t j = 0; j < n; j++)
        if (!gs[j].host || !grant_guest_path(&gs[j], gp))
            return errf(err, err_size, RVVM_ERR_INVALID_ARGUMENT,
                        "granted directory %zu has no valid host or guest path", j);
    for (uint32_t i = 0; i < s->grant_count; i++) {
        const char *want = s->grants[i].guest;
        size_t j = 0;
        while (j < n && !(grant_guest_path(&gs[j], gp) && strcmp(gp, want) == 0))
            j++;
        bool w = grant_needs_write(s, i);
        if (j == n)
            return FAIL("the snapshot needs guest directory '%s'%s: resume with --dir HOST:%s%s",
                        want, w ? " (writable)" : "", want, w ? ":rw" : "");
        used[j] = true;
        rvvm_status st = rv_os_grant(m, gs[j].host, want, gs[j].writable, why, sizeof why);
        if (st != RVVM_OK)
            return errf(err, err_size, st == RVVM_ERR_NO_MEMORY ? st : RVVM_ERR_SNAPSHOT,
                        "cannot grant '%s' at '%s': %s", gs[j].host, want, why);
    }
    for (size_t j = 0; j < n; j++) {
        if (used[j])
            continue;
        rvvm_status st = rv_os_grant(m, gs[j].host, gs[j].guest, gs[j].writable, why, sizeof why);
        if (st != RVVM_OK)
            return errf(err, err_size, st == RVVM_ERR_NO_MEMORY ? st : RVVM_ERR_SNAPSHOT,
                        "cannot grant '%s': %s", gs[j].host, why);
    }
    return RVVM_OK;
}

/*
 * The sysroot: a resumer's own (rvvm_resume_options.sysroot, already set up
 * when the program was loaded); the saver's only when restoring in the same
 * process (opt NULL: checkpoints and forks).
 */
static rvvm_status sysroot_again(rvvm_machine *m, const rv_os_saved *s,
                                 const rvvm_resume_options *opt, char *err, size_t err_size)
{
    rv_os *os = RV_OS(m);
    if (!opt && !os->has_sysroot && s->sysroot[0]) {
        rv_grant *g = &os->grants[RV_OS_SYSROOT];
        g->host = strdup(s->sysroot);
        g->guest = strdup("/");
        g->writable = false;
        g->dirfd = open(s->sysroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (!g->host || !g->guest || g->dirfd < 0)
            return FAIL("cannot open the sysroot '%s' again", s->sysroot);
        os->has_sysroot = true;
    }
    if (s->needs_sysroot && !os->has_sysroot)
        return FAIL("the snapshot maps or holds open files from a sysroot: resume with "
                    "--sysroot DIR");
    return RVVM_OK;
}

static rvvm_status remap_files(rvvm_machine *m, const size_t *first, const size_t *order,
                               char *err, size_t err_size);

/*
 * The mapped files and file-mapped ranges. From a snapshot file (opt set),
 * each file is read again beneath its root and must have its recorded size
 * and SHA-256; its bytes then go into every page of its ranges that the
 * snapshot did not hold (those are not dirty). In-process restores have the
 * pages already.
 */
static rvvm_status file_maps_again(rvvm_machine *m, const rv_os_saved *s,
                                   const rvvm_resume_options *opt, char *err, size_t err_size)
{
    rv_os *os = RV_OS(m);
    rv_fmap_free(os);
    os->mfiles = calloc(s->mfile_count ? s->mfile_count : 1, sizeof *os->mfiles);
    os->fmaps = calloc(s->fmap_count ? (size_t)s->fmap_count : 1, sizeof *os->fmaps);
    if (!os->mfiles || !os->fmaps)
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    os->mfile_cap = s->mfile_count ? s->mfile_count : 1;
    os->fmap_cap = s->fmap_count ? (size_t)s->fmap_count : 1;
    for (uint32_t i = 0; i < s->mfile_count; i++) {
        rv_mapped_file *f = &os->mfiles[i];
        *f = s->mfiles[i];
        f->host_dev = f->host_ino = 0;
        f->host_mtime_ns = 0;
        f->rel = strdup(s->mfiles[i].rel);
        f->guest = strdup(s->mfiles[i].guest);
        os->mfile_count = i + 1;
        if (!f->rel || !f->guest)
            return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    }
    if (s->fmap_count)
        memcpy(os->fmaps, s->fmaps, (size_t)s->fmap_count * sizeof *os->fmaps);
    os->fmap_count = (size_t)s->fmap_count;
    if (!opt)
        return RVVM_OK;
    /* The file mappings grouped by file (a counting sort), so each is visited once. */
    size_t *first = calloc((size_t)os->mfile_count + 1, sizeof *first);
    size_t *order = calloc(os->fmap_count ? os->fmap_count : 1, sizeof *order);
    if (!first || !order) {
        free(first);
        free(order);
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    }
    for (size_t k = 0; k < os->fmap_count; k++)
        first[os->fmaps[k].file + 1]++;
    for (uint32_t i = 0; i < os->mfile_count; i++)
        first[i + 1] += first[i];
    for (size_t k = 0; k < os->fmap_count; k++)
        order[first[os->fmaps[k].file]++] = k;
    for (uint32_t i = os->mfile_count; i > 0; i--) /* first[i] was bumped to the end */
        first[i] = first[i - 1];
    first[0] = 0;
    rvvm_status st = remap_files(m, first, order, err, err_size);
    free(first);
    free(order);
    return st;
}

/* Rereads each mapped file (checking it) and puts its bytes into its mappings' clean pages. */
static rvvm_status remap_files(rvvm_machine *m, const size_t *first, const size_t *order,
                               char *err, size_t err_size)
{
    rv_os *os = RV_OS(m);
    for (uint32_t i = 0; i < os->mfile_count; i++) {
        const rv_mapped_file *f = &os->mfiles[i];
        if (f->interp) {
            const struct rv_elf_info *e = m->elf;
            if (!e || !e->interp || e->interp_size != f->size ||
                memcmp(e->interp_sha256, f->sha256, 32) != 0)
                return FAIL("interpreter '%s' in the sysroot differs from the one in the "
                            "snapshot (SHA-256 mismatch)", f->guest);
            continue;
        }
        const rv_grant *g = &os->grants[f->root];
        int fd = rv_beneath_open(g->dirfd, f->rel, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0, true,
                                 false);
        if (fd < 0)
            return FAIL("mapped file '%s' is missing: %s", f->guest, strerror(-fd));
        struct stat st;
        uint8_t *data = NULL;
        uint64_t size = 0;
        int r = fstat(fd, &st) == 0 ? (S_ISREG(st.st_mode) ? 0 : -EFTYPE_NOT_REGULAR) : -errno;
        if (r == 0 && (uint64_t)st.st_size != f->size)
            r = -ERANGE;
        if (r == 0)
            r = read_whole(fd, true, &data, &size);
        close(fd);
        uint8_t sum[32];
        unsigned n = 0;
        if (r == -ERANGE || (r == 0 && (size != f->size ||
                                        EVP_Digest(data, (size_t)size, sum, &n, EVP_sha256(),
                                                   NULL) != 1 ||
                                        n != 32 || memcmp(sum, f->sha256, 32) != 0))) {
            free(data);
            return FAIL("mapped file '%s' changed since the snapshot was taken (SHA-256 differs)",
                        f->guest);
        }
        if (r) {
            free(data);
            return FAIL("cannot read mapped file '%s': %s", f->guest, open_error(r));
        }
        for (size_t j = first[i]; j < first[i + 1]; j++) {
            const rv_file_map *fm = &os->fmaps[order[j]];
            for (uint64_t a = fm->start; a < fm->end; a += RV_PAGE_SIZE) {
                uint64_t p = a >> RV_PAGE_SHIFT;
                if (m->mem.dirty[p])
                    continue; /* the snapshot held this page */
                uint64_t off = fm->offset + (a - fm->start);
                uint64_t len = off < size ? (size - off < RV_PAGE_SIZE ? size - off : RV_PAGE_SIZE)
                                          : 0;
                if (rv_memory_prepare_write(&m->mem, a, RV_PAGE_SIZE) != 0) {
                    free(data);
                    return errf(err, err_size, RVVM_ERR_NO_MEMORY,
                                "out of memory mapping '%s' again", f->guest);
                }
                memset(m->mem.base + a, 0, RV_PAGE_SIZE);
                memcpy(m->mem.base + a, data + off, (size_t)len);
                rv_memory_mark_written(&m->mem, a, RV_PAGE_SIZE);
                m->mem.dirty[p] = 0;
                if (len)
                    m->mem.flags[p] |= RV_PAGE_TOUCHED;
                else
                    m->mem.flags[p] &= (uint8_t)~RV_PAGE_TOUCHED;
            }
        }
        free(data);
    }
    return RVVM_OK;
}

rvvm_status rv_os_restore(rvvm_machine *m, const rv_os_saved *s, const rvvm_resume_options *opt,
                          char *err, size_t err_size)
{
    rv_os *os = RV_OS(m);
    /* The fresh machine's own console descriptors give way to the saved table. */
    for (uint32_t fd = 0; fd < os->fd_cap; fd++)
        if (os->fds[fd].file)
            rv_os_close(m, (uint64_t)fd);
    rvvm_status gst = grant_again(m, s, opt, err, err_size);
    if (gst == RVVM_OK)
        gst = sysroot_again(m, s, opt, err, err_size);
    if (gst != RVVM_OK)
        return gst;
    rvvm_status st = rv_threads_restore(m, s->threads, err, err_size);
    if (st != RVVM_OK)
        return st;
    rv_file **files = calloc(s->file_count ? s->file_count : 1, sizeof *files);
    if (!files)
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    for (uint32_t i = 0; i < s->file_count && st == RVVM_OK; i++)
        st = reopen(m, &s->files[i], &files[i], err, err_size);
    /* Descriptors are sorted: room for the highest is room for all. */
    if (st == RVVM_OK && s->fd_count && !rv_os_fd_reserve(os, s->fds[s->fd_count - 1].fd))
        st = errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    if (st != RVVM_OK) {
        for (uint32_t i = 0; i < s->file_count; i++) {
            if (files[i]) {
                files[i]->refs = 1;
                rv_os_file_unref(files[i]);
            }
        }
        free(files);
        return st;
    }
    for (uint32_t i = 0; i < s->fd_count; i++) {
        rv_file *f = files[s->fds[i].file];
        f->refs++;
        os->fds[s->fds[i].fd].file = f;
        os->fds[s->fds[i].fd].cloexec = s->fds[i].cloexec;
    }
    free(files);

    char *cwd = strdup(s->cwd);
    char *cmd = strdup(s->cmdline);
    rv_vma *v = malloc((s->vma_count ? s->vma_count : 1) * sizeof *v);
    if (!cwd || !cmd || !v) {
        free(cwd);
        free(cmd);
        free(v);
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    }
    free(os->cwd);
    os->cwd = cwd;
    free(os->cmdline);
    os->cmdline = cmd;
    if (s->vma_count)
        memcpy(v, s->vmas, s->vma_count * sizeof *v);
    free(os->vmas);
    os->vmas = v;
    os->vma_cap = s->vma_count ? s->vma_count : 1;
    os->vma_count = s->vma_count;
    os->real_time = s->real_time;
    os->sh_errno = s->sh_errno;
    os->rng_state = s->rng_state;
    os->sleep_ns = s->sleep_ns;
    os->sigmask = s->sigmask;
    os->umask = s->umask;
    os->write_used = s->write_used;

    st = file_maps_again(m, s, opt, err, err_size);
    if (st != RVVM_OK)
        return st;

    uint64_t saved_low = m->layout.mmap_low;
    rv_mm_update_low(m);
    if (m->layout.mmap_low != saved_low)
        return FAIL("invalid snapshot: mmap low 0x%llx does not match the mappings (0x%llx)",
                    (unsigned long long)saved_low, (unsigned long long)m->layout.mmap_low);
    return RVVM_OK;
}

/* ---- describing what resuming needs ------------------------------------------------ */

rvvm_status rv_os_describe(const rv_os_saved *s, rvvm_snapshot_info *info)
{
    info->grants = calloc(s->grant_count ? s->grant_count : 1, sizeof *info->grants);
    info->files = calloc(s->file_count ? s->file_count : 1, sizeof *info->files);
    info->mappings = calloc(s->vma_count ? s->vma_count : 1, sizeof *info->mappings);
    if (!info->grants || !info->files || !info->mappings)
        return RVVM_ERR_NO_MEMORY;
    for (uint32_t i = 0; i < s->grant_count; i++) {
        struct rvvm_snapshot_grant *g = &info->grants[i];
        g->host = strdup(s->grants[i].host);
        g->guest = strdup(s->grants[i].guest);
        g->writable = s->grants[i].writable;
        g->needs_write = grant_needs_write(s, i);
        info->grant_count = i + 1;
        if (!g->host || !g->guest)
            return RVVM_ERR_NO_MEMORY;
    }
    for (uint32_t i = 0; i < s->file_count; i++) {
        const saved_file *f = &s->files[i];
        /* Only what lives beneath a granted directory (devices and pipes need nothing). */
        if (f->kind == RV_FILE_CONSOLE || f->kind == RV_FILE_FEATURES ||
            f->kind == RV_FILE_DEVICE || f->kind == RV_FILE_DEVDIR || f->kind == RV_FILE_PIPE)
            continue;
        struct rvvm_snapshot_file *o = &info->files[info->file_count++];
        const char *g = f->grant == RV_OS_SYSROOT ? "/" : s->grants[f->grant].guest;
        size_t n = strlen(g) + strlen(f->path) + 2;
        o->guest_path = malloc(n);
        if (!o->guest_path)
            return RVVM_ERR_NO_MEMORY;
        snprintf(o->guest_path, n, "%s%s%s", g, (f->path[0] && strcmp(g, "/")) ? "/" : "",
                 f->path);
        o->kind = f->kind;
        o->writing = f->kind != RV_FILE_PATH && (f->flags & G_O_ACCMODE) != G_O_RDONLY;
        o->size = f->size;
        memcpy(o->sha256, f->sha256, 32);
    }
    for (uint64_t i = 0; i < s->vma_count; i++) {
        info->mappings[i][0] = s->vmas[i].start;
        info->mappings[i][1] = s->vmas[i].end;
    }
    info->mapping_count = (size_t)s->vma_count;
    info->needs_sysroot = s->needs_sysroot;
    info->mapped_files = calloc(s->mfile_count ? s->mfile_count : 1, sizeof *info->mapped_files);
    if (!info->mapped_files)
        return RVVM_ERR_NO_MEMORY;
    for (uint32_t i = 0; i < s->mfile_count; i++) {
        struct rvvm_snapshot_mapped_file *o = &info->mapped_files[i];
        o->guest_path = strdup(s->mfiles[i].guest);
        info->mapped_file_count = i + 1;
        if (!o->guest_path)
            return RVVM_ERR_NO_MEMORY;
        o->sysroot = s->mfiles[i].root == RV_OS_SYSROOT;
        o->interpreter = s->mfiles[i].interp;
        o->size = s->mfiles[i].size;
        memcpy(o->sha256, s->mfiles[i].sha256, 32);
    }
    for (uint64_t k = 0; k < s->fmap_count; k++)
        info->mapped_files[s->fmaps[k].file].mapped_pages +=
            (s->fmaps[k].end - s->fmaps[k].start) >> RV_PAGE_SHIFT;
    return RVVM_OK;
}

rvvm_status rv_os_check_layout(const rv_os_saved *s, uint64_t brk, uint64_t stack_low,
                               uint64_t mmap_low, char *err, size_t err_size)
{
    /* The same rule as rv_mm_update_low, from the parsed mappings. */
    uint64_t top = stack_low >= RV_PAGE_SIZE ? stack_low - RV_PAGE_SIZE : 0;
    uint64_t brk_top = (brk + RV_PAGE_MASK) & ~RV_PAGE_MASK;
    uint64_t low = top;
    for (uint64_t i = 0; i < s->vma_count; i++) {
        if (s->vmas[i].start >= brk_top) {
            if (s->vmas[i].start < low)
                low = s->vmas[i].start;
            break;
        }
    }
    if (low < brk_top)
        low = brk_top;
    if (low != mmap_low)
        return errf(err, err_size, RVVM_ERR_SNAPSHOT,
                    "invalid snapshot: mmap low 0x%llx does not match the mappings (0x%llx)",
                    (unsigned long long)mmap_low, (unsigned long long)low);
    return RVVM_OK;
}
