/*
 * Snapshot save, resume, inspect and merge. The file is written field by
 * field in little-endian order (docs/snapshot-format.md); an XXH3-128 over
 * everything before it closes the file. Readers stream the file: a first
 * pass verifies the checksum keeping only the bytes before the page data,
 * the page data is then read straight into guest memory and hashed again.
 * Every count, length, address and index is checked before it is used: a
 * snapshot is untrusted input.
 */
#include "rvvm/snapshot.h"

#include "../core/cpu.h"
#include "../core/provider.h"
#include "codec.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

static const char magic[8] = {'R', 'V', 'V', 'M', 'S', 'N', 'A', 'P'};

enum {
    HEADER_SIZE = 32,
    SECTION_HEADER_SIZE = 16,
    CHECKSUM_SIZE = 16, /* XXH3-128 */
    PAGE_ENTRY_SIZE = 16,
    MAX_PATH_BYTES = 4096,
    MAX_PARENT_NAME = 255,
    MAX_CHAIN = 256,             /* links in a chain, the full snapshot included */
    FLAG_COMPRESSED = 1,
    IO_CHUNK = 1 << 20,
};
/* Bytes before the page data that a reader keeps in memory, at most. */
#define MAX_PREFIX ((uint64_t)160 << 20)

enum {
    SEC_PROGRAM = 1,
    SEC_CONFIG = 2,
    SEC_CPU = 3,
    SEC_OS = 4,
    SEC_PARENT = 5,
    SEC_PAGES = 6,
    SEC_LAST = 6
};

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

/* The file checksum: XXH3-128 in its canonical (big-endian) byte order. */
static void put_checksum(XXH128_hash_t h, uint8_t out[CHECKSUM_SIZE])
{
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, h);
    memcpy(out, c.digest, CHECKSUM_SIZE);
}

static void checksum(const void *data, size_t len, uint8_t out[CHECKSUM_SIZE])
{
    put_checksum(XXH3_128bits(data, len), out);
}

static bool sha256(const void *data, size_t len, uint8_t out[32])
{
    unsigned n = 0;
    return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) == 1 && n == 32;
}

static void page_hash(const uint8_t *page, uint8_t out[16])
{
    put_checksum(XXH3_128bits(page, RV_PAGE_SIZE), out);
}

/* ---- which pages a snapshot holds ----------------------------------------------- */

/* A full snapshot holds a page that differs from the freshly loaded program. */
static bool page_saved(const rv_memory *mem, uint64_t p)
{
    return mem->dirty[p] || (mem->flags[p] & RV_PAGE_ARGS) ||
           (mem->flags[p] & RV_PAGE_PERMS) != mem->initial_perms[p];
}

static rvvm_snapshot_page_kind page_kind(const rv_memory *mem, uint64_t p)
{
    if (rv_memory_page_is_zero(mem, p))
        return RVVM_PAGE_ZERO;
    if (mem->dirty[p] || (mem->flags[p] & RV_PAGE_ARGS))
        return RVVM_PAGE_DATA;
    return RVVM_PAGE_AS_LOADED;
}

/*
 * The baseline for diffs: the state of every page when the last snapshot was
 * saved or resumed from. A diff holds the pages whose state differs from it,
 * found by comparing permissions, whether the page is held at all, and a
 * 128-bit hash of its contents, so it works the same in the process that
 * saved the parent and in one that resumed from it.
 */
enum { BASE_SAVED = 8 };
struct rv_snap_baseline {
    uint8_t sum[CHECKSUM_SIZE]; /* identity of the snapshot */
    uint64_t size;
    uint32_t depth;
    uint64_t page_count;
    uint8_t *state;             /* per page: permissions | BASE_SAVED */
    uint8_t (*hash)[16];        /* per held page: XXH3-128 of its contents */
};

void rv_snap_baseline_free(struct rv_snap_baseline *b)
{
    if (!b)
        return;
    rv_free_zeroed(b->state, b->page_count);
    rv_free_zeroed(b->hash, b->page_count * 16);
    free(b);
}

static bool baseline_alloc(rvvm_machine *m)
{
    if (m->baseline)
        return true;
    struct rv_snap_baseline *b = calloc(1, sizeof *b);
    if (!b)
        return false;
    b->page_count = m->mem.page_count;
    b->state = rv_alloc_zeroed(b->page_count);
    b->hash = rv_alloc_zeroed(b->page_count * 16);
    if (!b->state || !b->hash) {
        rv_snap_baseline_free(b);
        return false;
    }
    m->baseline = b;
    return true;
}

/* Records page p's current state in the baseline (untouched entries stay uncommitted). */
static void baseline_page(rvvm_machine *m, uint64_t p)
{
    struct rv_snap_baseline *b = m->baseline;
    if (page_saved(&m->mem, p)) {
        b->state[p] = (uint8_t)(BASE_SAVED | (m->mem.flags[p] & RV_PAGE_PERMS));
        page_hash(m->mem.base + (p << RV_PAGE_SHIFT), b->hash[p]);
    } else if (b->state[p]) {
        b->state[p] = 0;
    }
}

/* Makes the machine's current state the baseline, named by a snapshot's checksum. */
static void baseline_set(rvvm_machine *m, const uint8_t sum[CHECKSUM_SIZE], uint64_t size,
                         uint32_t depth, const uint32_t *only, uint64_t only_count)
{
    if (!baseline_alloc(m))
        return; /* no baseline: diffs are refused */
    struct rv_snap_baseline *b = m->baseline;
    if (only) {
        for (uint64_t i = 0; i < only_count; i++)
            baseline_page(m, only[i]);
    } else {
        for (uint64_t p = 0; p < m->mem.page_count; p++)
            baseline_page(m, p);
    }
    memcpy(b->sum, sum, CHECKSUM_SIZE);
    b->size = size;
    b->depth = depth;
}

/* True if page p differs from the baseline. */
static bool page_changed(const rvvm_machine *m, uint64_t p)
{
    const struct rv_snap_baseline *b = m->baseline;
    bool now = page_saved(&m->mem, p);
    uint8_t st = b->state[p];
    bool was = st & BASE_SAVED;
    if (!now && !was)
        return false;
    if (now != was || (m->mem.flags[p] & RV_PAGE_PERMS) != (st & RV_PAGE_PERMS))
        return true;
    uint8_t h[16];
    page_hash(m->mem.base + (p << RV_PAGE_SHIFT), h);
    return memcmp(h, b->hash[p], 16) != 0;
}

/* The pages a snapshot holds, in increasing order, with their table entries. */
typedef struct page_list {
    uint64_t count, data_pages;
    uint32_t *page;
    uint8_t *perms, *kind;
} page_list;

static void page_list_free(page_list *l)
{
    free(l->page);
    free(l->perms);
    free(l->kind);
    memset(l, 0, sizeof *l);
}

static bool page_list_add(page_list *l, uint64_t *cap, uint64_t p, uint8_t perms, uint8_t kind)
{
    if (l->count == *cap) {
        uint64_t nc = *cap ? *cap * 2 : 1024;
        uint32_t *np = realloc(l->page, nc * sizeof *np);
        if (np)
            l->page = np;
        uint8_t *pp = realloc(l->perms, nc);
        if (pp)
            l->perms = pp;
        uint8_t *kp = realloc(l->kind, nc);
        if (kp)
            l->kind = kp;
        if (!np || !pp || !kp)
            return false;
        *cap = nc;
    }
    l->page[l->count] = (uint32_t)p;
    l->perms[l->count] = perms;
    l->kind[l->count] = kind;
    l->count++;
    l->data_pages += kind == RVVM_PAGE_DATA;
    return true;
}

/* The pages of a full snapshot, or with `diff` those changed since the baseline. */
static bool select_pages(const rvvm_machine *m, bool diff, page_list *out)
{
    const rv_memory *mem = &m->mem;
    uint64_t cap = 0;
    memset(out, 0, sizeof *out);
    for (uint64_t p = 0; p < mem->page_count; p++) {
        if (diff ? !page_changed(m, p) : !page_saved(mem, p))
            continue;
        if (!page_list_add(out, &cap, p, mem->flags[p] & RV_PAGE_PERMS, page_kind(mem, p))) {
            page_list_free(out);
            return false;
        }
    }
    return true;
}

/* ---- writing ------------------------------------------------------------------------ */

/* The identity of a diff's parent, as recorded in the PARENT section. */
typedef struct parent_ref {
    uint8_t sum[CHECKSUM_SIZE];
    uint64_t size;
    uint32_t depth; /* the diff's own depth */
    const char *name;
} parent_ref;

/*
 * The PAGES section: header, table, and with `data_into_w` the page data
 * (zstd-compressed with `compress`); otherwise the data is left for the file
 * writer to stream from `base` and its length is patched in. Returns false
 * when out of memory or compression fails.
 */
static bool write_pages(writer *w, const uint8_t *base, const page_list *l, bool compress,
                        bool data_into_w)
{
    size_t at = begin_section(w, SEC_PAGES);
    w_u64(w, l->count);
    size_t stored_at = w->len;
    w_u64(w, 0); /* stored data size, patched below */
    for (uint64_t i = 0; i < l->count; i++) {
        w_u64(w, l->page[i]);
        w_u8(w, l->perms[i]);
        w_u8(w, l->kind[i]);
        w_u16(w, 0);
        w_u32(w, 0);
    }
    uint64_t raw_size = l->data_pages * RV_PAGE_SIZE;
    if (w->failed)
        return false;
    if (!compress && !data_into_w) {
        put_le_at(w->buf + stored_at, raw_size, 8);
        put_le_at(w->buf + at, w->len - at - 8 + raw_size, 8);
        return true;
    }
    size_t data_start = w->len;
    if (!compress) {
        for (uint64_t i = 0; i < l->count; i++)
            if (l->kind[i] == RVVM_PAGE_DATA)
                w_bytes(w, base + ((uint64_t)l->page[i] << RV_PAGE_SHIFT), RV_PAGE_SIZE);
    } else {
        /* Streamed from guest memory: only the compressed bytes are held. */
        ZSTD_CCtx *cc = ZSTD_createCCtx();
        bool ok = cc && !ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 3)) &&
                  !ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 1)) &&
                  !ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(cc, raw_size));
        uint64_t i = 0;
        size_t out_chunk = ZSTD_CStreamOutSize();
        for (bool last = false; ok && !last;) {
            while (i < l->count && l->kind[i] != RVVM_PAGE_DATA)
                i++;
            last = i == l->count;
            ZSTD_inBuffer in = {last ? NULL : base + ((uint64_t)l->page[i] << RV_PAGE_SHIFT),
                                last ? 0 : RV_PAGE_SIZE, 0};
            ZSTD_EndDirective mode = last ? ZSTD_e_end : ZSTD_e_continue;
            for (;;) {
                size_t pos = w->len;
                uint8_t *dst = w_reserve(w, out_chunk);
                if (!dst) {
                    ok = false;
                    break;
                }
                ZSTD_outBuffer out = {dst, out_chunk, 0};
                size_t r = ZSTD_compressStream2(cc, &out, &in, mode);
                w->len = pos + out.pos;
                if (ZSTD_isError(r)) {
                    ok = false;
                    break;
                }
                if (last ? r == 0 : in.pos == in.size)
                    break;
            }
            i++;
        }
        ZSTD_freeCCtx(cc);
        if (!ok) {
            w->failed = true;
            return false;
        }
    }
    if (w->failed)
        return false;
    put_le_at(w->buf + stored_at, w->len - data_start, 8);
    end_section(w, at);
    return true;
}

/* The configuration's cost-model name as stored: printable ASCII, NUL-padded. */
static void put_cost_name(writer *w, const char *name)
{
    uint8_t out[32] = {0};
    for (size_t i = 0; i < 31 && name[i]; i++) {
        unsigned char c = (unsigned char)name[i];
        out[i] = c >= 0x20 && c < 0x7f ? c : '?';
    }
    w_bytes(w, out, sizeof out);
}

static void put_parent(writer *w, const parent_ref *parent)
{
    size_t at = begin_section(w, SEC_PARENT);
    if (parent) {
        size_t n = strlen(parent->name);
        w_bytes(w, parent->sum, CHECKSUM_SIZE);
        w_u64(w, parent->size);
        w_u32(w, parent->depth);
        w_u32(w, 0);
        w_u32(w, n);
        w_bytes(w, parent->name, n);
    }
    end_section(w, at);
}

static void put_header(writer *w, bool compress)
{
    w_bytes(w, magic, sizeof magic);
    w_u32(w, RVVM_SNAPSHOT_FORMAT_VERSION);
    w_u32(w, compress ? FLAG_COMPRESSED : 0);
    w_u64(w, 0); /* file size, patched at the end */
    w_u32(w, SEC_LAST);
    w_u32(w, 0);
}

/*
 * Builds everything before the page data in w (and the data too, with
 * data_into_w or compression). *deferred gets the page data bytes left to
 * stream from guest memory; the file size field counts them.
 */
static rvvm_status build_snapshot(rvvm_machine *m, uint32_t flags, writer *w, bool data_into_w,
                                  const parent_ref *parent, const page_list *pages,
                                  uint64_t *deferred)
{
    const char *path = m->program_path ? m->program_path : "";
    size_t path_len = strlen(path);
    if (path_len > MAX_PATH_BYTES)
        return rv_fail(m, RVVM_ERR_INVALID_ARGUMENT, "program path too long for a snapshot");
    bool compress = flags & RVVM_SNAPSHOT_COMPRESS;
    put_header(w, compress);

    size_t at = begin_section(w, SEC_PROGRAM);
    const uint8_t *program_sha256;
    rvvm_status st = rv_program_sha256(m, &program_sha256);
    if (st != RVVM_OK)
        return st;
    w_bytes(w, program_sha256, 32);
    w_u32(w, path_len);
    w_bytes(w, path, path_len);
    end_section(w, at);

    at = begin_section(w, SEC_CONFIG);
    const rvvm_config *c = &m->config;
    w_u64(w, c->memory_size);
    w_u32(w, c->isa);
    w_u32(w, c->strict_syscalls ? 1 : 0);
    w_u64(w, c->seed);
    put_cost_name(w, c->cost_model.name);
    w_u32(w, RVVM_COST_CLASS_COUNT);
    for (int i = 0; i < RVVM_COST_CLASS_COUNT; i++)
        w_u32(w, c->cost_model.cost[i]);
    w_u32(w, (uint32_t)c->os);
    end_section(w, at);

    rv_core_state cs; /* the same struct checkpoints keep */
    rv_core_save(m, &cs);
    at = begin_section(w, SEC_CPU);
    w_u64(w, 0);
    for (int i = 1; i < 32; i++)
        w_u64(w, cs.x[i]);
    w_u64(w, cs.pc);
    w_u64(w, cs.cycles);
    w_u64(w, cs.instret);
    w_u64(w, cs.resv_addr);
    w_u8(w, cs.resv_valid);
    w_u8(w, cs.resv_size);
    w_u16(w, 0);
    w_u32(w, cs.fcsr);
    for (int i = 0; i < 32; i++)
        w_u64(w, cs.f[i]);
    w_u64(w, cs.mtvec);
    const rv_call_frame *call = &cs.call;
    w_u8(w, call->active);
    w_u8(w, call->active ? call->prior_state : 0);
    w_u16(w, 0);
    w_u32(w, call->active ? (uint32_t)call->prior_exit_code : 0);
    w_u64(w, call->active ? call->sp : 0);
    for (int i = 0; i < 32; i++)
        w_u64(w, call->active ? call->x[i] : 0);
    w_u64(w, call->active ? call->pc : 0);
    for (int i = 0; i < 32; i++)
        w_u64(w, call->active ? call->f[i] : 0);
    w_u32(w, call->active ? call->fcsr : 0);
    w_u32(w, 0);
    end_section(w, at);

    at = begin_section(w, SEC_OS);
    w_u64(w, cs.layout.brk_start);
    w_u64(w, cs.layout.brk);
    w_u64(w, cs.layout.stack_low);
    w_u64(w, cs.layout.mmap_low);
    if (m->os) {
        uint8_t *os_data = NULL;
        size_t os_len = 0;
        rvvm_status os_st =
            m->os->save(m, m->os_state, &os_data, &os_len, m->error, sizeof m->error);
        if (os_st != RVVM_OK)
            return os_st;
        w_bytes(w, os_data, os_len);
        free(os_data);
    }
    end_section(w, at);

    put_parent(w, parent);

    if (!write_pages(w, m->mem.base, pages, compress, data_into_w))
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory building the snapshot");
    bool streamed = !compress && !data_into_w;
    *deferred = streamed ? pages->data_pages * RV_PAGE_SIZE : 0;
    put_le_at(w->buf + 16, w->len + *deferred + CHECKSUM_SIZE, 8);
    return RVVM_OK;
}

static bool write_iov(int fd, struct iovec *iov, int n)
{
    while (n > 0) {
        ssize_t done = writev(fd, iov, n);
        if (done < 0 && errno == EINTR)
            continue;
        if (done <= 0)
            return false;
        /* Skip what was written; a short write resumes mid-vector. */
        while (n > 0 && (size_t)done >= iov->iov_len) {
            done -= (ssize_t)iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (uint8_t *)iov->iov_base + done;
            iov->iov_len -= (size_t)done;
        }
    }
    return true;
}

static bool write_all(int fd, const uint8_t *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len > (1u << 30) ? (1u << 30) : len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* What a file writer streams: the built part, then data pages from `base`. */
typedef struct file_body {
    const writer *w;
    const uint8_t *base;
    const page_list *pages;
    uint64_t deferred;
} file_body;

/*
 * Writes the built part, then the page data straight from memory (no copy of
 * it is made), then the checksum over all of it, which *sum receives.
 */
static bool write_body(int fd, const file_body *b, uint8_t sum[CHECKSUM_SIZE])
{
    XXH3_state_t *hs = XXH3_createState();
    if (!hs || XXH3_128bits_reset(hs) != XXH_OK) {
        XXH3_freeState(hs);
        errno = ENOMEM;
        return false;
    }
    XXH3_128bits_update(hs, b->w->buf, b->w->len);
    bool ok = write_all(fd, b->w->buf, b->w->len);
    enum { BATCH = 256 };
    struct iovec iov[BATCH];
    int n = 0;
    for (uint64_t i = 0; ok && b->deferred && i < b->pages->count; i++) {
        if (b->pages->kind[i] != RVVM_PAGE_DATA)
            continue;
        uint8_t *page = (uint8_t *)b->base + ((uint64_t)b->pages->page[i] << RV_PAGE_SHIFT);
        XXH3_128bits_update(hs, page, RV_PAGE_SIZE);
        iov[n++] = (struct iovec){.iov_base = page, .iov_len = RV_PAGE_SIZE};
        if (n == BATCH) {
            ok = write_iov(fd, iov, n);
            n = 0;
        }
    }
    if (ok && n)
        ok = write_iov(fd, iov, n);
    put_checksum(XXH3_128bits_digest(hs), sum);
    XXH3_freeState(hs);
    return ok && write_all(fd, sum, CHECKSUM_SIZE);
}

/* Splits a path into its directory (malloc'd, "." if none) and its last component. */
static char *dir_of(const char *path, const char **base)
{
    const char *slash = strrchr(path, '/');
    *base = slash ? slash + 1 : path;
    if (!slash)
        return strdup(".");
    size_t n = (size_t)(slash - path);
    char *d = malloc(n + 2);
    if (d) {
        memcpy(d, path, n ? n : 1);
        d[n ? n : 1] = '\0';
    }
    return d;
}

/*
 * Removes temporaries a killed writer left for this path: regular files named
 * BASE.tmp.XXXXXX (six characters from mkstemp's alphabet) in its directory.
 */
static void remove_stale_temporaries(int dfd, const char *base)
{
    int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return;
    }
    size_t bl = strlen(base);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (strlen(n) != bl + 11 || strncmp(n, base, bl) != 0 || strncmp(n + bl, ".tmp.", 5))
            continue;
        bool ok = true;
        for (size_t i = bl + 5; i < bl + 11; i++) {
            char c = n[i];
            ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
        }
        struct stat st;
        if (ok && fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
            unlinkat(dirfd(d), n, 0);
    }
    closedir(d);
}

/*
 * Writes a file atomically: PATH.tmp.XXXXXX in the same directory, fsync,
 * rename over PATH, fsync the directory. Stale temporaries of PATH from a
 * killed writer are removed first. On failure PATH is as it was.
 */
static rvvm_status atomic_write(const char *path, const file_body *body,
                                uint8_t sum[CHECKSUM_SIZE], char *err, size_t err_size)
{
    const char *base;
    char *dir = dir_of(path, &base);
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp || !dir) {
        free(tmp);
        free(dir);
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0 && *base)
        remove_stale_temporaries(dfd, base);
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    int saved_errno = errno;
    bool ok = fd >= 0;
    if (ok) {
        ok = write_body(fd, body, sum) && fsync(fd) == 0;
        saved_errno = errno;
        ok = (close(fd) == 0) && ok;
        if (ok && rename(tmp, path) != 0) {
            saved_errno = errno;
            ok = false;
        }
        if (!ok)
            unlink(tmp);
    }
    if (ok && dfd >= 0)
        fsync(dfd); /* makes the rename itself durable */
    if (dfd >= 0)
        close(dfd);
    free(tmp);
    free(dir);
    if (!ok)
        return errf(err, err_size, RVVM_ERR_IO, "cannot write snapshot '%s': %s", path,
                    strerror(saved_errno ? saved_errno : EIO));
    return RVVM_OK;
}

static rvvm_status save_checks(rvvm_machine *m)
{
    if (m->state != RV_STATE_READY || m->in_handler)
        return rv_fail(m, RVVM_ERR_STATE, "only a machine that can still run can be saved");
    return RVVM_OK;
}

rvvm_status rvvm_snapshot_save_buffer(rvvm_machine *m, uint32_t flags, uint8_t **data,
                                      size_t *size)
{
    if (!m || !data || !size || (flags & ~(uint32_t)RVVM_SNAPSHOT_COMPRESS))
        return RVVM_ERR_INVALID_ARGUMENT;
    rvvm_status st = save_checks(m);
    if (st != RVVM_OK)
        return st;
    page_list pages;
    if (!select_pages(m, false, &pages))
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory building the snapshot");
    writer w = {0};
    uint64_t deferred = 0;
    st = build_snapshot(m, flags, &w, true, NULL, &pages, &deferred);
    page_list_free(&pages);
    uint8_t *sum = st == RVVM_OK ? w_reserve(&w, CHECKSUM_SIZE) : NULL;
    if (st == RVVM_OK && !sum)
        st = rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory building the snapshot");
    if (st != RVVM_OK) {
        free(w.buf);
        return st;
    }
    put_le_at(w.buf + 16, w.len, 8);
    checksum(w.buf, w.len - CHECKSUM_SIZE, sum);
    baseline_set(m, sum, w.len, 0, NULL, 0);
    *data = w.buf;
    *size = w.len;
    return RVVM_OK;
}

void rvvm_buffer_free(void *data) { free(data); }

static rvvm_status save_file(rvvm_machine *m, const char *path, uint32_t flags,
                             const parent_ref *parent)
{
    page_list pages;
    if (!select_pages(m, parent != NULL, &pages))
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory building the snapshot");
    writer w = {0};
    uint64_t deferred = 0;
    rvvm_status st = build_snapshot(m, flags, &w, false, parent, &pages, &deferred);
    if (st == RVVM_OK) {
        file_body body = {&w, m->mem.base, &pages, deferred};
        uint8_t sum[CHECKSUM_SIZE];
        st = atomic_write(path, &body, sum, m->error, sizeof m->error);
        if (st == RVVM_OK) {
            /* The next diff is against this file (full or diff alike). */
            uint64_t size = w.len + deferred + CHECKSUM_SIZE;
            uint32_t depth = parent ? parent->depth : 0;
            if (parent)
                baseline_set(m, sum, size, depth, pages.page, pages.count);
            else
                baseline_set(m, sum, size, depth, NULL, 0);
        }
    }
    free(w.buf);
    page_list_free(&pages);
    return st;
}

rvvm_status rvvm_snapshot_save_file(rvvm_machine *m, const char *path, uint32_t flags)
{
    if (!m || !path || !*path || (flags & ~(uint32_t)RVVM_SNAPSHOT_COMPRESS))
        return RVVM_ERR_INVALID_ARGUMENT;
    rvvm_status st = save_checks(m);
    return st != RVVM_OK ? st : save_file(m, path, flags, NULL);
}

/* Opens a file named by a snapshot or a user: never blocks, only a regular file. */
static int open_regular(int dirfd, const char *path, bool nofollow, struct stat *st,
                        const char **why)
{
    int fd = openat(dirfd, path,
                    O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (nofollow ? O_NOFOLLOW : 0));
    if (fd < 0) {
        *why = errno == ELOOP && nofollow ? "is a symbolic link" : strerror(errno);
        return -1;
    }
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        *why = "not a regular file";
        return -1;
    }
    return fd;
}

static bool same_dir(const char *a, const char *b)
{
    const char *ba, *bb;
    char *da = dir_of(a, &ba), *db = dir_of(b, &bb);
    struct stat sa, sb;
    bool same = da && db && stat(da, &sa) == 0 && stat(db, &sb) == 0 && sa.st_dev == sb.st_dev &&
                sa.st_ino == sb.st_ino;
    free(da);
    free(db);
    return same;
}

rvvm_status rvvm_snapshot_save_diff_file(rvvm_machine *m, const char *path, const char *parent,
                                         uint32_t flags)
{
    if (!m || !path || !*path || !parent || !*parent ||
        (flags & ~(uint32_t)RVVM_SNAPSHOT_COMPRESS))
        return RVVM_ERR_INVALID_ARGUMENT;
    rvvm_status st = save_checks(m);
    if (st != RVVM_OK)
        return st;
    const struct rv_snap_baseline *b = m->baseline;
    const char *name;
    char *pdir = dir_of(parent, &name);
    free(pdir);
    if (!*name || strlen(name) > MAX_PARENT_NAME || !strcmp(name, ".") || !strcmp(name, ".."))
        return rv_fail(m, RVVM_ERR_INVALID_ARGUMENT, "bad parent snapshot name '%s'", parent);
    struct stat a, b2;
    if (stat(path, &a) == 0 && stat(parent, &b2) == 0 && a.st_dev == b2.st_dev &&
        a.st_ino == b2.st_ino)
        return rv_fail(m, RVVM_ERR_INVALID_ARGUMENT,
                       "a diff cannot replace its own parent '%s'", parent);
    if (!same_dir(path, parent))
        return rv_fail(m, RVVM_ERR_INVALID_ARGUMENT,
                       "the parent snapshot '%s' must be in the same directory as '%s'", parent,
                       path);
    /* The parent must be what this machine last saved or resumed from. */
    struct stat pst;
    const char *why = "";
    int fd = open_regular(AT_FDCWD, parent, false, &pst, &why);
    if (fd < 0)
        return rv_fail(m, RVVM_ERR_IO, "cannot read parent snapshot '%s': %s", parent, why);
    uint8_t sum[CHECKSUM_SIZE];
    bool got = pst.st_size >= HEADER_SIZE + CHECKSUM_SIZE &&
               pread(fd, sum, CHECKSUM_SIZE, pst.st_size - CHECKSUM_SIZE) == CHECKSUM_SIZE;
    close(fd);
    if (!got || !b || b->size != (uint64_t)pst.st_size || memcmp(sum, b->sum, CHECKSUM_SIZE))
        return rv_fail(m, RVVM_ERR_INVALID_ARGUMENT,
                       "'%s' is not the snapshot this machine was last saved to or resumed from",
                       parent);
    if (b->depth + 1 >= MAX_CHAIN)
        return rv_fail(m, RVVM_ERR_INVALID_ARGUMENT,
                       "snapshot chain too long (at most %d files): merge it first", MAX_CHAIN);
    parent_ref ref = {.size = b->size, .depth = b->depth + 1, .name = name};
    memcpy(ref.sum, b->sum, CHECKSUM_SIZE);
    return save_file(m, path, flags, &ref);
}

/* ---- reading: sources ------------------------------------------------------------- */

/*
 * A snapshot being read: from memory, or from a file of which only the bytes
 * before the page data (`prefix`) are held; the page data is read on demand
 * and hashed again (`recheck`), so what was used is what the checksum covered.
 */
typedef struct source {
    const uint8_t *mem; /* the whole snapshot, or NULL for a file */
    int fd;
    uint64_t size;
    uint8_t *owned;     /* the prefix read from the file */
    const uint8_t *prefix;
    uint64_t prefix_len; /* bytes before the page data */
    uint8_t sum[CHECKSUM_SIZE];
    XXH3_state_t *recheck;
    uint64_t data_pos;   /* next page-data byte to read */
} source;

static void source_close(source *s)
{
    if (!s->mem && s->fd >= 0)
        close(s->fd);
    free(s->owned);
    XXH3_freeState(s->recheck);
    memset(s, 0, sizeof *s);
    s->fd = -1;
}

static bool read_at(int fd, void *dst, size_t len, uint64_t off)
{
    uint8_t *p = dst;
    while (len) {
        ssize_t n = pread(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return true;
}

static uint64_t le_at(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/*
 * Where the page data starts, from the section headers: every byte before it
 * is kept in memory. A malformed structure ends the walk at the bad header,
 * which the parser then reports.
 */
static uint64_t prefix_end(const source *s)
{
    uint64_t end = s->size - CHECKSUM_SIZE, pos = HEADER_SIZE;
    uint8_t h[SECTION_HEADER_SIZE + 8];
    for (uint32_t type = 1; type <= SEC_LAST; type++) {
        if (end - pos < SECTION_HEADER_SIZE)
            return end;
        size_t want = type == SEC_PAGES ? SECTION_HEADER_SIZE + 8 : SECTION_HEADER_SIZE;
        if (end - pos < want)
            return end;
        if (s->mem)
            memcpy(h, s->mem + pos, want);
        else if (!read_at(s->fd, h, want, pos))
            return pos + SECTION_HEADER_SIZE;
        uint64_t len = le_at(h + 8, 8);
        if (le_at(h, 4) != type || len > end - pos - SECTION_HEADER_SIZE)
            return pos + SECTION_HEADER_SIZE;
        if (type == SEC_PAGES) {
            uint64_t count = le_at(h + 16, 8);
            uint64_t table = SECTION_HEADER_SIZE + 16;
            if (count > (end - pos - table) / PAGE_ENTRY_SIZE)
                return end;
            return pos + table + count * PAGE_ENTRY_SIZE;
        }
        pos += SECTION_HEADER_SIZE + len;
    }
    return end;
}

#define BAD(...) errf(err, err_size, RVVM_ERR_SNAPSHOT, __VA_ARGS__)

/*
 * Checks the header and the checksum (one streaming pass over a file), and
 * keeps the bytes before the page data. `what` names the file in messages.
 */
static rvvm_status source_verify(source *s, char *err, size_t err_size)
{
    uint8_t h[HEADER_SIZE] = {0};
    size_t hn = s->size < HEADER_SIZE ? (size_t)s->size : HEADER_SIZE;
    if (s->mem)
        memcpy(h, s->mem, hn);
    else if (!read_at(s->fd, h, hn, 0))
        return errf(err, err_size, RVVM_ERR_IO, "cannot read the snapshot: %s",
                    strerror(errno ? errno : EIO));
    bool has_magic = hn >= sizeof magic && memcmp(h, magic, sizeof magic) == 0;
    if (s->size < HEADER_SIZE + CHECKSUM_SIZE || !has_magic)
        return BAD(has_magic ? "truncated snapshot" : "not an rvvm snapshot (bad magic)");
    uint64_t version = le_at(h + 8, 4), file_size = le_at(h + 16, 8);
    if (version != RVVM_SNAPSHOT_FORMAT_VERSION)
        return BAD("unsupported snapshot format version %llu (this rvvm reads version %d)",
                   (unsigned long long)version, RVVM_SNAPSHOT_FORMAT_VERSION);
    if (file_size != s->size)
        return BAD("truncated or damaged snapshot: header says %llu bytes, file has %llu",
                   (unsigned long long)file_size, (unsigned long long)s->size);
    uint64_t body = s->size - CHECKSUM_SIZE;
    s->prefix_len = prefix_end(s);
    if (s->mem) {
        memcpy(s->sum, s->mem + body, CHECKSUM_SIZE);
        uint8_t sum[CHECKSUM_SIZE];
        checksum(s->mem, (size_t)body, sum);
        if (memcmp(sum, s->sum, CHECKSUM_SIZE) != 0)
            return BAD("damaged snapshot: checksum mismatch");
        s->prefix = s->mem;
        s->data_pos = s->prefix_len;
        return RVVM_OK;
    }
    /* Damage is reported as such first: an absurd prefix only after the checksum. */
    bool keep = s->prefix_len <= MAX_PREFIX;
    s->owned = malloc(keep && s->prefix_len ? (size_t)s->prefix_len : 1);
    uint8_t *chunk = malloc(IO_CHUNK);
    XXH3_state_t *hs = XXH3_createState();
    s->recheck = XXH3_createState();
    if (!s->owned || !chunk || !hs || !s->recheck || XXH3_128bits_reset(hs) != XXH_OK ||
        XXH3_128bits_reset(s->recheck) != XXH_OK) {
        free(chunk);
        XXH3_freeState(hs);
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    }
    rvvm_status st = RVVM_OK;
    for (uint64_t pos = 0; pos < body;) {
        size_t n = body - pos < IO_CHUNK ? (size_t)(body - pos) : IO_CHUNK;
        if (!read_at(s->fd, chunk, n, pos)) {
            st = BAD("truncated snapshot: the file shrank while it was read");
            break;
        }
        XXH3_128bits_update(hs, chunk, n);
        if (keep && pos < s->prefix_len) {
            uint64_t keep = s->prefix_len - pos < n ? s->prefix_len - pos : n;
            memcpy(s->owned + pos, chunk, (size_t)keep);
        }
        pos += n;
    }
    free(chunk);
    uint8_t sum[CHECKSUM_SIZE];
    put_checksum(XXH3_128bits_digest(hs), sum);
    XXH3_freeState(hs);
    if (st != RVVM_OK)
        return st;
    if (!read_at(s->fd, s->sum, CHECKSUM_SIZE, body))
        return BAD("truncated snapshot: the file shrank while it was read");
    if (memcmp(sum, s->sum, CHECKSUM_SIZE) != 0)
        return BAD("damaged snapshot: checksum mismatch");
    if (!keep)
        return BAD("invalid snapshot: %llu bytes before the page data (at most %llu)",
                   (unsigned long long)s->prefix_len, (unsigned long long)MAX_PREFIX);
    s->prefix = s->owned;
    s->data_pos = s->prefix_len;
    XXH3_128bits_update(s->recheck, s->owned, (size_t)s->prefix_len);
    return RVVM_OK;
}

/* Reads the next len bytes of page data. */
static bool source_read(source *s, void *dst, size_t len)
{
    if (len > s->size - CHECKSUM_SIZE - s->data_pos)
        return false;
    if (s->mem) {
        memcpy(dst, s->mem + s->data_pos, len);
    } else {
        if (!read_at(s->fd, dst, len, s->data_pos))
            return false;
        XXH3_128bits_update(s->recheck, dst, len);
    }
    s->data_pos += len;
    return true;
}

/* After all page data was read: it must be what the checksum covered. */
static rvvm_status source_finish(source *s, char *err, size_t err_size)
{
    if (s->mem)
        return RVVM_OK;
    uint8_t sum[CHECKSUM_SIZE];
    put_checksum(XXH3_128bits_digest(s->recheck), sum);
    if (s->data_pos != s->size - CHECKSUM_SIZE || memcmp(sum, s->sum, CHECKSUM_SIZE) != 0)
        return BAD("damaged snapshot: the file changed while it was read");
    return RVVM_OK;
}

static rvvm_status source_open(int dirfd, const char *path, bool nofollow, source *s, char *err,
                               size_t err_size)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
    struct stat st;
    const char *why = "";
    errno = 0;
    int fd = open_regular(dirfd, path, nofollow, &st, &why);
    if (fd < 0)
        return errf(err, err_size, RVVM_ERR_IO, "cannot read snapshot '%s': %s", path, why);
    s->fd = fd;
    s->size = (uint64_t)st.st_size;
    return RVVM_OK;
}

/* ---- parsing -------------------------------------------------------------------- */

typedef struct parsed {
    rvvm_snapshot_info info;
    uint64_t page_data_size; /* stored bytes */
    uint64_t data_pages;
    const rv_provider *os;   /* the OS layer the snapshot names, or NULL */
    void *os_parsed;         /* its section after the layout words */
    rv_core_state core;      /* what rv_core_load puts into the resumed machine; info
                                holds the same values for rvvm_snapshot_inspect */
    uint64_t sec_at[SEC_LAST + 1], sec_len[SEC_LAST + 1]; /* payloads, for merging */
} parsed;

static rvvm_status parse_program(reader *r, parsed *ps, char *err, size_t err_size)
{
    const uint8_t *sha = r_take(r, 32);
    uint64_t len = r_u32(r);
    if (r->failed || len > MAX_PATH_BYTES)
        return BAD("invalid snapshot: program section has a bad path length");
    const uint8_t *path = r_take(r, (size_t)len);
    if (!path || memchr(path, '\0', (size_t)len))
        return BAD("invalid snapshot: program path is malformed");
    memcpy(ps->info.program_sha256, sha, 32);
    ps->info.program_path = malloc((size_t)len + 1);
    if (!ps->info.program_path)
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    memcpy(ps->info.program_path, path, (size_t)len);
    ps->info.program_path[len] = '\0';
    return RVVM_OK;
}

static rvvm_status parse_config(reader *r, parsed *ps, char *err, size_t err_size)
{
    rvvm_config *c = &ps->info.config;
    rvvm_config_init(c);
    c->memory_size = r_u64(r);
    c->isa = (uint32_t)r_u32(r);
    uint64_t strict = r_u32(r);
    c->seed = r_u64(r);
    const uint8_t *name = r_take(r, sizeof c->cost_model.name);
    uint64_t classes = r_u32(r);
    if (r->failed)
        return BAD("invalid snapshot: config section too short");
    if (c->memory_size < RVVM_MIN_MEMORY_SIZE || c->memory_size > RVVM_MAX_MEMORY_SIZE ||
        (c->memory_size & RV_PAGE_MASK))
        return BAD("invalid snapshot: memory size %llu out of range",
                   (unsigned long long)c->memory_size);
    if (c->isa & ~(uint32_t)RVVM_ISA_ALL)
        return BAD("invalid snapshot: unsupported ISA bits 0x%x", c->isa);
    if ((c->isa & RVVM_ISA_D) && !(c->isa & RVVM_ISA_F))
        return BAD("invalid snapshot: ISA has D without F");
    /* Printable ASCII, then NUL bytes to the end: at most 31 characters. */
    const uint8_t *nul = memchr(name, '\0', sizeof c->cost_model.name);
    bool name_ok = nul != NULL;
    for (size_t i = 0; name_ok && i < sizeof c->cost_model.name; i++)
        name_ok = &name[i] < nul ? name[i] >= 0x20 && name[i] < 0x7f : name[i] == 0;
    if (!name_ok)
        return BAD("invalid snapshot: cost model name is not NUL-padded printable ASCII");
    if (strict > 1)
        return BAD("invalid snapshot: bad strict flag");
    if (classes != RVVM_COST_CLASS_COUNT)
        return BAD("invalid snapshot: cost model has %llu classes, expected %d",
                   (unsigned long long)classes, RVVM_COST_CLASS_COUNT);
    c->strict_syscalls = strict != 0;
    memcpy(c->cost_model.name, name, sizeof c->cost_model.name);
    c->cost_model.name[sizeof c->cost_model.name - 1] = '\0';
    for (int i = 0; i < RVVM_COST_CLASS_COUNT; i++) {
        c->cost_model.cost[i] = (uint32_t)r_u32(r);
        if (c->cost_model.cost[i] < 1 || c->cost_model.cost[i] > RVVM_COST_MAX)
            return BAD("invalid snapshot: cost of class %d out of range", i);
    }
    uint64_t os = r_u32(r);
    if (!r->failed && os != RVVM_OS_LINUX && os != RVVM_OS_NONE)
        return BAD("invalid snapshot: unknown OS layer %llu", (unsigned long long)os);
    c->os = (rvvm_os)os;
    return r->failed ? BAD("invalid snapshot: config section too short") : RVVM_OK;
}

static rvvm_status parse_cpu(reader *r, parsed *ps, char *err, size_t err_size)
{
    rv_core_state *cs = &ps->core;
    for (int i = 0; i < 32; i++)
        cs->x[i] = r_u64(r);
    cs->pc = r_u64(r);
    cs->cycles = r_u64(r);
    cs->instret = r_u64(r);
    cs->resv_addr = r_u64(r);
    uint64_t valid = r_u8(r), rsize = r_u8(r), pad = r_u16(r);
    cs->fcsr = (uint32_t)r_u32(r);
    for (int i = 0; i < 32; i++)
        cs->f[i] = r_u64(r);
    cs->mtvec = r_u64(r);
    /* A resumed machine is ready to run (the layout comes with the OS section). */
    cs->state = RV_STATE_READY;
    cs->exit_code = 0;
    cs->fault = (rvvm_fault){0};
    rv_call_frame *call = &cs->call;
    uint64_t active = r_u8(r), prior = r_u8(r), cpad = r_u16(r);
    call->prior_exit_code = (int)(uint32_t)r_u32(r);
    call->sp = r_u64(r);
    for (int i = 0; i < 32; i++)
        call->x[i] = r_u64(r);
    call->pc = r_u64(r);
    for (int i = 0; i < 32; i++)
        call->f[i] = r_u64(r);
    call->fcsr = (uint32_t)r_u32(r);
    cpad |= r_u32(r);
    if (r->failed)
        return BAD("invalid snapshot: cpu section too short");
    if (active > 1 || cpad || call->fcsr > 0xff || call->x[0] != 0 ||
        (active && prior != RV_STATE_READY && prior != RV_STATE_EXITED) ||
        (!active && (prior || call->prior_exit_code || call->sp || call->pc || call->fcsr)) ||
        (active && call->prior_exit_code > 255))
        return BAD("invalid snapshot: cpu section holds an impossible guest call");
    call->active = active != 0;
    call->prior_state = (uint8_t)prior;
    cs->resv_valid = valid != 0;
    cs->resv_size = (uint8_t)rsize;
    /* The public view of the same values, for rvvm_snapshot_inspect. */
    rvvm_snapshot_info *in = &ps->info;
    memcpy(in->x, cs->x, sizeof in->x);
    in->pc = cs->pc;
    in->cycles = cs->cycles;
    in->instructions = cs->instret;
    in->reservation_address = cs->resv_addr;
    in->reservation_valid = cs->resv_valid;
    in->reservation_size = cs->resv_size;
    in->fcsr = cs->fcsr;
    memcpy(in->f, cs->f, sizeof in->f);
    in->mtvec = cs->mtvec;
    in->call_active = call->active;
    if (in->x[0] != 0 || valid > 1 || pad != 0 || in->fcsr > 0xff ||
        (valid && rsize != 4 && rsize != 8) || (!valid && rsize != 0 && rsize != 4 && rsize != 8))
        return BAD("invalid snapshot: cpu section holds impossible values");
    /* IALIGN: 16 bits with C, else 32. The interpreter never runs from a misaligned pc. */
    uint64_t align = (in->config.isa & RVVM_ISA_C) ? 1 : 3;
    if ((in->pc & align) || (call->active && (call->pc & align)))
        return BAD("invalid snapshot: misaligned pc 0x%llx",
                   (unsigned long long)((in->pc & align) ? in->pc : call->pc));
    if (in->reservation_valid && (in->reservation_address & (rsize - 1)))
        return BAD("invalid snapshot: misaligned reservation address");
    return RVVM_OK;
}

static rvvm_status parse_os(reader *r, parsed *ps, char *err, size_t err_size)
{
    rvvm_snapshot_info *in = &ps->info;
    rv_layout *l = &ps->core.layout;
    l->brk_start = r_u64(r);
    l->brk = r_u64(r);
    l->stack_low = r_u64(r);
    l->mmap_low = r_u64(r);
    if (r->failed)
        return BAD("invalid snapshot: os section too short");
    in->brk_start = l->brk_start;
    in->brk = l->brk;
    in->stack_low = l->stack_low;
    in->mmap_low = l->mmap_low;
    /* Layout needs the config: checked against memory size once both are read. */
    ps->os = rv_builtin_provider(in->config.os);
    if (!ps->os)
        return RVVM_OK; /* no OS layer: nothing after the layout words */
    rvvm_status st = ps->os->parse(r->p + r->pos, r->len - r->pos, in->config.memory_size,
                                   &ps->os_parsed, err, err_size);
    r->pos = r->len;
    return st;
}

static rvvm_status parse_parent(reader *r, parsed *ps, char *err, size_t err_size)
{
    rvvm_snapshot_info *in = &ps->info;
    if (r->len == 0)
        return RVVM_OK; /* a full snapshot */
    const uint8_t *sum = r_take(r, CHECKSUM_SIZE);
    in->parent_size = r_u64(r);
    uint64_t depth = r_u32(r), pad = r_u32(r), len = r_u32(r);
    if (r->failed || pad || depth < 1 || depth >= MAX_CHAIN || len < 1 || len > MAX_PARENT_NAME)
        return BAD("invalid snapshot: parent section is malformed");
    const uint8_t *name = r_take(r, (size_t)len);
    if (!name || memchr(name, '\0', (size_t)len) || memchr(name, '/', (size_t)len) ||
        (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
        return BAD("invalid snapshot: parent file name is malformed");
    if (in->parent_size < HEADER_SIZE + CHECKSUM_SIZE)
        return BAD("invalid snapshot: parent size is impossible");
    in->parent_name = malloc((size_t)len + 1);
    if (!in->parent_name)
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    memcpy(in->parent_name, name, (size_t)len);
    in->parent_name[len] = '\0';
    memcpy(in->parent_checksum, sum, CHECKSUM_SIZE);
    in->has_parent = true;
    in->chain_depth = (uint32_t)depth;
    return RVVM_OK;
}

/* The page table; r covers the table only, `stored` bytes of data follow it. */
static rvvm_status parse_pages(reader *r, parsed *ps, uint64_t stored, char *err,
                               size_t err_size)
{
    rvvm_snapshot_info *in = &ps->info;
    uint64_t count = r_u64(r);
    uint64_t stored_field = r_u64(r);
    uint64_t max_pages = in->config.memory_size >> RV_PAGE_SHIFT;
    if (r->failed || count > max_pages || count > (r->len - r->pos) / PAGE_ENTRY_SIZE)
        return BAD("invalid snapshot: absurd page count");
    in->pages = calloc(count ? (size_t)count : 1, sizeof *in->pages);
    if (!in->pages)
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    in->page_count = (size_t)count;
    uint64_t data_pages = 0;
    for (uint64_t i = 0; i < count; i++) {
        uint64_t page = r_u64(r);
        uint64_t perms = r_u8(r), kind = r_u8(r), pad = r_u16(r) | r_u32(r);
        if (r->failed)
            return BAD("invalid snapshot: page table truncated");
        if (page >= max_pages)
            return BAD("invalid snapshot: page 0x%llx lies outside guest memory",
                       (unsigned long long)page << RV_PAGE_SHIFT);
        if (i > 0 && page <= in->pages[i - 1].address >> RV_PAGE_SHIFT)
            return BAD("invalid snapshot: duplicate or unordered page 0x%llx",
                       (unsigned long long)page << RV_PAGE_SHIFT);
        if (perms & ~(uint64_t)RV_PAGE_PERMS || kind > RVVM_PAGE_AS_LOADED || pad)
            return BAD("invalid snapshot: bad flags for page 0x%llx",
                       (unsigned long long)page << RV_PAGE_SHIFT);
        in->pages[i] = (rvvm_snapshot_page){
            .address = page << RV_PAGE_SHIFT, .perms = (uint8_t)perms, .kind = (uint8_t)kind};
        data_pages += kind == RVVM_PAGE_DATA;
    }
    if (stored_field != stored)
        return BAD("invalid snapshot: page data size does not match the section");
    if (!in->compressed && stored != data_pages * RV_PAGE_SIZE)
        return BAD("invalid snapshot: page data size does not match the page table");
    ps->page_data_size = stored;
    ps->data_pages = data_pages;
    in->page_data_stored = stored;
    return RVVM_OK;
}

typedef rvvm_status (*section_parser)(reader *, parsed *, char *, size_t);

/* Verifies the header flags and every section of a verified source, filling *ps. */
static rvvm_status parse(const source *src, parsed *ps, char *err, size_t err_size)
{
    memset(ps, 0, sizeof *ps);
    const uint8_t *data = src->prefix;
    uint64_t flags = le_at(data + 12, 4), sections = le_at(data + 24, 4);
    uint64_t reserved = le_at(data + 28, 4);
    if (flags & ~(uint64_t)FLAG_COMPRESSED || reserved || sections != SEC_LAST)
        return BAD("invalid snapshot: unknown header flags or section count");
    ps->info.format_version = RVVM_SNAPSHOT_FORMAT_VERSION;
    ps->info.compressed = flags & FLAG_COMPRESSED;
    ps->info.file_size = src->size;
    memcpy(ps->info.checksum, src->sum, CHECKSUM_SIZE);

    static const section_parser parsers[SEC_LAST] = {
        NULL, parse_program, parse_config, parse_cpu, parse_os, parse_parent};
    uint64_t body_end = src->size - CHECKSUM_SIZE;
    reader r = {.p = data, .len = (size_t)src->prefix_len, .pos = HEADER_SIZE};
    /* Sections come in a fixed order, each exactly once. */
    for (uint32_t type = 1; type <= SEC_LAST; type++) {
        uint64_t t = r_u32(&r), res = r_u32(&r), len = r_u64(&r);
        bool last = type == SEC_PAGES;
        /* Every section but the page data lies in the prefix; the last one ends the body. */
        if (r.failed || t != type || res != 0 ||
            (last ? len > body_end - r.pos || len < 16 : len > r.len - r.pos))
            return BAD("invalid snapshot: bad header for section %u", type);
        if (last && len != body_end - r.pos)
            return BAD("invalid snapshot: trailing bytes after the last section");
        ps->sec_at[type] = r.pos;
        ps->sec_len[type] = len;
        rvvm_status st;
        reader sr = {.p = r.p + r.pos, .len = last ? r.len - r.pos : (size_t)len};
        if (last) {
            uint64_t table = r.len - r.pos; /* count, size and entries */
            st = parse_pages(&sr, ps, len - table, err, err_size);
        } else {
            st = parsers[type](&sr, ps, err, err_size);
        }
        if (st != RVVM_OK)
            return st;
        if (sr.pos != sr.len)
            return BAD("invalid snapshot: section %u is overlong", type);
        r.pos += sr.len;
    }
    const rvvm_snapshot_info *in = &ps->info;
    uint64_t mem = in->config.memory_size;
    if (!(in->brk_start <= in->brk && in->brk <= in->mmap_low && in->mmap_low <= in->stack_low &&
          in->stack_low <= mem) ||
        ((in->brk_start | in->stack_low | in->mmap_low) & RV_PAGE_MASK))
        return BAD("invalid snapshot: memory layout is inconsistent");
    if (ps->os && ps->os->check_layout)
        return ps->os->check_layout(ps->os_parsed, in->brk, in->stack_low, in->mmap_low, err,
                                    err_size);
    return RVVM_OK;
}

static void parsed_free(parsed *ps)
{
    free(ps->info.program_path);
    free(ps->info.pages);
    free(ps->info.parent_name);
    if (ps->os && ps->os_parsed)
        ps->os->parsed_free(ps->os_parsed);
    ps->os_parsed = NULL;
}

/* ---- page data ---------------------------------------------------------------------- */

/* Where the pages of one link go: a machine, or a scratch memory for merging. */
typedef struct page_sink {
    uint8_t *base;                     /* guest address 0 */
    void (*entry)(void *ctx, const rvvm_snapshot_page *pg);
    void *ctx;
} page_sink;

/*
 * Applies one link's page table to a sink, reading its data pages in order
 * straight into place (decompressing a stream for zstd data). With sink NULL
 * the data is only read and checked (inspect).
 */
static rvvm_status apply_pages(source *src, const parsed *ps, const page_sink *sink, char *err,
                               size_t err_size)
{
    const rvvm_snapshot_info *in = &ps->info;
    uint8_t scratch[4096];
    ZSTD_DCtx *dc = NULL;
    uint8_t *ibuf = NULL;
    ZSTD_inBuffer zin = {NULL, 0, 0};
    uint64_t left = ps->page_data_size; /* compressed bytes not yet read */
    rvvm_status st = RVVM_OK;
    if (in->compressed) {
        /* The frame must declare its content size, and it must match. */
        uint8_t fh[18]; /* the largest zstd frame header */
        size_t fhn = left < sizeof fh ? (size_t)left : sizeof fh;
        bool ok = false;
        if (src->mem) {
            memcpy(fh, src->mem + src->data_pos, fhn);
            ok = true;
        } else {
            ok = read_at(src->fd, fh, fhn, src->data_pos);
        }
        unsigned long long frame = ok ? ZSTD_getFrameContentSize(fh, fhn) : 0;
        if (!ok || frame != ps->data_pages * RV_PAGE_SIZE)
            return BAD("invalid snapshot: compressed page data is malformed");
        dc = ZSTD_createDCtx();
        ibuf = malloc(ZSTD_DStreamInSize());
        if (!dc || !ibuf ||
            ZSTD_isError(ZSTD_DCtx_setParameter(dc, ZSTD_d_windowLogMax, 24))) {
            ZSTD_freeDCtx(dc);
            free(ibuf);
            return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
        }
        zin.src = ibuf;
    }
    bool frame_done = false;
    for (size_t i = 0; i < in->page_count && st == RVVM_OK; i++) {
        const rvvm_snapshot_page *pg = &in->pages[i];
        if (sink)
            sink->entry(sink->ctx, pg);
        if (pg->kind != RVVM_PAGE_DATA)
            continue;
        uint8_t *dst = sink ? sink->base + pg->address : scratch;
        if (!in->compressed) {
            if (!source_read(src, dst, RV_PAGE_SIZE))
                st = BAD("truncated snapshot: the file shrank while it was read");
            continue;
        }
        ZSTD_outBuffer out = {dst, RV_PAGE_SIZE, 0};
        while (out.pos < out.size) {
            if (zin.pos == zin.size && left) {
                size_t n = ZSTD_DStreamInSize();
                if (n > left)
                    n = (size_t)left;
                if (!source_read(src, ibuf, n)) {
                    st = BAD("truncated snapshot: the file shrank while it was read");
                    break;
                }
                left -= n;
                zin.size = n;
                zin.pos = 0;
            }
            size_t before_in = zin.pos, before_out = out.pos;
            size_t r = ZSTD_decompressStream(dc, &out, &zin);
            if (ZSTD_isError(r) || (r == 0 && out.pos < out.size) ||
                (zin.pos == before_in && out.pos == before_out && !left)) {
                st = BAD("invalid snapshot: compressed page data is malformed");
                break;
            }
            frame_done = r == 0;
        }
    }
    /* The frame must end exactly at the end of the data, with nothing more in it. */
    while (st == RVVM_OK && in->compressed && !frame_done) {
        if (zin.pos == zin.size && left) {
            size_t n = ZSTD_DStreamInSize() < left ? ZSTD_DStreamInSize() : (size_t)left;
            if (!source_read(src, ibuf, n)) {
                st = BAD("truncated snapshot: the file shrank while it was read");
                break;
            }
            left -= n;
            zin.size = n;
            zin.pos = 0;
        }
        ZSTD_outBuffer out = {scratch, sizeof scratch, 0};
        size_t before = zin.pos;
        size_t r = ZSTD_decompressStream(dc, &out, &zin);
        if (ZSTD_isError(r) || out.pos || (zin.pos == before && !left && r))
            st = BAD("invalid snapshot: compressed page data is malformed");
        frame_done = r == 0;
    }
    if (st == RVVM_OK && in->compressed && (left || zin.pos != zin.size))
        st = BAD("invalid snapshot: compressed page data is malformed");
    ZSTD_freeDCtx(dc);
    free(ibuf);
    if (st == RVVM_OK)
        st = source_finish(src, err, err_size);
    return st;
}

/* ---- chains ------------------------------------------------------------------------- */

typedef struct chain_link {
    source src;
    parsed ps;
} chain_link;

/* links[0] is the snapshot asked for, links[n - 1] the full snapshot at the root. */
typedef struct chain {
    chain_link links[MAX_CHAIN];
    size_t n;
    int dirfd;
} chain;

static void chain_free(chain *c)
{
    for (size_t i = 0; i < c->n; i++) {
        source_close(&c->links[i].src);
        parsed_free(&c->links[i].ps);
    }
    if (c->dirfd >= 0)
        close(c->dirfd);
    free(c);
}

static chain *chain_new(void)
{
    chain *c = calloc(1, sizeof *c);
    if (c)
        c->dirfd = -1;
    return c;
}

/* Verifies and parses the source just added to the chain. */
static rvvm_status chain_add(chain *c, char *err, size_t err_size)
{
    chain_link *l = &c->links[c->n - 1];
    rvvm_status st = source_verify(&l->src, err, err_size);
    if (st == RVVM_OK)
        st = parse(&l->src, &l->ps, err, err_size);
    return st;
}

static bool same_config(const rvvm_config *a, const rvvm_config *b)
{
    return a->memory_size == b->memory_size && a->isa == b->isa &&
           a->strict_syscalls == b->strict_syscalls && a->seed == b->seed && a->os == b->os &&
           !memcmp(&a->cost_model, &b->cost_model, sizeof a->cost_model);
}

/*
 * Follows a diff's parents, by file name in c->dirfd, to the full snapshot:
 * each must exist, be a regular file (never a symbolic link), verify, and have the
 * checksum and size its child recorded.
 */
static rvvm_status chain_follow(chain *c, char *err, size_t err_size)
{
    while (c->links[c->n - 1].ps.info.has_parent) {
        const rvvm_snapshot_info *child = &c->links[c->n - 1].ps.info;
        if (c->dirfd < 0)
            return BAD("a diff snapshot needs its parent '%s': resume it from its file, or give "
                       "the directory of its chain", child->parent_name);
        if (c->n == MAX_CHAIN)
            return BAD("snapshot chain too long (at most %d files)", MAX_CHAIN);
        chain_link *l = &c->links[c->n++];
        char why[300];
        rvvm_status st = source_open(c->dirfd, child->parent_name, true, &l->src, why, sizeof why);
        if (st != RVVM_OK)
            return BAD("broken snapshot chain: parent '%s' is missing or unreadable (%s)",
                       child->parent_name, why);
        st = chain_add(c, why, sizeof why);
        if (st == RVVM_ERR_NO_MEMORY)
            return errf(err, err_size, st, "%s", why);
        if (st != RVVM_OK)
            return BAD("broken snapshot chain: parent '%s': %s", child->parent_name, why);
        const rvvm_snapshot_info *p = &l->ps.info;
        if (memcmp(p->checksum, child->parent_checksum, CHECKSUM_SIZE) ||
            p->file_size != child->parent_size)
            return BAD("broken snapshot chain: '%s' is not the parent its child was saved "
                       "from (checksum differs)", child->parent_name);
        if (p->chain_depth + 1 != child->chain_depth ||
            memcmp(p->program_sha256, child->program_sha256, 32) ||
            !same_config(&p->config, &child->config) || p->brk_start != child->brk_start ||
            p->stack_low != child->stack_low)
            return BAD("broken snapshot chain: parent '%s' belongs to another run",
                       child->parent_name);
    }
    if (c->links[c->n - 1].ps.info.chain_depth != 0)
        return BAD("invalid snapshot: a full snapshot with a chain depth");
    return RVVM_OK;
}

/* Loads a chain from a file: its own directory holds its parents. */
static rvvm_status chain_from_file(const char *path, chain **out, char *err, size_t err_size)
{
    chain *c = chain_new();
    if (!c)
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    *out = c;
    c->n = 1;
    char why[400];
    rvvm_status st = source_open(AT_FDCWD, path, false, &c->links[0].src, why, sizeof why);
    if (st != RVVM_OK)
        return errf(err, err_size, st, "%s", why);
    st = chain_add(c, err, err_size);
    if (st != RVVM_OK || !c->links[0].ps.info.has_parent)
        return st;
    const char *base;
    char *dir = dir_of(path, &base);
    if (!dir)
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    c->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (c->dirfd < 0)
        return errf(err, err_size, RVVM_ERR_IO, "cannot open the directory of '%s': %s", path,
                    strerror(errno));
    return chain_follow(c, err, err_size);
}

static rvvm_status chain_from_buffer(const void *data, size_t size, const char *dir, chain **out,
                                     char *err, size_t err_size)
{
    chain *c = chain_new();
    if (!c)
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    *out = c;
    c->n = 1;
    source *s = &c->links[0].src;
    s->mem = data;
    s->fd = -1;
    s->size = size;
    rvvm_status st = chain_add(c, err, err_size);
    if (st != RVVM_OK || !c->links[0].ps.info.has_parent)
        return st;
    if (dir) {
        c->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (c->dirfd < 0)
            return errf(err, err_size, RVVM_ERR_IO, "cannot open chain directory '%s': %s", dir,
                        strerror(errno));
    }
    return chain_follow(c, err, err_size);
}

/* ---- inspecting --------------------------------------------------------------------- */

static rvvm_status inspect_chain(chain *c, rvvm_snapshot_info **out, char *err, size_t err_size)
{
    chain_link *l = &c->links[0];
    rvvm_status st = apply_pages(&l->src, &l->ps, NULL, err, err_size);
    if (st != RVVM_OK)
        return st;
    rvvm_snapshot_info *info = malloc(sizeof *info);
    if (!info)
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    *info = l->ps.info;
    l->ps.info.program_path = NULL;
    l->ps.info.pages = NULL;
    l->ps.info.parent_name = NULL;
    if (l->ps.os && l->ps.os->describe && l->ps.os->describe(l->ps.os_parsed, info) != RVVM_OK) {
        rvvm_snapshot_info_free(info);
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    }
    *out = info;
    return RVVM_OK;
}

rvvm_status rvvm_snapshot_inspect(const void *data, size_t size, rvvm_snapshot_info **out,
                                  char *err, size_t err_size)
{
    if (!out || (!data && size))
        return RVVM_ERR_INVALID_ARGUMENT;
    *out = NULL;
    chain *c = chain_new();
    if (!c)
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    c->n = 1;
    c->links[0].src = (source){.mem = data ? data : (const void *)"", .fd = -1, .size = size};
    rvvm_status st = chain_add(c, err, err_size);
    if (st == RVVM_OK)
        st = inspect_chain(c, out, err, err_size);
    chain_free(c);
    return st;
}

rvvm_status rvvm_snapshot_inspect_file(const char *path, rvvm_snapshot_info **out, char *err,
                                       size_t err_size)
{
    if (!path || !out)
        return RVVM_ERR_INVALID_ARGUMENT;
    *out = NULL;
    chain *c = chain_new();
    if (!c)
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    c->n = 1;
    char why[400];
    rvvm_status st = source_open(AT_FDCWD, path, false, &c->links[0].src, why, sizeof why);
    if (st != RVVM_OK)
        st = errf(err, err_size, st, "%s", why);
    else
        st = chain_add(c, err, err_size);
    if (st == RVVM_OK)
        st = inspect_chain(c, out, err, err_size);
    chain_free(c);
    return st;
}

void rvvm_snapshot_info_free(rvvm_snapshot_info *info)
{
    if (!info)
        return;
    free(info->program_path);
    free(info->pages);
    free(info->parent_name);
    for (size_t i = 0; info->grants && i < info->grant_count; i++) {
        free(info->grants[i].host);
        free(info->grants[i].guest);
    }
    free(info->grants);
    for (size_t i = 0; info->files && i < info->file_count; i++)
        free(info->files[i].guest_path);
    free(info->files);
    free(info->mappings);
    for (size_t i = 0; info->mapped_files && i < info->mapped_file_count; i++)
        free(info->mapped_files[i].guest_path);
    free(info->mapped_files);
    free(info);
}

/* ---- resuming ------------------------------------------------------------------------- */

static void machine_entry(void *ctx, const rvvm_snapshot_page *pg)
{
    rvvm_machine *m = ctx;
    uint64_t p = pg->address >> RV_PAGE_SHIFT;
    rv_memory_protect(&m->mem, pg->address, RV_PAGE_SIZE, pg->perms);
    if (pg->kind == RVVM_PAGE_AS_LOADED)
        return;
    if (pg->kind == RVVM_PAGE_ZERO && rv_memory_page_maybe_nonzero(&m->mem, p))
        memset(m->mem.base + pg->address, 0, RV_PAGE_SIZE);
    /* Still differs from the loaded program: the next snapshot keeps it. */
    m->mem.dirty[p] = 1;
}

/* Reads the program a snapshot names: a regular file, never blocking, bounded. */
static rvvm_status read_program(const char *path, bool from_snapshot, uint64_t max,
                                uint8_t **data, size_t *size, char *err, size_t err_size)
{
    struct stat st;
    const char *why = "";
    int fd = open_regular(AT_FDCWD, path, from_snapshot, &st, &why);
    if (fd < 0)
        return errf(err, err_size, RVVM_ERR_IO, "cannot read '%s': %s", path, why);
    if ((uint64_t)st.st_size > max) {
        close(fd);
        return errf(err, err_size, RVVM_ERR_IO, "cannot read '%s': file too large", path);
    }
    size_t len = (size_t)st.st_size;
    uint8_t *buf = malloc(len ? len : 1);
    bool ok = buf && read_at(fd, buf, len, 0);
    close(fd);
    if (!ok) {
        free(buf);
        return errf(err, err_size, RVVM_ERR_IO, "cannot read '%s': %s", path,
                    buf ? "file shrank while reading" : "out of memory");
    }
    *data = buf;
    *size = len;
    return RVVM_OK;
}

static rvvm_status resume_chain(chain *c, const rvvm_resume_options *opt, rvvm_machine **out,
                                char *err, size_t err_size)
{
    const parsed *ps = &c->links[0].ps;
    const rvvm_snapshot_info *in = &ps->info;
    const char *path = opt->program_path ? opt->program_path : in->program_path;
    if (!opt->program_image && !*path)
        return errf(err, err_size, RVVM_ERR_PROGRAM_MISMATCH,
                    "the snapshot names no program file; give one with --program");
    /* A name that is not an absolute path (a program loaded from memory) is
     * never opened: relative to what would be the resumer's guess. */
    if (!opt->program_image && !opt->program_path && path[0] != '/')
        return errf(err, err_size, RVVM_ERR_PROGRAM_MISMATCH,
                    "the snapshot's program '%s' is not an absolute path: give the program "
                    "with --program", path);
    rvvm_machine *m;
    rvvm_status st = rvvm_create(&in->config, &m);
    if (st != RVVM_OK)
        return errf(err, err_size, st, "cannot create the machine: %s", rvvm_status_string(st));
    if (opt->sysroot && rvvm_set_sysroot(m, opt->sysroot) != RVVM_OK) {
        errf(err, err_size, RVVM_ERR_IO, "%s", rvvm_last_error(m));
        rvvm_destroy(m);
        return RVVM_ERR_IO;
    }
    uint8_t *image = NULL;
    size_t size = 0;
    if (opt->program_image) {
        image = (uint8_t *)opt->program_image;
        size = opt->program_size;
        path = in->program_path;
    } else {
        char why[512];
        /* The snapshot's own path is never followed through a final symbolic link. */
        st = read_program(path, !opt->program_path, m->mem.size, &image, &size, why, sizeof why);
        if (st != RVVM_OK) {
            errf(err, err_size, RVVM_ERR_PROGRAM_MISMATCH, "snapshot's program is missing: %s",
                 why);
            rvvm_destroy(m);
            return RVVM_ERR_PROGRAM_MISMATCH;
        }
    }
    bool own_image = image != opt->program_image;
    uint8_t sum[32];
    if (!sha256(image, size, sum) || memcmp(sum, in->program_sha256, 32) != 0) {
        if (own_image)
            free(image);
        rvvm_destroy(m);
        return errf(err, err_size, RVVM_ERR_PROGRAM_MISMATCH,
                    "program '%s' differs from the one in the snapshot (SHA-256 mismatch)",
                    opt->program_image ? "(given as bytes)" : path);
    }
    /* A program given as bytes keeps the snapshot's name for its identity. */
    char *abs = own_image ? realpath(path, NULL) : NULL;
    st = rv_load_image(m, image, size, abs ? abs : path, false, NULL, NULL);
    free(abs);
    if (own_image)
        free(image);
    if (st != RVVM_OK) {
        errf(err, err_size, RVVM_ERR_PROGRAM_MISMATCH, "cannot load the snapshot's program: %s",
             rvvm_last_error(m));
        rvvm_destroy(m);
        return RVVM_ERR_PROGRAM_MISMATCH;
    }
    if (m->layout.brk_start != in->brk_start || m->layout.stack_low != in->stack_low) {
        rvvm_destroy(m);
        return BAD("invalid snapshot: memory layout does not match the program");
    }
    /* Pages from the full snapshot up: each diff overrides what came before. */
    page_sink sink = {m->mem.base, machine_entry, m};
    for (size_t i = c->n; i-- > 0 && st == RVVM_OK;)
        st = apply_pages(&c->links[i].src, &c->links[i].ps, &sink, err, err_size);
    if (st != RVVM_OK) {
        rvvm_destroy(m);
        return st;
    }
    /* Registers, counters, layout, the call frame; ready to run. */
    rv_core_load(m, &ps->core, true);
    if (m->os) {
        st = m->os->restore(m, m->os_state, ps->os_parsed, opt, err, err_size);
        if (st != RVVM_OK) {
            rvvm_destroy(m);
            return st;
        }
    }
    /* The next diff is against the snapshot resumed from. */
    baseline_set(m, in->checksum, in->file_size, in->chain_depth, NULL, 0);
    *out = m;
    return RVVM_OK;
}

void rvvm_resume_options_init(rvvm_resume_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->struct_size = sizeof *opt;
}

static rvvm_status copy_options(const rvvm_resume_options *options, rvvm_resume_options *opt,
                                char *err, size_t err_size)
{
    rvvm_resume_options_init(opt);
    if (options) {
        if (options->struct_size < sizeof(uint32_t) || options->struct_size > sizeof *opt)
            return errf(err, err_size, RVVM_ERR_INVALID_ARGUMENT,
                        "resume options not filled by rvvm_resume_options_init");
        memcpy(opt, options, options->struct_size);
    }
    if (opt->program_image && opt->program_path)
        return errf(err, err_size, RVVM_ERR_INVALID_ARGUMENT,
                    "give the program as a path or as bytes, not both");
    if (opt->grant_count && !opt->grants)
        return errf(err, err_size, RVVM_ERR_INVALID_ARGUMENT, "grant_count without grants");
    return RVVM_OK;
}

rvvm_status rvvm_resume(const void *data, size_t size, const rvvm_resume_options *options,
                        rvvm_machine **out, char *err, size_t err_size)
{
    if (!out || (!data && size))
        return RVVM_ERR_INVALID_ARGUMENT;
    *out = NULL;
    rvvm_resume_options opt;
    rvvm_status st = copy_options(options, &opt, err, err_size);
    if (st != RVVM_OK)
        return st;
    chain *c = NULL;
    st = chain_from_buffer(data ? data : "", size, opt.chain_dir, &c, err, err_size);
    if (st == RVVM_OK)
        st = resume_chain(c, &opt, out, err, err_size);
    if (c)
        chain_free(c);
    return st;
}

rvvm_status rvvm_resume_buffer(const void *data, size_t size, const char *program,
                               rvvm_machine **out, char *err, size_t err_size)
{
    rvvm_resume_options opt;
    rvvm_resume_options_init(&opt);
    opt.program_path = program;
    return rvvm_resume(data, size, &opt, out, err, err_size);
}

rvvm_status rvvm_resume_from_file(const char *path, const rvvm_resume_options *options,
                                  rvvm_machine **out, char *err, size_t err_size)
{
    if (!path || !out)
        return RVVM_ERR_INVALID_ARGUMENT;
    *out = NULL;
    rvvm_resume_options opt;
    rvvm_status st = copy_options(options, &opt, err, err_size);
    if (st != RVVM_OK)
        return st;
    chain *c = NULL;
    st = chain_from_file(path, &c, err, err_size);
    if (st == RVVM_OK)
        st = resume_chain(c, &opt, out, err, err_size);
    if (c)
        chain_free(c);
    return st;
}

rvvm_status rvvm_resume_file(const char *path, const char *program, rvvm_machine **out,
                             char *err, size_t err_size)
{
    rvvm_resume_options opt;
    rvvm_resume_options_init(&opt);
    opt.program_path = program;
    return rvvm_resume_from_file(path, &opt, out, err, err_size);
}

/* ---- merging ------------------------------------------------------------------------ */

typedef struct merge_state {
    uint8_t *present; /* per page: 0 absent, else 1 + kind */
    uint8_t *perms;
    uint8_t *base;    /* scratch guest memory: only written pages are committed */
} merge_state;

static void merge_entry(void *ctx, const rvvm_snapshot_page *pg)
{
    merge_state *ms = ctx;
    uint64_t p = pg->address >> RV_PAGE_SHIFT;
    ms->present[p] = (uint8_t)(1 + pg->kind);
    ms->perms[p] = pg->perms;
}

rvvm_status rvvm_snapshot_merge_file(const char *out, const char *path, uint32_t flags, char *err,
                                     size_t err_size)
{
    if (!out || !*out || !path || (flags & ~(uint32_t)RVVM_SNAPSHOT_COMPRESS))
        return RVVM_ERR_INVALID_ARGUMENT;
    chain *c = NULL;
    rvvm_status st = chain_from_file(path, &c, err, err_size);
    if (st != RVVM_OK) {
        if (c)
            chain_free(c);
        return st;
    }
    const parsed *leaf = &c->links[0].ps;
    uint64_t mem_size = leaf->info.config.memory_size, pages = mem_size >> RV_PAGE_SHIFT;
    merge_state ms = {rv_alloc_zeroed(pages), rv_alloc_zeroed(pages), rv_alloc_zeroed(mem_size)};
    page_list list = {0};
    writer w = {0};
    if (!ms.present || !ms.perms || !ms.base)
        st = errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    page_sink sink = {ms.base, merge_entry, &ms};
    for (size_t i = c->n; i-- > 0 && st == RVVM_OK;)
        st = apply_pages(&c->links[i].src, &c->links[i].ps, &sink, err, err_size);
    uint64_t cap = 0;
    for (uint64_t p = 0; p < pages && st == RVVM_OK; p++) {
        if (!ms.present[p])
            continue;
        uint8_t kind = (uint8_t)(ms.present[p] - 1);
        if (!page_list_add(&list, &cap, p, ms.perms[p], kind))
            st = errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    }
    if (st == RVVM_OK) {
        /* The leaf's program, configuration, registers and OS state, verbatim. */
        bool compress = flags & RVVM_SNAPSHOT_COMPRESS;
        put_header(&w, compress);
        const uint8_t *pre = c->links[0].src.prefix;
        for (uint32_t t = SEC_PROGRAM; t <= SEC_OS; t++) {
            size_t at = begin_section(&w, t);
            w_bytes(&w, pre + leaf->sec_at[t], (size_t)leaf->sec_len[t]);
            end_section(&w, at);
        }
        put_parent(&w, NULL);
        if (!write_pages(&w, ms.base, &list, compress, false))
            st = errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory building the snapshot");
    }
    if (st == RVVM_OK) {
        uint64_t deferred = (flags & RVVM_SNAPSHOT_COMPRESS) ? 0 : list.data_pages * RV_PAGE_SIZE;
        put_le_at(w.buf + 16, w.len + deferred + CHECKSUM_SIZE, 8);
        file_body body = {&w, ms.base, &list, deferred};
        uint8_t sum[CHECKSUM_SIZE];
        st = atomic_write(out, &body, sum, err, err_size);
    }
    free(w.buf);
    page_list_free(&list);
    rv_free_zeroed(ms.present, pages);
    rv_free_zeroed(ms.perms, pages);
    rv_free_zeroed(ms.base, mem_size);
    chain_free(c);
    return st;
}
