/* Dirties exactly k pages (argv[1], default 16) of an 8 MiB zeroed .bss
 * array with non-zero data, spread evenly across the array, and exits 0.
 * A snapshot of the stopped or finished guest should grow with k. */
#include "rt.h"

#define PAGE 4096
#define NPAGES 2048 /* 8 MiB */

uint64_t dirty_k_bss[NPAGES * PAGE / 8] __attribute__((aligned(PAGE)));

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    long k = argc > 1 ? parse_ulong(argv[1]) : 16;
    if (k < 0 || k > NPAGES) {
        rt_eprintf("usage: dirty_k [K]  (0 <= K <= %d)\n", NPAGES);
        return 2;
    }
    unsigned stride = k ? NPAGES / (unsigned)k : 1;
    for (unsigned j = 0; j < (unsigned)k; j++) {
        uint64_t *page = &dirty_k_bss[(size_t)j * stride * (PAGE / 8)];
        /* fill the whole page with data that is never zero, so the
         * snapshot cannot compress it away as a zero page */
        for (unsigned w = 0; w < PAGE / 8; w++)
            page[w] = 0x0101010101010101ull * ((j % 255) + 1) + w;
    }
    rt_printf("dirtied %ld pages\n", k);
    return 0;
}
