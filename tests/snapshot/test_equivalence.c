/*
 * Snapshot equivalence, in process through the library.
 *
 *   test_equivalence [options] prog.elf [guest args...]
 *
 * The unsplit run of the program is the reference: everything it writes to
 * fd 1 and 2 (captured through rvvm_set_io, each write tagged with its fd),
 * its stop reason and exit status, cycles, instructions, pc, how much of
 * stdin it consumed and rvvm_state_digest. Then the same program is run
 * split at many points: at each split the machine is saved with
 * rvvm_snapshot_save_buffer (compressed and uncompressed alternately),
 * DESTROYED, and a new machine is made with rvvm_resume_buffer. The I/O
 * hook state lives in this test and models a pipe, so output accumulates
 * and stdin continues where the destroyed machine stopped. Every split run
 * must end exactly like the reference.
 *
 * At every hop the resumed machine must also report the same cycles,
 * instructions, pc and state digest as the destroyed one, and saving it
 * again with the same flags must give the very same bytes it was resumed
 * from (nothing was lost or invented on the way through the file).
 *
 * Schedules, for each cost model (unit and weighted):
 *   (a) every budget 0..min(total, 3000), one split each;
 *   (b) 200 pseudo-random split points across the whole run;
 *   (c) chains of 50+ consecutive resumes: equal increments, and random
 *       increments with two seeds.
 * In (a) the splits at budgets 0..7, every 100th one and the last one
 * run to the end and are compared with the final reference; the others run
 * on to a checkpoint budget (4000 cycles) and are compared there with a
 * fresh run to the same budget, including the byte-exact snapshot of the
 * whole machine, which covers everything that decides the rest of the run.
 * This keeps (a) linear instead of quadratic in the program's length. These
 * checkpoint splits also skip the state digests at the hop (the re-save
 * round trip and the checkpoint snapshot cover the same state): they are
 * thousands of machines, and a digest reads every loaded page.
 *
 * A negative control runs once per model: a split run whose resumed machine
 * gets one extra guest byte written in otherwise untouched memory must be
 * reported as different, so the comparison is shown to be able to fail.
 *
 * options:
 *   --stdin FILE      the guest's stdin (default: empty, immediate EOF)
 *   --expect-exit N   the reference run must exit with status N
 *   --models LIST     comma-separated cost models (default unit,weighted)
 *   --exhaustive N    schedule (a) covers budgets 0..N (default 3000)
 *   --from F          schedule (a) covers budgets F..F+N instead (the
 *                     checkpoint moves to F+N+1000 when that is past 4000)
 *   --random N        schedule (b) split count (default 200)
 *   --chain N         links per chain in (c) (default 60)
 *   --full-every K    in (a), every K'th split runs to the end (default 100)
 *   --jit-threshold N with --engine jit or mixed: rvvm_config.jit_threshold (default 1)
 *   --engine E        interp (default), jit (every machine with the translation
 *                     tier forced on), or mixed (fresh machines interpret; the
 *                     engine flips at each resume: jit, interp, jit, ...)
 *   --dir HOST:GUEST[:rw]  grant a directory (writable with ":rw")
 *   --memory MIB      guest memory in MiB (default 32: several library
 *                     operations walk every page of guest memory, and
 *                     thousands of machines are made here). The second cost
 *                     model also gets a non-zero AT_RANDOM seed, so both
 *                     travel through the snapshots.
 *
 * Environment: RVVM_EQ_SABOTAGE=cycles|stdin|hooks|memory deliberately breaks every
 * hop (a hand check that the test fails; never set in the suite).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <xxhash.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rvvm/rvvm.h"
#include "rvvm/snapshot.h"

/* Runs installed by the translation tier in destroyed machines (--engine jit|mixed must not leave it 0). */
static uint64_t jit_translated;

/* ---- small helpers ------------------------------------------------------- */

typedef struct bytes {
    uint8_t *p;
    size_t len, cap;
} bytes;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "test_equivalence: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static void bytes_append(bytes *b, const void *src, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *np = realloc(b->p, cap);
        if (!np)
            die("out of memory");
        b->p = np;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, src, n);
    b->len += n;
}

static bool bytes_eq(const bytes *a, const bytes *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

static void bytes_free(bytes *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* splitmix64: the test's own fixed-seed PRNG. */
static uint64_t rng_state;
static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
/* Uniform in [lo, hi]. */
static uint64_t rng_range(uint64_t lo, uint64_t hi)
{
    return lo + rng_next() % (hi - lo + 1);
}

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the I/O model: a pipe owned by the test, not by any machine --------- */

typedef struct io_state {
    const uint8_t *in;
    size_t in_len, in_pos;
    bytes out;      /* records: fd byte, 8-byte little-endian length, data */
    uint64_t reads, writes;
} io_state;

static int64_t io_read(void *user, int fd, void *buf, size_t len)
{
    io_state *io = user;
    if (fd != 0)
        return -EBADF;
    size_t n = io->in_len - io->in_pos;
    if (n > len)
        n = len;
    if (n) {
        memcpy(buf, io->in + io->in_pos, n);
        io->in_pos += n;
    }
    io->reads++;
    return (int64_t)n;
}

static int64_t io_write(void *user, int fd, const void *buf, size_t len)
{
    io_state *io = user;
    uint8_t hdr[9];
    hdr[0] = (uint8_t)fd;
    for (int i = 0; i < 8; i++)
        hdr[1 + i] = (uint8_t)((uint64_t)len >> (8 * i));
    bytes_append(&io->out, hdr, sizeof hdr);
    bytes_append(&io->out, buf, len);
    io->writes++;
    return (int64_t)len;
}

/* ---- outcomes ------------------------------------------------------------ */

typedef struct outcome {
    rvvm_stop_reason reason;
    int exit_code;
    rvvm_fault fault;
    uint64_t cycles, instret, pc;
    uint8_t digest[32];
    bool has_digest;
    bytes out;
    size_t in_pos;
    uint64_t reads, writes;
    bytes snap; /* for a cycle-limit stop: the uncompressed snapshot there */
} outcome;

static void outcome_free(outcome *o)
{
    bytes_free(&o->out);
    bytes_free(&o->snap);
}

typedef struct ctx {
    const char *prog;
    const char *const *argv;
    const uint8_t *stdin_data;
    size_t stdin_len;
    rvvm_config cfg;
    int engine_mode;      /* --engine: 0 interp, 1 jit, 2 mixed (flips at each resume) */
    uint32_t jit_threshold; /* --jit-threshold (default 1: translate at once) */
    rvvm_jit_cache *jit_cache; /* with --engine jit|mixed: shared by every machine, synchronous */
    const char *model;
    uint64_t saves;       /* alternates compressed and uncompressed saves */
    uint64_t hops;        /* resumes performed */
    uint64_t runs;        /* split runs compared */
    unsigned long failures;
    const char *sabotage; /* RVVM_EQ_SABOTAGE */
    bool control;         /* the negative control's extra guest write */
    bool unit_costs;      /* every class costs 1: a stop lands exactly on the budget */
    bool light;           /* (a) checkpoint splits: hops and captures skip the digests */
    const char *dirs[8]; /* --dir HOST:GUEST grants */
    size_t ndirs;
} ctx;

static void fail(ctx *c, const char *label, const char *fmt, ...)
{
    c->failures++;
    if (c->failures > 20)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL [%s] %s: ", c->model, label);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    if (c->failures == 20)
        fprintf(stderr, "(further failures not printed)\n");
}

static void hex(const uint8_t *d, char out[65])
{
    for (int i = 0; i < 32; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

/* Fills the outcome's fields from a machine and the I/O state. */
/*
 * light: skip the state digest. Used only for checkpoint comparisons, where
 * the byte-exact snapshot is compared instead: equal snapshots mean equal
 * registers, pc, fcsr, FP registers and pages, all that the digest covers.
 */
static void capture(rvvm_machine *m, const rvvm_run_result *res, const io_state *io,
                    outcome *o, bool light)
{
    memset(o, 0, sizeof *o);
    o->reason = res->reason;
    o->exit_code = res->reason == RVVM_STOP_EXITED ? res->exit_code : 0;
    if (res->reason == RVVM_STOP_FAULT)
        o->fault = res->fault;
    o->cycles = rvvm_cycles(m);
    o->instret = rvvm_instructions(m);
    o->pc = rvvm_pc(m);
    o->has_digest = !light;
    if (!light && rvvm_state_digest(m, o->digest) != RVVM_OK)
        die("rvvm_state_digest failed");
    bytes_append(&o->out, io->out.p, io->out.len);
    o->in_pos = io->in_pos;
    o->reads = io->reads;
    o->writes = io->writes;
    if (res->reason == RVVM_STOP_CYCLE_LIMIT) {
        uint8_t *data;
        size_t size;
        if (rvvm_snapshot_save_buffer(m, 0, &data, &size) != RVVM_OK)
            die("saving the checkpoint snapshot failed: %s", rvvm_last_error(m));
        bytes_append(&o->snap, data, size);
        rvvm_buffer_free(data);
    }
}

/* Compares two outcomes field by field; returns true if equal. */
static bool compare(ctx *c, const char *label, const outcome *want, const outcome *got,
                    bool report)
{
    char buf[256];
    const char *what = NULL;
    if (got->reason != want->reason)
        what = "stop reason", snprintf(buf, sizeof buf, "%d vs %d", got->reason, want->reason);
    else if (got->exit_code != want->exit_code)
        what = "exit status",
        snprintf(buf, sizeof buf, "%d vs %d", got->exit_code, want->exit_code);
    else if (memcmp(&got->fault, &want->fault, sizeof got->fault) != 0)
        what = "fault", snprintf(buf, sizeof buf, "kind %d vs %d", got->fault.kind,
                                 want->fault.kind);
    else if (got->cycles != want->cycles)
        what = "cycles", snprintf(buf, sizeof buf, "%" PRIu64 " vs %" PRIu64, got->cycles,
                                  want->cycles);
    else if (got->instret != want->instret)
        what = "instructions", snprintf(buf, sizeof buf, "%" PRIu64 " vs %" PRIu64,
                                        got->instret, want->instret);
    else if (got->pc != want->pc)
        what = "pc", snprintf(buf, sizeof buf, "0x%" PRIx64 " vs 0x%" PRIx64, got->pc, want->pc);
    else if (!bytes_eq(&got->out, &want->out)) {
        size_t i = 0;
        while (i < got->out.len && i < want->out.len && got->out.p[i] == want->out.p[i])
            i++;
        what = "output (fd-tagged stdout+stderr)",
        snprintf(buf, sizeof buf, "%zu vs %zu bytes, first difference at byte %zu",
                 got->out.len, want->out.len, i);
    } else if (got->in_pos != want->in_pos || got->reads != want->reads)
        what = "stdin consumption", snprintf(buf, sizeof buf, "%zu bytes in %" PRIu64
                                             " reads vs %zu in %" PRIu64,
                                             got->in_pos, got->reads, want->in_pos, want->reads);
    else if (got->writes != want->writes)
        what = "write count", snprintf(buf, sizeof buf, "%" PRIu64 " vs %" PRIu64, got->writes,
                                       want->writes);
    else if (got->has_digest && want->has_digest && memcmp(got->digest, want->digest, 32) != 0) {
        char a[65], b[65];
        hex(got->digest, a);
        hex(want->digest, b);
        what = "state digest", snprintf(buf, sizeof buf, "%.16s... vs %.16s...", a, b);
    } else if (!bytes_eq(&got->snap, &want->snap))
        what = "snapshot bytes at the checkpoint",
        snprintf(buf, sizeof buf, "%zu vs %zu bytes", got->snap.len, want->snap.len);
    if (what && report)
        fail(c, label, "%s differs from the unsplit run: %s", what, buf);
    return what == NULL;
}

/* ---- running --------------------------------------------------------------- */

static rvvm_machine *fresh(ctx *c, io_state *io)
{
    rvvm_machine *m;
    if (rvvm_create(&c->cfg, &m) != RVVM_OK)
        die("rvvm_create failed");
    for (size_t d = 0; d < c->ndirs; d++) {
        char host[4096], spec[8192];
        snprintf(spec, sizeof spec, "%s", c->dirs[d]);
        size_t sl = strlen(spec);
        bool writable = sl > 3 && !strcmp(spec + sl - 3, ":rw");
        if (writable)
            spec[sl - 3] = '\0';
        const char *colon = strrchr(spec, ':');
        if (!colon || (size_t)(colon - spec) >= sizeof host)
            die("--dir needs HOST:GUEST");
        memcpy(host, spec, (size_t)(colon - spec));
        host[colon - spec] = '\0';
        if (rvvm_grant_dir(m, host, colon + 1, writable) != RVVM_OK)
            die("rvvm_grant_dir %s: %s", c->dirs[d], rvvm_last_error(m));
    }
    rvvm_status st = rvvm_load_elf_file(m, c->prog, c->argv, NULL);
    if (st != RVVM_OK)
        die("cannot load %s: %s", c->prog, rvvm_last_error(m));
    rvvm_set_io(m, io_read, io_write, io);
    return m;
}

static void io_init(ctx *c, io_state *io)
{
    memset(io, 0, sizeof *io);
    io->in = c->stdin_data;
    io->in_len = c->stdin_len;
}

static bool run(rvvm_machine *m, uint64_t budget, rvvm_run_result *res)
{
    rvvm_status st = rvvm_run(m, budget, res);
    if (st != RVVM_OK)
        die("rvvm_run failed: %s (%s)", rvvm_status_string(st), rvvm_last_error(m));
    return res->reason == RVVM_STOP_CYCLE_LIMIT;
}

/* Patches a little-endian u64 in a snapshot and reseals it (sabotage only). */
static void reseal_cycles_plus_one(uint8_t *d, size_t size);

/*
 * Save, destroy, resume, reattach: the machine *mp is replaced by one made
 * from its snapshot. Returns false if the hop itself went wrong.
 */
static bool hop(ctx *c, rvvm_machine **mp, io_state *io, const char *label)
{
    rvvm_machine *m = *mp;
    uint64_t cycles = rvvm_cycles(m), instret = rvvm_instructions(m), pc = rvvm_pc(m);
    uint8_t digest[32] = {0};
    if (!c->light && rvvm_state_digest(m, digest) != RVVM_OK)
        die("rvvm_state_digest failed");
    uint32_t flags = (c->saves++ & 1) ? RVVM_SNAPSHOT_COMPRESS : 0;
    uint8_t *data;
    size_t size;
    rvvm_status st = rvvm_snapshot_save_buffer(m, flags, &data, &size);
    if (st != RVVM_OK) {
        fail(c, label, "save at cycle %" PRIu64 " failed: %s", cycles, rvvm_last_error(m));
        return false;
    }
    uint64_t brk = 0, mmap_low = 0;
    bool extra_write = c->control || (c->sabotage && strcmp(c->sabotage, "memory") == 0);
    if (extra_write) {
        rvvm_snapshot_info *info;
        if (rvvm_snapshot_inspect(data, size, &info, NULL, 0) != RVVM_OK)
            die("inspecting a fresh snapshot failed");
        brk = info->brk;
        mmap_low = info->mmap_low;
        rvvm_snapshot_info_free(info);
    }
    jit_translated += rvvm_jit_translated(m);
    rvvm_destroy(m);
    *mp = NULL;
    if (c->sabotage && strcmp(c->sabotage, "cycles") == 0)
        reseal_cycles_plus_one(data, size);

    char err[512] = "";
    rvvm_machine *r = NULL;
    /* Snapshots are untrusted: the resumer grants the same directories again. */
    char specs[8][4096];
    rvvm_resume_grant grants[8];
    for (size_t d = 0; d < c->ndirs; d++) {
        /* HOST:GUEST[:rw], as when the machine was made. */
        char *spec = specs[d];
        snprintf(spec, sizeof specs[d], "%s", c->dirs[d]);
        size_t sl = strlen(spec);
        bool writable = sl > 3 && !strcmp(spec + sl - 3, ":rw");
        if (writable)
            spec[sl - 3] = '\0';
        char *colon = strrchr(spec, ':');
        *colon = '\0';
        grants[d] = (rvvm_resume_grant){spec, colon + 1, writable};
    }
    rvvm_resume_options ro;
    rvvm_resume_options_init(&ro);
    ro.grants = grants;
    ro.grant_count = c->ndirs;
    st = rvvm_resume(data, size, &ro, &r, err, sizeof err);
    if (st != RVVM_OK || !r) {
        fail(c, label, "resume at cycle %" PRIu64 " (%s) failed: %s: %s", cycles,
             flags ? "compressed" : "uncompressed", rvvm_status_string(st), err);
        rvvm_buffer_free(data);
        return false;
    }
    c->hops++;
    /* --engine jit: every machine translates; mixed: the engine flips at each resume. */
    if (c->engine_mode != 0) {
        rvvm_engine e = c->engine_mode == 1 || (c->hops & 1) ? RVVM_ENGINE_JIT : RVVM_ENGINE_INTERP;
        if (rvvm_set_engine(r, e, c->jit_threshold) != RVVM_OK ||
            rvvm_set_jit_cache(r, c->jit_cache) != RVVM_OK)
            die("rvvm_set_engine failed: %s", rvvm_last_error(r));
    }
    if (!(c->sabotage && strcmp(c->sabotage, "hooks") == 0))
        rvvm_set_io(r, io_read, io_write, io);
    if (c->sabotage && strcmp(c->sabotage, "stdin") == 0 && io->in_pos < io->in_len)
        io->in_pos++;
    *mp = r;

    bool ok = true;
    uint8_t digest2[32] = {0};
    if (!c->light && rvvm_state_digest(r, digest2) != RVVM_OK)
        die("rvvm_state_digest failed");
    if (rvvm_cycles(r) != cycles || rvvm_instructions(r) != instret || rvvm_pc(r) != pc ||
        memcmp(digest, digest2, 32) != 0) {
        fail(c, label,
             "resumed machine differs from the saved one at cycle %" PRIu64
             ": cycles %" PRIu64 " instructions %" PRIu64 "/%" PRIu64 " pc 0x%" PRIx64
             "/0x%" PRIx64 " digest %s",
             cycles, rvvm_cycles(r), rvvm_instructions(r), instret, rvvm_pc(r), pc,
             memcmp(digest, digest2, 32) ? "differs" : "equal");
        ok = false;
    }
    /* Round trip: the resumed machine saves to the very same bytes. */
    uint8_t *again;
    size_t again_size;
    if (rvvm_snapshot_save_buffer(r, flags, &again, &again_size) != RVVM_OK) {
        fail(c, label, "saving the resumed machine failed: %s", rvvm_last_error(r));
        ok = false;
    } else {
        if (ok && (again_size != size || memcmp(again, data, size) != 0)) {
            size_t i = 0;
            while (i < size && i < again_size && again[i] == data[i])
                i++;
            fail(c, label,
                 "re-saving the resumed machine (cycle %" PRIu64 ", %s) gives different bytes:"
                 " %zu vs %zu bytes, first difference at offset %zu",
                 cycles, flags ? "compressed" : "uncompressed", again_size, size, i);
            ok = false;
        }
        rvvm_buffer_free(again);
    }
    rvvm_buffer_free(data);

    if (extra_write) {
        /* One extra non-zero byte in memory the guest never touches: the
         * middle of the free gap between the break and the mappings. */
        uint64_t addr = ((brk + mmap_low) / 2) & ~(uint64_t)0xfff;
        if (addr <= brk + 0x100000 || addr >= mmap_low)
            die("negative control: no untouched gap between brk and mmap_low");
        uint8_t v = 0x5a;
        if (rvvm_write_memory(r, addr, &v, 1) != RVVM_OK)
            die("negative control: rvvm_write_memory failed");
    }
    return ok;
}

/*
 * A split run from a fresh machine: budgets[i] cycles per segment, a hop
 * after each segment that stops at its budget, then a last segment that
 * runs to the end (final_at == RVVM_NO_LIMIT) or up to the cumulative cycle
 * count final_at, given as the budget final_at - cycles so far: a fresh run
 * with budget final_at must stop in the very same state.
 */
static bool split_run(ctx *c, const uint64_t *budgets, size_t n, uint64_t final_at,
                      outcome *o, const char *label)
{
    io_state io;
    io_init(c, &io);
    rvvm_machine *m = fresh(c, &io);
    rvvm_run_result res;
    bool ok = true, more = true;
    for (size_t i = 0; i < n && more && ok; i++) {
        uint64_t before = rvvm_cycles(m);
        more = run(m, budgets[i], &res);
        uint64_t spent = rvvm_cycles(m) - before;
        if (spent > budgets[i]) {
            fail(c, label, "segment %zu spent %" PRIu64 " cycles with a budget of %" PRIu64, i,
                 spent, budgets[i]);
            ok = false;
        }
        if (more && c->unit_costs && spent != budgets[i]) {
            fail(c, label, "unit costs: segment %zu stopped after %" PRIu64
                 " cycles, not at its budget %" PRIu64, i, spent, budgets[i]);
            ok = false;
        }
        if (more && ok)
            ok = hop(c, &m, &io, label);
    }
    if (ok && more) {
        uint64_t budget = RVVM_NO_LIMIT;
        if (final_at != RVVM_NO_LIMIT) {
            if (rvvm_cycles(m) > final_at)
                die("%s: split point lies past the checkpoint", label);
            budget = final_at - rvvm_cycles(m);
        }
        run(m, budget, &res);
    }
    if (ok)
        capture(m, &res, &io, o, c->light);
    jit_translated += rvvm_jit_translated(m);
    rvvm_destroy(m);
    bytes_free(&io.out);
    c->runs++;
    return ok;
}

/* ---- sabotage (hand checks only) ----------------------------------------- */

#include <openssl/evp.h>

static void reseal_cycles_plus_one(uint8_t *d, size_t size)
{
    /* CPU section: third section after the header, fixed layout. */
    size_t pos = 32;
    for (int s = 1; s < 3; s++) {
        uint64_t len = 0;
        for (int i = 0; i < 8; i++)
            len |= (uint64_t)d[pos + 8 + i] << (8 * i);
        pos += 16 + len;
    }
    size_t at = pos + 16 + 32 * 8 + 8; /* x0..x31, pc, then cycles */
    d[at] ^= 1;
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, XXH3_128bits(d, size - 16));
    memcpy(d + size - 16, c.digest, 16);
}

/* ---- schedules --------------------------------------------------------- */

#define CHECKPOINT 4000u
/* --from: the first budget of schedule (a), and the checkpoint it implies. */
static uint64_t from_budget = 0, checkpoint_at = CHECKPOINT;

static void check_model(ctx *c, int exhaustive, int nrandom, int chain_len, uint64_t full_every,
                        int expect_exit)
{
    double t0 = now_sec();
    c->failures = 0;
    c->hops = c->runs = 0;

    /* The reference: one machine, one rvvm_run, no limit. */
    io_state io;
    io_init(c, &io);
    rvvm_machine *m = fresh(c, &io);
    rvvm_run_result res;
    run(m, RVVM_NO_LIMIT, &res);
    outcome ref;
    capture(m, &res, &io, &ref, false);
    jit_translated += rvvm_jit_translated(m);
    rvvm_destroy(m);
    bytes_free(&io.out);
    uint64_t total = ref.cycles;
    if (ref.reason != RVVM_STOP_EXITED)
        die("[%s] the unsplit run did not exit (reason %d)", c->model, ref.reason);
    if (expect_exit >= 0 && ref.exit_code != expect_exit)
        die("[%s] the unsplit run exited %d, expected %d", c->model, ref.exit_code,
            expect_exit);
    if (c->stdin_len && ref.in_pos != c->stdin_len)
        die("[%s] the unsplit run read %zu of %zu stdin bytes", c->model, ref.in_pos,
            c->stdin_len);
    if (total < 2)
        die("[%s] program too short", c->model);
    printf("[%s] reference: %" PRIu64 " cycles, %" PRIu64 " instructions, exit %d, "
           "%zu output bytes in %" PRIu64 " writes, %zu stdin bytes in %" PRIu64 " reads\n",
           c->model, total, ref.instret, ref.exit_code, ref.out.len, ref.writes, ref.in_pos,
           ref.reads);

    /* Checkpoint reference for schedule (a): a fresh run to CHECKPOINT cycles. */
    bool use_ckpt = total > checkpoint_at;
    outcome ckpt = {0};
    if (use_ckpt) {
        io_init(c, &io);
        m = fresh(c, &io);
        run(m, checkpoint_at, &res);
        capture(m, &res, &io, &ckpt, false);
        jit_translated += rvvm_jit_translated(m);
        rvvm_destroy(m);
        bytes_free(&io.out);
        if (ckpt.reason != RVVM_STOP_CYCLE_LIMIT)
            die("checkpoint run did not stop at its budget");
    }

    char label[128];
    outcome got;

    /* (a) every budget from 0 to min(total, exhaustive): one split each. */
    uint64_t top = from_budget + (uint64_t)exhaustive < total ? from_budget + (uint64_t)exhaustive
                                                              : total;
    if (full_every == 0)
        full_every = 100;
    uint64_t full_runs = 0;
    for (uint64_t s = from_budget; s <= top; s++) {
        bool full = !use_ckpt || s < from_budget + 8 || s % full_every == 0 || s == top;
        snprintf(label, sizeof label, "(a) split at budget %" PRIu64 "%s", s,
                 full ? "" : ", compared at the checkpoint");
        c->light = !full;
        bool done = split_run(c, &s, 1, full ? RVVM_NO_LIMIT : checkpoint_at, &got, label);
        c->light = false;
        if (!done)
            continue;
        compare(c, label, full ? &ref : &ckpt, &got, true);
        full_runs += full;
        outcome_free(&got);
    }
    printf("[%s] (a) %" PRIu64 " single splits at budgets %" PRIu64 "..%" PRIu64 " (%" PRIu64
           " run to the end, the rest compared at cycle %" PRIu64 ") [%.2f s]\n",
           c->model, top + 1 - from_budget, from_budget, top, full_runs, checkpoint_at,
           now_sec() - t0);

    /* (b) pseudo-random split points over the whole run. */
    rng_state = 0x5eed0001u;
    for (int i = 0; i < nrandom; i++) {
        uint64_t s = rng_range(1, total - 1);
        snprintf(label, sizeof label, "(b) random split at budget %" PRIu64, s);
        if (split_run(c, &s, 1, RVVM_NO_LIMIT, &got, label)) {
            compare(c, label, &ref, &got, true);
            outcome_free(&got);
        }
    }
    printf("[%s] (b) %d random single splits [%.2f s]\n", c->model, nrandom, now_sec() - t0);

    /* (c) chains of consecutive resumes covering the whole run. */
    uint64_t *b = calloc((size_t)chain_len * 2 + 2, sizeof *b); /* chain budgets, scratch */
    if (!b)
        die("out of memory");
    /* Equal increments: about chain_len links, the last one reaching past the end. */
    uint64_t inc = total / (uint64_t)chain_len;
    if (inc == 0)
        inc = 1;
    size_t n = 0;
    for (uint64_t at = 0; at < total && n < (size_t)chain_len * 2; at += inc)
        b[n++] = inc;
    snprintf(label, sizeof label, "(c) chain of %zu equal increments of %" PRIu64, n, inc);
    uint64_t hops_before = c->hops;
    if (split_run(c, b, n, RVVM_NO_LIMIT, &got, label)) {
        compare(c, label, &ref, &got, true);
        outcome_free(&got);
    }
    uint64_t equal_hops = c->hops - hops_before;
    if (equal_hops < 50 && (int)n >= 51)
        fail(c, label, "only %" PRIu64 " resumes happened", equal_hops);
    printf("[%s] %s: %" PRIu64 " resumes\n", c->model, label, equal_hops);
    /* Random increments, two seeds: chain_len distinct random cut points over
     * the whole run, sorted; the increments are their differences. Each
     * chain ends with a NO_LIMIT segment. */
    for (int seed = 0; seed < 2; seed++) {
        rng_state = 0xc4a1e000u + (uint64_t)seed;
        uint64_t *cuts = b + chain_len; /* second half of b */
        n = 0;
        while (n < (size_t)chain_len && n + 1 < total) {
            uint64_t p = rng_range(1, total - 1);
            bool dup = false;
            for (size_t j = 0; j < n; j++)
                dup = dup || cuts[j] == p;
            if (!dup)
                cuts[n++] = p;
        }
        for (size_t x = 1; x < n; x++) /* insertion sort */
            for (size_t y = x; y > 0 && cuts[y - 1] > cuts[y]; y--) {
                uint64_t t = cuts[y];
                cuts[y] = cuts[y - 1];
                cuts[y - 1] = t;
            }
        for (size_t j = 0; j < n; j++)
            b[j] = cuts[j] - (j ? cuts[j - 1] : 0);
        snprintf(label, sizeof label, "(c) chain of random increments, seed %d", seed);
        hops_before = c->hops;
        if (split_run(c, b, n, RVVM_NO_LIMIT, &got, label)) {
            compare(c, label, &ref, &got, true);
            outcome_free(&got);
        }
        uint64_t rh = c->hops - hops_before;
        if (rh < 50 && (int)n >= 50)
            fail(c, label, "only %" PRIu64 " resumes happened", rh);
        printf("[%s] %s: %" PRIu64 " resumes\n", c->model, label, rh);
    }
    free(b);

    /* Negative control: a real difference must be detected. */
    c->control = true;
    unsigned long failures = c->failures;
    uint64_t s = total / 2;
    if (split_run(c, &s, 1, RVVM_NO_LIMIT, &got, "negative control")) {
        if (compare(c, "negative control", &ref, &got, false))
            fail(c, "negative control",
                 "an extra guest byte written after resuming went unnoticed");
        outcome_free(&got);
    }
    c->control = false;
    if (c->failures == failures)
        printf("[%s] negative control: a one-byte memory difference is detected\n", c->model);

    printf("[%s] %" PRIu64 " split runs, %" PRIu64 " resumes, %lu failures, %.2f s\n", c->model,
           c->runs, c->hops, c->failures, now_sec() - t0);
    outcome_free(&ref);
    outcome_free(&ckpt);
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open %s: %s", path, strerror(errno));
    bytes b = {0};
    uint8_t tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        bytes_append(&b, tmp, n);
    fclose(f);
    *len = b.len;
    return b.p ? b.p : calloc(1, 1);
}

/*
 * --jit-file 1: the splits run the cache file's code (compiled otherwise:
 * -O2, larger regions, registers written back at the exits). One unsplit run
 * per cost model with a cache in a new directory writes the file; the cache
 * returned loads it, and must have code from it.
 */
static rvvm_jit_cache *file_cache(ctx *c, char *dir, const char *models, uint64_t memory_mib, uint32_t threshold)
{
    char err[256];
    if (!mkdtemp(dir))
        die("cannot make a directory");
    rvvm_jit_cache *cache = rvvm_jit_cache_create_persistent(dir, c->prog, strlen(c->prog), RVVM_JIT_SYNC,
                                                             err, sizeof err);
    if (!cache)
        die("cannot make a cache: %s", err);
    char *list = strdup(models), *save = NULL;
    for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        rvvm_config_init(&c->cfg);
        c->cfg.memory_size = memory_mib << 20;
        c->cfg.engine = RVVM_ENGINE_JIT;
        c->cfg.jit_threshold = threshold;
        c->cfg.jit_cache = cache;
        if (rvvm_cost_model_builtin(tok, &c->cfg.cost_model) != RVVM_OK)
            die("unknown cost model %s", tok);
        io_state io;
        io_init(c, &io);
        rvvm_machine *m = fresh(c, &io);
        rvvm_run_result res;
        while (run(m, UINT64_MAX / 2, &res))
            ;
        rvvm_destroy(m);
        bytes_free(&io.out);
    }
    free(list);
    if (rvvm_jit_cache_save(cache, err, sizeof err) != RVVM_OK)
        die("cannot save the cache file: %s", err);
    rvvm_jit_cache_release(cache);
    cache = rvvm_jit_cache_create_persistent(dir, c->prog, strlen(c->prog), RVVM_JIT_SYNC, err, sizeof err);
    if (!cache || err[0])
        die("cannot load the cache file: %s", err);
    return cache;
}

int main(int argc, char **argv)
{
    ctx c;
    memset(&c, 0, sizeof c);
    const char *stdin_path = NULL, *models = "unit,weighted";
    int exhaustive = 3000, nrandom = 200, chain_len = 60, expect_exit = -1;
    uint64_t full_every = 0, memory_mib = 32;
    int engine_mode = 0;
    uint32_t jit_threshold = 1;
    bool jit_file = false;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        const char *o = argv[i];
        if (i + 1 >= argc)
            die("%s needs a value", o);
        const char *v = argv[++i];
        if (!strcmp(o, "--stdin")) stdin_path = v;
        else if (!strcmp(o, "--expect-exit")) expect_exit = atoi(v);
        else if (!strcmp(o, "--models")) models = v;
        else if (!strcmp(o, "--exhaustive")) exhaustive = atoi(v);
        else if (!strcmp(o, "--random")) nrandom = atoi(v);
        else if (!strcmp(o, "--chain")) chain_len = atoi(v);
        else if (!strcmp(o, "--full-every")) full_every = strtoull(v, NULL, 10);
        else if (!strcmp(o, "--memory")) memory_mib = strtoull(v, NULL, 10);
        else if (!strcmp(o, "--jit-threshold")) jit_threshold = (uint32_t)strtoul(v, NULL, 10);
        else if (!strcmp(o, "--jit-file")) jit_file = atoi(v) != 0;
        else if (!strcmp(o, "--engine")) {
            engine_mode = !strcmp(v, "jit") ? 1 : !strcmp(v, "mixed") ? 2 : 0;
            if (engine_mode && !rvvm_jit_available()) {
                printf("built without the translation tier: skipped\n");
                return 77;
            }
        }
        else if (!strcmp(o, "--from")) from_budget = strtoull(v, NULL, 10);
        else if (!strcmp(o, "--dir")) {
            /* HOST:GUEST, read-only; resumed machines get it from the snapshot. */
            if (c.ndirs == sizeof c.dirs / sizeof c.dirs[0])
                die("too many --dir");
            c.dirs[c.ndirs++] = v;
        }
        else die("unknown option %s", o);
    }
    if (i >= argc)
        die("usage: test_equivalence [options] prog.elf [args...]");
    if (chain_len < 1 || exhaustive < 0 || nrandom < 0)
        die("bad option values");
    if (from_budget > 0 && from_budget + (uint64_t)exhaustive + 1000 > checkpoint_at)
        checkpoint_at = from_budget + (uint64_t)exhaustive + 1000;
    c.prog = argv[i];
    c.argv = (const char *const *)&argv[i];
    if (stdin_path)
        c.stdin_data = read_all(stdin_path, &c.stdin_len);
    c.sabotage = getenv("RVVM_EQ_SABOTAGE");
    if (c.sabotage && !*c.sabotage)
        c.sabotage = NULL;
    if (c.sabotage)
        printf("SABOTAGE MODE '%s': this run is expected to fail\n", c.sabotage);

    char file_dir[] = "/tmp/rvvm-eq-XXXXXX";
    if (jit_file && engine_mode != 0)
        c.jit_cache = file_cache(&c, file_dir, models, memory_mib, jit_threshold);

    unsigned long failures = 0;
    char *list = strdup(models);
    unsigned nmodel = 0;
    /* strtok_r: libgccjit (the translation tier) calls strtok itself. */
    char *save = NULL;
    for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save), nmodel++) {
        rvvm_config_init(&c.cfg);
        c.cfg.memory_size = memory_mib << 20;
        c.cfg.seed = nmodel * 0x5eedull;
        c.engine_mode = engine_mode;
        c.jit_threshold = jit_threshold;
        if (engine_mode != 0 && !c.jit_cache && !(c.jit_cache = rvvm_jit_cache_create(RVVM_JIT_SYNC)))
            die("cannot make a translation cache");
        c.cfg.jit_cache = c.jit_cache;
        if (engine_mode == 1) {
            c.cfg.engine = RVVM_ENGINE_JIT;
            c.cfg.jit_threshold = jit_threshold;
        }
        if (rvvm_cost_model_builtin(tok, &c.cfg.cost_model) != RVVM_OK)
            die("unknown cost model %s", tok);
        c.model = tok;
        c.unit_costs = true;
        for (int k = 0; k < RVVM_COST_CLASS_COUNT; k++)
            c.unit_costs = c.unit_costs && c.cfg.cost_model.cost[k] == 1;
        check_model(&c, exhaustive, nrandom, chain_len, full_every, expect_exit);
        failures += c.failures;
    }
    free(list);
    free((void *)c.stdin_data);
    rvvm_jit_cache_stats st = {0};
    if (c.jit_cache)
        rvvm_jit_cache_get_stats(c.jit_cache, &st);
    rvvm_jit_cache_release(c.jit_cache);
    if (jit_file && engine_mode != 0) {
        printf("jit-file: %" PRIu64 " slots loaded from the file\n", st.loaded);
        if (st.loaded == 0) {
            printf("FAILED: nothing was loaded from the cache file\n");
            return 1;
        }
        char cmd[64];
        snprintf(cmd, sizeof cmd, "rm -rf %s", file_dir);
        if (system(cmd) != 0)
            die("cannot remove %s", file_dir);
    }
    if (engine_mode != 0) {
        printf("jit: %" PRIu64 " runs installed\n", jit_translated);
        if (jit_translated == 0) {
            printf("FAILED: the translation tier ran nothing\n");
            return 1;
        }
    }
    if (failures) {
        printf("FAILED: %lu failures\n", failures);
        return 1;
    }
    printf("OK\n");
    return 0;
}
