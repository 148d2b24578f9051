/*
 * Shared by the fuzz targets. Each target defines the two libFuzzer entry
 * points below; built with -fsanitize=fuzzer they are driven by libFuzzer,
 * built with replay.c they replay files (the regression tests of the normal
 * suite). Targets use only the public headers, so they keep working while
 * the library's internals change.
 */
#ifndef RVVM_FUZZ_H
#define RVVM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "rvvm/rvvm.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: say which, then abort so libFuzzer saves the input. */
#define FUZZ_CHECK(cond, ...)                                                                  \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);           \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fputc('\n', stderr);                                                               \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

/* With FUZZ_VERBOSE=1 in the environment, a line per input saying what happened. */
#define FUZZ_NOTE(...)                                                                         \
    do {                                                                                       \
        static int verbose_ = -1;                                                              \
        if (verbose_ < 0)                                                                      \
            verbose_ = getenv("FUZZ_VERBOSE") != NULL;                                         \
        if (verbose_) {                                                                        \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fputc('\n', stderr);                                                              \
        }                                                                                      \
    } while (0)

/* Little-endian reads and writes, for parsing fuzz input and snapshot fields. */
static inline uint64_t fuzz_get(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static inline void fuzz_put(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A cursor over the fuzz input that reads zeros past the end. */
typedef struct fuzz_bytes {
    const uint8_t *p;
    size_t len, pos;
} fuzz_bytes;

static inline uint64_t fuzz_take(fuzz_bytes *b, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++, b->pos++)
        if (b->pos < b->len)
            v |= (uint64_t)b->p[b->pos] << (8 * i);
    return v;
}

static inline int fuzz_more(const fuzz_bytes *b) { return b->pos < b->len; }

/* Guest input: always end of file. */
static inline int64_t fuzz_no_read(void *user, int fd, void *buf, size_t len)
{
    (void)user, (void)fd, (void)buf, (void)len;
    return 0;
}

/* Guest output folded into *(uint64_t *)user (FNV-1a with the fd), so two
 * machines' outputs compare as one number. */
static inline int64_t fuzz_count_write(void *user, int fd, const void *buf, size_t len)
{
    uint64_t *h = user;
    const uint8_t *p = buf;
    for (size_t i = 0; i < len; i++)
        *h = (*h ^ p[i]) * 0x100000001b3ull;
    *h ^= (uint64_t)fd << 56;
    return (int64_t)len;
}

/*
 * The head of the differential targets' inputs (interp, jit): an option byte,
 * eight slice budgets, then one byte per cost class. The option's low two
 * bits pick the cost model: unit, weighted, or those bytes as costs 1..7.
 */
typedef struct fuzz_header {
    unsigned opt;
    uint8_t budgets[8];
    rvvm_cost_model costs;
} fuzz_header;

static inline fuzz_header fuzz_take_header(fuzz_bytes *in)
{
    fuzz_header h;
    h.opt = (unsigned)fuzz_take(in, 1);
    for (int i = 0; i < 8; i++)
        h.budgets[i] = (uint8_t)fuzz_take(in, 1);
    uint8_t custom[RVVM_COST_CLASS_COUNT];
    for (int i = 0; i < RVVM_COST_CLASS_COUNT; i++)
        custom[i] = (uint8_t)fuzz_take(in, 1);
    rvvm_cost_model_builtin((h.opt & 3) == 1 ? "weighted" : "unit", &h.costs);
    if ((h.opt & 3) == 2)
        for (int i = 0; i < RVVM_COST_CLASS_COUNT; i++)
            h.costs.cost[i] = 1u + custom[i] % 7u;
    return h;
}

#endif
