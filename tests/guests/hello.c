/* Smallest useful guest: one write, exit 0. */
#include "rt.h"

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    put_str("Hello, rvvm!\n");
    return 0;
}
