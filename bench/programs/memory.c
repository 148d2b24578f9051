/* memory: memory-heavy access patterns over 48 MiB of guest memory:
 * a 32 MiB array of 64-bit words walked sequentially and with large
 * strides (one access per page and beyond), random read-modify-writes, and
 * pointer chasing through a 16 MiB single-cycle random permutation
 * (Sattolo's algorithm), so nearly every access lands on a different page
 * than the previous one. */
#include "bench.h"

#define WORDS (4u << 20) /* 4 Mi x 8 bytes = 32 MiB */
#define LINKS (4u << 20) /* 4 Mi x 4 bytes = 16 MiB */
#define RANDOM_RMW (1u << 20)
#define CHASE_STEPS (2u << 20)

static uint64_t data[WORDS];
static uint32_t next[LINKS];

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    long reps = bench_reps(argc, argv, 2);
    bench_rng rng = {0x5eed0009};

    for (uint32_t i = 0; i < WORDS; i++)
        data[i] = (uint64_t)i * 0x9e3779b97f4a7c15ull;

    /* Sattolo: a uniformly random permutation with a single cycle. */
    for (uint32_t i = 0; i < LINKS; i++)
        next[i] = i;
    for (uint32_t i = LINKS - 1; i > 0; i--) {
        uint32_t j = (uint32_t)rng_below(&rng, i);
        uint32_t t = next[i];
        next[i] = next[j];
        next[j] = t;
    }

    uint64_t sum = 0;
    uint32_t at = 0;
    for (long r = 0; r < reps; r++) {
        /* sequential sum */
        uint64_t s = 0;
        for (uint32_t i = 0; i < WORDS; i++)
            s += data[i];
        sum = mix64(sum, s);

        /* strided read-modify-write: strides of 4 KiB + 8 and 64 KiB + 8
         * bytes, each stride covering the whole array from every offset */
        static const uint32_t strides[2] = {513, 8193};
        for (int k = 0; k < 2; k++) {
            uint32_t stride = strides[k];
            s = 0;
            for (uint32_t start = 0; start < stride; start += 7) {
                for (uint32_t i = start; i < WORDS; i += stride) {
                    s += data[i];
                    data[i] = s;
                }
            }
            sum = mix64(sum, s);
        }

        /* random read-modify-write */
        for (uint32_t i = 0; i < RANDOM_RMW; i++) {
            uint64_t v = rng_next(&rng);
            uint32_t x = (uint32_t)(v % WORDS);
            data[x] = data[x] * 3 + (v >> 40);
        }

        /* pointer chase, mixing in the data word each link points to */
        s = 0;
        for (uint32_t i = 0; i < CHASE_STEPS; i++) {
            at = next[at];
            s += data[at];
        }
        sum = mix64(sum, s ^ at);
    }
    return bench_done("memory", reps, sum);
}
