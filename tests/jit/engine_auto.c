/*
 * RVVM_ENGINE_AUTO through the library (include/rvvm/rvvm.h, docs/jit.md):
 * rvvm_config_init keeps RVVM_ENGINE_INTERP; AUTO is accepted by rvvm_create
 * and rvvm_set_engine and becomes RVVM_ENGINE_JIT where the build has the tier
 * (then a hot program gets translated), else RVVM_ENGINE_INTERP; either way
 * the run ends with the interpreter's exit code, cycles, instructions and
 * state digest. Unknown engines are RVVM_ERR_INVALID_ARGUMENT.
 *
 *   engine_auto yes|no PROGRAM.elf    (yes: the build has the tier)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rvvm/rvvm.h"

static int failures;
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "engine_auto.c:%d: failed: %s\n", __LINE__, #cond);                    \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

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

typedef struct outcome {
    int exit_code;
    uint64_t cycles, instret, translated;
    uint8_t digest[32];
} outcome;

/* Creates a machine with `engine` (and `cache`), runs the program to its end. */
static int run(const char *prog, rvvm_engine engine, rvvm_jit_cache *cache, rvvm_engine *got,
               outcome *o)
{
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = 64ull << 20;
    c.engine = engine;
    c.jit_cache = cache;
    rvvm_machine *m = NULL;
    if (rvvm_create(&c, &m) != RVVM_OK)
        return -1;
    *got = rvvm_get_config(m)->engine;
    const char *argv[] = {prog, NULL};
    rvvm_run_result r;
    int rc = -1;
    if (rvvm_load_elf_file(m, prog, argv, NULL) == RVVM_OK) {
        rvvm_set_io(m, no_read, no_write, NULL);
        if (rvvm_run(m, RVVM_NO_LIMIT, &r) == RVVM_OK && r.reason == RVVM_STOP_EXITED) {
            o->exit_code = r.exit_code;
            o->cycles = rvvm_cycles(m);
            o->instret = rvvm_instructions(m);
            o->translated = rvvm_jit_translated(m);
            rc = rvvm_state_digest(m, o->digest) == RVVM_OK ? 0 : -1;
        }
    }
    rvvm_destroy(m);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "yes") && strcmp(argv[1], "no"))) {
        fprintf(stderr, "usage: engine_auto yes|no PROGRAM.elf\n");
        return 2;
    }
    bool tier = strcmp(argv[1], "yes") == 0;
    const char *prog = argv[2];

    rvvm_config c;
    rvvm_config_init(&c);
    CHECK(c.engine == RVVM_ENGINE_INTERP); /* embedders opt in */

    /* A cache can be made exactly where the tier is built. */
    rvvm_jit_cache *cache = rvvm_jit_cache_create(RVVM_JIT_SYNC);
    CHECK((cache != NULL) == tier);

    outcome ref = {0}, aut = {0};
    rvvm_engine got = (rvvm_engine)-1;
    CHECK(run(prog, RVVM_ENGINE_INTERP, NULL, &got, &ref) == 0);
    CHECK(got == RVVM_ENGINE_INTERP && ref.translated == 0);
    /* The default threshold: the program's loops must get hot on their own. */
    CHECK(run(prog, RVVM_ENGINE_AUTO, cache, &got, &aut) == 0);
    CHECK(got == (tier ? RVVM_ENGINE_JIT : RVVM_ENGINE_INTERP));
    CHECK(tier ? aut.translated > 0 : aut.translated == 0);
    CHECK(aut.exit_code == ref.exit_code && aut.cycles == ref.cycles && aut.instret == ref.instret);
    CHECK(memcmp(aut.digest, ref.digest, 32) == 0);
    printf("auto: engine %s, %llu cycles (interp %llu), %llu runs translated\n",
           got == RVVM_ENGINE_JIT ? "jit" : "interp", (unsigned long long)aut.cycles,
           (unsigned long long)ref.cycles, (unsigned long long)aut.translated);

    /* rvvm_set_engine (the route of resumed machines). */
    rvvm_machine *m = NULL;
    CHECK(rvvm_create(&c, &m) == RVVM_OK);
    if (m) {
        CHECK(rvvm_set_engine(m, RVVM_ENGINE_AUTO, 7) == RVVM_OK);
        CHECK(rvvm_get_config(m)->engine == (tier ? RVVM_ENGINE_JIT : RVVM_ENGINE_INTERP));
        CHECK(rvvm_get_config(m)->jit_threshold == 7);
        CHECK(rvvm_set_engine(m, (rvvm_engine)3, 7) == RVVM_ERR_INVALID_ARGUMENT);
        CHECK(strcmp(rvvm_last_error(m), "unknown engine 3") == 0);
        CHECK(rvvm_set_engine(m, RVVM_ENGINE_JIT, 7) == (tier ? RVVM_OK : RVVM_ERR_INVALID_ARGUMENT));
        if (!tier)
            CHECK(strstr(rvvm_last_error(m), "translation tier") != NULL);
        CHECK(rvvm_set_engine(m, RVVM_ENGINE_INTERP, 7) == RVVM_OK);
        CHECK(rvvm_get_config(m)->engine == RVVM_ENGINE_INTERP);
        rvvm_destroy(m);
    }
    /* rvvm_create refuses unknown engines, and JIT without the tier. */
    c.engine = (rvvm_engine)3;
    m = NULL;
    CHECK(rvvm_create(&c, &m) == RVVM_ERR_INVALID_ARGUMENT && m == NULL);
    c.engine = RVVM_ENGINE_JIT;
    CHECK((rvvm_create(&c, &m) == RVVM_OK) == tier);
    rvvm_destroy(m);

    rvvm_jit_cache_release(cache);
    if (failures)
        return 1;
    printf("ok (tier: %s)\n", tier ? "yes" : "no");
    return 0;
}
