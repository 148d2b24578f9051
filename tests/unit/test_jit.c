/*
 * The translation tier's cache and threads (docs/jit.md), against the
 * interpreter as the reference: every machine here must end with the
 * interpreter's exit code, cycles, instructions and state digest, whether
 * its code was compiled in the background (installed whenever the compile
 * thread finished: host timing), synchronously, by another machine sharing
 * the cache, or by its fork template.
 *
 *   test_jit PROGRAM.elf [PROGRAM2.elf]   (guest programs from tests/guests)
 *
 * Also run under ThreadSanitizer by scripts/sanitize.sh.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rvvm/rvvm.h"

static const char *programs[2];
static size_t nprograms;

typedef struct outcome {
    int exit_code;
    uint64_t cycles, instret, translated;
    uint8_t digest[32];
} outcome;

static outcome reference[2]; /* the interpreter's, per program */
/* One synchronous cache for the tests that want every run translated at once:
 * each run is compiled once for the whole file (compilations cost milliseconds). */
static rvvm_jit_cache *sync_cache;

static void discard_io(rvvm_machine *m);

static rvvm_machine *make(rvvm_engine engine, uint32_t threshold, rvvm_jit_cache *cache, bool forkable,
                          size_t prog)
{
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = 64ull << 20;
    c.engine = engine;
    c.jit_threshold = threshold;
    c.jit_cache = cache;
    c.forkable = forkable;
    rvvm_machine *m = NULL;
    if (rvvm_create(&c, &m) != RVVM_OK)
        return NULL;
    const char *argv[] = {programs[prog], NULL};
    if (rvvm_load_elf_file(m, programs[prog], argv, NULL) != RVVM_OK) {
        rvvm_destroy(m);
        return NULL;
    }
    discard_io(m);
    return m;
}

static int64_t no_read(void *user, int fd, void *buf, size_t len)
{
    (void)user, (void)fd, (void)buf, (void)len;
    return 0;
}
static int64_t no_write(void *user, int fd, const void *buf, size_t len)
{
    (void)user, (void)fd, (void)buf;
    return (int64_t)len;
}
static void discard_io(rvvm_machine *m) { rvvm_set_io(m, no_read, no_write, NULL); }

/* Runs to the end in slices of `slice` cycles (RVVM_NO_LIMIT: one run). 0 on success. */
static int finish(rvvm_machine *m, uint64_t slice, outcome *o)
{
    rvvm_run_result r;
    do {
        if (rvvm_run(m, slice, &r) != RVVM_OK)
            return -1;
    } while (r.reason == RVVM_STOP_CYCLE_LIMIT);
    if (r.reason != RVVM_STOP_EXITED)
        return -1;
    o->exit_code = r.exit_code;
    o->cycles = rvvm_cycles(m);
    o->instret = rvvm_instructions(m);
    o->translated = rvvm_jit_translated(m);
    return rvvm_state_digest(m, o->digest) == RVVM_OK ? 0 : -1;
}

static void same_as_reference(const outcome *o, size_t prog)
{
    assert_int_equal(o->exit_code, reference[prog].exit_code);
    assert_int_equal(o->cycles, reference[prog].cycles);
    assert_int_equal(o->instret, reference[prog].instret);
    assert_memory_equal(o->digest, reference[prog].digest, 32);
}

static int setup(void **state)
{
    (void)state;
    for (size_t p = 0; p < nprograms; p++) {
        rvvm_machine *m = make(RVVM_ENGINE_INTERP, 0, NULL, false, p);
        if (!m || finish(m, RVVM_NO_LIMIT, &reference[p]) != 0)
            return -1;
        rvvm_destroy(m);
    }
    sync_cache = rvvm_jit_cache_create(RVVM_JIT_SYNC);
    return sync_cache ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rvvm_jit_cache_release(sync_cache);
    return 0;
}

static void test_cache_api(void **state)
{
    (void)state;
    assert_null(rvvm_jit_cache_create(0x80));
    rvvm_jit_cache_release(NULL);
    rvvm_jit_cache *c = rvvm_jit_cache_create(RVVM_JIT_SYNC);
    assert_non_null(c);
    /* The machine holds its own reference: the host's may go first. */
    rvvm_machine *m = make(RVVM_ENGINE_JIT, 5000, c, false, 0);
    assert_non_null(m);
    rvvm_jit_cache_release(c);
    outcome o;
    assert_int_equal(finish(m, RVVM_NO_LIMIT, &o), 0);
    same_as_reference(&o, 0);
    assert_true(o.translated > 0);
    /* Switching cache or engine drops installed code; results stay the same. */
    assert_int_equal(rvvm_set_jit_cache(m, NULL), RVVM_OK);
    assert_int_equal(rvvm_jit_translated(m), 0);
    assert_int_equal(rvvm_set_engine(m, (rvvm_engine)7, 1), RVVM_ERR_INVALID_ARGUMENT);
    rvvm_destroy(m);
}

static void on_hup(int sig) { (void)sig; }
static void on_term(int sig) { (void)sig; }

/*
 * GCC's driver inside libgccjit replaces SIGINT, SIGHUP and SIGTERM handlers
 * and SIGCHLD's disposition at each compilation: the tier puts back what the
 * process had (docs/jit.md, "Signals").
 */
static void test_compilation_keeps_signal_handlers(void **state)
{
    (void)state;
    struct sigaction hup = {.sa_handler = on_hup}, term = {.sa_handler = on_term},
                     ign = {.sa_handler = SIG_IGN}, old[4], now;
    sigaction(SIGHUP, &hup, &old[0]);
    sigaction(SIGTERM, &term, &old[1]);
    sigaction(SIGINT, &ign, &old[2]);
    sigaction(SIGCHLD, &ign, &old[3]);
    rvvm_jit_cache *c = rvvm_jit_cache_create(RVVM_JIT_SYNC); /* new: its code is compiled now */
    assert_non_null(c);
    rvvm_machine *m = make(RVVM_ENGINE_JIT, 1, c, false, 0);
    rvvm_jit_cache_release(c);
    assert_non_null(m);
    outcome o;
    assert_int_equal(finish(m, RVVM_NO_LIMIT, &o), 0);
    rvvm_destroy(m);
    same_as_reference(&o, 0);
    assert_true(o.translated > 0);
    sigaction(SIGHUP, NULL, &now);
    assert_ptr_equal(now.sa_handler, on_hup);
    sigaction(SIGTERM, NULL, &now);
    assert_ptr_equal(now.sa_handler, on_term);
    sigaction(SIGINT, NULL, &now);
    assert_ptr_equal(now.sa_handler, SIG_IGN);
    sigaction(SIGCHLD, NULL, &now);
    assert_ptr_equal(now.sa_handler, SIG_IGN);
    sigaction(SIGHUP, &old[0], NULL);
    sigaction(SIGTERM, &old[1], NULL);
    sigaction(SIGINT, &old[2], NULL);
    sigaction(SIGCHLD, &old[3], NULL);
}

/* A second machine on a shared synchronous cache installs the first one's code. */
static void test_second_machine_installs_shared_code(void **state)
{
    (void)state;
    rvvm_jit_cache *c = sync_cache;
    outcome a, b;
    for (int k = 0; k < 2; k++) {
        rvvm_machine *m = make(RVVM_ENGINE_JIT, 1, c, false, 0);
        assert_non_null(m);
        assert_int_equal(finish(m, RVVM_NO_LIMIT, k ? &b : &a), 0);
        rvvm_destroy(m);
    }
    same_as_reference(&a, 0);
    same_as_reference(&b, 0);
    /* Same code, same thresholds: the same runs get installed. */
    assert_true(a.translated > 0);
    assert_int_equal(a.translated, b.translated);
}

typedef struct worker {
    rvvm_machine *m;
    size_t prog;
    uint64_t slice;
    outcome o;
    int rc;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    w->rc = finish(w->m, w->slice, &w->o);
    rvvm_destroy(w->m); /* the last one on any thread may end the cache */
    return NULL;
}

/*
 * Machines on several host threads share one background cache, in slices of
 * different sizes (budget stops land inside translated runs' ranges). Code
 * appears whenever the compile thread finishes: results must not depend on it.
 */
static void test_threads_share_background_cache(void **state)
{
    (void)state;
    enum { N = 4 };
    for (int round = 0; round < 2; round++) {
        rvvm_jit_cache *c = rvvm_jit_cache_create(0);
        assert_non_null(c);
        worker w[N];
        pthread_t t[N];
        static const uint64_t slices[N] = {RVVM_NO_LIMIT, 100003, 7919, 1000};
        for (int i = 0; i < N; i++) {
            w[i] = (worker){.prog = (size_t)i % nprograms, .slice = slices[i]};
            w[i].m = make(RVVM_ENGINE_JIT, 20, c, false, w[i].prog);
            assert_non_null(w[i].m);
        }
        if (round == 1)
            rvvm_jit_cache_release(c); /* the machines keep it alive */
        for (int i = 0; i < N; i++)
            assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
        for (int i = 0; i < N; i++) {
            pthread_join(t[i], NULL);
            assert_int_equal(w[i].rc, 0);
            same_as_reference(&w[i].o, w[i].prog);
        }
        if (round == 0)
            rvvm_jit_cache_release(c);
    }
}

/* Fork children inherit the template's cache and install its code. */
static void test_fork_children_share(void **state)
{
    (void)state;
    rvvm_machine *t = make(RVVM_ENGINE_JIT, 1, sync_cache, true, 0);
    assert_non_null(t);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(t, reference[0].cycles / 3, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
    assert_true(rvvm_jit_translated(t) > 0);
    for (int k = 0; k < 3; k++) {
        rvvm_machine *child = NULL;
        assert_int_equal(rvvm_fork(t, &child), RVVM_OK);
        discard_io(child);
        assert_int_equal(rvvm_get_config(child)->engine, RVVM_ENGINE_JIT);
        outcome o;
        assert_int_equal(finish(child, k == 0 ? RVVM_NO_LIMIT : 4099u * (unsigned)k, &o), 0);
        same_as_reference(&o, 0);
        assert_true(o.translated > 0);
        rvvm_destroy(child);
    }
    rvvm_destroy(t);
}

/* A machine interprets until stopped, then switches to the tier, and back. */
static void test_engine_switch_mid_run(void **state)
{
    (void)state;
    rvvm_machine *m = make(RVVM_ENGINE_INTERP, 1, NULL, false, 0);
    assert_non_null(m);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, reference[0].cycles / 4, &r), RVVM_OK);
    assert_int_equal(rvvm_set_engine(m, RVVM_ENGINE_JIT, 1), RVVM_OK);
    assert_int_equal(rvvm_set_jit_cache(m, sync_cache), RVVM_OK);
    assert_int_equal(rvvm_run(m, reference[0].cycles / 4, &r), RVVM_OK);
    assert_true(rvvm_jit_translated(m) > 0);
    assert_int_equal(rvvm_set_engine(m, RVVM_ENGINE_INTERP, 1), RVVM_OK);
    outcome o;
    assert_int_equal(finish(m, RVVM_NO_LIMIT, &o), 0);
    same_as_reference(&o, 0);
    rvvm_destroy(m);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: test_jit PROGRAM.elf [PROGRAM2.elf]\n");
        return 2;
    }
    if (!rvvm_jit_available()) {
        printf("the translation tier is not available: skipped\n");
        return 77;
    }
    for (int i = 1; i < argc; i++)
        programs[nprograms++] = argv[i];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cache_api),
        cmocka_unit_test(test_compilation_keeps_signal_handlers),
        cmocka_unit_test(test_second_machine_installs_shared_code),
        cmocka_unit_test(test_threads_share_background_cache),
        cmocka_unit_test(test_fork_children_share),
        cmocka_unit_test(test_engine_switch_mid_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
