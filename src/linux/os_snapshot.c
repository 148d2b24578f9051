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
#include "os.h"
#include "../snapshot/codec.h"
#include "sandbox.h"
#include "sysno.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CMDLINE (16u << 20)

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

static int hash_fd(int fd, uint8_t out[32], uint64_t *size)
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
    while (ok) {
        ssize_t n = pread(fd, buf, 1 << 16, off);
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

/* The guest path of a description, for messages. */
static void describe(const rv_os *os, uint32_t grant, const char *rel, char *out, size_t size)
{
    const char *g = grant < os->grant_count ? os->grants[grant].guest : "?";
    snprintf(out, size, "%s%s%s", g, (rel[0] && strcmp(g, "/")) ? "/" : "", rel);
}

/* Opens a description's path read-only beneath its grant and hashes it. */
static int hash_path(const rv_os *os, uint32_t grant, const char *rel, bool follow,
                     uint8_t out[32], uint64_t *size, struct stat *st)
{
    int fd = rv_beneath_open(os->grants[grant].dirfd, rel, O_RDONLY, 0, follow, false);
    if (fd < 0)
        return fd;
    int r = fstat(fd, st) == 0 ? 0 : -errno;
    if (r == 0)
        r = S_ISREG(st->st_mode) ? hash_fd(fd, out, size) : -EISDIR;
    close(fd);
    return r;
}

/* ---- saving --------------------------------------------------------------------------- */

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
    for (int fd = 0; fd < RV_OS_MAX_FDS; fd++) {
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
        if (f->kind == RV_FILE_REGULAR) {
            struct stat held, now;
            char name[RV_OS_PATH_MAX + 64];
            describe(os, f->grant, f->path, name, sizeof name);
            int r = fstat(f->host_fd, &held) == 0 ? 0 : -errno;
            if (r == 0)
                r = hash_path(os, f->grant, f->path, !(f->flags & G_O_NOFOLLOW), sum, &size, &now);
            if (r == 0 && (held.st_dev != now.st_dev || held.st_ino != now.st_ino))
                r = -ESTALE;
            if (r) {
                free(o.buf);
                return errf(err, err_size, RVVM_ERR_IO,
                            "cannot snapshot open file '%s': %s", name,
                            r == -ESTALE ? "it was deleted or replaced" : strerror(-r));
            }
        }
        w_le(&o, f->kind, 1);
        w_le(&o, f->console, 1);
        w_le(&o, 0, 2);
        w_le(&o, f->kind == RV_FILE_CONSOLE || f->kind == RV_FILE_FEATURES ? 0 : f->grant, 4);
        w_le(&o, f->flags, 4);
        o_str(&o, f->path);
        w_le(&o, f->offset, 8);
        w_le(&o, size, 8);
        w_bytes(&o, sum, 32);
    }
    w_le(&o, nfds, 4);
    for (int fd = 0; fd < RV_OS_MAX_FDS; fd++) {
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
    rv_threads_save(m, &o);
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
    rv_threads_saved *threads;
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
    for (uint32_t i = 0; s->files && i < s->file_count; i++)
        free(s->files[i].path);
    free(s->files);
    free(s->fds);
    free(s->vmas);
    rv_threads_saved_free(s->threads);
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
        bool local = f->kind == RV_FILE_CONSOLE || f->kind == RV_FILE_FEATURES;
        bool pipe = f->kind == RV_FILE_PIPE; /* grant: the pipe's id, checked below */
        bool ok = (f->kind <= RV_FILE_FEATURES || pipe) && f->offset <= INT64_MAX &&
                  (!pipe || (f->path[0] == '\0' && f->offset == 0 &&
                             (f->flags & ~(uint32_t)(G_O_ACCMODE | G_O_NONBLOCK | G_O_APPEND)) == 0 &&
                             (f->flags & G_O_ACCMODE) <= G_O_WRONLY)) &&
                  (local ? f->grant == 0 && f->path[0] == '\0'
                         : pipe || f->grant < s->grant_count) &&
                  (f->kind == RV_FILE_CONSOLE ? f->console <= 2 : f->console == 0) &&
                  normal_rel(f->path) &&
                  ((f->flags & G_O_ACCMODE) != 3 || f->kind == RV_FILE_PATH) &&
                  (f->kind == RV_FILE_REGULAR || f->size == 0);
        if (!ok)
            return BAD("invalid snapshot: open file %u holds impossible values", i);
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
    f->kind = sf->kind;
    f->console = sf->console;
    f->grant = sf->grant;
    f->flags = sf->flags;
    f->offset = sf->offset;
    f->path = path;
    f->host_fd = -1;
    f->refs = 0;
    *out = f;
    if (sf->kind == RV_FILE_CONSOLE || sf->kind == RV_FILE_FEATURES)
        return RVVM_OK;
    if (sf->kind == RV_FILE_PIPE) {
        rv_pipe_attach(os, f, sf->grant);
        return RVVM_OK;
    }
    char name[RV_OS_PATH_MAX + 64];
    describe(os, sf->grant, sf->path, name, sizeof name);
    const rv_grant *g = &os->grants[sf->grant];
    bool follow = !(sf->flags & G_O_NOFOLLOW);
    if (sf->kind == RV_FILE_REGULAR) {
        uint8_t sum[32];
        uint64_t size;
        struct stat st;
        int r = hash_path(os, sf->grant, sf->path, follow, sum, &size, &st);
        if (r)
            return FAIL("cannot reopen '%s' from the snapshot: %s", name, strerror(-r));
        if (size != sf->size || memcmp(sum, sf->sha256, 32) != 0)
            return FAIL("file '%s' changed since the snapshot was taken (SHA-256 differs)", name);
        if (!g->writable && (sf->flags & G_O_ACCMODE) != G_O_RDONLY)
            return FAIL("file '%s' was open for writing but its directory is now read-only",
                        name);
    }
    int fd = rv_beneath_open(g->dirfd, sf->path, rv_os_reopen_flags(sf->flags), 0, follow, false);
    if (fd < 0)
        return FAIL("cannot reopen '%s' from the snapshot: %s", name, strerror(-fd));
    f->host_fd = fd;
    struct stat st;
    if (fstat(fd, &st) != 0)
        return FAIL("cannot reopen '%s' from the snapshot: %s", name, strerror(errno));
    bool ok = sf->kind == RV_FILE_REGULAR ? S_ISREG(st.st_mode)
              : sf->kind == RV_FILE_DIR   ? S_ISDIR(st.st_mode)
                                          : true;
    if (!ok)
        return FAIL("'%s' is no longer a %s", name,
                    sf->kind == RV_FILE_REGULAR ? "regular file" : "directory");
    return RVVM_OK;
}

rvvm_status rv_os_restore(rvvm_machine *m, const rv_os_saved *s, char *err, size_t err_size)
{
    rv_os *os = RV_OS(m);
    /* The fresh machine's own console descriptors give way to the saved table. */
    for (int fd = 0; fd < RV_OS_MAX_FDS; fd++)
        if (os->fds[fd].file)
            rv_os_close(m, (uint64_t)fd);
    for (uint32_t i = 0; i < s->grant_count; i++) {
        char why[512];
        rvvm_status st = rv_os_grant(m, s->grants[i].host, s->grants[i].guest,
                                     s->grants[i].writable, why, sizeof why);
        if (st != RVVM_OK)
            return FAIL("cannot grant the snapshot's directory again: %s", why);
    }
    rvvm_status st = rv_threads_restore(m, s->threads, err, err_size);
    if (st != RVVM_OK)
        return st;
    rv_file **files = calloc(s->file_count ? s->file_count : 1, sizeof *files);
    if (!files)
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    for (uint32_t i = 0; i < s->file_count && st == RVVM_OK; i++)
        st = reopen(m, &s->files[i], &files[i], err, err_size);
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

    uint64_t saved_low = m->layout.mmap_low;
    rv_mm_update_low(m);
    if (m->layout.mmap_low != saved_low)
        return FAIL("invalid snapshot: mmap low 0x%llx does not match the mappings (0x%llx)",
                    (unsigned long long)saved_low, (unsigned long long)m->layout.mmap_low);
    return RVVM_OK;
}
