/* Executes an all-zero word: expect SIGILL (status 132). 0x0000 is also
 * the defined-illegal compressed encoding, so no decoder can accept it. */
#include "rt.h"

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    put_str("executing an illegal instruction\n");
#if defined(__riscv)
    __asm__ volatile(".word 0");
#else
    __asm__ volatile("ud2");
#endif
    put_str("survived the illegal instruction\n");
    return 1;
}
