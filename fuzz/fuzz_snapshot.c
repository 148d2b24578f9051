/*
 * Fuzz target: resuming from a snapshot buffer, rvvm_resume_buffer.
 *
 * The checksum would stop nearly every mutated input at the door, so before
 * resuming, the input is resealed as docs/snapshot-format.md describes: the
 * header's size field set to the length, and the trailing XXH3-128 of all
 * bytes before it recomputed (canonical, big-endian byte order). The host
 * directories the snapshot grants are rewritten to this target's sandbox
 * (writable ones to its read-write directory, the others to its read-only
 * one), so resuming never reaches the rest of the host whatever the input
 * says; the program is passed explicitly (FUZZ_SNAPSHOT_PROGRAM, the guest
 * the seed corpus was made with, fuzz/guest/).
 *
 * Checks: a refusal gives a one-line reason and no machine; a resumed
 * machine saves a snapshot that resumes to the same state; it then runs a
 * bounded number of cycles; the sandbox outside the writable grant is
 * untouched.
 */
#include "fuzz.h"

#include <string.h>
#include <xxhash.h>

#include "rvvm/rvvm.h"
#include "rvvm/snapshot.h"
#include "sandbox.h"

#ifndef FUZZ_SNAPSHOT_PROGRAM
#error "define FUZZ_SNAPSHOT_PROGRAM as the path of the seed corpus's guest program"
#endif

enum { HEADER = 32, SECTION_HEADER = 16, CHECKSUM = 16, SEC_OS = 4, SEC_COUNT = 5 };

static fuzz_sandbox sb;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_sandbox_init(&sb, "snapshot");
    return 0;
}

static int64_t con_read(void *user, int fd, void *buf, size_t len)
{
    (void)user, (void)fd, (void)buf, (void)len;
    return 0;
}

static int64_t con_write(void *user, int fd, const void *buf, size_t len)
{
    (void)user, (void)fd, (void)buf;
    return (int64_t)len;
}

typedef struct growbuf {
    uint8_t *p;
    size_t len, cap;
} growbuf;

static void put(growbuf *g, const void *src, size_t n)
{
    if (n == 0)
        return;
    if (g->len + n > g->cap) {
        g->cap = (g->len + n) * 2 + 64;
        g->p = realloc(g->p, g->cap);
        FUZZ_CHECK(g->p != NULL, "out of memory");
    }
    memcpy(g->p + g->len, src, n);
    g->len += n;
}

/*
 * Copies the OS section payload with every grant's host path replaced.
 * Returns 1 if the grant list was read to its end, 0 if the payload ends
 * before (then the rest is copied unchanged).
 */
static int rewrite_os(const uint8_t *p, size_t len, growbuf *out)
{
    size_t pos = 64; /* layout words, real time, errno, generator, sleep, signal mask */
    size_t copied = 0; /* p[0, copied) is in out */
    int ok = 0;
    if (len == 32) {
        /* Layout words only: a machine without the Linux layer grants nothing. */
        put(out, p, len);
        return 1;
    }
    /* Working directory and command line: length-prefixed strings. */
    for (int s = 0; s < 2; s++) {
        if (pos > len || len - pos < 4 || fuzz_get(p + pos, 4) > len - pos - 4)
            goto copy_rest;
        pos += 4 + (size_t)fuzz_get(p + pos, 4);
    }
    if (len - pos < 4)
        goto copy_rest;
    uint64_t grants = fuzz_get(p + pos, 4);
    pos += 4;
    put(out, p, pos);
    copied = pos;
    for (uint64_t i = 0; i < grants; i++) {
        /* writable, reserved, host string, guest string */
        if (len - pos < 8 || fuzz_get(p + pos + 4, 4) > len - pos - 8)
            goto copy_rest;
        size_t host_len = (size_t)fuzz_get(p + pos + 4, 4);
        const char *dir = p[pos] == 1 ? sb.grant : sb.ro;
        uint8_t l4[4];
        fuzz_put(l4, strlen(dir), 4);
        put(out, p + pos, 4);
        put(out, l4, 4);
        put(out, dir, strlen(dir));
        pos += 8 + host_len;
        copied = pos;
        if (len - pos < 4 || fuzz_get(p + pos, 4) > len - pos - 4)
            goto copy_rest;
        size_t guest_len = (size_t)fuzz_get(p + pos, 4);
        put(out, p + pos, 4 + guest_len);
        pos += 4 + guest_len;
        copied = pos;
    }
    ok = 1;
copy_rest:
    put(out, p + copied, len - copied);
    return ok;
}

/* The input with grants pointed at the sandbox, resealed. *walked: the grants were all read. */
static growbuf reseal(const uint8_t *data, size_t size, int *walked)
{
    growbuf g = {0};
    *walked = 0;
    if (size < HEADER + CHECKSUM) {
        put(&g, data, size);
        return g;
    }
    size_t end = size - CHECKSUM, pos = HEADER;
    put(&g, data, HEADER);
    for (int type = 1; type <= SEC_COUNT && pos + SECTION_HEADER <= end; type++) {
        uint64_t len = fuzz_get(data + pos + 8, 8);
        if (len > end - pos - SECTION_HEADER)
            break;
        size_t at = g.len;
        put(&g, data + pos, SECTION_HEADER);
        if (type == SEC_OS && fuzz_get(data + pos, 4) == SEC_OS) {
            *walked = rewrite_os(data + pos + SECTION_HEADER, (size_t)len, &g);
            fuzz_put(g.p + at + 8, g.len - at - SECTION_HEADER, 8);
        } else {
            put(&g, data + pos + SECTION_HEADER, (size_t)len);
        }
        pos += SECTION_HEADER + (size_t)len;
    }
    put(&g, data + pos, size - pos);
    fuzz_put(g.p + 16, g.len, 8);
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, XXH3_128bits(g.p, g.len - CHECKSUM));
    memcpy(g.p + g.len - CHECKSUM, c.digest, CHECKSUM);
    return g;
}

static void same_state(rvvm_machine *a, rvvm_machine *b)
{
    uint8_t da[32], db[32];
    FUZZ_CHECK(rvvm_state_digest(a, da) == RVVM_OK && rvvm_state_digest(b, db) == RVVM_OK,
               "digest");
    FUZZ_CHECK(memcmp(da, db, 32) == 0, "state changed through save and resume");
    FUZZ_CHECK(rvvm_pc(a) == rvvm_pc(b) && rvvm_cycles(a) == rvvm_cycles(b) &&
                   rvvm_instructions(a) == rvvm_instructions(b),
               "pc or counters changed through save and resume");
    for (unsigned i = 0; i < 32; i++)
        FUZZ_CHECK(rvvm_reg(a, i) == rvvm_reg(b, i), "x%u changed through save and resume", i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int walked;
    growbuf g = reseal(data, size, &walked);
    fuzz_sandbox_reset(&sb);
    rvvm_machine *m = NULL;
    char err[512];
    err[0] = '\0';
    rvvm_status st = rvvm_resume_buffer(g.p, g.len, FUZZ_SNAPSHOT_PROGRAM, &m, err, sizeof err);
    free(g.p);
    if (st != RVVM_OK) {
        FUZZ_NOTE("  refused: %s", err);
        FUZZ_CHECK(m == NULL, "failed resume left a machine");
        FUZZ_CHECK(err[0] != '\0', "refused (%s) without a reason", rvvm_status_string(st));
        FUZZ_CHECK(strchr(err, '\n') == NULL, "reason is not one line: %s", err);
        fuzz_sandbox_check(&sb);
        return 0;
    }
    FUZZ_CHECK(walked, "resumed a snapshot whose grant list the format document cannot read");
    rvvm_set_io(m, con_read, con_write, NULL);

    uint8_t *again = NULL;
    size_t again_size = 0;
    st = rvvm_snapshot_save_buffer(m, 0, &again, &again_size);
    if (st == RVVM_OK) {
        rvvm_machine *m2 = NULL;
        st = rvvm_resume_buffer(again, again_size, FUZZ_SNAPSHOT_PROGRAM, &m2, err, sizeof err);
        rvvm_buffer_free(again);
        FUZZ_CHECK(st == RVVM_OK, "a resumed machine's own snapshot does not resume: %s", err);
        same_state(m, m2);
        rvvm_destroy(m2);
    }
    rvvm_run_result r;
    uint64_t c0 = rvvm_cycles(m);
    rvvm_status rs = rvvm_run(m, 20000, &r);
    FUZZ_CHECK(rs == RVVM_OK, "run after resume: %s", rvvm_last_error(m));
    FUZZ_CHECK(rvvm_cycles(m) - c0 <= 20000, "budget overrun after resume");
    FUZZ_NOTE("  resumed at cycle %llu, ran to %llu (stop %d)", (unsigned long long)c0,
              (unsigned long long)rvvm_cycles(m), (int)r.reason);
    rvvm_destroy(m);
    fuzz_sandbox_check(&sb);
    return 0;
}
