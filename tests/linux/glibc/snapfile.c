/*
 * A long-running program with OS state for snapshot tests: an open file read
 * in small pieces, a file being written, anonymous mappings, getrandom and
 * the clock. Run with --dir data --dir out:rw.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int in = open("data/numbers.txt", O_RDONLY);
    FILE *out = fopen("out/sums.txt", "w");
    if (in < 0 || !out) {
        puts("cannot open the files");
        return 1;
    }
    uint64_t *table = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char buf[7];
    ssize_t n;
    uint64_t acc = 0, piece = 0;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            acc = acc * 131 + (unsigned char)buf[i];
        /* Work between reads, so snapshots land mid-file. */
        for (int k = 0; k < 2000; k++)
            table[(acc + (uint64_t)k) & 0x1ffff] += acc ^ (uint64_t)k;
        unsigned char r[4];
        getrandom(r, sizeof r, 0);
        acc ^= (uint64_t)r[0] << 8 | r[1];
        fprintf(out, "piece %llu: %016llx\n", (unsigned long long)piece, (unsigned long long)acc);
        if (piece % 16 == 0) {
            printf("piece %llu acc %016llx\n", (unsigned long long)piece, (unsigned long long)acc);
            fflush(stdout);
        }
        piece++;
        if (piece % 40 == 0) {
            munmap(table, 1 << 20);
            table = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        }
    }
    uint64_t t = 0;
    for (int i = 0; i < (1 << 17); i++)
        t += table[i];
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    fclose(out);
    close(in);
    printf("done: %llu pieces, acc %016llx, table %016llx, clock %lld.%09ld\n",
           (unsigned long long)piece, (unsigned long long)acc, (unsigned long long)t,
           (long long)ts.tv_sec, ts.tv_nsec);
    return 0;
}
