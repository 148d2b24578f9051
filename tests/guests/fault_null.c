/* Loads from address 0: expect an access fault (SIGSEGV, status 139). */
#include "rt.h"

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    /* A volatile pointer variable, so gcc cannot see the NULL and turn the
     * load into a trap instruction. */
    int *volatile p = NULL;
    put_str("loading from address 0\n");
    int v = *p;
    put_str("survived the NULL load\n");
    return v == 0 ? 1 : 2;
}
