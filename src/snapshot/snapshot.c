/*
 * Snapshot save and resume. The file is written field by field in
 * little-endian order (docs/snapshot-format.md); a SHA-256 over everything
 * before it closes the file. Readers check the checksum first, then every
 * count, length, address and index before using it.
 */
#include "rvvm/snapshot.h"

#include "../core/cpu.h"
#include "codec.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/uio.h>
#include <xxhash.h>
#include <zstd.h>

static const char magic[8] = {'R', 'V', 'V', 'M', 'S', 'N', 'A', 'P'};

enum {
    HEADER_SIZE = 32,
    SECTION_HEADER_SIZE = 16,
    CHECKSUM_SIZE = 16, /* XXH3-128 */
    PAGE_ENTRY_SIZE = 16,
    MAX_PATH_BYTES = 4096,
    FLAG_COMPRESSED = 1,
};

enum { SEC_PROGRAM = 1, SEC_CONFIG = 2, SEC_CPU = 3, SEC_OS = 4, SEC_PAGES = 5, SEC_LAST = 5 };

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

/* ---- saving --------------------------------------------------------------- */

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

static bool is_data_page(const rv_memory *mem, uint64_t p)
{
    return page_saved(mem, p) && page_kind(mem, p) == RVVM_PAGE_DATA;
}

/*
 * The PAGES section. With `defer`, the page data itself is left out of w: the
 * file writer streams it straight from guest memory. Returns the data bytes.
 */
static uint64_t write_pages(writer *w, const rv_memory *mem, bool compress, bool defer)
{
    uint64_t count = 0, data_pages = 0;
    for (uint64_t p = 0; p < mem->page_count; p++) {
        if (!page_saved(mem, p))
            continue;
        count++;
        data_pages += page_kind(mem, p) == RVVM_PAGE_DATA;
    }
    size_t at = begin_section(w, SEC_PAGES);
    w_u64(w, count);
    size_t stored_at = w->len;
    w_u64(w, 0); /* stored data size, patched below */
    for (uint64_t p = 0; p < mem->page_count; p++) {
        if (!page_saved(mem, p))
            continue;
        w_u64(w, p);
        w_u8(w, mem->flags[p] & RV_PAGE_PERMS);
        w_u8(w, page_kind(mem, p));
        w_u16(w, 0);
        w_u32(w, 0);
    }
    size_t raw_size = (size_t)(data_pages * RV_PAGE_SIZE);
    if (defer) {
        if (!w->failed) {
            put_le_at(w->buf + stored_at, raw_size, 8);
            put_le_at(w->buf + at, w->len - at - 8 + raw_size, 8);
        }
        return raw_size;
    }
    uint8_t *raw = compress ? malloc(raw_size ? raw_size : 1) : NULL;
    if (compress && !raw) {
        w->failed = true;
        return 0;
    }
    size_t data_start = w->len;
    uint8_t *dst = compress ? raw : w_reserve(w, raw_size);
    if (dst) {
        size_t off = 0;
        for (uint64_t p = 0; p < mem->page_count; p++) {
            if (is_data_page(mem, p)) {
                memcpy(dst + off, mem->base + (p << RV_PAGE_SHIFT), RV_PAGE_SIZE);
                off += RV_PAGE_SIZE;
            }
        }
    }
    if (compress) {
        size_t bound = ZSTD_compressBound(raw_size);
        uint8_t *out = w_reserve(w, bound);
        if (out) {
            size_t n = ZSTD_compress(out, bound, raw, raw_size, 3);
            if (ZSTD_isError(n))
                w->failed = true;
            else
                w->len = data_start + n;
        }
        free(raw);
    }
    if (!w->failed)
        put_le_at(w->buf + stored_at, w->len - data_start, 8);
    end_section(w, at);
    return raw_size;
}

/*
 * Builds the snapshot in w. With `defer_data` (uncompressed only) the page data
 * and checksum are left for the caller to stream; *deferred gets the data size.
 */
static rvvm_status build_snapshot(rvvm_machine *m, uint32_t flags, writer *w, bool defer_data,
                                  uint64_t *deferred)
{
    if (m->state != RV_STATE_READY || m->in_handler)
        return rv_fail(m, RVVM_ERR_STATE, "only a machine that can still run can be saved");
    const char *path = m->program_path ? m->program_path : "";
    size_t path_len = strlen(path);
    if (path_len > MAX_PATH_BYTES)
        return rv_fail(m, RVVM_ERR_INVALID_ARGUMENT, "program path too long for a snapshot");

    w_bytes(w, magic, sizeof magic);
    w_u32(w, RVVM_SNAPSHOT_FORMAT_VERSION);
    w_u32(w, (flags & RVVM_SNAPSHOT_COMPRESS) ? FLAG_COMPRESSED : 0);
    w_u64(w, 0); /* file size, patched below */
    w_u32(w, SEC_LAST);
    w_u32(w, 0);

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
    w_bytes(w, c->cost_model.name, sizeof c->cost_model.name);
    w_u32(w, RVVM_COST_CLASS_COUNT);
    for (int i = 0; i < RVVM_COST_CLASS_COUNT; i++)
        w_u32(w, c->cost_model.cost[i]);
    w_u32(w, (uint32_t)c->os);
    end_section(w, at);

    at = begin_section(w, SEC_CPU);
    w_u64(w, 0);
    for (int i = 1; i < 32; i++)
        w_u64(w, m->x[i]);
    w_u64(w, m->pc);
    w_u64(w, m->cycles);
    w_u64(w, m->instret);
    w_u64(w, m->resv_addr);
    w_u8(w, m->resv_valid);
    w_u8(w, m->resv_size);
    w_u16(w, 0);
    w_u32(w, m->fcsr);
    for (int i = 0; i < 32; i++)
        w_u64(w, m->f[i]);
    w_u64(w, m->mtvec);
    const rv_call_frame *call = &m->call;
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
    w_u64(w, m->layout.brk_start);
    w_u64(w, m->layout.brk);
    w_u64(w, m->layout.stack_low);
    w_u64(w, m->layout.mmap_low);
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

    bool compress = flags & RVVM_SNAPSHOT_COMPRESS;
    uint64_t data = write_pages(w, &m->mem, compress, defer_data && !compress);
    if (defer_data && !compress) {
        if (w->failed)
            return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory building the snapshot");
        put_le_at(w->buf + 16, w->len + data + CHECKSUM_SIZE, 8);
        *deferred = data;
        return RVVM_OK;
    }
    if (deferred)
        *deferred = 0;
    uint8_t *sum = w_reserve(w, CHECKSUM_SIZE);
    if (w->failed || !sum)
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory building the snapshot");
    put_le_at(w->buf + 16, w->len, 8);
    checksum(w->buf, w->len - CHECKSUM_SIZE, sum);
    return RVVM_OK;
}

rvvm_status rvvm_snapshot_save_buffer(rvvm_machine *m, uint32_t flags, uint8_t **data,
                                      size_t *size)
{
    if (!m || !data || !size || (flags & ~(uint32_t)RVVM_SNAPSHOT_COMPRESS))
        return RVVM_ERR_INVALID_ARGUMENT;
    writer w = {0};
    rvvm_status st = build_snapshot(m, flags, &w, false, NULL);
    if (st != RVVM_OK) {
        free(w.buf);
        return st;
    }
    *data = w.buf;
    *size = w.len;
    return RVVM_OK;
}

void rvvm_buffer_free(void *data) { free(data); }

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

/*
 * Writes the built part, then the page data straight from guest memory (no
 * copy of it is made), then the checksum over all of it.
 */
static bool write_snapshot(int fd, const rvvm_machine *m, const writer *w, uint64_t deferred)
{
    XXH3_state_t *hs = XXH3_createState();
    if (!hs || XXH3_128bits_reset(hs) != XXH_OK) {
        XXH3_freeState(hs);
        errno = ENOMEM;
        return false;
    }
    XXH3_128bits_update(hs, w->buf, w->len);
    bool ok = write_all(fd, w->buf, w->len);
    enum { BATCH = 256 };
    struct iovec iov[BATCH];
    int n = 0;
    for (uint64_t p = 0; ok && deferred && p < m->mem.page_count; p++) {
        if (!is_data_page(&m->mem, p))
            continue;
        uint8_t *page = m->mem.base + (p << RV_PAGE_SHIFT);
        XXH3_128bits_update(hs, page, RV_PAGE_SIZE);
        iov[n++] = (struct iovec){.iov_base = page, .iov_len = RV_PAGE_SIZE};
        if (n == BATCH) {
            ok = write_iov(fd, iov, n);
            n = 0;
        }
    }
    if (ok && n)
        ok = write_iov(fd, iov, n);
    uint8_t sum[CHECKSUM_SIZE];
    put_checksum(XXH3_128bits_digest(hs), sum);
    XXH3_freeState(hs);
    return ok && (!deferred || write_all(fd, sum, CHECKSUM_SIZE));
}

rvvm_status rvvm_snapshot_save_file(rvvm_machine *m, const char *path, uint32_t flags)
{
    if (!m || !path || !*path || (flags & ~(uint32_t)RVVM_SNAPSHOT_COMPRESS))
        return RVVM_ERR_INVALID_ARGUMENT;
    writer w = {0};
    uint64_t deferred = 0;
    rvvm_status st = build_snapshot(m, flags, &w, true, &deferred);
    if (st != RVVM_OK) {
        free(w.buf);
        return st;
    }
    uint8_t *data = w.buf;

    /* Temporary file in the target's directory, so rename() is atomic. */
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    char *dir = malloc(plen + 2);
    if (!tmp || !dir) {
        free(tmp);
        free(dir);
        free(data);
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory");
    }
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    int saved_errno = errno;
    bool ok = fd >= 0;
    if (ok) {
        ok = write_snapshot(fd, m, &w, deferred) && fsync(fd) == 0;
        saved_errno = errno;
        ok = (close(fd) == 0) && ok;
        if (ok && rename(tmp, path) != 0) {
            saved_errno = errno;
            ok = false;
        }
        if (!ok)
            unlink(tmp);
    }
    if (ok) {
        /* Make the rename itself durable. */
        const char *slash = strrchr(path, '/');
        if (slash) {
            size_t dlen = (size_t)(slash - path);
            memcpy(dir, path, dlen ? dlen : 1);
            dir[dlen ? dlen : 1] = '\0';
        } else {
            strcpy(dir, ".");
        }
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    free(tmp);
    free(dir);
    free(data);
    if (!ok)
        return rv_fail(m, RVVM_ERR_IO, "cannot write snapshot '%s': %s", path,
                       strerror(saved_errno ? saved_errno : EIO));
    return RVVM_OK;
}

/* ---- parsing -------------------------------------------------------------- */

typedef struct parsed {
    rvvm_snapshot_info info;
    const uint8_t *page_data; /* stored page data */
    uint64_t page_data_size;
    uint64_t data_pages;
    const rv_provider *os;    /* the OS layer the snapshot names, or NULL */
    void *os_parsed;          /* its section after the layout words */
    rv_call_frame call;       /* a guest call in progress */
} parsed;

#define BAD(...) errf(err, err_size, RVVM_ERR_SNAPSHOT, __VA_ARGS__)

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
    rvvm_snapshot_info *in = &ps->info;
    for (int i = 0; i < 32; i++)
        in->x[i] = r_u64(r);
    in->pc = r_u64(r);
    in->cycles = r_u64(r);
    in->instructions = r_u64(r);
    in->reservation_address = r_u64(r);
    uint64_t valid = r_u8(r), rsize = r_u8(r), pad = r_u16(r);
    in->fcsr = (uint32_t)r_u32(r);
    for (int i = 0; i < 32; i++)
        in->f[i] = r_u64(r);
    in->mtvec = r_u64(r);
    rv_call_frame *call = &ps->call;
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
    in->call_active = call->active;
    if (in->x[0] != 0 || valid > 1 || pad != 0 || in->fcsr > 0xff ||
        (valid && rsize != 4 && rsize != 8) || (!valid && rsize != 0 && rsize != 4 && rsize != 8))
        return BAD("invalid snapshot: cpu section holds impossible values");
    in->reservation_valid = valid != 0;
    in->reservation_size = (uint8_t)rsize;
    if (in->reservation_valid && (in->reservation_address & (rsize - 1)))
        return BAD("invalid snapshot: misaligned reservation address");
    return RVVM_OK;
}

static rvvm_status parse_os(reader *r, parsed *ps, char *err, size_t err_size)
{
    rvvm_snapshot_info *in = &ps->info;
    in->brk_start = r_u64(r);
    in->brk = r_u64(r);
    in->stack_low = r_u64(r);
    in->mmap_low = r_u64(r);
    if (r->failed)
        return BAD("invalid snapshot: os section too short");
    /* Layout needs the config: checked against memory size once both are read. */
    ps->os = rv_builtin_provider(in->config.os);
    if (!ps->os)
        return RVVM_OK; /* no OS layer: nothing after the layout words */
    rvvm_status st = ps->os->parse(r->p + r->pos, r->len - r->pos, in->config.memory_size,
                                   &ps->os_parsed, err, err_size);
    r->pos = r->len;
    return st;
}

static rvvm_status parse_pages(reader *r, parsed *ps, bool compressed, char *err,
                               size_t err_size)
{
    rvvm_snapshot_info *in = &ps->info;
    uint64_t count = r_u64(r);
    uint64_t stored = r_u64(r);
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
    if (stored != r->len - r->pos)
        return BAD("invalid snapshot: page data size does not match the section");
    if (!compressed && stored != data_pages * RV_PAGE_SIZE)
        return BAD("invalid snapshot: page data size does not match the page table");
    ps->page_data = r_take(r, (size_t)stored);
    ps->page_data_size = stored;
    ps->data_pages = data_pages;
    in->page_data_stored = stored;
    return RVVM_OK;
}

typedef rvvm_status (*section_parser)(reader *, parsed *, char *, size_t);

/* Verifies the header, checksum and every section, filling *ps. */
static rvvm_status parse(const uint8_t *data, size_t size, parsed *ps, char *err,
                         size_t err_size)
{
    memset(ps, 0, sizeof *ps);
    if (size < HEADER_SIZE + CHECKSUM_SIZE || memcmp(data, magic, sizeof magic) != 0)
        return BAD(size >= sizeof magic && memcmp(data, magic, sizeof magic) == 0
                       ? "truncated snapshot"
                       : "not an rvvm snapshot (bad magic)");
    reader hr = {.p = data, .len = size, .pos = 8};
    uint64_t version = r_u32(&hr), flags = r_u32(&hr), file_size = r_u64(&hr);
    uint64_t sections = r_u32(&hr), reserved = r_u32(&hr);
    if (version != RVVM_SNAPSHOT_FORMAT_VERSION)
        return BAD("unsupported snapshot format version %llu (this rvvm reads version %d)",
                   (unsigned long long)version, RVVM_SNAPSHOT_FORMAT_VERSION);
    if (file_size != size)
        return BAD("truncated or damaged snapshot: header says %llu bytes, file has %zu",
                   (unsigned long long)file_size, size);
    uint8_t sum[CHECKSUM_SIZE];
    checksum(data, size - CHECKSUM_SIZE, sum);
    if (memcmp(sum, data + size - CHECKSUM_SIZE, CHECKSUM_SIZE) != 0)
        return BAD("damaged snapshot: checksum mismatch");
    if (flags & ~(uint64_t)FLAG_COMPRESSED || reserved || sections != SEC_LAST)
        return BAD("invalid snapshot: unknown header flags or section count");
    ps->info.format_version = (uint32_t)version;
    ps->info.compressed = flags & FLAG_COMPRESSED;
    ps->info.file_size = size;

    static const section_parser parsers[SEC_LAST + 1] = {
        NULL, parse_program, parse_config, parse_cpu, parse_os, NULL};
    reader r = {.p = data, .len = size - CHECKSUM_SIZE, .pos = HEADER_SIZE};
    /* Sections come in a fixed order, each exactly once. */
    for (uint32_t type = 1; type <= SEC_LAST; type++) {
        uint64_t t = r_u32(&r), res = r_u32(&r), len = r_u64(&r);
        if (r.failed || t != type || res != 0 || len > r.len - r.pos)
            return BAD("invalid snapshot: bad header for section %u", type);
        reader sr = {.p = r.p + r.pos, .len = (size_t)len};
        r.pos += (size_t)len;
        rvvm_status st = type == SEC_PAGES ? parse_pages(&sr, ps, ps->info.compressed, err, err_size)
                                           : parsers[type](&sr, ps, err, err_size);
        if (st != RVVM_OK)
            return st;
        if (sr.pos != sr.len)
            return BAD("invalid snapshot: section %u is overlong", type);
    }
    if (r.pos != r.len)
        return BAD("invalid snapshot: trailing bytes after the last section");
    const rvvm_snapshot_info *in = &ps->info;
    uint64_t mem = in->config.memory_size;
    if (!(in->brk_start <= in->brk && in->brk <= in->mmap_low && in->mmap_low <= in->stack_low &&
          in->stack_low <= mem) ||
        ((in->brk_start | in->stack_low | in->mmap_low) & RV_PAGE_MASK))
        return BAD("invalid snapshot: memory layout is inconsistent");
    return RVVM_OK;
}

static void parsed_free(parsed *ps)
{
    free(ps->info.program_path);
    free(ps->info.pages);
    if (ps->os && ps->os_parsed)
        ps->os->parsed_free(ps->os_parsed);
    ps->os_parsed = NULL;
}

static rvvm_status page_data(const parsed *ps, const uint8_t **out, uint8_t **owned, char *err,
                             size_t err_size);

rvvm_status rvvm_snapshot_inspect(const void *data, size_t size, rvvm_snapshot_info **out,
                                  char *err, size_t err_size)
{
    if (!out || (!data && size))
        return RVVM_ERR_INVALID_ARGUMENT;
    *out = NULL;
    parsed ps;
    rvvm_status st = parse(data, size, &ps, err, err_size);
    if (st == RVVM_OK) {
        /* Verify the page data too: compressed data is checked by decompressing it. */
        const uint8_t *pages = NULL;
        uint8_t *owned = NULL;
        st = page_data(&ps, &pages, &owned, err, err_size);
        free(owned);
    }
    if (st != RVVM_OK) {
        parsed_free(&ps);
        return st;
    }
    rvvm_snapshot_info *info = malloc(sizeof *info);
    if (!info) {
        parsed_free(&ps);
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    }
    *info = ps.info;
    ps.info.program_path = NULL;
    ps.info.pages = NULL;
    parsed_free(&ps);
    *out = info;
    return RVVM_OK;
}

void rvvm_snapshot_info_free(rvvm_snapshot_info *info)
{
    if (!info)
        return;
    free(info->program_path);
    free(info->pages);
    free(info);
}

/* Decompresses (or points at) the page data: data_pages * 4 KiB. */
static rvvm_status page_data(const parsed *ps, const uint8_t **out, uint8_t **owned, char *err,
                             size_t err_size)
{
    uint64_t want = ps->data_pages * RV_PAGE_SIZE;
    *owned = NULL;
    if (!ps->info.compressed) {
        *out = ps->page_data;
        return RVVM_OK;
    }
    unsigned long long frame = ZSTD_getFrameContentSize(ps->page_data, (size_t)ps->page_data_size);
    if (frame != want ||
        ZSTD_findFrameCompressedSize(ps->page_data, (size_t)ps->page_data_size) !=
            ps->page_data_size)
        return BAD("invalid snapshot: compressed page data is malformed");
    uint8_t *buf = malloc(want ? (size_t)want : 1);
    if (!buf)
        return errf(err, err_size, RVVM_ERR_NO_MEMORY, "out of memory");
    size_t n = ZSTD_decompress(buf, (size_t)want, ps->page_data, (size_t)ps->page_data_size);
    if (ZSTD_isError(n) || n != want) {
        free(buf);
        return BAD("invalid snapshot: compressed page data is malformed");
    }
    *out = buf;
    *owned = buf;
    return RVVM_OK;
}

static void apply_state(rvvm_machine *m, const parsed *ps, const uint8_t *data)
{
    const rvvm_snapshot_info *in = &ps->info;
    for (int i = 1; i < 32; i++)
        m->x[i] = in->x[i];
    m->pc = in->pc;
    m->cycles = in->cycles;
    m->instret = in->instructions;
    m->resv_valid = in->reservation_valid;
    m->resv_size = in->reservation_size;
    m->resv_addr = in->reservation_address;
    m->fcsr = in->fcsr;
    memcpy(m->f, in->f, sizeof m->f);
    m->mtvec = in->mtvec;
    m->layout.brk = in->brk;
    m->layout.mmap_low = in->mmap_low;
    size_t off = 0;
    for (size_t i = 0; i < in->page_count; i++) {
        const rvvm_snapshot_page *pg = &in->pages[i];
        uint64_t p = pg->address >> RV_PAGE_SHIFT;
        rv_memory_protect(&m->mem, pg->address, RV_PAGE_SIZE, pg->perms);
        if (pg->kind == RVVM_PAGE_AS_LOADED)
            continue;
        uint8_t *dst = m->mem.base + pg->address;
        if (pg->kind == RVVM_PAGE_DATA) {
            memcpy(dst, data + off, RV_PAGE_SIZE);
            off += RV_PAGE_SIZE;
        } else if (rv_memory_page_maybe_nonzero(&m->mem, p)) {
            memset(dst, 0, RV_PAGE_SIZE);
        }
        /* Still differs from the loaded program: the next snapshot keeps it. */
        m->mem.dirty[p] = 1;
    }
}

static rvvm_status resume_parsed(const parsed *ps, const rvvm_resume_options *opt,
                                 rvvm_machine **out, char *err, size_t err_size)
{
    const rvvm_snapshot_info *in = &ps->info;
    const char *path = opt->program_path ? opt->program_path : in->program_path;
    if (!opt->program_image && !*path)
        return errf(err, err_size, RVVM_ERR_PROGRAM_MISMATCH,
                    "the snapshot names no program file; give one with --program");
    rvvm_machine *m;
    rvvm_status st = rvvm_create(&in->config, &m);
    if (st != RVVM_OK)
        return errf(err, err_size, st, "cannot create the machine: %s", rvvm_status_string(st));
    uint8_t *image = NULL;
    size_t size = 0;
    if (opt->program_image) {
        image = (uint8_t *)opt->program_image;
        size = opt->program_size;
        path = in->program_path;
    } else {
        char why[512];
        st = rv_read_file(path, m->mem.size, &image, &size, why, sizeof why);
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
    const uint8_t *data = NULL;
    uint8_t *owned = NULL;
    st = page_data(ps, &data, &owned, err, err_size);
    if (st != RVVM_OK) {
        rvvm_destroy(m);
        return st;
    }
    apply_state(m, ps, data);
    free(owned);
    if (m->os) {
        st = m->os->restore(m, m->os_state, ps->os_parsed, err, err_size);
        if (st != RVVM_OK) {
            rvvm_destroy(m);
            return st;
        }
    }
    m->call = ps->call;
    m->state = RV_STATE_READY;
    *out = m;
    return RVVM_OK;
}

void rvvm_resume_options_init(rvvm_resume_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->struct_size = sizeof *opt;
}

rvvm_status rvvm_resume(const void *data, size_t size, const rvvm_resume_options *options,
                        rvvm_machine **out, char *err, size_t err_size)
{
    if (!out || (!data && size))
        return RVVM_ERR_INVALID_ARGUMENT;
    *out = NULL;
    rvvm_resume_options opt;
    rvvm_resume_options_init(&opt);
    if (options) {
        if (options->struct_size < sizeof(uint32_t) || options->struct_size > sizeof opt)
            return errf(err, err_size, RVVM_ERR_INVALID_ARGUMENT,
                        "resume options not filled by rvvm_resume_options_init");
        memcpy(&opt, options, options->struct_size);
    }
    if (opt.program_image && opt.program_path)
        return errf(err, err_size, RVVM_ERR_INVALID_ARGUMENT,
                    "give the program as a path or as bytes, not both");
    parsed ps;
    rvvm_status st = parse(data, size, &ps, err, err_size);
    if (st == RVVM_OK)
        st = resume_parsed(&ps, &opt, out, err, err_size);
    parsed_free(&ps);
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

rvvm_status rvvm_resume_file(const char *path, const char *program, rvvm_machine **out,
                             char *err, size_t err_size)
{
    if (!path || !out)
        return RVVM_ERR_INVALID_ARGUMENT;
    *out = NULL;
    uint8_t *data;
    size_t size;
    char why[512];
    rvvm_status st = rv_read_file(path, RVVM_MAX_MEMORY_SIZE + (RVVM_MAX_MEMORY_SIZE >> 8), &data,
                                  &size, why, sizeof why);
    if (st != RVVM_OK)
        return errf(err, err_size, st, "snapshot %s", why);
    st = rvvm_resume_buffer(data, size, program, out, err, err_size);
    free(data);
    return st;
}
