/* Sieve of Eratosthenes up to 100000. pi(10^5) = 9592 and the twin prime
 * pair count below 10^5 = 1224 are well-known values; the program exits 1
 * if either comes out wrong. */
#include "rt.h"

#define LIMIT 100000

static uint8_t composite[LIMIT + 1];

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    for (unsigned i = 2; i * i <= LIMIT; i++) {
        if (!composite[i]) {
            for (unsigned j = i * i; j <= LIMIT; j += i)
                composite[j] = 1;
        }
    }
    unsigned count = 0, twins = 0, last = 0;
    uint64_t sum = 0;
    put_str("first:");
    for (unsigned i = 2; i <= LIMIT; i++) {
        if (composite[i])
            continue;
        if (count < 10)
            rt_printf(" %u", i);
        count++;
        sum += i;
        if (i >= 5 && !composite[i - 2])
            twins++;
        last = i;
    }
    put_str("\n");
    rt_printf("count=%u last=%u sum=%lu twin_pairs=%u\n", count, last, (unsigned long)sum, twins);
    return count == 9592 && twins == 1224 ? 0 : 1;
}
