/* Stores into a const array: expect an access fault (status 139).
 * The array is bigger than the small-data limit so it lands in .rodata
 * (read-only segment), not .srodata (which the linker puts next to
 * writable .sdata). */
#include "rt.h"

static const char table[64] = "this table lives in a read-only segment";

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    char *volatile p = (char *)table; /* hide the const from the compiler */
    rt_printf("table[0]=%c, storing into .rodata\n", table[0]);
    p[0] = 'X';
    put_str("survived the store\n");
    return 1;
}
