/*
 * Sees the scheduler's turns from inside: two threads spin reading the cycle
 * counter. A jump between two consecutive reads larger than one loop pass
 * is the other thread's turn; less the loop pass itself, it must be exactly
 * the slice (docs/threads.md: 100000 cycles by default, --thread-slice N),
 * with the unit cost model where each instruction is one cycle. Prints the
 * middle turns each thread saw.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include "small_stack.h"

#define GAPS 6

static volatile int stop;

typedef struct seen {
    uint64_t gap[GAPS], pass;
    int n;
} seen;

static inline uint64_t rdcycle(void)
{
    uint64_t c;
    __asm__ volatile("rdcycle %0" : "=r"(c));
    return c;
}

static void *spin(void *arg)
{
    seen *s = arg;
    uint64_t last = rdcycle();
    s->pass = UINT64_MAX;
    while (!stop) {
        uint64_t now = rdcycle(), d = now - last;
        last = now;
        if (d < s->pass)
            s->pass = d;
        if (d > 500) {
            s->gap[s->n++] = d;
            if (s->n == GAPS)
                stop = 1;
        }
    }
    return NULL;
}

int main(void)
{
    static seen a, b;
    pthread_t t;
    pthread_create(&t, small_stack(), spin, &b);
    spin(&a);
    pthread_join(t, NULL);
    /* The first turn may include thread start-up; the last may be cut short. */
    printf("main saw:");
    for (int i = 1; i < 4 && i < a.n; i++)
        printf(" %llu", (unsigned long long)(a.gap[i] - a.pass));
    printf("\nthread saw:");
    for (int i = 1; i < 4 && i < b.n; i++)
        printf(" %llu", (unsigned long long)(b.gap[i] - b.pass));
    printf("\n");
    return 0;
}
