/*
 * Speed of in-place checkpoints and copy-on-write fork (issue 9 targets:
 * rvvm_fork <= 5 us plus the pages the child writes; checkpoint + restore of
 * a transaction that wrote 4 pages <= 5 us), at several guest memory sizes.
 *
 *   build/bench_ckpt [--iters N] [--sizes 256,4096]      (sizes in MiB)
 *
 * Prints one Markdown table row per measurement: the median, 10th and 90th
 * percentile over N iterations, in microseconds, with no OS layer
 * (RVVM_OS_NONE: a bare contract VM) and with the Linux one (whose state is
 * saved and forked too). A benchmark, not a test.
 *
 * The guest is built here: a loop that stores one word into each of 4 pages
 * (10 cycles an iteration at unit costs), so a run of 10 cycles is a
 * "transaction" that writes exactly 4 pages.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rvvm/rvvm.h"

#define TEXT 0x10000u
#define DATA 0x20000u
#define DATA_PAGES 2048u /* 8 MiB of bss: room for a dirtied template */

static uint32_t lui(unsigned rd, uint32_t imm20) { return imm20 << 12 | rd << 7 | 0x37; }
static uint32_t add(unsigned rd, unsigned a, unsigned b) { return b << 20 | a << 15 | rd << 7 | 0x33; }
static uint32_t sd(unsigned src, unsigned base, int off)
{
    uint32_t i = (uint32_t)off & 0xfff;
    return (i >> 5) << 25 | src << 20 | base << 15 | 3u << 12 | (i & 31) << 7 | 0x23;
}
static uint32_t jal0(int off) /* jal x0, off (|off| < 1 MiB) */
{
    uint32_t o = (uint32_t)off;
    return ((o >> 20) & 1) << 31 | ((o >> 1) & 0x3ff) << 21 | ((o >> 11) & 1) << 20 |
           ((o >> 12) & 0xff) << 12 | 0x6f;
}

static void put(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A static RV64 ELF: code at TEXT (R+X), DATA_PAGES of bss at DATA (R+W). */
static uint8_t *build_elf(size_t *size)
{
    enum { T0 = 5, T1 = 6 };
    uint32_t code[16];
    size_t n = 0;
    code[n++] = lui(T1, 1);            /* t1 = 4096 */
    size_t loop = n;
    code[n++] = lui(T0, DATA >> 12);   /* t0 = DATA */
    for (int i = 0; i < 4; i++) {
        code[n++] = sd(T1, T0, 0);
        code[n++] = add(T0, T0, T1);
    }
    code[n] = jal0(-(int)(4 * (n - loop)));
    n++;
    *size = 0x1000 + 4 * n;
    uint8_t *img = calloc(1, *size);
    if (!img)
        return NULL;
    memcpy(img, "\177ELF", 4);
    img[4] = 2; /* 64-bit */
    img[5] = 1; /* little-endian */
    img[6] = 1;
    put(img + 16, 2, 2);    /* ET_EXEC */
    put(img + 18, 243, 2);  /* EM_RISCV */
    put(img + 20, 1, 4);
    put(img + 24, TEXT, 8); /* entry */
    put(img + 32, 64, 8);   /* phoff */
    put(img + 52, 64, 2);   /* ehsize */
    put(img + 54, 56, 2);   /* phentsize */
    put(img + 56, 2, 2);    /* phnum */
    uint8_t *ph = img + 64;
    put(ph, 1, 4);          /* PT_LOAD */
    put(ph + 4, 5, 4);      /* R+X */
    put(ph + 8, 0x1000, 8);
    put(ph + 16, TEXT, 8);
    put(ph + 24, TEXT, 8);
    put(ph + 32, 4 * n, 8);
    put(ph + 40, 4 * n, 8);
    put(ph + 48, 0x1000, 8);
    ph += 56;
    put(ph, 1, 4);
    put(ph + 4, 6, 4);      /* R+W */
    put(ph + 8, 0x1000, 8);
    put(ph + 16, DATA, 8);
    put(ph + 24, DATA, 8);
    put(ph + 32, 0, 8);
    put(ph + 40, (uint64_t)DATA_PAGES * 4096, 8);
    put(ph + 48, 0x1000, 8);
    for (size_t i = 0; i < n; i++)
        put(img + 0x1000 + 4 * i, code[i], 4);
    return img;
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static rvvm_os os_kind; /* the OS layer of the machines measured */

static void report(const char *what, unsigned mib, double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    printf("| %-5s | %-44s | %5u MiB | %8.2f | %8.2f | %8.2f |\n",
           os_kind == RVVM_OS_NONE ? "none" : "linux", what, mib, v[n / 2], v[n / 10],
           v[n * 9 / 10]);
}

static void die(const char *what, rvvm_machine *m)
{
    fprintf(stderr, "ckpt: %s: %s\n", what, m ? rvvm_last_error(m) : "");
    exit(1);
}

static rvvm_machine *machine(const uint8_t *img, size_t size, unsigned mib, bool forkable)
{
    rvvm_config c;
    rvvm_config_init(&c);
    c.os = os_kind;
    c.memory_size = (uint64_t)mib << 20;
    c.forkable = forkable;
    rvvm_machine *m;
    if (rvvm_create(&c, &m) != RVVM_OK)
        die("create", NULL);
    static const char *const argv[] = {"ckpt", NULL};
    if (rvvm_load_elf_memory(m, img, size, "ckpt", argv, NULL) != RVVM_OK)
        die("load", m);
    rvvm_run_result r;
    if (rvvm_run(m, 1, &r) != RVVM_OK || r.reason != RVVM_STOP_CYCLE_LIMIT) /* t1 = 4096 */
        die("run", m);
    return m;
}

static void run(rvvm_machine *m, uint64_t cycles)
{
    rvvm_run_result r;
    if (rvvm_run(m, cycles, &r) != RVVM_OK || r.reason != RVVM_STOP_CYCLE_LIMIT)
        die("run", m);
}

int main(int argc, char **argv)
{
    int iters = 2000;
    unsigned sizes[8] = {256, 4096};
    int nsizes = 2;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--iters") && i + 1 < argc) {
            iters = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--sizes") && i + 1 < argc) {
            nsizes = 0;
            for (char *s = strtok(argv[++i], ","); s && nsizes < 8; s = strtok(NULL, ","))
                sizes[nsizes++] = (unsigned)atoi(s);
        } else {
            fprintf(stderr, "usage: ckpt [--iters N] [--sizes MiB,MiB,...]\n");
            return 2;
        }
    }
    if (iters < 10)
        iters = 10;
    size_t size;
    uint8_t *img = build_elf(&size);
    double *v = malloc((size_t)iters * sizeof *v), *w = malloc((size_t)iters * sizeof *w);
    double *x = malloc((size_t)iters * sizeof *x);
    if (!img || !v || !w || !x)
        return 1;
    printf("| OS layer | measurement (median over %d; p10, p90) | memory | median us | p10 us | "
           "p90 us |\n", iters);
    printf("|---|---|---|---|---|---|\n");
    for (int osk = 0; osk < 2; osk++)
    for (int s = 0; s < nsizes; s++) {
        os_kind = osk ? RVVM_OS_LINUX : RVVM_OS_NONE;
        unsigned mib = sizes[s];
        /* Checkpoint + restore around a guest transaction writing 4 pages. */
        rvvm_machine *m = machine(img, size, mib, false);
        run(m, 10); /* every page written once: the steady state */
        for (int i = 0; i < iters; i++) {
            rvvm_checkpoint_id cp;
            double t0 = now_us();
            if (rvvm_checkpoint(m, &cp) != RVVM_OK)
                die("checkpoint", m);
            double t1 = now_us();
            run(m, 10);
            double t2 = now_us();
            if (rvvm_restore(m, cp) != RVVM_OK)
                die("restore", m);
            double t3 = now_us();
            rvvm_checkpoint_free(m, cp);
            v[i] = (t1 - t0) + (t3 - t2);
            w[i] = t3 - t0;
            x[i] = t2 - t1;
        }
        report("checkpoint + restore, guest wrote 4 pages", mib, v, iters);
        report("  the same with the 10-cycle run between", mib, w, iters);
        report("  the run alone (4 first-writes saved)", mib, x, iters);
        /* The same with the host writing the 4 pages. */
        for (int i = 0; i < iters; i++) {
            rvvm_checkpoint_id cp;
            double t0 = now_us();
            if (rvvm_checkpoint(m, &cp) != RVVM_OK)
                die("checkpoint", m);
            for (uint64_t p = 0; p < 4; p++) {
                uint64_t val = (uint64_t)i;
                if (rvvm_write_memory(m, DATA + 4096 * (p + 8), &val, 8) != RVVM_OK)
                    die("write", m);
            }
            if (rvvm_restore(m, cp) != RVVM_OK)
                die("restore", m);
            v[i] = now_us() - t0;
            rvvm_checkpoint_free(m, cp);
        }
        report("checkpoint + 4 host page writes + restore", mib, v, iters);
        rvvm_destroy(m);

        /* Fork of a small template, and of one with 8 MiB written. */
        for (int kase = 0; kase < 3; kase++) {
            bool big = kase > 0, forkable = kase == 2;
            static const char *const name[3][4] = {
                {"rvvm_fork", "  fork + child writes 4 pages", "  rvvm_destroy of the child",
                 "  first fork (makes memory shareable)"},
                {"rvvm_fork, template with 8 MiB written", "  fork + child writes 4 pages",
                 "  rvvm_destroy of the child", "  first fork (copies the 8 MiB in use)"},
                {"rvvm_fork, forkable, 8 MiB written", "  fork + child writes 4 pages",
                 "  rvvm_destroy of the child", "  first fork (no copy: forkable)"},
            };
            /* The first fork of a template makes its memory shareable: timed
             * over FIRST fresh templates. */
            enum { FIRST = 15 };
            double first[FIRST];
            rvvm_machine *t = NULL, *c;
            double t0;
            for (int k = 0; k < FIRST; k++) {
                rvvm_destroy(t);
                t = machine(img, size, mib, forkable);
                if (big) {
                    uint8_t *buf = malloc((size_t)DATA_PAGES * 4096);
                    if (!buf)
                        return 1;
                    memset(buf, 0x5a, (size_t)DATA_PAGES * 4096);
                    if (rvvm_write_memory(t, DATA, buf, (size_t)DATA_PAGES * 4096) != RVVM_OK)
                        die("write", t);
                    free(buf);
                }
                t0 = now_us();
                if (rvvm_fork(t, &c) != RVVM_OK)
                    die("fork", t);
                first[k] = now_us() - t0;
                rvvm_destroy(c);
            }
            for (int i = 0; i < iters; i++) {
                t0 = now_us();
                if (rvvm_fork(t, &c) != RVVM_OK)
                    die("fork", t);
                double t1 = now_us();
                run(c, 10);
                double t2 = now_us();
                rvvm_destroy(c);
                double t3 = now_us();
                v[i] = t1 - t0;
                w[i] = t2 - t0;
                x[i] = t3 - t2;
            }
            report(name[kase][0], mib, v, iters);
            report(name[kase][1], mib, w, iters);
            report(name[kase][2], mib, x, iters);
            report(name[kase][3], mib, first, FIRST);
            rvvm_destroy(t);
        }
    }
    free(v);
    free(w);
    free(x);
    free(img);
    return 0;
}
