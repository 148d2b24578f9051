/* A failed assertion: abort() ends the program with SIGABRT (status 134). */
#include <assert.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argv;
    printf("before the assertion\n");
    fflush(stdout);
    assert(argc == 0);
    return 0;
}
