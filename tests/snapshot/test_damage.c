/*
 * Damaged, truncated and crafted snapshots, in process.
 *
 *   test_damage hello.elf other.elf [stateful.elf]
 *
 * Every damaged input must give a clean RVVM_ERR_SNAPSHOT (or
 * RVVM_ERR_PROGRAM_MISMATCH where the program is at fault) from both
 * rvvm_snapshot_inspect and rvvm_resume_buffer, with a one-line reason, no
 * machine, and no crash: each input is handed over in a malloc'd buffer of
 * exactly its size so AddressSanitizer sees any read past the end (build
 * with -Db_sanitize=address,undefined to check that).
 *
 *   1. byte flips (xor 0xff and xor 0x01) of every byte of the header, all
 *      section headers and bodies up to the page data, and the checksum;
 *      600 sampled bytes of page data
 *   2. truncation at every length 0..256, then every 7th length and the
 *      last 64 lengths up to size-1; appended garbage
 *   3. crafted files that pass the checksum (resealed with our own SHA-256
 *      via EVP) but hold invalid fields: version, flags, section types and
 *      lengths, overlong sections, absurd page counts, pages beyond memory,
 *      duplicate and unordered pages, bad perms and kinds, memory size out
 *      of range, inconsistent layout, bad cpu fields, malformed zstd data
 *   4. program problems: wrong hash, missing file, other program, override
 *   5. with a third program (one that holds OS and FP state): every byte
 *      before its page data mutated four ways and resealed
 *
 * Positive controls make sure the harness itself can pass: the untouched
 * snapshot and a resealed-but-unchanged copy resume and finish exactly like
 * an unsplit run, and crafted cases must not fail on the checksum (that
 * would mean our resealing is wrong and the case tests nothing).
 */
#include <errno.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <xxhash.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "rvvm/rvvm.h"
#include "rvvm/snapshot.h"

static unsigned long checks, failures;
static const char *known_bug; /* set around checks that fail because of a reported bug */

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "test_damage: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static void fail(const char *fmt, ...)
{
    failures++;
    if (failures > 40)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL: %s%s", known_bug ? known_bug : "", known_bug ? ": " : "");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
}

/* ---- byte buffers and little-endian fields -------------------------------- */

typedef struct buf {
    uint8_t *p;
    size_t n;
} buf;

static buf buf_copy(const uint8_t *p, size_t n)
{
    /* At least 64 bytes: room for the header fields the mutators write.
     * (expect() makes its own exact-size copy for the library.) */
    buf b = {malloc(n > 64 ? n : 64), n};
    if (!b.p)
        die("out of memory");
    if (n)
        memcpy(b.p, p, n);
    return b;
}

static void buf_insert(buf *b, size_t off, const void *src, size_t n)
{
    uint8_t *np = realloc(b->p, b->n + n);
    if (!np)
        die("out of memory");
    memmove(np + off + n, np + off, b->n - off);
    if (src)
        memcpy(np + off, src, n);
    else
        memset(np + off, 0, n);
    b->p = np;
    b->n += n;
}

static void buf_erase(buf *b, size_t off, size_t n)
{
    memmove(b->p + off, b->p + off + n, b->n - off - n);
    b->n -= n;
}

static uint64_t get_le(const uint8_t *p, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void put_le(uint8_t *p, uint64_t v, unsigned size)
{
    for (unsigned i = 0; i < size; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* The trailing checksum: XXH3-128, canonical byte order. */
#define CSUM 16

/* Writes the true file size into the header and recomputes the XXH3-128 checksum. */
static void reseal(buf *b)
{
    if (b->n < 64)
        die("reseal: too short");
    put_le(b->p + 16, b->n, 8);
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, XXH3_128bits(b->p, b->n - CSUM));
    memcpy(b->p + b->n - CSUM, c.digest, CSUM);
}

/* ---- the format's layout (docs/snapshot-format.md), as this test reads it -- */

enum { SEC_PROGRAM = 1, SEC_CONFIG, SEC_CPU, SEC_OS, SEC_PARENT, SEC_PAGES, NSEC = 6 };

typedef struct layout {
    size_t hdr[NSEC + 1];  /* offset of each section's 16-byte header */
    size_t body[NSEC + 1]; /* offset of its body */
    uint64_t len[NSEC + 1];
    uint64_t page_count, stored;
    size_t entries;        /* offset of the first 16-byte page entry */
    size_t data;           /* offset of the page data */
} layout;

static layout parse_layout(const buf *b)
{
    layout l;
    memset(&l, 0, sizeof l);
    size_t pos = 32;
    for (int s = 1; s <= NSEC; s++) {
        if (get_le(b->p + pos, 4) != (uint64_t)s)
            die("unexpected section order in a valid snapshot");
        l.hdr[s] = pos;
        l.len[s] = get_le(b->p + pos + 8, 8);
        l.body[s] = pos + 16;
        pos = l.body[s] + l.len[s];
    }
    if (pos + CSUM != b->n)
        die("valid snapshot does not end with the checksum after the sections");
    l.page_count = get_le(b->p + l.body[SEC_PAGES], 8);
    l.stored = get_le(b->p + l.body[SEC_PAGES] + 8, 8);
    l.entries = l.body[SEC_PAGES] + 16;
    l.data = l.entries + 16 * l.page_count;
    return l;
}

/* Field offsets inside section bodies. */
enum {
    CFG_MEM = 0, CFG_ISA = 8, CFG_STRICT = 12, CFG_SEED = 16, CFG_NAME = 24, CFG_CLASSES = 56,
    CFG_COSTS = 60,
    CPU_X = 0, CPU_PC = 256, CPU_CYCLES = 264, CPU_INSTRET = 272, CPU_RESV_ADDR = 280,
    CPU_RESV_VALID = 288, CPU_RESV_SIZE = 289, CPU_PAD = 290, CPU_FCSR = 292,
    OS_BRK_START = 0, OS_BRK = 8, OS_STACK_LOW = 16, OS_MMAP_LOW = 24,
};

/* The section's header has not moved: edits only happen at or after its body. */
static void set_section_len(buf *b, const layout *l, int sec, uint64_t len)
{
    put_le(b->p + l->hdr[sec] + 8, len, 8);
}

/* ---- expectations ------------------------------------------------------------ */

static const char *st_name(rvvm_status st) { return rvvm_status_string(st); }

static bool one_line(const char *s) { return *s && !strchr(s, '\n') && !strchr(s, '\r'); }

/*
 * Hands an exact-size copy to inspect and to resume and checks both
 * statuses. `resealed` cases must not be rejected by the checksum;
 * `reason`, if set, must occur in the resume error.
 */
static void expect(const char *what, const uint8_t *data, size_t n, rvvm_status want_inspect,
                   rvvm_status want_resume, const char *program, bool resealed,
                   const char *reason)
{
    checks++;
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy)
        die("out of memory");
    if (n)
        memcpy(copy, data, n);

    rvvm_snapshot_info *info = (rvvm_snapshot_info *)1;
    char err[600];
    memset(err, 'X', sizeof err);
    err[sizeof err - 1] = '\0';
    rvvm_status st = rvvm_snapshot_inspect(copy, n, &info, err, sizeof err);
    if (st != want_inspect)
        fail("%s: rvvm_snapshot_inspect gave %s (%s), expected %s", what, st_name(st),
             st == RVVM_OK ? "" : err, st_name(want_inspect));
    else if (st != RVVM_OK && info != NULL)
        fail("%s: rvvm_snapshot_inspect failed but left *out non-NULL", what);
    else if (st != RVVM_OK && !one_line(err))
        fail("%s: inspect error is not one non-empty line: '%s'", what, err);
    if (st == RVVM_OK)
        rvvm_snapshot_info_free(info);

    rvvm_machine *m = (rvvm_machine *)1;
    memset(err, 'X', sizeof err);
    err[sizeof err - 1] = '\0';
    st = rvvm_resume_buffer(copy, n, program, &m, err, sizeof err);
    if (st != want_resume) {
        fail("%s: rvvm_resume_buffer gave %s (%s), expected %s", what, st_name(st),
             st == RVVM_OK ? "" : err, st_name(want_resume));
    } else if (st != RVVM_OK) {
        if (m != NULL)
            fail("%s: rvvm_resume_buffer failed but left *out non-NULL", what);
        else if (!one_line(err))
            fail("%s: resume error is not one non-empty line: '%s'", what, err);
        else if (resealed && strstr(err, "checksum"))
            fail("%s: a resealed file was rejected by the checksum, so the case tests "
                 "nothing: %s", what, err);
        else if (reason && !strstr(err, reason))
            fail("%s: error '%s' does not mention '%s'", what, err, reason);
    }
    if (st == RVVM_OK && m != NULL && m != (rvvm_machine *)1)
        rvvm_destroy(m);
    free(copy);
}

static void expect_bad(const char *what, const buf *b, bool resealed, const char *reason)
{
    expect(what, b->p, b->n, RVVM_ERR_SNAPSHOT, RVVM_ERR_SNAPSHOT, NULL, resealed, reason);
}

/* ---- making snapshots ---------------------------------------------------------- */

typedef struct capture {
    uint8_t out[65536];
    size_t len;
} capture;

static int64_t cap_write(void *user, int fd, const void *p, size_t n)
{
    capture *c = user;
    if (c->len + n + 1 > sizeof c->out)
        return -ENOSPC;
    c->out[c->len++] = (uint8_t)fd;
    memcpy(c->out + c->len, p, n);
    c->len += n;
    return (int64_t)n;
}

static int64_t cap_read(void *user, int fd, void *p, size_t n)
{
    (void)user, (void)fd, (void)p, (void)n;
    return 0;
}

typedef struct result {
    int exit_code;
    uint64_t cycles, instret;
    uint8_t digest[32];
    capture io;
} result;

static void finish(rvvm_machine *m, result *r)
{
    rvvm_run_result res;
    if (rvvm_run(m, RVVM_NO_LIMIT, &res) != RVVM_OK || res.reason != RVVM_STOP_EXITED)
        die("a run did not exit normally");
    r->exit_code = res.exit_code;
    r->cycles = rvvm_cycles(m);
    r->instret = rvvm_instructions(m);
    if (rvvm_state_digest(m, r->digest) != RVVM_OK)
        die("digest failed");
}

static bool same_result(const result *a, const result *b)
{
    return a->exit_code == b->exit_code && a->cycles == b->cycles && a->instret == b->instret &&
           !memcmp(a->digest, b->digest, 32) && a->io.len == b->io.len &&
           !memcmp(a->io.out, b->io.out, a->io.len);
}

static rvvm_machine *load(const char *prog, result *r)
{
    rvvm_config cfg;
    rvvm_config_init(&cfg);
    rvvm_machine *m;
    if (rvvm_create(&cfg, &m) != RVVM_OK)
        die("rvvm_create failed");
    const char *argv[] = {prog, NULL};
    if (rvvm_load_elf_file(m, prog, argv, NULL) != RVVM_OK)
        die("cannot load %s: %s", prog, rvvm_last_error(m));
    r->io.len = 0;
    rvvm_set_io(m, cap_read, cap_write, &r->io);
    return m;
}

static buf save(rvvm_machine *m, uint32_t flags)
{
    uint8_t *d;
    size_t n;
    if (rvvm_snapshot_save_buffer(m, flags, &d, &n) != RVVM_OK)
        die("save failed: %s", rvvm_last_error(m));
    buf b = buf_copy(d, n);
    rvvm_buffer_free(d);
    return b;
}

/* hello stopped at `budget`, with two extra pages written through the API
 * (one non-zero, one written with zeros) so the page table has several kinds. */
static buf make_base(const char *prog, uint64_t budget, uint32_t flags, result *half)
{
    rvvm_machine *m = load(prog, half);
    rvvm_run_result res;
    if (rvvm_run(m, budget, &res) != RVVM_OK || res.reason != RVVM_STOP_CYCLE_LIMIT)
        die("the base run did not stop at its budget");
    uint8_t one = 0x77, zero = 0;
    if (rvvm_write_memory(m, 0x400000, &one, 1) != RVVM_OK ||
        rvvm_write_memory(m, 0x800000, &zero, 1) != RVVM_OK)
        die("rvvm_write_memory failed");
    buf b = save(m, flags);
    rvvm_destroy(m);
    return b;
}

/* Resumes b and runs it to the end; the result must equal `want`. */
static void expect_resumes_like(const char *what, const buf *b, const char *program,
                                const result *want, const capture *prefix)
{
    checks++;
    rvvm_machine *m;
    char err[600] = "";
    rvvm_status st = rvvm_resume_buffer(b->p, b->n, program, &m, err, sizeof err);
    if (st != RVVM_OK) {
        fail("%s: resume failed: %s: %s", what, st_name(st), err);
        return;
    }
    result r;
    memcpy(&r.io, prefix, sizeof r.io);
    rvvm_set_io(m, cap_read, cap_write, &r.io);
    finish(m, &r);
    rvvm_destroy(m);
    if (!same_result(&r, want))
        fail("%s: resumed run does not end like the unsplit run", what);
}

/* ---- 1. flips, 2. truncation and garbage -------------------------------------- */

static void flips(const char *name, const buf *base)
{
    layout l = parse_layout(base);
    unsigned long before = checks;
    char what[160];
    buf b = buf_copy(base->p, base->n);
    /* Every byte before the page data, and the checksum. */
    for (size_t i = 0; i < base->n; i++) {
        if (i == l.data && base->n - CSUM > l.data)
            i = base->n - CSUM;
        for (int k = 0; k < 2; k++) {
            uint8_t x = k ? 0x01 : 0xff;
            b.p[i] ^= x;
            snprintf(what, sizeof what, "%s: byte %zu xor 0x%02x", name, i, x);
            expect_bad(what, &b, false, NULL);
            b.p[i] ^= x;
        }
    }
    /* A sample of the page data: evenly spread, plus its first and last bytes. */
    size_t data_len = base->n - CSUM - l.data;
    for (size_t j = 0; j < 600 && data_len; j++) {
        size_t i = l.data + (j == 599 ? data_len - 1 : j * data_len / 599);
        uint8_t x = (j & 1) ? 0x01 : 0xff;
        b.p[i] ^= x;
        snprintf(what, sizeof what, "%s: page data byte %zu xor 0x%02x", name, i, x);
        expect_bad(what, &b, false, NULL);
        b.p[i] ^= x;
    }
    free(b.p);
    printf("%s: %lu byte flips (%zu bytes of header, sections and page table; "
           "checksum; page data sample) rejected\n",
           name, checks - before, l.data);
}

static void truncations(const char *name, const buf *base)
{
    unsigned long before = checks;
    char what[160];
    for (size_t len = 0; len < base->n; len++) {
        if (len > 256 && len % 7 != 0 && len + 64 < base->n)
            continue;
        snprintf(what, sizeof what, "%s: truncated to %zu of %zu bytes", name, len, base->n);
        expect_bad(what, &(buf){base->p, len}, false, NULL);
    }
    /* A truncated file whose size field was patched to match. */
    buf t = buf_copy(base->p, base->n - 1);
    put_le(t.p + 16, t.n, 8);
    expect_bad("truncated by one with a matching size field", &t, false, NULL);
    free(t.p);
    /* Appended garbage, with and without a matching size field. */
    static const size_t extra[] = {1, 7, 32, 4096};
    for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++) {
        for (int fill = 0; fill < 2; fill++) {
            buf g = buf_copy(base->p, base->n);
            uint8_t *junk = malloc(extra[k]);
            memset(junk, fill ? 0xa5 : 0, extra[k]);
            buf_insert(&g, g.n, junk, extra[k]);
            free(junk);
            snprintf(what, sizeof what, "%s: %zu bytes of 0x%02x appended", name, extra[k],
                     fill ? 0xa5 : 0);
            expect_bad(what, &g, false, NULL);
            put_le(g.p + 16, g.n, 8);
            snprintf(what, sizeof what, "%s: %zu bytes appended, size field patched", name,
                     extra[k]);
            expect_bad(what, &g, false, NULL);
            free(g.p);
        }
    }
    buf twice = buf_copy(base->p, base->n);
    buf_insert(&twice, twice.n, base->p, base->n);
    expect_bad("snapshot appended to itself", &twice, false, NULL);
    free(twice.p);
    printf("%s: %lu truncated or extended files rejected\n", name, checks - before);
}

/* ---- 3. crafted files with a valid checksum ------------------------------------ */

typedef void (*mutator)(buf *b, const layout *l, uint64_t arg);

/* Applies f to a copy of base, reseals, expects the given statuses. */
static void crafted(const char *what, const buf *base, mutator f, uint64_t arg,
                    rvvm_status want_inspect, rvvm_status want_resume, const char *reason)
{
    buf b = buf_copy(base->p, base->n);
    layout l = parse_layout(&b);
    f(&b, &l, arg);
    reseal(&b);
    expect(what, b.p, b.n, want_inspect, want_resume, NULL, true, reason);
    free(b.p);
}

#define BAD_CASE(what, base, f, arg, reason)                                                     \
    crafted(what, base, f, arg, RVVM_ERR_SNAPSHOT, RVVM_ERR_SNAPSHOT, reason)

/* Header fields. */
static void m_version(buf *b, const layout *l, uint64_t v) { (void)l; put_le(b->p + 8, v, 4); }
static void m_flags(buf *b, const layout *l, uint64_t v) { (void)l; put_le(b->p + 12, v, 4); }
static void m_nsec(buf *b, const layout *l, uint64_t v) { (void)l; put_le(b->p + 24, v, 4); }
static void m_hdr_reserved(buf *b, const layout *l, uint64_t v) { (void)l; put_le(b->p + 28, v, 4); }
static void m_magic(buf *b, const layout *l, uint64_t v) { (void)l; b->p[v] ^= 0x20; }

/* Section headers: arg = section * 2^32 + value. */
static void m_sec_type(buf *b, const layout *l, uint64_t a)
{
    put_le(b->p + l->hdr[a >> 32], a & 0xffffffff, 4);
}
static void m_sec_reserved(buf *b, const layout *l, uint64_t a)
{
    put_le(b->p + l->hdr[a >> 32] + 4, a & 0xffffffff, 4);
}
static void m_sec_len_delta(buf *b, const layout *l, uint64_t a)
{
    int sec = (int)(a >> 32);
    int32_t delta = (int32_t)(uint32_t)a;
    put_le(b->p + l->hdr[sec] + 8, l->len[sec] + (uint64_t)(int64_t)delta, 8);
}
static void m_sec_len_abs(buf *b, const layout *l, uint64_t a)
{
    /* arg: section in the top byte, value in the rest */
    put_le(b->p + l->hdr[a >> 56] + 8, a & 0x00ffffffffffffffull, 8);
}
/* Section body grows by 8 zero bytes, its length field follows: overlong. */
static void m_overlong(buf *b, const layout *l, uint64_t sec)
{
    buf_insert(b, l->body[sec] + l->len[sec], NULL, 8);
    set_section_len(b, l, (int)sec, l->len[sec] + 8);
}
/* Section body shrinks by its last 4 bytes, length field follows: too short. */
static void m_short(buf *b, const layout *l, uint64_t sec)
{
    buf_erase(b, l->body[sec] + l->len[sec] - 4, 4);
    set_section_len(b, l, (int)sec, l->len[sec] - 4);
}
static void m_swap_config_cpu(buf *b, const layout *l, uint64_t unused)
{
    (void)unused;
    size_t a = l->hdr[SEC_CONFIG], alen = 16 + l->len[SEC_CONFIG];
    size_t c = l->hdr[SEC_CPU], clen = 16 + l->len[SEC_CPU];
    uint8_t *tmp = malloc(alen + clen);
    memcpy(tmp, b->p + c, clen);
    memcpy(tmp + clen, b->p + a, alen);
    memcpy(b->p + a, tmp, alen + clen);
    free(tmp);
}
static void m_dup_os(buf *b, const layout *l, uint64_t unused)
{
    (void)unused;
    size_t len = 16 + l->len[SEC_OS];
    uint8_t *tmp = malloc(len);
    memcpy(tmp, b->p + l->hdr[SEC_OS], len);
    buf_insert(b, l->hdr[SEC_OS] + len, tmp, len);
    free(tmp);
}
static void m_trailing(buf *b, const layout *l, uint64_t n)
{
    (void)l;
    buf_insert(b, b->n - CSUM, NULL, n);
}
static void m_drop_pages_section(buf *b, const layout *l, uint64_t unused)
{
    (void)unused;
    buf_erase(b, l->hdr[SEC_PAGES], 16 + l->len[SEC_PAGES]);
}

/* Program section. */
static void m_path_len(buf *b, const layout *l, uint64_t v)
{
    put_le(b->p + l->body[SEC_PROGRAM] + 32, v, 4);
}
static void m_path_nul(buf *b, const layout *l, uint64_t unused)
{
    (void)unused;
    b->p[l->body[SEC_PROGRAM] + 36 + 1] = 0;
}
static void m_sha(buf *b, const layout *l, uint64_t i) { b->p[l->body[SEC_PROGRAM] + i] ^= 1; }

/* Replaces the program path. */
static const char *g_new_path;
static void m_path(buf *b, const layout *l, uint64_t unused)
{
    (void)unused;
    size_t old = (size_t)get_le(b->p + l->body[SEC_PROGRAM] + 32, 4);
    size_t len = strlen(g_new_path);
    buf_erase(b, l->body[SEC_PROGRAM] + 36, old);
    buf_insert(b, l->body[SEC_PROGRAM] + 36, g_new_path, len);
    put_le(b->p + l->body[SEC_PROGRAM] + 32, len, 4);
    set_section_len(b, l, SEC_PROGRAM, 36 + len);
}

/* Generic field patch: arg = section << 56 | offset << 40 | size << 32 | value (32 bits). */
#define FIELD(sec, off, size, val)                                                         \
    (((uint64_t)(sec) << 56) | ((uint64_t)(off) << 40) | ((uint64_t)(size) << 32) |      \
     (uint64_t)(uint32_t)(val))
static void m_field(buf *b, const layout *l, uint64_t a)
{
    int sec = (int)(a >> 56);
    size_t off = (size_t)((a >> 40) & 0xffff);
    unsigned size = (unsigned)((a >> 32) & 0xff);
    put_le(b->p + l->body[sec] + off, a & 0xffffffff, size);
}
/* 64-bit field patches take the value from a global. */
static uint64_t g_val;
static void m_field64(buf *b, const layout *l, uint64_t a)
{
    int sec = (int)(a >> 56);
    size_t off = (size_t)((a >> 40) & 0xffff);
    put_le(b->p + l->body[sec] + off, g_val, 8);
}
static void m_field64_add(buf *b, const layout *l, uint64_t a)
{
    int sec = (int)(a >> 56);
    size_t off = (size_t)((a >> 40) & 0xffff);
    put_le(b->p + l->body[sec] + off, get_le(b->p + l->body[sec] + off, 8) + g_val, 8);
}

/* Cost-model name: 1 no NUL at all, 2 junk after the NUL, 3 a control character. */
static void m_cost_name(buf *b, const layout *l, uint64_t how)
{
    uint8_t *name = b->p + l->body[SEC_CONFIG] + CFG_NAME;
    if (how == 1)
        memset(name, 'x', 32);
    else if (how == 2)
        name[31] = 'j';
    else
        name[0] = 0x07;
}

/* pc + delta with the ISA in g_isa. */
static uint32_t g_isa;
static void m_pc_no_c(buf *b, const layout *l, uint64_t delta)
{
    put_le(b->p + l->body[SEC_CONFIG] + CFG_ISA, g_isa, 4);
    uint8_t *pc = b->p + l->body[SEC_CPU] + CPU_PC;
    put_le(pc, get_le(pc, 8) + delta, 8);
}

/* Pages section. */
static void m_page_count(buf *b, const layout *l, uint64_t unused)
{
    (void)unused;
    put_le(b->p + l->body[SEC_PAGES], g_val, 8);
}
static void m_stored(buf *b, const layout *l, uint64_t unused)
{
    (void)unused;
    put_le(b->p + l->body[SEC_PAGES] + 8, l->stored + g_val, 8);
}
static void m_entry_page(buf *b, const layout *l, uint64_t entry)
{
    put_le(b->p + l->entries + 16 * entry, g_val, 8);
}
static void m_entry_byte(buf *b, const layout *l, uint64_t a)
{
    /* a = entry << 8 | byte offset within the entry (8..15); value g_val */
    b->p[l->entries + 16 * (a >> 8) + (a & 0xff)] = (uint8_t)g_val;
}
static void m_entry_dup(buf *b, const layout *l, uint64_t unused)
{
    (void)unused;
    memcpy(b->p + l->entries + 16, b->p + l->entries, 8);
}
static void m_entry_swap(buf *b, const layout *l, uint64_t unused)
{
    (void)unused;
    uint8_t tmp[16];
    memcpy(tmp, b->p + l->entries, 16);
    memcpy(b->p + l->entries, b->p + l->entries + 16, 16);
    memcpy(b->p + l->entries + 16, tmp, 16);
}
/* One more page entry, arg = kind << 56 | page index, put in sorted position
 * (first or last); no page data is added. */
static void m_entry_extra(buf *b, const layout *l, uint64_t a)
{
    uint64_t page = a & 0x00ffffffffffffffull;
    uint8_t e[16] = {0};
    put_le(e, page, 8);
    e[8] = 3;
    e[9] = (uint8_t)(a >> 56);
    size_t at = page < get_le(b->p + l->entries, 8) ? l->entries : l->data;
    buf_insert(b, at, e, 16);
    put_le(b->p + l->body[SEC_PAGES], l->page_count + 1, 8);
    set_section_len(b, l, SEC_PAGES, l->len[SEC_PAGES] + 16);
}
/* Flips the compressed flag. */
static void m_toggle_compressed(buf *b, const layout *l, uint64_t unused)
{
    (void)l, (void)unused;
    b->p[12] ^= 1;
}
/* Replaces the page data by a zstd frame of `arg` pages of 0x11 bytes. */
static int g_frame_mode; /* 0 one frame, 1 two frames, 2 no content size */
static void m_frame(buf *b, const layout *l, uint64_t pages)
{
    size_t raw_len = (size_t)pages * 4096;
    uint8_t *raw = malloc(raw_len + 1);
    memset(raw, 0x11, raw_len + 1);
    size_t bound = ZSTD_compressBound(raw_len) * 2 + 64;
    uint8_t *z = malloc(bound);
    size_t zn;
    if (g_frame_mode == 2) {
        ZSTD_CCtx *cc = ZSTD_createCCtx();
        ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 0);
        zn = ZSTD_compress2(cc, z, bound, raw, raw_len);
        ZSTD_freeCCtx(cc);
    } else {
        zn = ZSTD_compress(z, bound, raw, raw_len, 3);
        if (!ZSTD_isError(zn) && g_frame_mode == 1) {
            size_t half = raw_len / 2;
            zn = ZSTD_compress(z, bound, raw, half, 3);
            size_t zn2 = ZSTD_compress(z + zn, bound - zn, raw + half, raw_len - half, 3);
            zn = ZSTD_isError(zn2) ? zn2 : zn + zn2;
        }
    }
    if (ZSTD_isError(zn))
        die("zstd: %s", ZSTD_getErrorName(zn));
    buf_erase(b, l->data, (size_t)l->stored);
    buf_insert(b, l->data, z, zn);
    put_le(b->p + l->body[SEC_PAGES] + 8, zn, 8);
    set_section_len(b, l, SEC_PAGES, l->len[SEC_PAGES] - l->stored + zn);
    free(raw);
    free(z);
}

static void crafted_cases(const buf *base, const buf *zbase, const char *prog,
                          const char *other_prog)
{
    unsigned long before = checks;
    char what[200];
    layout l = parse_layout(base);

    /* Positive control: resealing an unchanged file changes nothing. */
    buf same = buf_copy(base->p, base->n);
    reseal(&same);
    if (memcmp(same.p, base->p, base->n) != 0)
        fail("reseal() of an unchanged snapshot changed it: the crafted cases test nothing");
    free(same.p);

    /* Header. */
    static const uint64_t versions[] = {0, 1, 2, 3, 4, 6, 0x100, 0xffffffff};
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        snprintf(what, sizeof what, "format version %" PRIu64, versions[i]);
        BAD_CASE(what, base, m_version, versions[i], "version");
    }
    BAD_CASE("unknown header flag 2", base, m_flags, 2, NULL);
    BAD_CASE("unknown header flag 0x80000000", base, m_flags, 0x80000000u, NULL);
    BAD_CASE("section count 5", base, m_nsec, 5, NULL);
    BAD_CASE("section count 7", base, m_nsec, 7, NULL);
    BAD_CASE("section count 0", base, m_nsec, 0, NULL);
    BAD_CASE("header reserved word", base, m_hdr_reserved, 1, NULL);
    BAD_CASE("magic byte 0", base, m_magic, 0, "magic");
    BAD_CASE("magic byte 7", base, m_magic, 7, "magic");

    /* Section headers and framing. */
    for (uint64_t s = 1; s <= NSEC; s++) {
        static const uint32_t types[] = {0, 7, 99, 0xffffffff};
        for (size_t i = 0; i < 4; i++) {
            snprintf(what, sizeof what, "section %" PRIu64 " with unknown type %u", s, types[i]);
            BAD_CASE(what, base, m_sec_type, s << 32 | types[i], NULL);
        }
        snprintf(what, sizeof what, "section %" PRIu64 " with the next section's type", s);
        BAD_CASE(what, base, m_sec_type, s << 32 | (s % NSEC + 1), NULL);
        snprintf(what, sizeof what, "section %" PRIu64 " reserved word", s);
        BAD_CASE(what, base, m_sec_reserved, s << 32 | 1, NULL);
        for (int d = -1; d <= 1; d += 2) {
            snprintf(what, sizeof what, "section %" PRIu64 " length %+d", s, d);
            BAD_CASE(what, base, m_sec_len_delta, s << 32 | (uint32_t)d, NULL);
        }
        static const uint64_t lens[] = {0, 0x00ffffffffffffffull, 0x0080000000000000ull};
        for (size_t i = 0; i < 3; i++) {
            if (s == SEC_PARENT && lens[i] == 0)
                continue; /* a full snapshot's parent section is empty */
            snprintf(what, sizeof what, "section %" PRIu64 " length 0x%" PRIx64, s, lens[i]);
            BAD_CASE(what, base, m_sec_len_abs, s << 56 | lens[i], NULL);
        }
        snprintf(what, sizeof what, "section %" PRIu64 " overlong by 8 bytes", s);
        BAD_CASE(what, base, m_overlong, s, NULL);
        snprintf(what, sizeof what, "section %" PRIu64 " 4 bytes short", s);
        BAD_CASE(what, base, m_short, s, NULL);
    }
    BAD_CASE("config and cpu sections swapped", base, m_swap_config_cpu, 0, NULL);
    BAD_CASE("os section twice", base, m_dup_os, 0, NULL);
    BAD_CASE("8 trailing bytes before the checksum", base, m_trailing, 8, "trailing");
    BAD_CASE("1 trailing byte before the checksum", base, m_trailing, 1, NULL);
    BAD_CASE("pages section missing", base, m_drop_pages_section, 0, NULL);

    /* Program section. */
    BAD_CASE("program path length 4097", base, m_path_len, 4097, NULL);
    BAD_CASE("program path length 0xffffffff", base, m_path_len, 0xffffffffu, NULL);
    size_t plen = (size_t)get_le(base->p + l.body[SEC_PROGRAM] + 32, 4);
    BAD_CASE("program path length +1", base, m_path_len, plen + 1, NULL);
    BAD_CASE("program path length -1", base, m_path_len, plen - 1, NULL);
    BAD_CASE("NUL inside the program path", base, m_path_nul, 0, NULL);
    for (uint64_t i = 0; i < 32; i += 31) {
        snprintf(what, sizeof what, "program SHA-256 byte %" PRIu64 " changed", i);
        crafted(what, base, m_sha, i, RVVM_OK, RVVM_ERR_PROGRAM_MISMATCH, "SHA-256");
    }
    g_new_path = "/nonexistent/rvvm-test/prog.elf";
    crafted("program path names a missing file", base, m_path, 0, RVVM_OK,
            RVVM_ERR_PROGRAM_MISMATCH, NULL);
    g_new_path = "";
    crafted("empty program path", base, m_path, 0, RVVM_OK, RVVM_ERR_PROGRAM_MISMATCH, NULL);
    g_new_path = "/tmp";
    crafted("program path names a directory", base, m_path, 0, RVVM_OK,
            RVVM_ERR_PROGRAM_MISMATCH, NULL);
    char *other_abs = realpath(other_prog, NULL);
    if (!other_abs)
        die("realpath %s failed", other_prog);
    g_new_path = other_abs;
    crafted("program path names another program", base, m_path, 0, RVVM_OK,
            RVVM_ERR_PROGRAM_MISMATCH, "SHA-256");
    free(other_abs);
    /* A name that is not an absolute path is valid (a program given as
     * bytes), and never opened as a file relative to the resumer's directory. */
    g_new_path = "relative/prog.elf";
    crafted("relative program name", base, m_path, 0, RVVM_OK, RVVM_ERR_PROGRAM_MISMATCH,
            "absolute");
    g_new_path = "/dev/zero";
    crafted("program path names /dev/zero", base, m_path, 0, RVVM_OK,
            RVVM_ERR_PROGRAM_MISMATCH, NULL);
    (void)prog;

    /* Config section. */
    static const uint64_t mems[] = {0, 4096, (1ull << 20) - 4096, (16ull << 30) + 4096,
                                    (256ull << 20) + 1, (256ull << 20) + 2048, UINT64_MAX,
                                    1ull << 63};
    for (size_t i = 0; i < sizeof mems / sizeof mems[0]; i++) {
        g_val = mems[i];
        snprintf(what, sizeof what, "memory size %" PRIu64, mems[i]);
        BAD_CASE(what, base, m_field64, FIELD(SEC_CONFIG, CFG_MEM, 8, 0), NULL);
    }
    /* In range, but the stack recorded in the snapshot lies above it. */
    g_val = 128ull << 20;
    BAD_CASE("memory size 128 MiB below the recorded stack", base, m_field64,
             FIELD(SEC_CONFIG, CFG_MEM, 8, 0), NULL);
    /* Consistent on its own, but the program loads differently there. */
    g_val = 512ull << 20;
    crafted("memory size 512 MiB: layout does not match the program", base, m_field64,
            FIELD(SEC_CONFIG, CFG_MEM, 8, 0), RVVM_OK, RVVM_ERR_SNAPSHOT, "layout");
    /* ISA bits this build does not know: the ones rvvm_create refuses. */
    unsigned unknown = 0;
    for (int bit = 0; bit < 32; bit++) {
        rvvm_config cfg;
        rvvm_config_init(&cfg);
        cfg.isa |= 1u << bit;
        rvvm_machine *probe = NULL;
        if (rvvm_create(&cfg, &probe) != RVVM_OK) {
            snprintf(what, sizeof what, "unknown isa bit %d", bit);
            BAD_CASE(what, base, m_field, FIELD(SEC_CONFIG, CFG_ISA, 4, cfg.isa), "ISA");
            unknown++;
        }
        rvvm_destroy(probe);
    }
    if (unknown == 0)
        fail("rvvm_create accepts every ISA bit: cannot test unknown ones");
    BAD_CASE("isa 0xffffffff", base, m_field, FIELD(SEC_CONFIG, CFG_ISA, 4, 0xffffffffu), NULL);
    BAD_CASE("strict flag 2", base, m_field, FIELD(SEC_CONFIG, CFG_STRICT, 4, 2), NULL);
    BAD_CASE("strict flag 0x100", base, m_field, FIELD(SEC_CONFIG, CFG_STRICT, 4, 0x100), NULL);
    static const uint32_t classes[] = {0, RVVM_COST_CLASS_COUNT - 1, RVVM_COST_CLASS_COUNT + 1,
                                       0xffffffffu};
    for (size_t i = 0; i < 4; i++) {
        snprintf(what, sizeof what, "cost model with %u classes", classes[i]);
        BAD_CASE(what, base, m_field, FIELD(SEC_CONFIG, CFG_CLASSES, 4, classes[i]), "classes");
    }
    for (int k = 0; k < RVVM_COST_CLASS_COUNT; k += RVVM_COST_CLASS_COUNT - 1) {
        snprintf(what, sizeof what, "cost of class %d is 0", k);
        BAD_CASE(what, base, m_field, FIELD(SEC_CONFIG, CFG_COSTS + 4 * k, 4, 0), "cost");
        snprintf(what, sizeof what, "cost of class %d is RVVM_COST_MAX+1", k);
        BAD_CASE(what, base, m_field, FIELD(SEC_CONFIG, CFG_COSTS + 4 * k, 4, RVVM_COST_MAX + 1),
                 "cost");
    }

    /* Validation is one place: inspect refuses what resume (rvvm_create) refuses. */
    {
        rvvm_config cfg;
        rvvm_config_init(&cfg);
        BAD_CASE("isa with D but not F", base, m_field,
                 FIELD(SEC_CONFIG, CFG_ISA, 4, cfg.isa & ~(uint32_t)RVVM_ISA_F), "D without F");
    }
    BAD_CASE("cost model name of 32 bytes without a NUL", base, m_cost_name, 1, "cost model name");
    BAD_CASE("cost model name with junk after its NUL", base, m_cost_name, 2, "cost model name");
    BAD_CASE("cost model name with a control character", base, m_cost_name, 3, "cost model name");

    /* CPU section. A misaligned pc is refused, never silently rounded. */
    g_val = 1;
    BAD_CASE("odd pc", base, m_field64_add, FIELD(SEC_CPU, CPU_PC, 8, 0), "misaligned pc");
    {
        /* pc 2 mod 4 is fine with C and misaligned without it. */
        rvvm_config cfg;
        rvvm_config_init(&cfg);
        g_val = 2;
        crafted("pc 2 mod 4 with C", base, m_field64_add, FIELD(SEC_CPU, CPU_PC, 8, 0), RVVM_OK,
                RVVM_OK, NULL);
        g_isa = cfg.isa & ~(uint32_t)RVVM_ISA_C;
        BAD_CASE("pc 2 mod 4 without C", base, m_pc_no_c, 2, "misaligned pc");
    }
    BAD_CASE("x0 not zero", base, m_field, FIELD(SEC_CPU, CPU_X, 4, 1), NULL);
    BAD_CASE("reservation valid = 2", base, m_field, FIELD(SEC_CPU, CPU_RESV_VALID, 1, 2), NULL);
    BAD_CASE("reservation size 3 (invalid reservation)", base, m_field,
             FIELD(SEC_CPU, CPU_RESV_SIZE, 1, 3), NULL);
    BAD_CASE("reservation size 0xff", base, m_field, FIELD(SEC_CPU, CPU_RESV_SIZE, 1, 0xff), NULL);
    BAD_CASE("cpu padding", base, m_field, FIELD(SEC_CPU, CPU_PAD, 2, 1), NULL);
    BAD_CASE("fcsr 0x100", base, m_field, FIELD(SEC_CPU, CPU_FCSR, 4, 0x100), NULL);
    BAD_CASE("fcsr 0xffffffff", base, m_field, FIELD(SEC_CPU, CPU_FCSR, 4, 0xffffffffu), NULL);

    /* OS section: the layout. */
    g_val = (uint64_t)-4096;
    BAD_CASE("brk below brk_start", base, m_field64_add, FIELD(SEC_OS, OS_BRK, 8, 0), "layout");
    g_val = 1;
    BAD_CASE("brk_start not page aligned", base, m_field64_add,
             FIELD(SEC_OS, OS_BRK_START, 8, 0), NULL);
    BAD_CASE("stack_low not page aligned", base, m_field64_add,
             FIELD(SEC_OS, OS_STACK_LOW, 8, 0), NULL);
    BAD_CASE("mmap_low not page aligned", base, m_field64_add, FIELD(SEC_OS, OS_MMAP_LOW, 8, 0),
             NULL);
    g_val = 1ull << 40;
    BAD_CASE("stack_low beyond memory", base, m_field64_add, FIELD(SEC_OS, OS_STACK_LOW, 8, 0),
             "layout");
    BAD_CASE("brk beyond mmap_low", base, m_field64_add, FIELD(SEC_OS, OS_BRK, 8, 0), "layout");
    g_val = 0;
    BAD_CASE("mmap_low 0", base, m_field64, FIELD(SEC_OS, OS_MMAP_LOW, 8, 0), "layout");
    g_val = UINT64_MAX;
    BAD_CASE("mmap_low all ones", base, m_field64, FIELD(SEC_OS, OS_MMAP_LOW, 8, 0), NULL);
    g_val = (uint64_t)-4096;
    BAD_CASE("mmap_low one page lower than the mappings imply", base, m_field64_add,
             FIELD(SEC_OS, OS_MMAP_LOW, 8, 0), "mmap low");
    crafted("brk_start one page lower (consistent, but not this program's)", base,
            m_field64_add, FIELD(SEC_OS, OS_BRK_START, 8, 0), RVVM_OK, RVVM_ERR_SNAPSHOT,
            "layout");
    /* The mapping area's top moves with stack_low, so mmap low no longer
     * matches the mappings: inspect refuses it too (validation is one place). */
    crafted("stack_low one page lower (not this program's, mmap low inconsistent)", base,
            m_field64_add, FIELD(SEC_OS, OS_STACK_LOW, 8, 0), RVVM_ERR_SNAPSHOT,
            RVVM_ERR_SNAPSHOT, "mmap low");

    /* Pages section. */
    uint64_t max_pages = (256ull << 20) >> 12;
    const uint64_t counts[] = {UINT64_MAX, 1ull << 63, 1ull << 32, max_pages + 1, max_pages,
                               l.page_count + 1, l.page_count + 1000, l.page_count - 1, 0};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        g_val = counts[i];
        snprintf(what, sizeof what, "page count %" PRIu64 " (really %" PRIu64 ")", counts[i],
                 l.page_count);
        BAD_CASE(what, base, m_page_count, 0, NULL);
    }
    const int64_t stored_delta[] = {1, -1, 4096, -4096, (int64_t)1 << 40};
    for (size_t i = 0; i < sizeof stored_delta / sizeof stored_delta[0]; i++) {
        g_val = (uint64_t)stored_delta[i];
        snprintf(what, sizeof what, "stored page data size %+" PRId64, stored_delta[i]);
        BAD_CASE(what, base, m_stored, 0, NULL);
    }
    const uint64_t beyond[] = {max_pages, max_pages + 1, 1ull << 52, UINT64_MAX};
    for (uint64_t e = 0; e < l.page_count; e += l.page_count - 1) {
        for (size_t i = 0; i < 4; i++) {
            g_val = beyond[i];
            snprintf(what, sizeof what, "page entry %" PRIu64 " at page index 0x%" PRIx64, e,
                     beyond[i]);
            BAD_CASE(what, base, m_entry_page, e, NULL);
        }
        if (l.page_count == 1)
            break;
    }
    BAD_CASE("duplicate page", base, m_entry_dup, 0, "duplicate");
    BAD_CASE("unordered pages", base, m_entry_swap, 0, NULL);
    BAD_CASE("an extra zero page entry beyond memory", base, m_entry_extra, max_pages, NULL);
    BAD_CASE("an extra data page entry without its data", base, m_entry_extra,
             1ull << 56 | 1, NULL);
    {
        /* Control: an extra zero page entry (needs no data) is a valid file. */
        buf b = buf_copy(base->p, base->n);
        layout bl = parse_layout(&b);
        m_entry_extra(&b, &bl, 1);
        reseal(&b);
        expect("control: an extra zero page entry", b.p, b.n, RVVM_OK, RVVM_OK, NULL, true,
               NULL);
        free(b.p);
    }
    for (uint64_t e = 0; e < l.page_count; e++) {
        static const struct { unsigned off; uint8_t val; const char *name; } bad[] = {
            {8, 8, "perms 0x08"}, {8, 0x80, "perms 0x80"}, {8, 0xff, "perms 0xff"},
            {9, 3, "kind 3"}, {9, 0xff, "kind 0xff"},
            {10, 1, "pad byte 10"}, {11, 0x80, "pad byte 11"}, {12, 1, "pad byte 12"},
            {15, 0xff, "pad byte 15"},
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            g_val = bad[i].val;
            snprintf(what, sizeof what, "page entry %" PRIu64 ": %s", e, bad[i].name);
            BAD_CASE(what, base, m_entry_byte, e << 8 | bad[i].off, NULL);
        }
        /* Kind changed between data and zero: data size no longer matches. */
        uint8_t kind = base->p[l.entries + 16 * e + 9];
        if (kind == 0 || kind == 1) {
            g_val = kind ^ 1;
            snprintf(what, sizeof what, "page entry %" PRIu64 ": kind %u -> %u", e, kind,
                     kind ^ 1);
            BAD_CASE(what, base, m_entry_byte, e << 8 | 9, NULL);
        }
    }

    /* Compressed page data. */
    layout zl = parse_layout(zbase);
    uint64_t zdata_pages = 0;
    for (uint64_t e = 0; e < zl.page_count; e++)
        zdata_pages += zbase->p[zl.entries + 16 * e + 9] == 1;
    BAD_CASE("compressed flag cleared on a compressed file", zbase, m_toggle_compressed, 0, NULL);
    /*
     * BUG: rvvm_snapshot_inspect (and so `rvrun --inspect`, which prints
     * "checksum OK" and exits 0) accepts compressed page data that
     * docs/snapshot-format.md forbids and that rvvm_resume_buffer then
     * rejects as RVVM_ERR_SNAPSHOT ("compressed page data is malformed"):
     * parse_pages() in src/snapshot/snapshot.c checks the stored size only for
     * uncompressed files; the zstd frame's content size, frame count and
     * well-formedness are checked in page_data(), on resume only. Expected:
     * inspect, which "verifies a snapshot", gives RVVM_ERR_SNAPSHOT too.
     * The five cases below fail in inspect until that is fixed.
     */
    known_bug = "BUG (inspect skips the zstd checks)";
    BAD_CASE("compressed flag set on an uncompressed file", base, m_toggle_compressed, 0, NULL);
    g_frame_mode = 0;
    BAD_CASE("zstd frame with one page too many", zbase, m_frame, zdata_pages + 1, "compressed");
    BAD_CASE("zstd frame with one page too few", zbase, m_frame, zdata_pages - 1, "compressed");
    g_frame_mode = 1;
    BAD_CASE("page data as two zstd frames", zbase, m_frame, zdata_pages, "compressed");
    g_frame_mode = 2;
    BAD_CASE("zstd frame without a content size", zbase, m_frame, zdata_pages, "compressed");
    g_frame_mode = 0;
    known_bug = NULL;
    {
        /* Control: a well-formed replacement frame of the right size is accepted. */
        buf b = buf_copy(zbase->p, zbase->n);
        layout bl = parse_layout(&b);
        m_frame(&b, &bl, zdata_pages);
        reseal(&b);
        expect("control: re-encoded zstd page data of the right size", b.p, b.n, RVVM_OK,
               RVVM_OK, NULL, true, NULL);
        free(b.p);
    }
    /* Flips inside the zstd data, resealed: either rejected or decoded into some
     * other (valid) page contents; never a crash. */
    unsigned long ok = 0, rejected = 0;
    for (size_t j = 0; j < 300 && zl.stored; j++) {
        buf b = buf_copy(zbase->p, zbase->n);
        size_t at = zl.data + j * (size_t)zl.stored / 300;
        b.p[at] ^= (j & 1) ? 0x01 : 0xff;
        reseal(&b);
        rvvm_machine *m = NULL;
        char err[600];
        checks++;
        rvvm_status st = rvvm_resume_buffer(b.p, b.n, NULL, &m, err, sizeof err);
        if (st == RVVM_OK) {
            ok++;
            rvvm_destroy(m);
        } else if (st == RVVM_ERR_SNAPSHOT && m == NULL && one_line(err)) {
            rejected++;
        } else {
            fail("resealed zstd flip at %zu: %s (%s)", at, st_name(st), err);
        }
        free(b.p);
    }
    printf("crafted: 300 resealed flips inside zstd data: %lu rejected, %lu decoded to other "
           "contents (zstd frames carry no checksum here; the file checksum covers them)\n",
           rejected, ok);
    printf("crafted: %lu files with a valid checksum and an invalid field rejected\n",
           checks - before);
}

/* CPU fields the format does not restrict: resume may accept them, and then
 * running must end cleanly (a fault, an exit or the budget), never a crash. */
static void odd_but_valid(const buf *base)
{
    static const struct { unsigned off; uint64_t val; const char *name; } cases[] = {
        {CPU_PC, 0x10001, "odd pc"},
        {CPU_PC, 0x10002, "pc not 4-aligned"},
        {CPU_PC, 0, "pc 0"},
        {CPU_PC, 0xfffffffffffffffeull, "pc at the top of the address space"},
        {CPU_PC, 256ull << 20, "pc just past guest memory"},
        {CPU_CYCLES, UINT64_MAX - 3, "cycles near overflow"},
        {CPU_INSTRET, UINT64_MAX, "instructions at UINT64_MAX"},
        {8 * 2, 0, "sp 0"},
        {8 * 2, 0xfffffffffffffff0ull, "sp at the top of the address space"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf b = buf_copy(base->p, base->n);
        layout l = parse_layout(&b);
        put_le(b.p + l.body[SEC_CPU] + cases[i].off, cases[i].val, 8);
        reseal(&b);
        checks++;
        rvvm_machine *m = NULL;
        char err[600] = "";
        rvvm_status st = rvvm_resume_buffer(b.p, b.n, NULL, &m, err, sizeof err);
        if (st == RVVM_OK) {
            capture io = {.len = 0};
            rvvm_set_io(m, cap_read, cap_write, &io);
            rvvm_run_result res;
            rvvm_status rs = rvvm_run(m, 100000, &res);
            if (rs != RVVM_OK)
                fail("%s: rvvm_run returned %s", cases[i].name, st_name(rs));
            printf("crafted: %s: resumed; run ends with reason %d%s%s\n", cases[i].name,
                   res.reason, res.reason == RVVM_STOP_FAULT ? ", fault " : "",
                   res.reason == RVVM_STOP_FAULT ? rvvm_fault_kind_string(res.fault.kind) : "");
            rvvm_destroy(m);
        } else if (st != RVVM_ERR_SNAPSHOT || m || !one_line(err)) {
            fail("%s: %s (%s)", cases[i].name, st_name(st), err);
        } else {
            printf("crafted: %s: rejected (%s)\n", cases[i].name, err);
        }
        free(b.p);
    }
}

/* ---- 4. program problems and API edges ------------------------------------ */

static void program_cases(const buf *base, const char *prog, const char *other,
                          const result *want, const capture *prefix)
{
    unsigned long before = checks;
    /* Explicit program argument. */
    expect("program override: another program", base->p, base->n, RVVM_OK,
           RVVM_ERR_PROGRAM_MISMATCH, other, false, "SHA-256");
    expect("program override: missing file", base->p, base->n, RVVM_OK,
           RVVM_ERR_PROGRAM_MISMATCH, "/nonexistent/rvvm/x.elf", false, NULL);
    expect("program override: a directory", base->p, base->n, RVVM_OK,
           RVVM_ERR_PROGRAM_MISMATCH, "/", false, NULL);
    expect("program override: empty path", base->p, base->n, RVVM_OK, RVVM_ERR_PROGRAM_MISMATCH,
           "", false, NULL);

    /* A copy of the program in a temporary directory: accepted, and runs the same. */
    char dir[] = "/tmp/rvvm-damage-XXXXXX";
    if (!mkdtemp(dir))
        die("mkdtemp: %s", strerror(errno));
    char copy[600], modified[600];
    snprintf(copy, sizeof copy, "%s/moved.elf", dir);
    snprintf(modified, sizeof modified, "%s/modified.elf", dir);
    FILE *in = fopen(prog, "rb");
    if (!in)
        die("cannot open %s", prog);
    static uint8_t elf[1 << 20];
    size_t n = fread(elf, 1, sizeof elf, in);
    fclose(in);
    FILE *out = fopen(copy, "wb");
    if (!out || fwrite(elf, 1, n, out) != n || fclose(out) != 0)
        die("cannot write %s", copy);
    expect_resumes_like("program override: a moved copy", base, copy, want, prefix);
    /* The same bytes with one byte changed (in the section headers' area at the end). */
    elf[n - 1] ^= 1;
    out = fopen(modified, "wb");
    if (!out || fwrite(elf, 1, n, out) != n || fclose(out) != 0)
        die("cannot write %s", modified);
    expect("program override: a copy with one byte changed", base->p, base->n, RVVM_OK,
           RVVM_ERR_PROGRAM_MISMATCH, modified, false, "SHA-256");
    unlink(copy);
    unlink(modified);
    rmdir(dir);

    /* API edges. */
    checks++;
    rvvm_machine *m = (rvvm_machine *)1;
    if (rvvm_resume_buffer(NULL, 10, NULL, &m, NULL, 0) != RVVM_ERR_INVALID_ARGUMENT)
        fail("rvvm_resume_buffer(NULL, 10) is not INVALID_ARGUMENT");
    checks++;
    if (rvvm_resume_buffer(base->p, base->n, NULL, NULL, NULL, 0) != RVVM_ERR_INVALID_ARGUMENT)
        fail("rvvm_resume_buffer with out == NULL is not INVALID_ARGUMENT");
    checks++;
    m = (rvvm_machine *)1;
    if (rvvm_resume_buffer(NULL, 0, NULL, &m, NULL, 0) != RVVM_ERR_SNAPSHOT || m)
        fail("rvvm_resume_buffer(NULL, 0) is not a clean RVVM_ERR_SNAPSHOT");
    checks++;
    /* err == NULL must be allowed on failure paths. */
    buf t = buf_copy(base->p, base->n / 2);
    if (rvvm_resume_buffer(t.p, t.n, NULL, &m, NULL, 0) != RVVM_ERR_SNAPSHOT)
        fail("truncated snapshot with err == NULL");
    free(t.p);
    checks++;
    char tiny[4];
    t = buf_copy(base->p, base->n);
    t.p[100] ^= 1;
    if (rvvm_resume_buffer(t.p, t.n, NULL, &m, tiny, sizeof tiny) != RVVM_ERR_SNAPSHOT ||
        strlen(tiny) != 3)
        fail("a 4-byte err buffer is not filled with a terminated 3-character prefix");
    free(t.p);
    checks++;
    m = (rvvm_machine *)1;
    if (rvvm_resume_file("/nonexistent/rvvm.snap", NULL, &m, NULL, 0) != RVVM_ERR_IO || m)
        fail("rvvm_resume_file of a missing file is not RVVM_ERR_IO");
    checks++;
    if (rvvm_resume_file("/", NULL, &m, NULL, 0) != RVVM_ERR_IO)
        fail("rvvm_resume_file of a directory is not RVVM_ERR_IO");
    checks++;
    if (rvvm_resume_file("/dev/null", NULL, &m, NULL, 0) == RVVM_OK)
        fail("rvvm_resume_file of /dev/null succeeded");
    printf("program and API cases: %lu checks\n", checks - before);
}

/* ---- 5. resealed mutations of every metadata byte of a rich snapshot ------- */

/*
 * A snapshot of a program that holds OS state (mappings, brk, permission
 * changes, FP registers) at 90% of its run. Every byte of the header and of
 * every section body before the page data is mutated four ways (xor 0x01,
 * xor 0x80, 0x00, 0xff) and the file resealed, so the checksum passes and
 * the field checks must do the work. Accepted answers: RVVM_ERR_SNAPSHOT or
 * RVVM_ERR_PROGRAM_MISMATCH with one line and no machine, or RVVM_OK (the
 * byte held a value that is simply another valid state); a machine so
 * resumed must run 20000 cycles without rvvm_run failing. Never a crash:
 * run it under ASan/UBSan.
 */
/* Offset of the first occurrence of needle in b[from, to), or 0. */
static size_t find_bytes(const buf *b, size_t from, size_t to, const void *needle, size_t n)
{
    for (size_t i = from; i + n <= to; i++)
        if (memcmp(b->p + i, needle, n) == 0)
            return i;
    return 0;
}

/*
 * Targeted OS-section cases on the rich base (two granted directories, at
 * guest paths /p and /q). The error must name the offending path.
 *
 * Regression check for a use-after-free found by this test: rv_os_parse()
 * (src/linux/os_snapshot.c) had BAD() defined as (rv_os_saved_free(s),
 * errf(..., __VA_ARGS__)), so s->cwd ("working directory '%s' is not a
 * normalised path") and g->guest ("guest directory '%s' granted twice")
 * were formatted after being freed: garbage in the message, SIGSEGV with
 * MALLOC_PERTURB_ (which meson sets), an abort under ASan.
 */
static void os_cases(const buf *base)
{
    layout l = parse_layout(base);
    size_t os = l.body[SEC_OS], os_end = os + l.len[SEC_OS];
    char what[200];
    /* After the four layout words: real_time, pad, errno, rng, sleep, sigmask
     * (32 bytes), then the working directory as u32 length + bytes. */
    size_t cwd = os + 32 + 32;
    if (os_end < cwd + 5 || get_le(base->p + cwd, 4) != 1 || base->p[cwd + 4] != '/')
        fail("OS section: the working directory '/' is not where this test expects it "
             "(format changed? update test_damage.c)");
    else {
        buf b = buf_copy(base->p, base->n);
        b.p[cwd + 4] = '.';
        reseal(&b);
        expect("OS section: working directory '.'", b.p, b.n, RVVM_ERR_SNAPSHOT,
               RVVM_ERR_SNAPSHOT, NULL, true, "'.'");
        free(b.p);
    }
    static const uint8_t q[] = {2, 0, 0, 0, '/', 'q'};
    size_t at = find_bytes(base, os, os_end, q, sizeof q);
    if (!at)
        fail("OS section: granted guest directory /q not found (format changed?)");
    else {
        buf b = buf_copy(base->p, base->n);
        b.p[at + 5] = 'p';
        reseal(&b);
        snprintf(what, sizeof what, "OS section: guest directory /p granted twice");
        expect(what, b.p, b.n, RVVM_ERR_SNAPSHOT, RVVM_ERR_SNAPSHOT, NULL, true, "'/p'");
        free(b.p);
    }
}

static void mutation_fuzz(const char *prog)
{
    rvvm_config cfg;
    rvvm_config_init(&cfg);
    rvvm_machine *m;
    result r;
    m = load(prog, &r);
    finish(m, &r);
    rvvm_destroy(m);
    m = load(prog, &r);
    /* Two granted directories, so the OS section holds grants too. */
    char dir_p[] = "/tmp/rvvm-damage-p-XXXXXX", dir_q[] = "/tmp/rvvm-damage-q-XXXXXX";
    if (!mkdtemp(dir_p) || !mkdtemp(dir_q))
        die("mkdtemp: %s", strerror(errno));
    if (rvvm_grant_dir(m, dir_p, "/p", false) != RVVM_OK ||
        rvvm_grant_dir(m, dir_q, "/q", true) != RVVM_OK)
        die("rvvm_grant_dir failed: %s", rvvm_last_error(m));
    rvvm_run_result res;
    if (rvvm_run(m, r.cycles * 9 / 10, &res) != RVVM_OK || res.reason != RVVM_STOP_CYCLE_LIMIT)
        die("%s did not stop at 90%% of its run", prog);
    buf base = save(m, 0);
    rvvm_destroy(m);
    layout l = parse_layout(&base);
    os_cases(&base);
    unsigned long counts[3] = {0, 0, 0}, before = checks;
    static const char *const names[3] = {"accepted", "RVVM_ERR_SNAPSHOT",
                                         "RVVM_ERR_PROGRAM_MISMATCH"};
    for (size_t i = 0; i < l.data; i++) {
        for (int k = 0; k < 4; k++) {
            buf b = buf_copy(base.p, base.n);
            uint8_t old = b.p[i];
            b.p[i] = k == 0 ? old ^ 0x01 : k == 1 ? old ^ 0x80 : k == 2 ? 0x00 : 0xff;
            if (b.p[i] == old || (i >= 16 && i < 24)) { /* no change; or the size field */
                free(b.p);
                continue;
            }
            reseal(&b);
            checks++;
            char err[600];
            memset(err, 'X', sizeof err);
            err[sizeof err - 1] = '\0';
            rvvm_machine *rm = (rvvm_machine *)1;
            rvvm_status st = rvvm_resume_buffer(b.p, b.n, NULL, &rm, err, sizeof err);
            if (st == RVVM_OK) {
                counts[0]++;
                capture io = {.len = 0};
                rvvm_set_io(rm, cap_read, cap_write, &io);
                rvvm_status rs = rvvm_run(rm, 20000, &res);
                if (rs != RVVM_OK)
                    fail("mutation of byte %zu (0x%02x -> 0x%02x) resumed, then rvvm_run gave %s",
                         i, old, b.p[i], st_name(rs));
                rvvm_destroy(rm);
            } else if ((st == RVVM_ERR_SNAPSHOT || st == RVVM_ERR_PROGRAM_MISMATCH) && !rm &&
                       one_line(err) && !strstr(err, "checksum")) {
                counts[st == RVVM_ERR_SNAPSHOT ? 1 : 2]++;
            } else {
                fail("mutation of byte %zu (0x%02x -> 0x%02x): %s, machine %s, error '%s'", i,
                     old, b.p[i], st_name(st), rm ? "set" : "NULL", err);
            }
            free(b.p);
        }
    }
    printf("mutations: %lu resealed one-byte mutations of %zu metadata bytes of a %s snapshot: "
           "%lu %s, %lu %s, %lu %s\n",
           checks - before, l.data, prog, counts[0], names[0], counts[1], names[1], counts[2],
           names[2]);
    free(base.p);
    rmdir(dir_p);
    rmdir(dir_q);
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4)
        die("usage: test_damage hello.elf other.elf [stateful.elf]");
    const char *prog = argv[1], *other = argv[2];

    /* The reference: an unsplit run of the program. */
    result want;
    rvvm_machine *m = load(prog, &want);
    finish(m, &want);
    rvvm_destroy(m);
    if (want.cycles < 60)
        die("%s is too short for this test", prog);

    /* Base snapshots at cycle 50, uncompressed and compressed, with extra pages. */
    result half;
    buf base = make_base(prog, 50, 0, &half);
    buf zbase = make_base(prog, 50, RVVM_SNAPSHOT_COMPRESS, &half);
    layout l = parse_layout(&base);
    printf("base snapshot: %zu bytes, %" PRIu64 " pages, page data at offset %zu; "
           "compressed: %zu bytes\n",
           base.n, l.page_count, l.data, zbase.n);
    if (l.page_count < 3)
        die("the base snapshot should hold at least 3 pages");

    /* Positive controls: the harness accepts good files. The extra pages the
     * base carries are outside anything the program reads, so the run ends
     * with the same output, but a different digest: compare against a
     * reference with the same extra writes instead. */
    result want_extra;
    m = load(prog, &want_extra);
    rvvm_run_result res;
    rvvm_run(m, 50, &res);
    uint8_t one = 0x77, zero = 0;
    rvvm_write_memory(m, 0x400000, &one, 1);
    rvvm_write_memory(m, 0x800000, &zero, 1);
    finish(m, &want_extra);
    rvvm_destroy(m);
    expect("control: untouched snapshot", base.p, base.n, RVVM_OK, RVVM_OK, NULL, false, NULL);
    expect("control: untouched compressed snapshot", zbase.p, zbase.n, RVVM_OK, RVVM_OK, NULL,
           false, NULL);
    expect_resumes_like("control: untouched snapshot runs to the same end", &base, NULL,
                        &want_extra, &half.io);
    expect_resumes_like("control: untouched compressed snapshot runs to the same end", &zbase,
                        NULL, &want_extra, &half.io);

    flips("uncompressed", &base);
    flips("compressed", &zbase);
    truncations("uncompressed", &base);
    truncations("compressed", &zbase);
    crafted_cases(&base, &zbase, prog, other);
    odd_but_valid(&base);
    program_cases(&base, prog, other, &want_extra, &half.io);
    if (argc == 4)
        mutation_fuzz(argv[3]);

    free(base.p);
    free(zbase.p);
    printf("%lu checks, %lu failures\n", checks, failures);
    if (failures) {
        printf("FAILED\n");
        return 1;
    }
    printf("OK\n");
    return 0;
}
