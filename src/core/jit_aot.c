/*
 * The ahead-of-time cache file (jit_aot.h, docs/jit.md "Ahead-of-time cache").
 *
 * One file per program key in the cache directory, <sha256(key) hex>.rvjit:
 *
 *   [shared object made by libgccjit][manifest][trailer]
 *
 * The dynamic loader maps a shared object by its program headers, so the
 * bytes after it do not matter to it; they are not given to it anyway: the
 * validated object is copied into a memfd and dlopened from there, so what
 * runs is exactly what was checked, whatever happens to the file meanwhile.
 *
 * All integers little-endian. Manifest:
 *   header (192 bytes): "RVVMJIT\0", u32 format, u32 generator version,
 *     char rvvm_version[32], char host[64], u8 key_hash[32], u32 pages,
 *     u32 names, u32 cost classes, u32 page size, 16 bytes zero
 *   names: names x char[RV_AOT_NAME] (NUL-terminated, non-empty)
 *   pages: u64 page_base, u32 isa, u32 slots, u32 cost[classes],
 *     u8 bytes[page size], slots x (u16 slot, u16 0, u32 name index, or
 *     0xffffffff: the slot cannot be translated)
 * Trailer (56 bytes): u64 manifest offset (= size of the shared object),
 *   u64 manifest size, u8 sha256[32] of everything before the trailer,
 *   "RVJITEND".
 */
#include "jit_aot.h"

#ifdef RVVM_HAVE_GCCJIT

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define AOT_FORMAT 1
#define AOT_HEADER 192
#define AOT_TRAILER 56
#define AOT_PAGE_FIXED (8 + 4 + 4 + 4 * RVVM_COST_CLASS_COUNT + RV_PAGE_SIZE)
#define AOT_SLOT 8
/* Nothing larger is read (a cache holds at most RV_JIT_MAX_ENTRIES pages). */
#define AOT_MAX_FILE ((size_t)256 << 20)
#define AOT_MAX_PAGES 4096u

static const char header_magic[8] = {'R', 'V', 'V', 'M', 'J', 'I', 'T', 0};
static const char trailer_magic[8] = {'R', 'V', 'J', 'I', 'T', 'E', 'N', 'D'};

#if defined(__x86_64__)
#define AOT_TARGET "x86_64"
#elif defined(__aarch64__)
#define AOT_TARGET "aarch64"
#elif defined(__riscv) && __riscv_xlen == 64
#define AOT_TARGET "riscv64"
#else
#define AOT_TARGET "other"
#endif
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define AOT_ENDIAN "le"
#else
#define AOT_ENDIAN "be"
#endif

/* The host the code was made for: the kernel's machine name and this build's target. */
static void host_id(char out[64])
{
    struct utsname u;
    char machine[32] = "unknown";
    if (uname(&u) == 0) {
        size_t n = strnlen(u.machine, sizeof machine - 1);
        memcpy(machine, u.machine, n);
        machine[n] = 0;
    }
    memset(out, 0, 64);
    snprintf(out, 64, "%s/%s-%s-p%u", machine, AOT_TARGET, AOT_ENDIAN, (unsigned)(8 * sizeof(void *)));
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> 8 * i);
}
static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> 8 * i);
}
static uint32_t get32(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}
static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

bool rv_aot_sha256(const void *p, size_t n, uint8_t out[32])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned len = 0;
    bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 && EVP_DigestUpdate(ctx, p, n) == 1 &&
              EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == 32;
    EVP_MD_CTX_free(ctx);
    return ok;
}

bool rv_aot_path(char *path, size_t size, const char *dir, const uint8_t key_hash[32], unsigned delta)
{
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", key_hash[i]);
    int n = delta ? snprintf(path, size, "%s/%s-%u.rvjit", dir, hex, delta)
                  : snprintf(path, size, "%s/%s.rvjit", dir, hex);
    return n > 0 && (size_t)n < size;
}

static void fill_header(uint8_t *h, const uint8_t key_hash[32], uint32_t pages, uint32_t names)
{
    memset(h, 0, AOT_HEADER);
    memcpy(h, header_magic, 8);
    put32(h + 8, AOT_FORMAT);
    put32(h + 12, RV_JIT_GEN_VERSION);
    snprintf((char *)h + 16, 32, "%s", RVVM_VERSION_STRING);
    host_id((char *)h + 48);
    memcpy(h + 112, key_hash, 32);
    put32(h + 144, pages);
    put32(h + 148, names);
    put32(h + 152, RVVM_COST_CLASS_COUNT);
    put32(h + 156, RV_PAGE_SIZE);
}

/* Reads all of fd (size bytes) into a new buffer; NULL on a short read. */
static uint8_t *read_all(int fd, size_t size)
{
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf)
        return NULL;
    for (size_t got = 0; got < size;) {
        ssize_t r = pread(fd, buf + got, size - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(buf);
            return NULL;
        }
        got += (size_t)r;
    }
    return buf;
}

static bool write_all(int fd, const uint8_t *p, size_t n, off_t at)
{
    while (n) {
        ssize_t w = pwrite(fd, p, n, at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
        at += w;
    }
    return true;
}

#define WHY(...) (snprintf(why, why_size, __VA_ARGS__), false)

/* Formats the reason (its arguments may point into the image), then frees the image. */
__attribute__((format(printf, 4, 5))) static bool reject(rv_aot_image *img, char *why, size_t why_size,
                                                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_size, fmt, ap);
    va_end(ap);
    rv_aot_image_free(img);
    return false;
}

bool rv_aot_read(const char *path, const uint8_t key_hash[32], rv_aot_image *img, char *why, size_t why_size)
{
    memset(img, 0, sizeof *img);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return WHY("%s", errno == ENOENT ? "absent" : strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return WHY("not a regular file");
    }
    if (st.st_size < AOT_HEADER + AOT_TRAILER + 64 || (uint64_t)st.st_size > AOT_MAX_FILE) {
        close(fd);
        return WHY("size %lld out of range", (long long)st.st_size);
    }
    size_t size = (size_t)st.st_size;
    uint8_t *buf = read_all(fd, size);
    close(fd);
    if (!buf)
        return WHY("cannot read it");
    img->buf = buf;

    const uint8_t *t = buf + size - AOT_TRAILER;
    if (memcmp(t + 48, trailer_magic, 8) != 0)
        return reject(img, why, why_size, "no trailer (truncated?)");
    uint64_t moff = get64(t), msize = get64(t + 8);
    if (moff > size || msize > size || moff + msize != size - AOT_TRAILER || msize < AOT_HEADER || moff < 64)
        return reject(img, why, why_size, "bad manifest bounds");
    uint8_t sum[32];
    if (!rv_aot_sha256(buf, size - AOT_TRAILER, sum))
        return reject(img, why, why_size, "cannot compute SHA-256");
    if (memcmp(sum, t + 16, 32) != 0)
        return reject(img, why, why_size, "SHA-256 mismatch (damaged)");

    const uint8_t *h = buf + moff;
    uint8_t want[AOT_HEADER];
    fill_header(want, key_hash, 0, 0);
    if (memcmp(h, want, 8) != 0)
        return reject(img, why, why_size, "bad magic");
    if (get32(h + 8) != AOT_FORMAT || get32(h + 12) != RV_JIT_GEN_VERSION)
        return reject(img, why, why_size, "format %u generator %u, not %u %u", get32(h + 8), get32(h + 12),
                                           AOT_FORMAT, RV_JIT_GEN_VERSION);
    if (memcmp(h + 16, want + 16, 32) != 0)
        return reject(img, why, why_size, "made by another rvvm version");
    if (memcmp(h + 48, want + 48, 64) != 0)
        return reject(img, why, why_size, "made for another host (%.63s, not %.63s)", (const char *)h + 48,
                                           (const char *)want + 48);
    if (memcmp(h + 112, key_hash, 32) != 0)
        return reject(img, why, why_size, "made for another program key");
    if (get32(h + 152) != RVVM_COST_CLASS_COUNT || get32(h + 156) != RV_PAGE_SIZE)
        return reject(img, why, why_size, "another cost class count or page size");
    for (size_t i = 160; i < AOT_HEADER; i++)
        if (h[i])
            return reject(img, why, why_size, "reserved header bytes set");
    if (memcmp(buf, "\177ELF", 4) != 0)
        return reject(img, why, why_size, "no shared object");
    uint32_t pages = get32(h + 144), names = get32(h + 148);
    if (pages > AOT_MAX_PAGES || names > pages * (uint64_t)RV_INSNS_PER_PAGE)
        return reject(img, why, why_size, "%u pages, %u names: too many", pages, names);
    uint64_t left = msize - AOT_HEADER;
    const uint8_t *p = h + AOT_HEADER;
    if ((uint64_t)names * RV_AOT_NAME > left)
        return reject(img, why, why_size, "names past the manifest's end");
    img->names = (const char *)p;
    for (uint32_t i = 0; i < names; i++) {
        const char *n = img->names + (size_t)i * RV_AOT_NAME;
        if (!n[0] || !memchr(n, 0, RV_AOT_NAME))
            return reject(img, why, why_size, "bad function name %u", i);
    }
    p += (size_t)names * RV_AOT_NAME;
    left -= (uint64_t)names * RV_AOT_NAME;
    img->pages = calloc(pages ? pages : 1, sizeof *img->pages);
    if (!img->pages)
        return reject(img, why, why_size, "out of memory");
    for (uint32_t i = 0; i < pages; i++) {
        rv_aot_page *pg = &img->pages[i];
        if (left < AOT_PAGE_FIXED)
            return reject(img, why, why_size, "page %u past the manifest's end", i);
        pg->page_base = get64(p);
        pg->isa = get32(p + 8);
        pg->slots = get32(p + 12);
        for (size_t c = 0; c < RVVM_COST_CLASS_COUNT; c++)
            pg->costs.cost[c] = get32(p + 16 + 4 * c);
        pg->bytes = p + 16 + 4 * RVVM_COST_CLASS_COUNT;
        p += AOT_PAGE_FIXED;
        left -= AOT_PAGE_FIXED;
        if (pg->page_base % RV_PAGE_SIZE || pg->slots > RV_INSNS_PER_PAGE ||
            (uint64_t)pg->slots * AOT_SLOT > left)
            return reject(img, why, why_size, "bad page %u", i);
        pg->slot_list = p;
        for (uint32_t s = 0; s < pg->slots; s++, p += AOT_SLOT)
            if (get32(p) >= RV_INSNS_PER_PAGE || (get32(p + 4) >= names && get32(p + 4) != AOT_NO_CODE))
                return reject(img, why, why_size, "bad slot in page %u", i);
        left -= (uint64_t)pg->slots * AOT_SLOT;
    }
    if (left)
        return reject(img, why, why_size, "%llu bytes after the last page", (unsigned long long)left);
    img->so_size = (size_t)moff;
    img->page_count = pages;
    img->name_count = names;
    return true;
}

void rv_aot_image_free(rv_aot_image *img)
{
    free(img->pages);
    free(img->buf);
    memset(img, 0, sizeof *img);
}

void *rv_aot_dlopen(const rv_aot_image *img, const char *dir, int *keep_fd, char *why, size_t why_size)
{
    char path[4200];
    *keep_fd = -1;
    /* A memfd holds exactly the validated bytes; where memfds cannot be
     * mapped executable, a private temporary file in the cache directory. */
    int fd = memfd_create("rvvm-jit-aot", MFD_CLOEXEC);
    bool temp = false;
    if (fd >= 0) {
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    } else {
        if (snprintf(path, sizeof path, "%s/.rvjit-load-XXXXXX", dir) >= (int)sizeof path)
            return (void)snprintf(why, why_size, "directory name too long"), NULL;
        fd = mkostemp(path, O_CLOEXEC);
        temp = true;
    }
    if (fd < 0)
        return (void)snprintf(why, why_size, "cannot make a file to load from: %s", strerror(errno)), NULL;
    void *h = NULL;
    if (write_all(fd, img->buf, img->so_size, 0))
        h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h && !temp) {
        /* Retry from a file (memfds may be non-executable on this host). */
        close(fd);
        if (snprintf(path, sizeof path, "%s/.rvjit-load-XXXXXX", dir) >= (int)sizeof path)
            return (void)snprintf(why, why_size, "directory name too long"), NULL;
        fd = mkostemp(path, O_CLOEXEC);
        if (fd < 0)
            return (void)snprintf(why, why_size, "cannot make a file to load from: %s", strerror(errno)), NULL;
        temp = true;
        if (write_all(fd, img->buf, img->so_size, 0))
            h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    }
    if (!h) {
        const char *e = dlerror();
        snprintf(why, why_size, "dlopen: %s", e ? e : "failed");
    }
    if (temp)
        unlink(path);
    if (h && !temp) {
        /* The loader knows an object by its path, /proc/self/fd/N: while
         * this one is loaded, N must not name another memfd, or dlopen of
         * another file would return this object. */
        *keep_fd = fd;
        return h;
    }
    close(fd);
    return h;
}

bool rv_aot_write(const rv_gccjit *api, const char *dir, const char *path, const uint8_t key_hash[32],
                  job *jobs, size_t k, size_t *saved, char *why, size_t why_size)
{
    *saved = 0;
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s/.rvjit-new-XXXXXX", dir) >= (int)sizeof tmp)
        return WHY("directory name too long");
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return WHY("cannot write in %s: %s", dir, strerror(errno));
    close(fd);
    size_t made = 0;
    if (!rv_jit_compile_to_file(api, jobs, k, &made, tmp) || !made) {
        unlink(tmp);
        return WHY("compilation failed");
    }

    /* The manifest: one name per function, one page record per entry. */
    uint32_t pages = 0, names = 0;
    size_t msize = AOT_HEADER;
    for (size_t t = 0, u; t < k; t = u) {
        for (u = t; u < k && jobs[u].e == jobs[t].e; u++)
            if (jobs[u].made && (u == t || jobs[u].group != jobs[u - 1].group || !jobs[u - 1].made))
                names++;
        pages++;
        msize += AOT_PAGE_FIXED + (u - t) * AOT_SLOT;
    }
    msize += (size_t)names * RV_AOT_NAME;
    uint8_t *m = calloc(1, msize + AOT_TRAILER);
    fd = open(tmp, O_RDWR | O_CLOEXEC);
    struct stat st;
    uint8_t *so = NULL;
    bool ok = m && fd >= 0 && fstat(fd, &st) == 0 && st.st_size >= 64 && (size_t)st.st_size < AOT_MAX_FILE / 2 &&
              (so = read_all(fd, (size_t)st.st_size)) != NULL;
    if (!ok) {
        free(m);
        if (fd >= 0)
            close(fd);
        unlink(tmp);
        return WHY("cannot read back the compiled object");
    }
    size_t so_size = (size_t)st.st_size;
    fill_header(m, key_hash, pages, names);
    uint8_t *np = m + AOT_HEADER, *pp = np + (size_t)names * RV_AOT_NAME;
    uint32_t name = 0;
    for (size_t t = 0, u; t < k; t = u) {
        for (u = t; u < k && jobs[u].e == jobs[t].e; u++)
            ;
        size_t slots = u - t;
        const rv_jit_entry *e = jobs[t].e;
        put64(pp, e->page_base);
        put32(pp + 8, e->isa);
        put32(pp + 12, (uint32_t)slots);
        for (size_t c = 0; c < RVVM_COST_CLASS_COUNT; c++)
            put32(pp + 16 + 4 * c, e->costs.cost[c]);
        memcpy(pp + 16 + 4 * RVVM_COST_CLASS_COUNT, e->bytes, RV_PAGE_SIZE);
        pp += AOT_PAGE_FIXED;
        for (size_t v = t; v < u; v++) {
            /* Slots that cannot be translated are kept too: not compiled again. */
            put32(pp, jobs[v].slot);
            put32(pp + 4, AOT_NO_CODE);
            if (jobs[v].made) {
                if (v == t || jobs[v].group != jobs[v - 1].group || !jobs[v - 1].made)
                    rv_jit_fn_name((char *)np + (size_t)name++ * RV_AOT_NAME, RV_AOT_NAME, jobs[v].group);
                put32(pp + 4, name - 1);
                (*saved)++;
            }
            pp += AOT_SLOT;
        }
    }
    /* The trailer: where the manifest is, and the SHA-256 of object and manifest. */
    uint8_t *t = m + msize;
    put64(t, so_size);
    put64(t + 8, msize);
    memcpy(t + 48, trailer_magic, 8);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned len = 0;
    ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 && EVP_DigestUpdate(ctx, so, so_size) == 1 &&
         EVP_DigestUpdate(ctx, m, msize) == 1 && EVP_DigestFinal_ex(ctx, t + 16, &len) == 1 && len == 32;
    EVP_MD_CTX_free(ctx);
    free(so);
    ok = ok && write_all(fd, m, msize + AOT_TRAILER, (off_t)so_size) && fsync(fd) == 0;
    free(m);
    ok = close(fd) == 0 && ok;
    /* Readers see the old file or the new one, never a part of either. */
    if (!ok || rename(tmp, path) != 0) {
        int err = errno;
        unlink(tmp);
        *saved = 0;
        return WHY("cannot write %s: %s", path, strerror(err));
    }
    return true;
}

#endif
