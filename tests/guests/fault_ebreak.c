/* Executes ebreak: expect SIGTRAP (status 133). With argument "c" the
 * 16-bit c.ebreak is used instead of the 32-bit encoding. */
#include "rt.h"

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    int compressed = argc > 1 && strcmp(argv[1], "c") == 0;
    put_str(compressed ? "executing c.ebreak\n" : "executing ebreak\n");
#if defined(__riscv)
    if (compressed)
        __asm__ volatile("c.ebreak");
    else
        __asm__ volatile(".option push\n.option norvc\nebreak\n.option pop");
#else
    __asm__ volatile("int3");
#endif
    put_str("survived ebreak\n");
    return 1;
}
