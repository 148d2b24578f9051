/* Exits with the status given in argv[1], via the plain exit syscall (93)
 * rather than exit_group, so both exit paths get exercised. */
#include "rt.h"

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    long code = argc > 1 ? parse_ulong(argv[1]) : 0;
    if (code < 0) {
        eput_str("usage: exitcode [STATUS]\n");
        return 2;
    }
    rt_printf("exiting with %ld\n", code);
    sys_exit((int)code); /* the kernel keeps only the low 8 bits */
}
