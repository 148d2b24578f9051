/*
 * Memory that is written and then given back: mmap + munmap, mremap that
 * shrinks and that moves, sbrk up and down. A snapshot taken afterwards
 * stores none of the pages given back (tests/linux/unmapped.sh counts them).
 * Prints a checksum of what stays mapped, the same on Linux.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    uint64_t sum = 0;
    char *keep = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int round = 0; round < 20; round++) {
        size_t len = (size_t)(64 + round) * 4096;
        char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        for (size_t i = 0; i < len; i += 4096)
            p[i + round] = (char)(i / 4096 + 1);
        for (size_t i = 0; i < len; i += 4096)
            sum = sum * 3 + (unsigned char)p[i + round];
        /* Shrink in place, then move by growing. */
        char *q = mremap(p, len, 2 * 4096, 0);
        char *r = mremap(q, 2 * 4096, 300 * 4096, MREMAP_MAYMOVE);
        sum += (unsigned char)r[round] + (unsigned char)r[4096 + round];
        r[299 * 4096] = 1;
        munmap(r, 300 * 4096);
        char *b = sbrk(16 * 4096);
        memset(b, round, 16 * 4096);
        sbrk(-16 * 4096);
        keep[round] = (char)sum;
    }
    printf("sum %llx keep %d %d\n", (unsigned long long)sum, keep[0], keep[19]);
    fflush(stdout);
    /* Spin, so a cycle budget stops the program here. */
    volatile uint64_t spin = 0;
    for (uint64_t i = 0; i < 200000; i++)
        spin += i;
    return (int)(spin & 1);
}
