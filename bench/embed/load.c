/*
 * Start-up cost of a small contract: rvvm_create + rvvm_load_elf_memory +
 * rvvm_run to exit + rvvm_destroy, for a static guest of ~100 instructions,
 * at several guest memory sizes. Prints the median and the 10th/90th
 * percentiles over many iterations. Not a test: run it by hand,
 *
 *   build/bench/embed/bench_load [iterations]
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rvvm/rvvm.h"

#define TEXT 0x10000u
#define NINSN 100

static void put(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* ELF header, one PT_LOAD (R+X) at TEXT: 97 x "addi a0, a0, 1", li a7, 93, ecall. */
static size_t build_guest(uint8_t *img)
{
    const size_t code_off = 0x1000;
    memset(img, 0, code_off);
    memcpy(img, "\x7f" "ELF\x02\x01\x01", 7);
    put(img + 16, 2, 2);         /* ET_EXEC */
    put(img + 18, 243, 2);       /* EM_RISCV */
    put(img + 20, 1, 4);         /* EV_CURRENT */
    put(img + 24, TEXT, 8);      /* e_entry */
    put(img + 32, 64, 8);        /* e_phoff */
    put(img + 52, 64, 2);        /* e_ehsize */
    put(img + 54, 56, 2);        /* e_phentsize */
    put(img + 56, 1, 2);         /* e_phnum */
    put(img + 58, 64, 2);        /* e_shentsize */
    uint8_t *ph = img + 64;
    size_t n = 0;
    uint8_t *code = img + code_off;
    for (; n < NINSN - 3; n++)
        put(code + 4 * n, 0x00150513u, 4); /* addi a0, a0, 1 */
    put(code + 4 * n++, 0x05d00893u, 4);   /* li a7, 93 */
    put(code + 4 * n++, 0x00000073u, 4);   /* ecall */
    put(ph + 0, 1, 4);                     /* PT_LOAD */
    put(ph + 4, 5, 4);                     /* PF_R | PF_X */
    put(ph + 8, code_off, 8);
    put(ph + 16, TEXT, 8);
    put(ph + 24, TEXT, 8);
    put(ph + 32, 4 * n, 8);
    put(ph + 40, 4 * n, 8);
    put(ph + 48, 0x1000, 8);
    return code_off + 4 * n;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int iters = argc > 1 ? atoi(argv[1]) : 2000;
    if (iters < 10)
        iters = 10;
    static uint8_t img[0x2000];
    size_t size = build_guest(img);
    const uint64_t sizes[] = {1ull << 20, 256ull << 20, 4ull << 30};
    /* t[0]: the whole; t[1..4]: create, load, run, destroy. */
    uint64_t *t[5];
    for (int k = 0; k < 5; k++)
        if (!(t[k] = malloc((size_t)iters * sizeof *t[k])))
            return 1;
    printf("create + load_elf_memory + run (%d instructions) + destroy, %d iterations;\n"
           "median us of the whole (p10, p90) and of each step\n", NINSN, iters);
    printf("%14s %8s %8s %8s | %8s %8s %8s %8s\n", "memory", "median", "p10", "p90", "create",
           "load", "run", "destroy");
    for (size_t s = 0; s < 2 * sizeof sizes / sizeof sizes[0]; s++) {
        /* The second round takes machines from a pool (rvvm_pool_create). */
        bool pooled = s >= sizeof sizes / sizeof sizes[0];
        rvvm_config c;
        rvvm_config_init(&c);
        c.memory_size = sizes[s % (sizeof sizes / sizeof sizes[0])];
        c.pool = pooled ? rvvm_pool_create() : NULL;
        for (int i = -iters / 10; i < iters; i++) { /* the first tenth warms up */
            uint64_t t0 = now_ns();
            rvvm_machine *m = NULL;
            rvvm_run_result r;
            bool ok = rvvm_create(&c, &m) == RVVM_OK;
            uint64_t t1 = now_ns();
            ok = ok && rvvm_load_elf_memory(m, img, size, "bench", NULL, NULL) == RVVM_OK;
            uint64_t t2 = now_ns();
            ok = ok && rvvm_run(m, RVVM_NO_LIMIT, &r) == RVVM_OK &&
                 r.reason == RVVM_STOP_EXITED && r.exit_code == NINSN - 3;
            uint64_t t3 = now_ns();
            if (!ok) {
                fprintf(stderr, "bench_load: %s\n", m ? rvvm_last_error(m) : "create failed");
                return 1;
            }
            rvvm_destroy(m);
            uint64_t t4 = now_ns();
            if (i >= 0) {
                t[0][i] = t4 - t0;
                t[1][i] = t1 - t0;
                t[2][i] = t2 - t1;
                t[3][i] = t3 - t2;
                t[4][i] = t4 - t3;
            }
        }
        for (int k = 0; k < 5; k++)
            qsort(t[k], (size_t)iters, sizeof *t[k], cmp_u64);
        rvvm_pool_destroy(c.pool);
        printf("%5" PRIu64 " MiB%s %8.1f %8.1f %8.1f | %8.1f %8.1f %8.1f %8.1f\n",
               c.memory_size >> 20, pooled ? " pool" : "     ",
               t[0][iters / 2] / 1e3, t[0][iters / 10] / 1e3, t[0][iters * 9 / 10] / 1e3,
               t[1][iters / 2] / 1e3, t[2][iters / 2] / 1e3, t[3][iters / 2] / 1e3,
               t[4][iters / 2] / 1e3);
    }
    for (int k = 0; k < 5; k++)
        free(t[k]);
    return 0;
}
