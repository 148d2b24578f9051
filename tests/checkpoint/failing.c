/*
 * A program that fails late, for --checkpoint-every --failure-dir:
 *   failing fault ROUNDS  -- rounds of work (a line of stdin mixed in at the
 *                            start), then a store through a null pointer
 *   failing exit ROUNDS   -- the same work, then exit status 3 (0 if ROUNDS is 0)
 *   failing loop          -- works forever, a progress line per round (SIGINT)
 *   failing file ROUNDS   -- like exit, reading /data/in (a granted directory)
 *                            before the work and again in its last round
 *   failing light ROUNDS  -- fills a 256 KiB table once, then rounds that
 *                            write only a few pages; exit status 0
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
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

static void light(long rounds)
{
    for (size_t i = 0; i < sizeof table; i++)
        table[i] = (uint8_t)(i * 7);
    for (long r = 0; r < rounds; r++) {
        for (long i = 0; i < 20000; i++) {
            h ^= h >> 29;
            h *= 0xbf58476d1ce4e5b9ull;
            h += table[(h >> 7) % sizeof table];
        }
        printf("round %ld: %016llx\n", r, (unsigned long long)h);
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "fault";
    long rounds = argc > 2 ? atol(argv[2]) : 40;
    setvbuf(stdout, NULL, _IONBF, 0);
    char line[128];
    if (strcmp(mode, "light") == 0) {
        light(rounds);
        return 0;
    }
    /* Unbuffered reads, so some happen inside the replayed window. */
    int in = strcmp(mode, "file") == 0 ? open("/data/in", O_RDONLY) : 0;
    if (in < 0)
        return 9;
    ssize_t n = strcmp(mode, "loop") != 0 ? read(in, line, 6) : 0;
    for (ssize_t i = 0; i < n; i++)
        h = h * 31 + (uint8_t)line[i];
    for (long r = 0; strcmp(mode, "loop") == 0 || r < rounds; r++) {
        round_of_work(r);
        if (r == rounds - 1 && strcmp(mode, "loop") != 0 && read(in, line, 16) > 0)
            h ^= (uint8_t)line[0]; /* input read inside the replayed window */
    }
    if (strcmp(mode, "exit") == 0)
        return rounds > 0 ? 3 : 0;
    if (strcmp(mode, "file") == 0) {
        printf("file: %016llx\n", (unsigned long long)h);
        return 4;
    }
    volatile uint64_t *null = (volatile uint64_t *)(uintptr_t)(h & 0); /* the bug */
    *null = h;
    return 0;
}
