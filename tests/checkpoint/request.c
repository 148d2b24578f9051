/*
 * Expensive set-up, then a checkpoint request, then work that depends on
 * stdin: resumes of the checkpoint with different input must print what
 * full runs print. The request's return value goes to stderr (0 under
 * rvrun --snapshot-on-request, -38 elsewhere).
 */
#include <stdio.h>
#include <string.h>

#include "rvvm/guest.h"

#define LIMIT 400000
static unsigned char composite[LIMIT + 1];

int main(void)
{
    /* Set-up: a sieve of Eratosthenes. */
    for (unsigned i = 2; (unsigned long)i * i <= LIMIT; i++)
        if (!composite[i])
            for (unsigned j = i * i; j <= LIMIT; j += i)
                composite[j] = 1;
    long r = rvvm_guest_checkpoint(7);
    fprintf(stderr, "checkpoint request: %ld\n", r);
    long n;
    if (scanf("%ld", &n) != 1 || n < 1 || n > LIMIT) {
        printf("need a number from 1 to %d\n", LIMIT);
        return 2;
    }
    unsigned count = 0, last = 0;
    for (unsigned i = 2; i <= (unsigned)n; i++)
        if (!composite[i])
            count++, last = i;
    printf("primes up to %ld: %u, the largest %u\n", n, count, last);
    return 0;
}
