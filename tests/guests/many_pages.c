/* Dirties 320 pages of a zeroed .bss array and rewrites some .data bytes,
 * then reads everything back into a checksum. Useful for snapshot/dirty
 * page tracking. */
#include "rt.h"

#define PAGE 4096
#define NPAGES 320

/* Non-static so the stores cannot be proven dead. */
uint8_t many_pages_bss[NPAGES * PAGE] __attribute__((aligned(PAGE)));
uint8_t many_pages_data[256] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    /* .bss must start out zero; sample it before touching it */
    uint64_t nonzero = 0;
    for (size_t off = 0; off < sizeof many_pages_bss; off += 61)
        nonzero += many_pages_bss[off] != 0;

    for (unsigned i = 0; i < NPAGES; i++)
        many_pages_bss[i * PAGE + (i * 37) % PAGE] = (uint8_t)(i * 7 + 1);
    for (unsigned i = 0; i < sizeof many_pages_data; i += 5)
        many_pages_data[i] ^= (uint8_t)(0xa5 + i);

    uint64_t sum = 0;
    for (unsigned i = 0; i < NPAGES; i++)
        sum = sum * 31 + many_pages_bss[i * PAGE + (i * 37) % PAGE];
    /* sparse scan: bytes we did not write must still be zero */
    uint64_t stray = 0;
    for (size_t off = 1; off < sizeof many_pages_bss; off += 64) {
        size_t page = off / PAGE;
        if (off % PAGE != (page * 37) % PAGE)
            stray += many_pages_bss[off] != 0;
    }
    uint64_t dsum = 0;
    for (unsigned i = 0; i < sizeof many_pages_data; i++)
        dsum = dsum * 131 + many_pages_data[i];

    rt_printf("pages=%d initial_nonzero=%lu\n", NPAGES, (unsigned long)nonzero);
    rt_printf("bss checksum %lx stray %lu\n", (unsigned long)sum, (unsigned long)stray);
    rt_printf("data checksum %lx\n", (unsigned long)dsum);
    return nonzero == 0 && stray == 0 ? 0 : 1;
}
