/* Thousands of small writes: one write() per stdout line, plus a progress
 * line on stderr every 100 lines. */
#include "rt.h"

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    uint64_t fib_a = 0, fib_b = 1;
    for (unsigned i = 0; i < 3000; i++) {
        rt_printf("%u %u %lx\n", i, i * i, (unsigned long)fib_a);
        uint64_t t = fib_a + fib_b; /* wraps mod 2^64, which is deterministic */
        fib_a = fib_b;
        fib_b = t;
        if (i % 100 == 99)
            rt_eprintf("progress %u\n", i + 1);
    }
    put_str("done\n");
    return 0;
}
