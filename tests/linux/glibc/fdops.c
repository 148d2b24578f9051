/* Descriptor operations: dup, dup2, fcntl, close, writev, bad descriptors. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void)
{
    int d = dup(1);
    printf("dup(1) = %d\n", d);
    fflush(stdout);
    write(d, "via dup\n", 8);
    int e = dup2(1, 10);
    printf("dup2(1, 10) = %d\n", e);
    fflush(stdout);
    write(10, "via fd 10\n", 10);
    printf("F_GETFD %d, F_SETFD %d, F_GETFD %d\n", fcntl(10, F_GETFD), fcntl(10, F_SETFD, FD_CLOEXEC),
           fcntl(10, F_GETFD));
    printf("F_GETFL access mode of stdout: %d\n", fcntl(1, F_GETFL) & O_ACCMODE);
    printf("F_DUPFD from 20: %d\n", fcntl(1, F_DUPFD, 20));
    struct iovec iov[3] = {{"wri", 3}, {"tev ", 4}, {"works\n", 6}};
    fflush(stdout);
    printf("writev returned %zd\n", writev(1, iov, 3));
    printf("close(10) %d, write(10) %zd %s\n", close(10), write(10, "x", 1), strerror(errno));
    printf("close(99): %d %s\n", close(99), strerror(errno));
    printf("isatty(stdout): %d\n", isatty(1));
    fflush(stdout);
    close(1);
    int r = printf("this goes nowhere\n");
    fflush(stdout);
    dup2(d, 1);
    printf("stdout restored (printf before returned %d)\n", r);
    return 0;
}
