/*
 * The translation tier's ahead-of-time cache file through the library API
 * (docs/jit.md, "Ahead-of-time cache"), against the interpreter:
 *  - a program whose code differs in one byte from the one the file was made
 *    for, under the same key, gets no stale code (its own result, the
 *    interpreter's), while the original program still uses the file's code
 *    without compiling, also at the default threshold (installed at a slot's
 *    first count, where without the file nothing is translated);
 *  - files whose manifest was changed at random and re-signed (a valid
 *    SHA-256) never crash the reader or change a result;
 *  - saving while machines run on other threads and the compile thread
 *    compiles leaves a file from which all three programs run compiling nothing;
 *  - argument errors;
 *  - a switch's cases, which only translated code's exits name, are
 *    translated with a file and kept in it;
 *  - two files loaded in one process each give their own code;
 *  - a save after a load writes only what is new, as a delta file, up to
 *    8 of them, then everything into the main file again.
 * rvrun's side (damaged files, parallel writers) is tests/jit/aot.sh.
 */
#include <dirent.h>
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
#include <openssl/evp.h>

#include "elfbuild.h"
#include "rvasm.h"
#include "rvvm/rvvm.h"


/* a0 = iterations * step; exit(a0): the exit status is its low byte. */
static void program(uint32_t *code, size_t *n, int32_t step, int32_t iterations)
{
    size_t i = 0;
    code[i++] = ADDI(A0, 0, 0);
    code[i++] = ADDI(T0, 0, iterations);
    code[i++] = ADDI(A0, A0, step); /* loop: */
    code[i++] = ADDI(T0, T0, -1);
    code[i++] = BNE(T0, 0, -8);
    code[i++] = ADDI(A7, 0, 93);
    code[i++] = ECALL();
    *n = i * 4;
}

typedef struct result {
    int exit_code;
    uint64_t cycles, instret, translated;
    uint8_t digest[32];
} result;

/* Runs n bytes of code to its exit with the engine, threshold and cache given. */
static void run_code(const uint32_t *code, size_t n, rvvm_engine engine, uint32_t threshold,
                     rvvm_jit_cache *cache, result *r)
{
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = 4u << 20;
    c.engine = engine;
    c.jit_threshold = threshold;
    c.jit_cache = cache;
    rvvm_machine *m = eb_machine_config(&c);
    assert_non_null(m);
    eb_program p = {.code = code, .code_len = n};
    assert_int_equal(eb_load(m, &p), RVVM_OK);
    rvvm_run_result rr;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &rr), RVVM_OK);
    assert_int_equal(rr.reason, RVVM_STOP_EXITED);
    r->exit_code = rr.exit_code;
    r->cycles = rvvm_cycles(m);
    r->instret = rvvm_instructions(m);
    r->translated = rvvm_jit_translated(m);
    assert_int_equal(rvvm_state_digest(m, r->digest), RVVM_OK);
    rvvm_destroy(m);
}

static void run(int32_t step, rvvm_engine engine, uint32_t threshold, rvvm_jit_cache *cache, result *r)
{
    uint32_t code[16];
    size_t n;
    program(code, &n, step, 2000);
    run_code(code, n, engine, threshold, cache, r);
}

static void same(const result *a, const result *b)
{
    assert_int_equal(a->exit_code, b->exit_code);
    assert_int_equal(a->cycles, b->cycles);
    assert_int_equal(a->instret, b->instret);
    assert_memory_equal(a->digest, b->digest, 32);
}

static char dir[64];

/* The one cache file in dir ("" if none). */
static void cache_file(char *path, size_t size)
{
    path[0] = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));)
        if (strstr(e->d_name, ".rvjit") && e->d_name[0] != '.')
            snprintf(path, size, "%s/%s", dir, e->d_name);
    closedir(d);
}

static uint64_t compilations(rvvm_jit_cache *c)
{
    rvvm_jit_cache_stats s;
    rvvm_jit_cache_get_stats(c, &s);
    return s.compilations;
}

static void test_changed_program(void **state)
{
    (void)state;
    result ref3, ref5, r;
    run(3, RVVM_ENGINE_INTERP, 0, NULL, &ref3);
    run(5, RVVM_ENGINE_INTERP, 0, NULL, &ref5);
    assert_int_equal(ref3.exit_code, 6000 & 255);
    assert_int_equal(ref5.exit_code, 10000 & 255);

    char err[300];
    rvvm_jit_cache *c = rvvm_jit_cache_create_persistent(dir, "prog", 4, RVVM_JIT_SYNC, err, sizeof err);
    assert_non_null(c);
    assert_string_equal(err, "");
    run(3, RVVM_ENGINE_JIT, 1, c, &r);
    same(&r, &ref3);
    assert_true(r.translated > 0);
    assert_true(compilations(c) > 0);
    rvvm_jit_cache_release(c); /* saves */
    char path[400];
    cache_file(path, sizeof path);
    assert_true(path[0]);

    /* The same key, one byte of code different: the file's code must not run. */
    c = rvvm_jit_cache_create_persistent(dir, "prog", 4, RVVM_JIT_SYNC, err, sizeof err);
    assert_non_null(c);
    assert_string_equal(err, "");
    rvvm_jit_cache_stats s;
    rvvm_jit_cache_get_stats(c, &s);
    assert_true(s.loaded > 0);
    assert_int_equal(s.compilations, 0);
    run(5, RVVM_ENGINE_JIT, 1, c, &r);
    same(&r, &ref5);
    assert_true(r.translated > 0);
    uint64_t before = compilations(c);
    assert_true(before > 0); /* its own code */
    /* The original program: the file's code, nothing compiled. */
    run(3, RVVM_ENGINE_JIT, 1, c, &r);
    same(&r, &ref3);
    assert_true(r.translated > 0);
    assert_int_equal(compilations(c), before);
    rvvm_jit_cache_release(c);

    /* The default threshold: 2000 iterations are not hot; with the file the
     * loop's code is installed at its first sampled count. */
    c = rvvm_jit_cache_create_persistent(dir, "prog", 4, 0, err, sizeof err);
    assert_non_null(c);
    rvvm_config d;
    rvvm_config_init(&d);
    run(3, RVVM_ENGINE_JIT, d.jit_threshold, NULL, &r);
    same(&r, &ref3);
    assert_int_equal(r.translated, 0);
    run(3, RVVM_ENGINE_JIT, d.jit_threshold, c, &r);
    same(&r, &ref3);
    assert_true(r.translated > 0);
    assert_int_equal(compilations(c), 0);
    rvvm_jit_cache_release(c);
}

static bool resign(uint8_t *f, size_t size)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned len = 0;
    bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 && EVP_DigestUpdate(ctx, f, size - 56) == 1 &&
              EVP_DigestFinal_ex(ctx, f + size - 40, &len) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

static void test_resigned_mutations(void **state)
{
    (void)state;
    result ref3, r;
    run(3, RVVM_ENGINE_INTERP, 0, NULL, &ref3);
    char path[400], err[300];
    cache_file(path, sizeof path);
    assert_true(path[0]); /* made by test_changed_program */
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static uint8_t good[1 << 20], bad[1 << 20];
    size_t size = fread(good, 1, sizeof good, fp);
    fclose(fp);
    assert_true(size > 56 && size < sizeof good);
    uint64_t moff = 0;
    for (int i = 7; i >= 0; i--)
        moff = moff << 8 | good[size - 56 + i];
    assert_true(moff < size - 56);
    uint32_t seed = 14;
    int accepted = 0;
    for (int round = 0; round < 60; round++) {
        memcpy(bad, good, size);
        /* 1 to 4 random bits of the manifest: anywhere (mostly page bytes),
         * in the header and names, or in the last slot list. */
        uint32_t names = good[moff + 148] | (uint32_t)good[moff + 149] << 8;
        size_t from = moff, span = size - 56 - moff;
        if (round % 3 == 1)
            span = 192 + 32 * (size_t)names;
        else if (round % 3 == 2)
            from = size - 56 - (span = 64);
        for (int k = 0; k <= round % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = from + (seed >> 8) % span;
            bad[at] ^= (uint8_t)(1u << (seed >> 4) % 8);
        }
        assert_true(resign(bad, size));
        fp = fopen(path, "wb");
        assert_non_null(fp);
        assert_int_equal(fwrite(bad, 1, size, fp), size);
        fclose(fp);
        rvvm_jit_cache *c = rvvm_jit_cache_create_persistent(dir, "prog", 4, RVVM_JIT_SYNC, err, sizeof err);
        assert_non_null(c);
        accepted += err[0] == 0;
        run(3, RVVM_ENGINE_JIT, 1, c, &r);
        same(&r, &ref3);
        rvvm_jit_cache_release(c);
    }
    /* Some changes (e.g. to a page's bytes) leave a valid file that simply matches nothing. */
    print_message("%d of 60 re-signed mutated files accepted, all with the interpreter's results\n", accepted);
}

typedef struct worker {
    rvvm_jit_cache *cache;
    int32_t step;
    result r;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    run(w->step, RVVM_ENGINE_JIT, 1, w->cache, &w->r);
    return NULL;
}

/* Saving while machines on other threads run and the compile thread compiles
 * (rvrun saves after its machine is gone, possibly while a compilation runs). */
static void test_save_while_running(void **state)
{
    (void)state;
    char err[300];
    rvvm_jit_cache *c = rvvm_jit_cache_create_persistent(dir, "threads", 7, 0, err, sizeof err);
    assert_non_null(c);
    worker w[3] = {{c, 7, {0}}, {c, 9, {0}}, {c, 11, {0}}};
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
    for (int i = 0; i < 4; i++) {
        rvvm_status st = rvvm_jit_cache_save(c, err, sizeof err);
        assert_true(st == RVVM_OK);
    }
    for (int i = 0; i < 3; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        result ref;
        run(w[i].step, RVVM_ENGINE_INTERP, 0, NULL, &ref);
        same(&w[i].r, &ref);
    }
    rvvm_jit_cache_release(c); /* saves what is left */
    c = rvvm_jit_cache_create_persistent(dir, "threads", 7, RVVM_JIT_SYNC, err, sizeof err);
    assert_non_null(c);
    assert_string_equal(err, "");
    rvvm_jit_cache_stats s;
    rvvm_jit_cache_get_stats(c, &s);
    assert_true(s.loaded > 0);
    for (int i = 0; i < 3; i++) {
        result ref, r;
        run(w[i].step, RVVM_ENGINE_INTERP, 0, NULL, &ref);
        run(w[i].step, RVVM_ENGINE_JIT, 1, c, &r);
        same(&r, &ref);
        assert_true(r.translated > 0);
    }
    assert_int_equal(compilations(c), 0);
    rvvm_jit_cache_release(c);
}

static void test_api(void **state)
{
    (void)state;
    char err[300];
    assert_null(rvvm_jit_cache_create_persistent(NULL, "k", 1, 0, err, sizeof err));
    assert_true(err[0]);
    assert_null(rvvm_jit_cache_create_persistent("/nonexistent/rvvm-aot", "k", 1, 0, err, sizeof err));
    assert_non_null(strstr(err, "No such file"));
    assert_null(rvvm_jit_cache_create_persistent("/dev/null", "k", 1, 0, err, sizeof err));
    assert_non_null(strstr(err, "not a directory"));
    assert_null(rvvm_jit_cache_create_persistent(dir, "k", 1, 0x80, err, sizeof err));
    assert_null(rvvm_jit_cache_create_persistent(dir, NULL, 1, 0, NULL, 0));
    rvvm_jit_cache *plain = rvvm_jit_cache_create(0);
    assert_int_equal(rvvm_jit_cache_save(plain, err, sizeof err), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_jit_cache_save(NULL, NULL, 0), RVVM_ERR_INVALID_ARGUMENT);
    rvvm_jit_cache_release(plain);
    rvvm_jit_cache_stats s = {1, 2, 3};
    rvvm_jit_cache_get_stats(NULL, &s);
    assert_int_equal(s.compilations + s.loaded + s.saved, 0);
    /* Nothing translated: nothing to write, no file. */
    rvvm_jit_cache *c = rvvm_jit_cache_create_persistent(dir, "nothing", 7, 0, err, sizeof err);
    assert_non_null(c);
    assert_int_equal(rvvm_jit_cache_save(c, err, sizeof err), RVVM_OK);
    rvvm_jit_cache_release(c);
    char path[400];
    cache_file(path, sizeof path);
    assert_false(path[0]);
}

/*
 * Two caches loaded in one process, for two programs whose code differs in
 * one byte at the same addresses: each runs its own file's code. (The loader
 * knows a memfd's object by its /proc/self/fd path: were the first file's
 * descriptor closed, the second dlopen would get the first object back.)
 */
static void test_two_files(void **state)
{
    (void)state;
    result ref3, ref5, r;
    run(3, RVVM_ENGINE_INTERP, 0, NULL, &ref3);
    run(5, RVVM_ENGINE_INTERP, 0, NULL, &ref5);
    char err[300];
    for (int step = 3; step <= 5; step += 2) {
        rvvm_jit_cache *c = rvvm_jit_cache_create_persistent(dir, step == 3 ? "two-3" : "two-5", 5,
                                                             RVVM_JIT_SYNC, err, sizeof err);
        assert_non_null(c);
        run(step, RVVM_ENGINE_JIT, 1, c, &r);
        rvvm_jit_cache_release(c); /* saves */
    }
    rvvm_jit_cache *a = rvvm_jit_cache_create_persistent(dir, "two-3", 5, RVVM_JIT_SYNC, err, sizeof err);
    assert_non_null(a);
    assert_string_equal(err, "");
    rvvm_jit_cache *b = rvvm_jit_cache_create_persistent(dir, "two-5", 5, RVVM_JIT_SYNC, err, sizeof err);
    assert_non_null(b);
    assert_string_equal(err, "");
    run(5, RVVM_ENGINE_JIT, 1, b, &r);
    same(&r, &ref5);
    assert_true(r.translated > 0);
    run(3, RVVM_ENGINE_JIT, 1, a, &r);
    same(&r, &ref3);
    assert_true(r.translated > 0);
    assert_int_equal(compilations(a) + compilations(b), 0);
    rvvm_jit_cache_release(a);
    rvvm_jit_cache_release(b);
}

/*
 * A switch: each iteration jumps through a computed address (jalr) to one of
 * four cases, which jump to the loop's tail. Only the loop head is a counted
 * loop head; the cases are reached only by the jalr. a0 ends as a checksum.
 */
static void switch_program(uint32_t *code, size_t *n, int32_t iterations)
{
    size_t i = 0;
    code[i++] = ADDI(A0, 0, 0);
    i += rva_li32(&code[i], T0, iterations);
    code[i++] = ADDI(T1, 0, 0);
    size_t loop = i;
    code[i++] = ANDI(T2, T1, 3);
    code[i++] = SLLI(T2, T2, 4);  /* a case is 16 bytes */
    code[i++] = AUIPC(T3, 0);
    code[i++] = ADD(T3, T3, T2);
    code[i++] = JALR(0, T3, 12);  /* the cases start 3 instructions after the auipc */
    size_t tail = i + 4 * 4;
    for (int k = 0; k < 4; k++) {
        code[i++] = ADDI(A0, A0, 3 + 2 * k);
        code[i++] = XORI(A0, A0, 1 << k);
        code[i] = JAL(0, (int32_t)(4 * (tail - i)));
        i++;
        code[i++] = ADDI(0, 0, 0); /* padding */
    }
    code[i++] = ADDI(T1, T1, 1);
    code[i++] = ADDI(T0, T0, -1);
    code[i] = BNE(T0, 0, (int32_t)(4 * ((int64_t)loop - (int64_t)i)));
    i++;
    code[i++] = ADDI(A7, 0, 93);
    code[i++] = ECALL();
    *n = i * 4;
}

static void run_switch(rvvm_engine engine, rvvm_jit_cache *cache, result *r)
{
    uint32_t code[64];
    size_t n;
    switch_program(code, &n, 100000);
    /* A sampled threshold: only loop heads are counted at decode. */
    run_code(code, n, engine, 4096, cache, r);
}

/*
 * With a cache file, the runs translated code exits to on its own page are
 * counted too (jit.c): a switch's cases get code, which the file keeps, so
 * the next process compiles nothing. Without a file only the loop head is
 * translated. Every result is the interpreter's.
 */
static void test_switch_cases(void **state)
{
    (void)state;
    result ref, plain, cold, warm;
    run_switch(RVVM_ENGINE_INTERP, NULL, &ref);
    /* By hand: 4 instructions before the loop, 100000 iterations of 11
     * (5 to the jalr, 3 in a case, 3 in the tail), 2 to exit. */
    assert_int_equal(ref.instret, 4 + 100000ull * 11 + 2);
    rvvm_jit_cache *c = rvvm_jit_cache_create(RVVM_JIT_SYNC);
    assert_non_null(c);
    run_switch(RVVM_ENGINE_JIT, c, &plain);
    same(&plain, &ref);
    rvvm_jit_cache_release(c);

    char err[300];
    c = rvvm_jit_cache_create_persistent(dir, "switch", 6, RVVM_JIT_SYNC, err, sizeof err);
    assert_non_null(c);
    run_switch(RVVM_ENGINE_JIT, c, &cold);
    same(&cold, &ref);
    assert_true(plain.translated > 0);
    assert_true(cold.translated > plain.translated); /* the cases too */
    rvvm_jit_cache_release(c); /* saves */

    c = rvvm_jit_cache_create_persistent(dir, "switch", 6, RVVM_JIT_SYNC, err, sizeof err);
    assert_non_null(c);
    run_switch(RVVM_ENGINE_JIT, c, &warm);
    same(&warm, &ref);
    /* The cases counted in the cold run would be compiled again had the file
     * not kept them (in the switch's function now: entered from it, they are
     * not counted, so fewer slots may need their own entry). */
    assert_true(warm.translated > 0);
    assert_int_equal(compilations(c), 0);
    rvvm_jit_cache_release(c);
}

/*
 * A loop entered at its condition, as GCC lays most loops out: `j cond`
 * first, so the run branching back (cond) is decoded before the loop head
 * (body) ever ran. The head's own run ends with a forward branch and the
 * run after it is not a run's first slot, so only the back edge names the
 * head. At a sampled threshold only loop heads are counted: before the head
 * was marked for counting when decoded later (code_cache.c), this loop was
 * never translated.
 */
static void condition_first_program(uint32_t *code, size_t *n, int32_t iterations)
{
    size_t i = 0;
    code[i++] = ADDI(A0, 0, 0);
    i += rva_li32(&code[i], T0, iterations);
    code[i++] = ADDI(T1, 0, -1);
    code[i++] = JAL(0, 4 * 4);   /* j cond */
    code[i++] = ADDI(A0, A0, 5); /* body: */
    code[i++] = BEQ(T0, T1, 4 * 4); /* never taken (t0 > 0): to the exit */
    code[i++] = XORI(A0, A0, 1);
    code[i++] = ADDI(T0, T0, -1); /* cond: */
    code[i++] = BNE(T0, 0, -4 * 4); /* back to body */
    code[i++] = ADDI(A7, 0, 93);
    code[i++] = ECALL();
    *n = i * 4;
}

static void test_loop_entered_at_condition(void **state)
{
    (void)state;
    uint32_t code[32];
    size_t n;
    condition_first_program(code, &n, 100000);
    result ref, r;
    run_code(code, n, RVVM_ENGINE_INTERP, 0, NULL, &ref);
    /* By hand: li (2) and 3 more before the loop, the condition's 2 first,
     * then 99999 iterations of 5 (body 3, condition 2), then 2 to exit. */
    assert_int_equal(ref.instret, 2 + 3 + 2 + 99999ull * 5 + 2);
    rvvm_jit_cache *c = rvvm_jit_cache_create(RVVM_JIT_SYNC);
    assert_non_null(c);
    run_code(code, n, RVVM_ENGINE_JIT, 4096, c, &r);
    same(&r, &ref);
    assert_true(r.translated > 0);
    assert_true(compilations(c) > 0);
    rvvm_jit_cache_release(c);
}

/* Removes every file in dir; returns how many .rvjit files it had. */
static int empty_dir(bool remove)
{
    int n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n += strstr(e->d_name, ".rvjit") != NULL;
        char p[400];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (remove)
            unlink(p);
    }
    closedir(d);
    return n;
}

/* The whole of a file, malloc'd; *size its length. */
static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(*size ? *size : 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, *size, f), *size);
    fclose(f);
    return b;
}

/*
 * A save after a file was loaded compiles and writes only what the files
 * lack, as a delta file; the main file is left as it was. The next process
 * loads both and compiles nothing. Past RV_AOT_MAX_DELTAS (8) deltas, a save
 * writes everything into the main file and removes them.
 */
static void test_delta_files(void **state)
{
    (void)state;
    empty_dir(true);
    char err[300], main_path[400];
    result ref[10], r;
    for (int i = 0; i < 10; i++)
        run(3 + 2 * i, RVVM_ENGINE_INTERP, 0, NULL, &ref[i]);
    rvvm_jit_cache *c = rvvm_jit_cache_create_persistent(dir, "delta", 5, RVVM_JIT_SYNC, err, sizeof err);
    assert_non_null(c);
    run(3, RVVM_ENGINE_JIT, 1, c, &r);
    rvvm_jit_cache_release(c);
    assert_int_equal(empty_dir(false), 1);
    cache_file(main_path, sizeof main_path);
    size_t main_size, now_size;
    uint8_t *main_bytes = slurp(main_path, &main_size);

    /* Programs 1..8 (steps 5..19), each in its own process's cache: deltas 1..8. */
    for (int i = 1; i <= 8; i++) {
        c = rvvm_jit_cache_create_persistent(dir, "delta", 5, RVVM_JIT_SYNC, err, sizeof err);
        assert_non_null(c);
        assert_string_equal(err, "");
        run(3 + 2 * i, RVVM_ENGINE_JIT, 1, c, &r);
        same(&r, &ref[i]);
        assert_true(compilations(c) > 0);
        rvvm_jit_cache_release(c);
        assert_int_equal(empty_dir(false), 1 + i);
        uint8_t *now = slurp(main_path, &now_size);
        assert_int_equal(now_size, main_size);
        assert_memory_equal(now, main_bytes, main_size);
        free(now);
    }
    /* Every program so far from the main file and its deltas, compiling nothing. */
    c = rvvm_jit_cache_create_persistent(dir, "delta", 5, RVVM_JIT_SYNC, err, sizeof err);
    assert_non_null(c);
    for (int i = 0; i <= 8; i++) {
        run(3 + 2 * i, RVVM_ENGINE_JIT, 1, c, &r);
        same(&r, &ref[i]);
        assert_true(r.translated > 0);
    }
    assert_int_equal(compilations(c), 0);
    /* A ninth new program: everything goes into the main file, the deltas go. */
    run(3 + 2 * 9, RVVM_ENGINE_JIT, 1, c, &r);
    same(&r, &ref[9]);
    rvvm_jit_cache_release(c);
    assert_int_equal(empty_dir(false), 1);
    c = rvvm_jit_cache_create_persistent(dir, "delta", 5, RVVM_JIT_SYNC, err, sizeof err);
    assert_non_null(c);
    for (int i = 0; i <= 9; i++) {
        run(3 + 2 * i, RVVM_ENGINE_JIT, 1, c, &r);
        same(&r, &ref[i]);
    }
    assert_int_equal(compilations(c), 0);
    rvvm_jit_cache_release(c);
    free(main_bytes);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/rvvm-aot-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    DIR *d = opendir(dir);
    if (d) {
        for (struct dirent *e; (e = readdir(d));) {
            char p[400];
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
                unlink(p);
            }
        }
        closedir(d);
    }
    rmdir(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api),
        cmocka_unit_test(test_changed_program),
        cmocka_unit_test(test_resigned_mutations),
        cmocka_unit_test(test_save_while_running),
        cmocka_unit_test(test_switch_cases),
        cmocka_unit_test(test_loop_entered_at_condition),
        cmocka_unit_test(test_two_files),
        cmocka_unit_test(test_delta_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
