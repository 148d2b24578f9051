/* Shared helpers for the rvvm benchmark programs (guest workloads).
 *
 * Every program is deterministic: the same scale gives the same output on
 * rvvm, qemu-riscv64 and the native build. argv[1], when present, replaces
 * the program's default repetition count (used by bench/callgrind.sh to run a
 * shorter version); the last output line is always
 *     <name> reps=<n> checksum=<16 hex digits>
 * which bench/run_bench.py compares across the three runners. */
#ifndef RVVM_BENCH_H
#define RVVM_BENCH_H

#include "rt.h"

/* SplitMix64: a small, well-mixed 64-bit generator (state advances by a
 * fixed odd constant, output is a bijective finaliser of the state). */
typedef struct bench_rng {
    uint64_t s;
} bench_rng;

static inline uint64_t rng_next(bench_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform-enough value in [0, n) for the small n used here. */
static inline uint64_t rng_below(bench_rng *r, uint64_t n)
{
    return rng_next(r) % n;
}

/* Order-dependent 64-bit checksum accumulator. */
static inline uint64_t mix64(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

/* Repetition count: argv[1] if given (a positive decimal), else def. */
static inline long bench_reps(int argc, char **argv, long def)
{
    if (argc > 1) {
        long v = parse_ulong(argv[1]);
        if (v <= 0) {
            eput_str("usage: prog [reps]  (reps: a positive whole number)\n");
            sys_exit_group(2);
        }
        return v;
    }
    return def;
}

static inline int bench_done(const char *name, long reps, uint64_t checksum)
{
    rt_printf("%s reps=%ld checksum=%016lx\n", name, reps, (unsigned long)checksum);
    return 0;
}

#endif
