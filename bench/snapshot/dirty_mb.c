/* dirty_mb: the guest of the snapshot benchmark (bench/snapshot/run.sh).
 *
 *   dirty_mb KIB [random|pattern]
 *
 * Writes the first KIB KiB (a multiple of 4, at most 262144 = 256 MiB) of a
 * zeroed 256 MiB .bss array, one 64-bit word at a time, then prints one line
 * and exits 0. "random" (the default) fills them with xorshift64* output,
 * which zstd cannot compress; "pattern" with a slowly varying word sequence
 * that it compresses well. No word written is zero, so no dirty page is
 * stored as a zero page. The benchmark stops the guest one cycle before its
 * final exit_group, when every page is dirty and nothing else is left to do.
 * Built freestanding with tests/guests/start.S and rt.c. */
#include "rt.h"

#ifndef ARRAY_KIB
#define ARRAY_KIB 262144u /* 256 MiB; bench/snapshot/rss.sh builds a 1 GiB one */
#endif

/* external linkage, so that gcc keeps the stores although nothing reads them */
uint64_t dirty_mb_area[ARRAY_KIB * 1024u / 8] __attribute__((aligned(4096)));

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    long kib = argc > 1 ? parse_ulong(argv[1]) : 1024;
    int pattern = argc > 2 && strcmp(argv[2], "pattern") == 0;
    if (kib < 0 || kib > (long)ARRAY_KIB || kib % 4 != 0 ||
        (argc > 2 && !pattern && strcmp(argv[2], "random") != 0)) {
        rt_eprintf("usage: dirty_mb KIB [random|pattern]  (KIB a multiple of 4, at most %u)\n",
                   ARRAY_KIB);
        return 2;
    }
    size_t words = (size_t)kib * 1024 / 8;
    uint64_t x = 0x9e3779b97f4a7c15ull, sum = 0;
    for (size_t i = 0; i < words; i++) {
        uint64_t v;
        if (pattern) {
            v = 0x0101010101010101ull * ((i >> 9) % 255 + 1) + (i & 7);
        } else {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            v = x * 0x2545f4914f6cdd1dull;
            v |= !v; /* never zero */
        }
        dirty_mb_area[i] = v;
        sum += v;
    }
    rt_printf("dirty_mb kib=%ld %s sum=%lx\n", kib, pattern ? "pattern" : "random",
              (unsigned long)sum);
    return 0;
}
