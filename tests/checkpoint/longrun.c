/*
 * A long job for preemption tests: rounds of a hash chain, a progress line
 * after each round (output written before a checkpoint must not appear again
 * after the resume), and a final digest line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 40;
    long per_round = argc > 2 ? atol(argv[2]) : 2000000;
    uint64_t h = 0x9e3779b97f4a7c15ull;
    setvbuf(stdout, NULL, _IONBF, 0);
    for (long r = 0; r < rounds; r++) {
        for (long i = 0; i < per_round; i++) {
            h ^= h >> 29;
            h *= 0xbf58476d1ce4e5b9ull;
            h += (uint64_t)i;
        }
        printf("round %ld: %016llx\n", r, (unsigned long long)h);
    }
    printf("done: %016llx\n", (unsigned long long)h);
    return 0;
}
