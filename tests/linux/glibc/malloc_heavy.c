/* malloc, calloc, realloc and free under heavy use, small and large (mmap'd) blocks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 512

static uint64_t state = 88172645463325252ull;
static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static unsigned char *slot[SLOTS];
static size_t len[SLOTS];
static unsigned char tag[SLOTS];

static int check(int i)
{
    for (size_t k = 0; k < len[i]; k += 97)
        if (slot[i][k] != (unsigned char)(tag[i] + k))
            return 0;
    return 1;
}

static void fill(int i)
{
    for (size_t k = 0; k < len[i]; k += 97)
        slot[i][k] = (unsigned char)(tag[i] + k);
}

int main(void)
{
    uint64_t sum = 0;
    int bad = 0, big = 0;
    for (int op = 0; op < 40000; op++) {
        int i = (int)(next() % SLOTS);
        uint64_t r = next();
        size_t n = (r % 100 < 3) ? 131072 + (size_t)(next() % (2u << 20)) /* mmap path */
                                 : 1 + (size_t)(next() % 4096);
        if (n > 131072)
            big++;
        if (!slot[i]) {
            if (r & 1) {
                slot[i] = calloc(1, n);
                for (size_t k = 0; slot[i] && k < n; k += 61)
                    bad += slot[i][k] != 0;
            } else {
                slot[i] = malloc(n);
            }
            len[i] = n;
            tag[i] = (unsigned char)r;
            fill(i);
        } else if (r % 3 == 0) {
            bad += !check(i);
            unsigned char *p = realloc(slot[i], n);
            if (!p) {
                puts("realloc failed");
                return 1;
            }
            size_t keep = n < len[i] ? n : len[i];
            slot[i] = p;
            for (size_t k = 0; k < keep; k += 97)
                bad += p[k] != (unsigned char)(tag[i] + k);
            len[i] = n;
            fill(i);
        } else {
            bad += !check(i);
            sum += len[i];
            free(slot[i]);
            slot[i] = NULL;
        }
    }
    for (int i = 0; i < SLOTS; i++) {
        if (slot[i]) {
            bad += !check(i);
            sum += len[i];
            free(slot[i]);
        }
    }
    printf("freed bytes %llu, large blocks %d, corrupt %d\n", (unsigned long long)sum, big, bad);
    return bad != 0;
}
