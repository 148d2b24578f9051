/*
 * A program that fails late, for --checkpoint-every --failure-dir:
 *   failing fault ROUNDS  -- rounds of work (a line of stdin mixed in at the
 *                            start), then a store through a null pointer
 *   failing exit ROUNDS   -- the same work, then exit status 3 (0 if ROUNDS is 0)
 *   failing loop          -- works forever, a progress line per round (SIGINT)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t h = 0x9e3779b97f4a7c15ull;
static uint8_t table[64 * 4096]; /* written all over: many dirty pages */

static void round_of_work(long r)
{
    for (long i = 0; i < 20000; i++) {
        h ^= h >> 29;
        h *= 0xbf58476d1ce4e5b9ull;
        h += (uint64_t)i;
        table[(h >> 7) % sizeof table] ^= (uint8_t)h;
    }
    printf("round %ld: %016llx\n", r, (unsigned long long)h);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "fault";
    long rounds = argc > 2 ? atol(argv[2]) : 40;
    setvbuf(stdout, NULL, _IONBF, 0);
    char line[128];
    /* Unbuffered reads, so some happen inside the replayed window. */
    ssize_t n = strcmp(mode, "loop") != 0 ? read(0, line, 6) : 0;
    for (ssize_t i = 0; i < n; i++)
        h = h * 31 + (uint8_t)line[i];
    for (long r = 0; strcmp(mode, "loop") == 0 || r < rounds; r++) {
        round_of_work(r);
        if (r == rounds - 1 && strcmp(mode, "loop") != 0 && read(0, line, 16) > 0)
            h ^= (uint8_t)line[0]; /* input read inside the replayed window */
    }
    if (strcmp(mode, "exit") == 0)
        return rounds > 0 ? 3 : 0;
    volatile uint64_t *null = (volatile uint64_t *)(uintptr_t)(h & 0); /* the bug */
    *null = h;
    return 0;
}
