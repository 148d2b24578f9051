/* The program the gdb tests debug (tests/gdb/gdb.sh): known functions, a
 * global the program stores to, console input and output. */
#include "rt.h"

volatile long counter;
long values[4] = {11, 22, 33, 44};

__attribute__((noinline)) long add(long a, long b)
{
    return a + b;
}

__attribute__((noinline)) void bump(long k)
{
    counter = counter + k;
}

/* With an argument: spins until the debugger interrupts it (the Ctrl-C test). */
__attribute__((noinline)) void spin(void)
{
    for (;;)
        counter = counter + 1;
}

int main(int argc, char **argv, char **envp)
{
    (void)argv, (void)envp;
    if (argc > 1)
        spin();
    char in[16];
    long n = sys_read(0, in, sizeof in); /* console input, recorded for replay */
    long s = n > 0 ? in[0] : 0;
    for (int i = 0; i < 4; i++) {
        s = add(s, values[i]);
        bump(i + 1);
    }
    rt_printf("sum %ld counter %ld\n", s, counter);
    return (int)(s & 0x7f);
}
