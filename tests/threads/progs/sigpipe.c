/* A write to a pipe nobody reads, SIGPIPE at its default: the process dies (141). */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    int p[2];
    pipe(p);
    close(p[0]);
    printf("before\n");
    fflush(stdout);
    write(p[1], "x", 1);
    printf("not reached\n");
    return 0;
}
