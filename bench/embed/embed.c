/*
 * Embedding costs (issue 9's speed targets), as medians over many
 * iterations. Not a test: run it by hand,
 *
 *   build/bench/embed/bench_embed [scale [call|hostcall|startup]]
 *   build/bench/embed/bench_embed startup MIB [N [linux] [pool]]   (one size, for profiling)
 *
 * scale (default 1) multiplies the iteration counts (0: one of each, for
 * profilers); a section name runs
 * only that section. Measures:
 *  1. start-up: rvvm_create + rvvm_load_elf_memory + rvvm_run of a trivial
 *     contract (~300 instructions, one host call, exit by host call) +
 *     rvvm_destroy, on a bare machine (RVVM_OS_NONE) and on the Linux layer,
 *     at 1 MiB, 256 MiB and 4 GiB of guest memory;
 *  2. a host-call round trip (ecall -> handler -> guest): ns per loop
 *     iteration with an ecall the handler answers, minus ns per iteration of
 *     the same loop with an addi in its place; also with rvvm_charge in the
 *     handler, and with a system call the Linux layer answers (getpid);
 *  3. rvvm_call of an empty function (ret) on a warm machine, and of a
 *     two-argument one.
 * Programs are assembled here (tests/unit/rvasm.h, whose encodings
 * test_rvasm checks against GNU as), so no cross compiler is needed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "elfbuild.h"
#include "rvasm.h"
#include "rvvm/guest.h"
#include "rvvm/rvvm.h"

#define HOSTCALL (RVVM_HOSTCALL_BASE + 0x7f0u) /* answered by on_ecall */
#define EXIT_CALL 93u

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void fail(const char *what)
{
    fprintf(stderr, "bench_embed: %s\n", what);
    exit(1);
}

/* ---- host handlers ------------------------------------------------------- */

static rvvm_ecall_action on_ecall(rvvm_machine *m, void *user, uint64_t *code)
{
    (void)user;
    uint64_t nr = rvvm_reg(m, 17);
    if (nr == HOSTCALL) {
        rvvm_set_reg(m, 10, 0);
        return RVVM_ECALL_HANDLED;
    }
    if (nr == EXIT_CALL) {
        *code = rvvm_reg(m, 10);
        return RVVM_ECALL_EXIT;
    }
    return RVVM_ECALL_PASS;
}

static rvvm_ecall_action on_ecall_charge(rvvm_machine *m, void *user, uint64_t *code)
{
    if (rvvm_reg(m, 17) == HOSTCALL && rvvm_charge(m, 10) != RVVM_OK)
        return RVVM_ECALL_HANDLED;
    return on_ecall(m, user, code);
}

/* ---- programs -------------------------------------------------------------- */

typedef struct image {
    uint8_t *bytes;
    size_t size;
} image;

static image build(const rva_buf *code)
{
    eb_program p = {.code = code->bytes, .code_len = code->len};
    image im;
    im.bytes = eb_build_program(&p, &im.size);
    if (!im.bytes)
        fail("out of memory");
    return im;
}

/* The trivial contract: 60 rounds of a 5-instruction loop, one host call,
 * exit by host call: 313 instructions. */
static image trivial_contract(void)
{
    rva_buf b;
    rva_init(&b);
    emit32(&b, ADDI(S0, ZERO, 60));
    emit32(&b, ADDI(A0, ZERO, 0));
    /* loop: a0 = a0 * 2 + s0 ... */
    emit32(&b, SLLI(T0, A0, 1));
    emit32(&b, ADD(A0, T0, S0));
    emit32(&b, XORI(A0, A0, 0x55));
    emit32(&b, ADDI(S0, S0, -1));
    emit32(&b, BNE(S0, ZERO, -16));
    emit_li(&b, A7, HOSTCALL);
    emit32(&b, ECALL());
    emit32(&b, ADDI(A0, ZERO, 0));
    emit32(&b, ADDI(A7, ZERO, EXIT_CALL));
    emit32(&b, ECALL());
    return build(&b);
}

/* n rounds of { body; addi s0,s0,-1; bnez s0 }, then exit(0).
 * body: an ecall with a7 = nr, or (nr == 0) addi a1, a1, 1. */
static image loop_program(uint64_t n, uint32_t nr)
{
    rva_buf b;
    rva_init(&b);
    emit_li(&b, S0, (int64_t)n);
    emit_li(&b, A7, nr ? (int64_t)nr : 0);
    emit32(&b, nr ? ECALL() : ADDI(A1, A1, 1));
    emit32(&b, ADDI(S0, S0, -1));
    emit32(&b, BNE(S0, ZERO, -8));
    emit32(&b, ADDI(A0, ZERO, 0));
    emit32(&b, ADDI(A7, ZERO, EXIT_CALL));
    emit32(&b, ECALL());
    return build(&b);
}

/* Functions for rvvm_call: `ret` at EB_TEXT, `a0 += a1; ret` at EB_TEXT + 8,
 * and an entry (EB_TEXT + 16) that parks the machine in a host stop. */
static image call_program(void)
{
    rva_buf b;
    rva_init(&b);
    emit32(&b, JALR(ZERO, RA, 0));
    emit32(&b, ADDI(ZERO, ZERO, 0));
    emit32(&b, ADD(A0, A0, A1));
    emit32(&b, JALR(ZERO, RA, 0));
    return build(&b);
}

static rvvm_pool *bench_pool; /* set: machines come from and go back to it */

static rvvm_machine *machine(uint64_t mem, rvvm_os os, const image *im, rvvm_ecall_fn fn)
{
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = mem;
    c.pool = bench_pool;
    c.os = os;
    rvvm_machine *m;
    if (rvvm_create(&c, &m) != RVVM_OK)
        fail("rvvm_create");
    static const char *const argv[] = {"bench", NULL};
    if (rvvm_load_elf_memory(m, im->bytes, im->size, "bench", argv, NULL) != RVVM_OK)
        fail(rvvm_last_error(m));
    if (fn)
        rvvm_set_ecall_handler(m, fn, NULL);
    return m;
}

/* ---- 1. start-up --------------------------------------------------------------- */

static void bench_startup(int scale)
{
    image im = trivial_contract();
    const uint64_t sizes[] = {1ull << 20, 256ull << 20, 4ull << 30};
    const char *names[] = {"1 MiB", "256 MiB", "4 GiB"};
    int iters = 2000 * scale;
    double *t = malloc((size_t)iters * sizeof *t);
    uint64_t insns = 0;
    for (int pooled = 0; pooled < 2; pooled++)
    for (int os = 0; os < 2; os++) {
        bench_pool = pooled ? rvvm_pool_create() : NULL;
        for (size_t s = 0; s < 3; s++) {
            for (int i = 0; i < iters; i++) {
                uint64_t t0 = now_ns();
                rvvm_machine *m = machine(sizes[s], os ? RVVM_OS_LINUX : RVVM_OS_NONE, &im,
                                          on_ecall);
                rvvm_run_result r;
                if (rvvm_run(m, RVVM_NO_LIMIT, &r) != RVVM_OK || r.reason != RVVM_STOP_EXITED)
                    fail("trivial contract did not exit");
                insns = rvvm_instructions(m);
                rvvm_destroy(m);
                t[i] = (double)(now_ns() - t0) / 1000.0;
            }
            double med = median(t, (size_t)iters);
            printf("startup  %-5s %-4s %-7s  create+load+run(%" PRIu64 " insns)+destroy  median %7.2f us"
                   "  p10 %7.2f  p90 %7.2f\n",
                   os ? "linux" : "bare", pooled ? "pool" : "", names[s], insns, med,
                   t[iters / 10], t[iters * 9 / 10]);
        }
        rvvm_pool_destroy(bench_pool);
        bench_pool = NULL;
    }
    free(t);
    free(im.bytes);
}

/* ---- 2. host calls ------------------------------------------------------------------ */

/* ns per loop round of a program, median over `reps` runs of n rounds each. */
static double ns_per_round(const image *im, rvvm_os os, rvvm_ecall_fn fn, uint64_t n, int reps)
{
    double *t = malloc((size_t)reps * sizeof *t);
    for (int i = 0; i < reps; i++) {
        rvvm_machine *m = machine(1ull << 20, os, im, fn);
        rvvm_run_result r;
        /* Warm: decode the loop before timing (the budget stops inside it). */
        if (rvvm_run(m, 100, &r) != RVVM_OK || r.reason != RVVM_STOP_CYCLE_LIMIT)
            fail("warm-up");
        uint64_t t0 = now_ns();
        if (rvvm_run(m, RVVM_NO_LIMIT, &r) != RVVM_OK || r.reason != RVVM_STOP_EXITED ||
            r.exit_code != 0)
            fail("loop did not exit 0");
        t[i] = (double)(now_ns() - t0) / (double)n;
        rvvm_destroy(m);
    }
    double med = median(t, (size_t)reps);
    free(t);
    return med;
}

/* One variant alone (0 baseline, 1 handler, 2 with rvvm_charge, 3 Linux getpid), for
 * counting host instructions: bench_embed 0 hostcall-variant V under callgrind. */
static void bench_hostcall_variant(int v)
{
    const uint64_t n = 1000000;
    image im = loop_program(n, v == 0 ? 0 : v == 3 ? 172 : HOSTCALL);
    double t = ns_per_round(&im, v == 3 ? RVVM_OS_LINUX : RVVM_OS_NONE,
                            v == 3 ? NULL : v == 2 ? on_ecall_charge : on_ecall, n, 1);
    printf("hostcall variant %d: %.2f ns/round\n", v, t);
    free(im.bytes);
}

static void bench_hostcall(int scale)
{
    const uint64_t n = 1000000;
    int reps = scale ? 21 * scale : 1;
    image base = loop_program(n, 0), host = loop_program(n, HOSTCALL), lin = loop_program(n, 172);
    double t_base = ns_per_round(&base, RVVM_OS_NONE, on_ecall, n, reps);
    double t_host = ns_per_round(&host, RVVM_OS_NONE, on_ecall, n, reps);
    double t_charge = ns_per_round(&host, RVVM_OS_NONE, on_ecall_charge, n, reps);
    double t_linux = ns_per_round(&lin, RVVM_OS_LINUX, NULL, n, reps);
    printf("hostcall loop of addi (baseline)         %6.2f ns/round\n", t_base);
    printf("hostcall ecall -> handler -> guest       %6.2f ns/round  added %6.2f ns\n", t_host,
           t_host - t_base);
    printf("hostcall   ... with rvvm_charge          %6.2f ns/round  added %6.2f ns\n", t_charge,
           t_charge - t_base);
    printf("hostcall getpid via the Linux layer      %6.2f ns/round  added %6.2f ns\n", t_linux,
           t_linux - t_base);
    free(base.bytes);
    free(host.bytes);
    free(lin.bytes);
}

/* ---- 3. guest calls ---------------------------------------------------------------------- */

static void bench_call(int scale)
{
    image im = call_program();
    rvvm_machine *m = machine(1ull << 20, RVVM_OS_NONE, &im, on_ecall);
    const int per = 100000, reps = scale ? 21 * scale : 1;
    double *t = malloc((size_t)reps * sizeof *t);
    const uint64_t args[2] = {40, 2};
    for (int f = 0; f < 2; f++) {
        uint64_t addr = EB_TEXT + (f ? 8 : 0);
        unsigned nargs = f ? 2 : 0;
        rvvm_run_result r;
        uint64_t ret = 0;
        for (int i = 0; i < 1000; i++) /* warm: decoded, caches hot */
            if (rvvm_call(m, addr, args, nargs, 100, &r, &ret) != RVVM_OK ||
                r.reason != RVVM_STOP_RETURNED)
                fail("rvvm_call");
        for (int k = 0; k < reps; k++) {
            uint64_t t0 = now_ns();
            for (int i = 0; i < per; i++)
                rvvm_call(m, addr, args, nargs, 100, &r, &ret);
            t[k] = (double)(now_ns() - t0) / per;
        }
        if (ret != (f ? 42u : 0u) || r.reason != RVVM_STOP_RETURNED)
            fail("rvvm_call returned the wrong value");
        printf("call     rvvm_call %-18s warm             median %6.1f ns\n",
               f ? "add(40, 2)" : "empty function", median(t, (size_t)reps));
    }
    free(t);
    rvvm_destroy(m);
    free(im.bytes);
}

/* For profiling one start-up size: bench_embed startup MIB [N] [linux]. */
static int profile_startup(int argc, char **argv)
{
    image im = trivial_contract();
    uint64_t mem = strtoull(argv[2], NULL, 10) << 20;
    int n = argc > 3 ? atoi(argv[3]) : 1000;
    rvvm_os os = argc > 4 && strcmp(argv[4], "pool") ? RVVM_OS_LINUX : RVVM_OS_NONE;
    if (argc > 4 && !strcmp(argv[argc - 1], "pool"))
        bench_pool = rvvm_pool_create();
    for (int i = 0; i < n; i++) {
        rvvm_machine *m = machine(mem, os, &im, on_ecall);
        rvvm_run_result r;
        if (rvvm_run(m, RVVM_NO_LIMIT, &r) != RVVM_OK || r.reason != RVVM_STOP_EXITED)
            fail("trivial contract did not exit");
        rvvm_destroy(m);
    }
    rvvm_pool_destroy(bench_pool);
    free(im.bytes);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && !strcmp(argv[1], "startup"))
        return profile_startup(argc, argv);
    int scale = argc > 1 ? atoi(argv[1]) : 1;
    if (scale < 0)
        scale = 1; /* 0: one repetition of each measurement, for profilers */
    const char *only = argc > 2 ? argv[2] : "";
    if (!*only || !strcmp(only, "call"))
        bench_call(scale);
    if (!*only || !strcmp(only, "hostcall"))
        bench_hostcall(scale);
    if (!strcmp(only, "hostcall-variant") && argc > 3)
        bench_hostcall_variant(atoi(argv[3]));
    if (!*only || !strcmp(only, "startup"))
        bench_startup(scale);
    return 0;
}
