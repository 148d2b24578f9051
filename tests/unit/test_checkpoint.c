/*
 * In-place checkpoints, copy-on-write fork and the host-memory limit.
 *
 * The guest is a hand-assembled loop that, in iteration i (from 1), stores i
 * at word 0 of data page (i mod 16) and adds i to word 1 of that page, then
 * exits with LOOPS & 0xff after LOOPS iterations. Its memory at any point is
 * therefore known in closed form (expect_page), independently of the VM:
 * the tests compare restored and forked memory against it as well as
 * against state digests taken at the checkpoints.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/cpu.h"
#include "elfbuild.h"
#include "rvasm.h"

#define NPAGES 16
#define LOOPS 400
/* Cycles (unit costs) of the start-up (4 instructions) and of one iteration (9). */
#define START_CYCLES 4
#define ITER_CYCLES 9

static rva_buf prog;

static void build_program(void)
{
    rva_init(&prog);
    emit32(&prog, LUI(T0, EB_DATA >> 12));
    emit32(&prog, ADDI(S0, ZERO, 0));
    emit32(&prog, ADDI(S2, ZERO, NPAGES - 1));
    emit32(&prog, ADDI(S3, ZERO, LOOPS));
    size_t loop = prog.len;
    emit32(&prog, ADDI(S0, S0, 1));
    emit32(&prog, AND(T1, S0, S2));
    emit32(&prog, SLLI(T1, T1, 12));
    emit32(&prog, ADD(T2, T0, T1));
    emit32(&prog, SD(S0, T2, 0));
    emit32(&prog, LD(T3, T2, 8));
    emit32(&prog, ADD(T3, T3, S0));
    emit32(&prog, SD(T3, T2, 8));
    emit32(&prog, BLT(S0, S3, (int32_t)loop - (int32_t)prog.len));
    emit32(&prog, ANDI(A0, S0, 0xff));
    emit32(&prog, ADDI(A7, ZERO, 93));
    emit32(&prog, ECALL());
}

static rvvm_machine *machine_cfg(const rvvm_config *cfg)
{
    rvvm_machine *m = eb_machine_config(cfg);
    assert_non_null(m);
    eb_program p = {.code = prog.bytes, .code_len = prog.len, .data_memsz = NPAGES * RV_PAGE_SIZE};
    assert_int_equal(eb_load(m, &p), RVVM_OK);
    return m;
}

static rvvm_machine *machine(uint64_t mem)
{
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = mem ? mem : (4ull << 20);
    return machine_cfg(&c);
}

/* Runs exactly `iters` more whole iterations (from the start: plus start-up). */
static void run_cycles(rvvm_machine *m, uint64_t cycles)
{
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, cycles, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
}

/* Iterations done after `cycles` cycles from the start (at iteration boundaries). */
static uint64_t iters_at(uint64_t cycles) { return (cycles - START_CYCLES) / ITER_CYCLES; }

/* The two words of data page pg after n iterations. */
static void expect_page(uint64_t n, unsigned pg, uint64_t *w0, uint64_t *w1)
{
    *w0 = *w1 = 0;
    for (uint64_t i = 1; i <= n; i++)
        if ((i & (NPAGES - 1)) == pg) {
            *w0 = i;
            *w1 += i;
        }
}

static void check_memory(rvvm_machine *m, uint64_t n)
{
    for (unsigned pg = 0; pg < NPAGES; pg++) {
        uint64_t w[2], e0, e1;
        assert_int_equal(rvvm_read_memory(m, EB_DATA + pg * RV_PAGE_SIZE, w, sizeof w), RVVM_OK);
        expect_page(n, pg, &e0, &e1);
        assert_int_equal(w[0], e0);
        assert_int_equal(w[1], e1);
    }
    assert_int_equal(rvvm_reg(m, S0), n);
}

static void digest(rvvm_machine *m, uint8_t d[32])
{
    assert_int_equal(rvvm_state_digest(m, d), RVVM_OK);
}

static void run_to_exit(rvvm_machine *m)
{
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    assert_int_equal(r.exit_code, LOOPS & 0xff);
}

/* ---- checkpoints ------------------------------------------------------------- */

static void test_restore_each_level(void **state)
{
    (void)state;
    rvvm_machine *m = machine(0);
    const uint64_t at[3] = {START_CYCLES + 5 * ITER_CYCLES, START_CYCLES + 23 * ITER_CYCLES,
                            START_CYCLES + 24 * ITER_CYCLES};
    rvvm_checkpoint_id cp[3];
    uint8_t d[3][32], now[32];
    uint64_t done = 0;
    for (int k = 0; k < 3; k++) {
        run_cycles(m, at[k] - done);
        done = at[k];
        assert_int_equal(rvvm_checkpoint(m, &cp[k]), RVVM_OK);
        digest(m, d[k]);
    }
    assert_true(cp[0] != cp[1] && cp[1] != cp[2]);
    run_to_exit(m);
    check_memory(m, LOOPS);
    /* Newest first: each restore gives back the exact state, digest and counters. */
    for (int k = 2; k >= 0; k--) {
        assert_int_equal(rvvm_restore(m, cp[k]), RVVM_OK);
        digest(m, now);
        assert_memory_equal(now, d[k], 32);
        assert_int_equal(rvvm_cycles(m), at[k]);
        assert_int_equal(rvvm_instructions(m), at[k]);
        check_memory(m, iters_at(at[k]));
        /* Run part of the way on, and restore again: a retry. */
        run_cycles(m, 7 * ITER_CYCLES + 3);
        assert_int_equal(rvvm_restore(m, cp[k]), RVVM_OK);
        digest(m, now);
        assert_memory_equal(now, d[k], 32);
    }
    /* Restoring cp[0] discarded the later ones. */
    assert_int_equal(rvvm_restore(m, cp[1]), RVVM_ERR_INVALID_ARGUMENT);
    assert_non_null(strstr(rvvm_last_error(m), "no longer exists"));
    assert_int_equal(rvvm_restore(m, cp[2]), RVVM_ERR_INVALID_ARGUMENT);
    /* And the machine runs on from cp[0] to the same end. */
    run_to_exit(m);
    check_memory(m, LOOPS);
    rvvm_destroy(m);
}

/* Restoring an exited machine makes it ready again; the end state repeats exactly. */
static void test_restore_after_exit(void **state)
{
    (void)state;
    rvvm_machine *m = machine(0);
    rvvm_checkpoint_id cp;
    run_cycles(m, START_CYCLES + 3 * ITER_CYCLES + 2); /* mid-iteration */
    assert_int_equal(rvvm_checkpoint(m, &cp), RVVM_OK);
    run_to_exit(m);
    uint8_t end1[32], end2[32];
    digest(m, end1);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, 1, &r), RVVM_ERR_STATE);
    assert_int_equal(rvvm_restore(m, cp), RVVM_OK);
    assert_int_equal(rvvm_pc(m), EB_TEXT + 16 + 2 * 4);
    run_to_exit(m);
    digest(m, end2);
    assert_memory_equal(end1, end2, 32);
    rvvm_destroy(m);
}

/* Host writes (rvvm_write_memory), including to code, are undone too. */
static void test_restore_host_writes(void **state)
{
    (void)state;
    rvvm_machine *m = machine(0);
    run_cycles(m, START_CYCLES + 2 * ITER_CYCLES);
    rvvm_checkpoint_id cp;
    uint8_t d0[32], d1[32];
    assert_int_equal(rvvm_checkpoint(m, &cp), RVVM_OK);
    digest(m, d0);
    /* Replace the loop's exit code with a different one, and scribble on data. */
    uint32_t insn = ANDI(A0, ZERO, 0);
    uint64_t andi_at = EB_TEXT + prog.len - 12;
    assert_int_equal(rvvm_write_memory(m, andi_at, &insn, 4), RVVM_OK);
    uint64_t junk = 0x1234;
    assert_int_equal(rvvm_write_memory(m, EB_DATA + 5 * RV_PAGE_SIZE + 100, &junk, 8), RVVM_OK);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(rvvm_restore(m, cp), RVVM_OK);
    digest(m, d1);
    assert_memory_equal(d0, d1, 32);
    /* The decoded exit code was dropped with the page: the original runs. */
    run_to_exit(m);
    check_memory(m, LOOPS);
    rvvm_destroy(m);
}

/* Freeing the middle, newest or oldest checkpoint leaves the others exact. */
static void test_free_merges(void **state)
{
    (void)state;
    for (int freed = 0; freed < 3; freed++) {
        rvvm_machine *m = machine(0);
        rvvm_checkpoint_id cp[3];
        uint8_t d[3][32], now[32];
        /* Iterations 1-5, 6-9, 10-40: pages overlap between the epochs. */
        const uint64_t at[3] = {START_CYCLES + 5 * ITER_CYCLES, START_CYCLES + 9 * ITER_CYCLES,
                                START_CYCLES + 40 * ITER_CYCLES};
        uint64_t done = 0;
        for (int k = 0; k < 3; k++) {
            run_cycles(m, at[k] - done);
            done = at[k];
            assert_int_equal(rvvm_checkpoint(m, &cp[k]), RVVM_OK);
            digest(m, d[k]);
        }
        run_cycles(m, 30 * ITER_CYCLES);
        rvvm_checkpoint_free(m, cp[freed]);
        assert_string_equal(rvvm_last_error(m), "");
        assert_int_equal(rvvm_restore(m, cp[freed]), RVVM_ERR_INVALID_ARGUMENT);
        rvvm_checkpoint_free(m, cp[freed]); /* twice: a clean no-op */
        assert_non_null(strstr(rvvm_last_error(m), "no longer exists"));
        for (int k = 2; k >= 0; k--) {
            if (k == freed)
                continue;
            assert_int_equal(rvvm_restore(m, cp[k]), RVVM_OK);
            digest(m, now);
            assert_memory_equal(now, d[k], 32);
            check_memory(m, iters_at(at[k]));
            run_cycles(m, 11 * ITER_CYCLES);
        }
        rvvm_destroy(m);
    }
}

static void test_foreign_and_bad_ids(void **state)
{
    (void)state;
    rvvm_machine *a = machine(0), *b = machine(0);
    rvvm_checkpoint_id ca, cb;
    run_cycles(a, 50);
    run_cycles(b, 50);
    assert_int_equal(rvvm_checkpoint(a, &ca), RVVM_OK);
    assert_int_equal(rvvm_checkpoint(b, &cb), RVVM_OK);
    assert_true(ca != cb);
    assert_int_equal(rvvm_restore(b, ca), RVVM_ERR_INVALID_ARGUMENT);
    assert_non_null(strstr(rvvm_last_error(b), "another machine"));
    rvvm_checkpoint_free(b, ca);
    assert_non_null(strstr(rvvm_last_error(b), "another machine"));
    assert_int_equal(rvvm_restore(b, cb), RVVM_OK); /* b's own is intact */
    assert_int_equal(rvvm_restore(a, 0), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_restore(a, ca + 1), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_checkpoint(NULL, &ca), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_checkpoint(a, NULL), RVVM_ERR_INVALID_ARGUMENT);
    rvvm_checkpoint_free(NULL, ca);
    /* Ids are not reused after a free. */
    rvvm_checkpoint_free(a, ca);
    rvvm_checkpoint_id again;
    assert_int_equal(rvvm_checkpoint(a, &again), RVVM_OK);
    assert_true(again != ca);
    assert_int_equal(rvvm_restore(a, ca), RVVM_ERR_INVALID_ARGUMENT);
    /* No program: no checkpoint. */
    rvvm_machine *e = eb_machine("unit", 0);
    assert_int_equal(rvvm_checkpoint(e, &ca), RVVM_ERR_STATE);
    rvvm_destroy(e);
    rvvm_destroy(a);
    rvvm_destroy(b);
}

/*
 * Permission changes and unmapping (what mprotect and munmap do) are undone
 * too, and a checkpoint saves exactly the pages written after it.
 */
#define BIG 0x100000ull

static void test_restore_perms_and_unmap(void **state)
{
    (void)state;
    rvvm_machine *m = machine(1ull << 30); /* 1 GiB: restore must not depend on it */
    run_cycles(m, START_CYCLES + 20 * ITER_CYCLES);
    rvvm_checkpoint_id cp;
    uint8_t d0[32], d1[32];
    assert_int_equal(rvvm_checkpoint(m, &cp), RVVM_OK);
    digest(m, d0);
    assert_int_equal(m->mem.save->n, 0);
    run_cycles(m, 3 * ITER_CYCLES); /* iterations 21-23: pages 5, 6, 7 */
    assert_int_equal(m->mem.save->n, 3);
    assert_int_equal(m->mem.save->v[0].page, (EB_DATA >> RV_PAGE_SHIFT) + 5);
    const uint64_t p2 = EB_DATA + 2 * RV_PAGE_SIZE, p3 = EB_DATA + 3 * RV_PAGE_SIZE;
    assert_int_equal(rv_set_perms(m, p2, RV_PAGE_SIZE, RV_PAGE_R), 0);
    assert_int_equal(rv_memory_unmap(&m->mem, p3, RV_PAGE_SIZE), 0);
    assert_int_equal(rv_set_perms(m, BIG, 4 * RV_PAGE_SIZE, RV_PAGE_R | RV_PAGE_W), 0);
    uint64_t v = 77;
    assert_int_equal(rvvm_write_memory(m, BIG + RV_PAGE_SIZE, &v, 8), RVVM_OK);
    /* The guest now faults storing to page 2. */
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_FAULT);
    assert_int_equal(r.fault.kind, RVVM_FAULT_STORE_ACCESS);
    assert_int_equal(r.fault.address, p2);
    assert_int_equal(rvvm_restore(m, cp), RVVM_OK);
    digest(m, d1);
    assert_memory_equal(d0, d1, 32);
    assert_int_equal(m->mem.flags[p2 >> RV_PAGE_SHIFT] & RV_PAGE_PERMS, RV_PAGE_R | RV_PAGE_W);
    assert_int_equal(m->mem.flags[p3 >> RV_PAGE_SHIFT] & RV_PAGE_PERMS, RV_PAGE_R | RV_PAGE_W);
    for (int i = 0; i < 4; i++)
        assert_int_equal(m->mem.flags[(BIG >> RV_PAGE_SHIFT) + (uint64_t)i], 0);
    assert_int_equal(m->mem.dirty[(BIG >> RV_PAGE_SHIFT) + 1], 0);
    check_memory(m, 20);
    run_to_exit(m);
    check_memory(m, LOOPS);
    rvvm_destroy(m);
}

/*
 * The Linux layer's state (here: its mappings) follows restores and forks.
 * The guest maps 8 KiB with mmap, stores the address there and exits with
 * it in s1: if a restore or fork left the earlier mapping recorded, the
 * second mmap would return another address.
 */
static void test_linux_os_state(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit32(&b, ADDI(A0, ZERO, 0));
    emit_li(&b, A1, 8192);
    emit32(&b, ADDI(A2, ZERO, 3));    /* PROT_READ | PROT_WRITE */
    emit32(&b, ADDI(A3, ZERO, 0x22)); /* MAP_PRIVATE | MAP_ANONYMOUS */
    emit32(&b, ADDI(A4, ZERO, -1));
    emit32(&b, ADDI(A5, ZERO, 0));
    emit32(&b, ADDI(A7, ZERO, 222));
    emit32(&b, ECALL());
    emit32(&b, ADDI(S1, A0, 0));
    emit32(&b, SD(S1, S1, 0));
    emit32(&b, ADDI(A0, ZERO, 0));
    emit32(&b, ADDI(A7, ZERO, 93));
    emit32(&b, ECALL());
    rvvm_machine *m = eb_machine("unit", 0);
    eb_program p = {.code = b.bytes, .code_len = b.len};
    assert_int_equal(eb_load(m, &p), RVVM_OK);
    rvvm_checkpoint_id cp;
    assert_int_equal(rvvm_checkpoint(m, &cp), RVVM_OK);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    uint64_t addr = rvvm_reg(m, S1);
    assert_true(addr > 0 && addr < (4ull << 20) && (addr & RV_PAGE_MASK) == 0);
    uint8_t end1[32], end2[32];
    digest(m, end1);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(rvvm_restore(m, cp), RVVM_OK);
        assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
        assert_int_equal(r.reason, RVVM_STOP_EXITED);
        assert_int_equal(rvvm_reg(m, S1), addr);
        digest(m, end2);
        assert_memory_equal(end1, end2, 32);
    }
    /* Forks from the start: each child maps the same address. */
    assert_int_equal(rvvm_restore(m, cp), RVVM_OK);
    rvvm_machine *c[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(rvvm_fork(m, &c[i]), RVVM_OK);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rvvm_run(c[i], RVVM_NO_LIMIT, &r), RVVM_OK);
        assert_int_equal(r.reason, RVVM_STOP_EXITED);
        assert_int_equal(rvvm_reg(c[i], S1), addr);
        digest(c[i], end2);
        assert_memory_equal(end1, end2, 32);
        rvvm_destroy(c[i]);
    }
    rvvm_destroy(m);
}

/* In-place restore and fork keep the machine's granted directories (a snapshot's
 * restore grants only what the resumer gives; a checkpoint's must not lose them). */
static void test_grants_survive(void **state)
{
    (void)state;
    char a[] = "/tmp/rvvm-ckpt-grant-XXXXXX", b2[] = "/tmp/rvvm-ckpt-other-XXXXXX";
    assert_non_null(mkdtemp(a));
    assert_non_null(mkdtemp(b2));
    rva_buf b;
    rva_init(&b);
    emit32(&b, ADDI(A0, ZERO, 0));
    emit32(&b, ADDI(A7, ZERO, 93));
    emit32(&b, ECALL());
    rvvm_machine *m = eb_machine("unit", 0);
    eb_program p = {.code = b.bytes, .code_len = b.len};
    assert_int_equal(eb_load(m, &p), RVVM_OK);
    assert_int_equal(rvvm_grant_dir(m, a, "/data", false), RVVM_OK);
    rvvm_checkpoint_id cp;
    assert_int_equal(rvvm_checkpoint(m, &cp), RVVM_OK);
    assert_int_equal(rvvm_restore(m, cp), RVVM_OK);
    /* Still granted: the same grant again is a no-op, another directory there is refused. */
    assert_int_equal(rvvm_grant_dir(m, a, "/data", false), RVVM_OK);
    assert_int_not_equal(rvvm_grant_dir(m, b2, "/data", false), RVVM_OK);
    rvvm_machine *c;
    assert_int_equal(rvvm_fork(m, &c), RVVM_OK);
    assert_int_equal(rvvm_grant_dir(c, a, "/data", false), RVVM_OK);
    assert_int_not_equal(rvvm_grant_dir(c, b2, "/data", false), RVVM_OK);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(c, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    rvvm_destroy(c);
    rvvm_destroy(m);
    rmdir(a);
    rmdir(b2);
}

/* ---- OS-state hooks ------------------------------------------------------------ */

/* A provider whose state is two numbers: the core's side of clone_state. */
typedef struct fake_os {
    uint64_t brk;
    int files;
} fake_os;

static int fake_live_states;
static int fake_fork_clones;

static void *fake_create(rvvm_machine *m)
{
    (void)m;
    fake_os *o = calloc(1, sizeof *o);
    if (o)
        fake_live_states++;
    return o;
}
static void fake_destroy(void *state)
{
    if (state)
        fake_live_states--;
    free(state);
}
static void *fake_clone(const void *src, bool for_fork)
{
    fake_os *c = malloc(sizeof *c);
    if (c) {
        *c = *(const fake_os *)src;
        fake_live_states++;
        fake_fork_clones += for_fork;
    }
    return c;
}
static const rv_provider fake_provider = {
    .name = "fake", .create = fake_create, .destroy = fake_destroy, .clone_state = fake_clone};
static const rv_provider fake_no_clone = {
    .name = "fake-no-clone", .create = fake_create, .destroy = fake_destroy};

static fake_os *fake_of(rvvm_machine *m) { return m->os_state; }

static void test_os_state_hooks(void **state)
{
    (void)state;
    fake_live_states = fake_fork_clones = 0;
    rvvm_machine *m = machine(0);
    const rv_provider *orig = m->os;
    void *orig_state = m->os_state;
    m->os = &fake_provider;
    m->os_state = fake_create(m);
    *fake_of(m) = (fake_os){.brk = 100, .files = 3};
    rvvm_checkpoint_id c1, c2;
    assert_int_equal(rvvm_checkpoint(m, &c1), RVVM_OK);
    fake_of(m)->brk = 200;
    assert_int_equal(rvvm_checkpoint(m, &c2), RVVM_OK);
    *fake_of(m) = (fake_os){.brk = 300, .files = 9};
    assert_int_equal(fake_live_states, 3); /* the machine's and two saved copies */
    assert_int_equal(rvvm_restore(m, c2), RVVM_OK);
    assert_int_equal(fake_of(m)->brk, 200);
    assert_int_equal(fake_of(m)->files, 3);
    assert_int_equal(fake_live_states, 3); /* c2 keeps its copy: it can be restored again */
    fake_of(m)->files = 7;
    assert_int_equal(rvvm_restore(m, c2), RVVM_OK);
    assert_int_equal(fake_of(m)->files, 3);
    assert_int_equal(rvvm_restore(m, c1), RVVM_OK);
    assert_int_equal(fake_of(m)->brk, 100);
    assert_int_equal(fake_live_states, 2); /* c2 went with the restore */
    assert_int_equal(fake_fork_clones, 0);
    /* A fork gets its own copy, made for a fork. */
    rvvm_machine *child;
    assert_int_equal(rvvm_fork(m, &child), RVVM_OK);
    assert_int_equal(fake_fork_clones, 1);
    assert_ptr_not_equal(child->os_state, m->os_state);
    assert_int_equal(fake_of(child)->brk, 100);
    fake_of(child)->brk = 5;
    assert_int_equal(fake_of(m)->brk, 100);
    rvvm_destroy(child);
    assert_int_equal(fake_live_states, 2);
    rvvm_checkpoint_free(m, c1);
    assert_int_equal(fake_live_states, 1);
    /* A provider that cannot copy its state cannot be checkpointed or forked. */
    m->os = &fake_no_clone;
    assert_int_equal(rvvm_checkpoint(m, &c1), RVVM_ERR_STATE);
    assert_non_null(strstr(rvvm_last_error(m), "cannot be copied"));
    assert_int_equal(rvvm_fork(m, &child), RVVM_ERR_STATE);
    assert_null(child);
    fake_destroy(m->os_state);
    assert_int_equal(fake_live_states, 0);
    m->os = orig;
    m->os_state = orig_state;
    rvvm_destroy(m);
}

/* ---- fork ------------------------------------------------------------------------ */

#define CHILDREN 24

static void fork_isolation(bool forkable)
{
    rvvm_config cfg;
    rvvm_config_init(&cfg);
    cfg.memory_size = 4ull << 20;
    cfg.forkable = forkable;
    rvvm_machine *t = machine_cfg(&cfg);
    const uint64_t at = START_CYCLES + 37 * ITER_CYCLES;
    run_cycles(t, at);
    uint8_t before[32], now[32];
    digest(t, before);
    rvvm_machine *c[CHILDREN];
    for (int i = 0; i < CHILDREN; i++) {
        assert_int_equal(rvvm_fork(t, &c[i]), RVVM_OK);
        digest(c[i], now);
        assert_memory_equal(now, before, 32);
        assert_int_equal(rvvm_cycles(c[i]), at);
    }
    /* Frozen while children live. */
    rvvm_run_result r;
    assert_int_equal(rvvm_run(t, 10, &r), RVVM_ERR_STATE);
    uint64_t v = 1;
    assert_int_equal(rvvm_write_memory(t, EB_DATA, &v, 8), RVVM_ERR_STATE);
    assert_int_equal(rvvm_set_reg(t, S0, 99), RVVM_ERR_STATE); /* registers are shared too */
    uint64_t ret;
    assert_int_equal(rvvm_call(t, EB_TEXT, NULL, 0, 100, &r, &ret), RVVM_ERR_STATE);
    assert_int_equal(rvvm_reg(c[0], S0), 37);
    /* Each child writes its own mark on a page, and runs on a different distance. */
    for (int i = 0; i < CHILDREN; i++) {
        uint64_t mark = 0xc0de0000u + (unsigned)i;
        assert_int_equal(rvvm_write_memory(c[i], EB_DATA + 3 * RV_PAGE_SIZE + 512, &mark, 8),
                         RVVM_OK);
        run_cycles(c[i], (uint64_t)(i + 1) * ITER_CYCLES);
    }
    for (int i = 0; i < CHILDREN; i++) {
        uint64_t mark;
        assert_int_equal(rvvm_read_memory(c[i], EB_DATA + 3 * RV_PAGE_SIZE + 512, &mark, 8),
                         RVVM_OK);
        assert_int_equal(mark, 0xc0de0000u + (unsigned)i);
        check_memory(c[i], 37 + (uint64_t)i + 1);
    }
    digest(t, now);
    assert_memory_equal(now, before, 32);
    check_memory(t, 37);
    /* Children live on their own: destroy half, the rest still run to the end. */
    for (int i = 0; i < CHILDREN; i += 2)
        rvvm_destroy(c[i]);
    assert_int_equal(rvvm_run(t, 10, &r), RVVM_ERR_STATE);
    for (int i = 1; i < CHILDREN; i += 2) {
        run_to_exit(c[i]);
        check_memory(c[i], LOOPS);
        rvvm_destroy(c[i]);
    }
    /* No children: the template runs again, from where it was. */
    digest(t, now);
    assert_memory_equal(now, before, 32);
    run_to_exit(t);
    check_memory(t, LOOPS);
    rvvm_destroy(t);
}

static void test_fork_isolation(void **state)
{
    (void)state;
    fork_isolation(false);
    fork_isolation(true); /* memory in a file from the start */
}

/* Children checkpoint and fork in turn; a child outlives its template. */
static void test_fork_of_fork(void **state)
{
    (void)state;
    rvvm_machine *t = machine(0);
    run_cycles(t, START_CYCLES + 10 * ITER_CYCLES);
    rvvm_checkpoint_id tcp;
    assert_int_equal(rvvm_checkpoint(t, &tcp), RVVM_OK);
    rvvm_machine *c, *g;
    assert_int_equal(rvvm_fork(t, &c), RVVM_OK);
    assert_int_equal(rvvm_restore(t, tcp), RVVM_ERR_STATE); /* frozen */
    assert_int_equal(rvvm_restore(c, tcp), RVVM_ERR_INVALID_ARGUMENT); /* not inherited */
    rvvm_destroy(t);
    rvvm_checkpoint_id cp;
    run_cycles(c, 5 * ITER_CYCLES);
    assert_int_equal(rvvm_checkpoint(c, &cp), RVVM_OK);
    uint8_t d0[32], d1[32];
    digest(c, d0);
    assert_int_equal(rvvm_fork(c, &g), RVVM_OK);
    run_to_exit(g);
    check_memory(g, LOOPS);
    rvvm_destroy(g);
    run_cycles(c, 20 * ITER_CYCLES);
    assert_int_equal(rvvm_restore(c, cp), RVVM_OK);
    digest(c, d1);
    assert_memory_equal(d0, d1, 32);
    check_memory(c, 15);
    run_to_exit(c);
    rvvm_destroy(c);
}

static void test_fork_bad_states(void **state)
{
    (void)state;
    rvvm_machine *child = (rvvm_machine *)&child;
    rvvm_machine *e = eb_machine("unit", 0);
    assert_int_equal(rvvm_fork(e, &child), RVVM_ERR_STATE);
    assert_null(child);
    rvvm_destroy(e);
    rvvm_machine *t = machine(0);
    run_to_exit(t);
    assert_int_equal(rvvm_fork(t, &child), RVVM_ERR_STATE);
    assert_non_null(strstr(rvvm_last_error(t), "exited"));
    assert_null(child);
    assert_int_equal(rvvm_fork(NULL, &child), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_fork(t, NULL), RVVM_ERR_INVALID_ARGUMENT);
    rvvm_destroy(t);
}

/* ---- threads ----------------------------------------------------------------------- */

#define THREADS 6
#define PER_THREAD 5

typedef struct thread_arg {
    rvvm_machine *shared; /* forked by every thread at once */
    int ok;
} thread_arg;

static void *thread_main(void *p)
{
    thread_arg *a = p;
    rvvm_machine *own_t = machine(0); /* cmocka asserts are not thread-safe: checked below */
    int ok = own_t != NULL;
    rvvm_run_result r;
    ok = ok && rvvm_run(own_t, START_CYCLES + 3 * ITER_CYCLES, &r) == RVVM_OK;
    for (int i = 0; ok && i < PER_THREAD; i++) {
        rvvm_machine *c1 = NULL, *c2 = NULL;
        ok = rvvm_fork(a->shared, &c1) == RVVM_OK && rvvm_fork(own_t, &c2) == RVVM_OK;
        rvvm_checkpoint_id cp;
        ok = ok && rvvm_checkpoint(c1, &cp) == RVVM_OK;
        ok = ok && rvvm_run(c1, RVVM_NO_LIMIT, &r) == RVVM_OK && r.exit_code == (LOOPS & 0xff);
        ok = ok && rvvm_restore(c1, cp) == RVVM_OK;
        ok = ok && rvvm_run(c1, RVVM_NO_LIMIT, &r) == RVVM_OK && r.exit_code == (LOOPS & 0xff);
        ok = ok && rvvm_run(c2, RVVM_NO_LIMIT, &r) == RVVM_OK && r.exit_code == (LOOPS & 0xff);
        ok = ok && rvvm_reg(c1, S0) == LOOPS && rvvm_reg(c2, S0) == LOOPS;
        rvvm_destroy(c1);
        rvvm_destroy(c2);
    }
    rvvm_destroy(own_t);
    a->ok = ok;
    return NULL;
}

static void test_threads_fork(void **state)
{
    (void)state;
    rvvm_machine *shared = machine(0);
    run_cycles(shared, START_CYCLES + 7 * ITER_CYCLES);
    uint8_t before[32], after[32];
    digest(shared, before);
    pthread_t th[THREADS];
    thread_arg args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = (thread_arg){.shared = shared};
        assert_int_equal(pthread_create(&th[i], NULL, thread_main, &args[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_true(args[i].ok);
    }
    digest(shared, after);
    assert_memory_equal(before, after, 32);
    run_to_exit(shared);
    rvvm_destroy(shared);
}

/* ---- the host-memory limit --------------------------------------------------------- */

/* A guest that stores to pages 0, 1, 2, ... of a mapped region at BIG, one word each. */

static void map_big(rvvm_machine *m)
{
    assert_int_equal(rv_set_perms(m, BIG, 256 * RV_PAGE_SIZE, RV_PAGE_R | RV_PAGE_W), 0);
}

static void test_memory_limit(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit32(&b, LUI(T0, BIG >> 12));
    emit32(&b, LUI(T1, 1)); /* t1 = 4096 */
    size_t loop = b.len;
    emit32(&b, SD(T0, T0, 0));
    emit32(&b, ADD(T0, T0, T1));
    emit32(&b, JAL(ZERO, (int32_t)loop - (int32_t)b.len));
    rvvm_config cfg;
    rvvm_config_init(&cfg);
    cfg.memory_size = 4ull << 20;
    rvvm_machine *m = eb_machine_config(&cfg);
    assert_non_null(m);
    eb_program p = {.code = b.bytes, .code_len = b.len};
    assert_int_equal(eb_load(m, &p), RVVM_OK);
    map_big(m);
    /* Room for the code page's decoded form and exactly 10 data pages. */
    uint64_t limit = m->mem.host_used + RV_CODE_PAGE_COST + 10 * RV_PAGE_SIZE;
    m->config.max_host_memory = limit;
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_FAULT);
    assert_int_equal(r.fault.kind, RVVM_FAULT_MEMORY_LIMIT);
    assert_int_equal(r.fault.address, BIG + 10 * RV_PAGE_SIZE);
    assert_int_equal(r.fault.pc, EB_TEXT + 8);
    assert_string_equal(rvvm_fault_kind_string(r.fault.kind), "host-memory limit reached");
    assert_int_equal(rvvm_fault_signal(r.fault.kind), 9);
    assert_true(m->mem.host_used <= limit);
    /* Host writes: to a counted page fine, to a new one refused. */
    uint64_t v = 7;
    assert_int_equal(rvvm_write_memory(m, BIG + 9 * RV_PAGE_SIZE, &v, 8), RVVM_OK);
    assert_int_equal(rvvm_write_memory(m, BIG + 11 * RV_PAGE_SIZE, &v, 8),
                     RVVM_ERR_NO_MEMORY);
    /* A checkpoint needs room too. */
    rvvm_checkpoint_id cp;
    assert_int_equal(rvvm_checkpoint(m, &cp), RVVM_ERR_NO_MEMORY);
    rvvm_destroy(m);

    /* With a checkpoint, rewriting counted pages costs their copies. */
    m = eb_machine_config(&cfg);
    assert_int_equal(eb_load(m, &p), RVVM_OK);
    map_big(m);
    m->config.max_host_memory = m->mem.host_used + RV_CODE_PAGE_COST + 10 * RV_PAGE_SIZE;
    assert_int_equal(rvvm_run(m, 2 + 3 * 4, &r), RVVM_OK); /* 4 pages written */
    assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
    /* Room for the checkpoint (its core state and the OS state's copy), not for a page copy. */
    assert_non_null(m->os->state_size);
    m->config.max_host_memory =
        m->mem.host_used + m->os->state_size(m->os_state) + RV_PAGE_SIZE;
    assert_int_equal(rvvm_checkpoint(m, &cp), RVVM_OK);
    v = 1;
    assert_int_equal(rvvm_write_memory(m, BIG, &v, 8), RVVM_ERR_NO_MEMORY);
    m->config.max_host_memory += RV_SAVED_PAGE_COST(true);
    assert_int_equal(rvvm_write_memory(m, BIG, &v, 8), RVVM_OK);
    assert_int_equal(rvvm_restore(m, cp), RVVM_OK);
    assert_int_equal(rvvm_read_memory(m, BIG, &v, 8), RVVM_OK);
    assert_int_equal(v, BIG);
    rvvm_destroy(m);
}

int main(void)
{
    build_program();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restore_each_level),
        cmocka_unit_test(test_restore_after_exit),
        cmocka_unit_test(test_restore_host_writes),
        cmocka_unit_test(test_free_merges),
        cmocka_unit_test(test_foreign_and_bad_ids),
        cmocka_unit_test(test_restore_perms_and_unmap),
        cmocka_unit_test(test_linux_os_state),
        cmocka_unit_test(test_grants_survive),
        cmocka_unit_test(test_os_state_hooks),
        cmocka_unit_test(test_fork_isolation),
        cmocka_unit_test(test_fork_of_fork),
        cmocka_unit_test(test_fork_bad_states),
        cmocka_unit_test(test_threads_fork),
        cmocka_unit_test(test_memory_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
