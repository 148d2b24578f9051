#define _GNU_SOURCE
/* Pipes between threads: a producer writes records, a consumer reads them
 * to EOF; poll on a pipe; O_NONBLOCK; EPIPE once the reader is gone. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include "small_stack.h"
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static int fds[2];

static void *producer(void *arg)
{
    (void)arg;
    char line[64];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(line, sizeof line, "record %d %d\n", i, i * 7 % 1000);
        if (write(fds[1], line, (size_t)n) != n)
            return (void *)1;
    }
    close(fds[1]);
    return NULL;
}

int main(void)
{
    if (pipe2(fds, O_CLOEXEC) != 0) {
        printf("pipe2: %s\n", strerror(errno));
        return 1;
    }
    struct stat st;
    fstat(fds[0], &st);
    printf("fifo %d\n", S_ISFIFO(st.st_mode));
    printf("cloexec %d\n", fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
    printf("lseek %d %s\n", (int)lseek(fds[0], 0, SEEK_CUR), strerror(errno));

    /* Nothing written yet: a non-blocking read says EAGAIN, poll says not ready. */
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    char c;
    errno = 0;
    printf("nonblocking read %d %s\n", (int)read(fds[0], &c, 1), strerror(errno));
    struct pollfd pf = {.fd = fds[0], .events = POLLIN};
    printf("poll empty %d\n", poll(&pf, 1, 0));
    fcntl(fds[0], F_SETFL, 0);

    pthread_t t;
    pthread_create(&t, small_stack(), producer, NULL);
    /* Wait for data with poll, then read everything through stdio. */
    pf.revents = 0;
    printf("poll %d revents %d\n", poll(&pf, 1, -1), pf.revents & POLLIN);
    FILE *in = fdopen(fds[0], "r");
    char line[64];
    long records = 0, sum = 0;
    while (fgets(line, sizeof line, in)) {
        int a, b;
        if (sscanf(line, "record %d %d", &a, &b) == 2 && a == records) {
            records++;
            sum += b;
        }
    }
    void *r;
    pthread_join(t, &r);
    printf("records %ld sum %ld producer %ld\n", records, sum, (long)r);
    fclose(in);

    /* A write with no reader: EPIPE when SIGPIPE is ignored. */
    int p[2];
    pipe(p);
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    errno = 0;
    printf("write without reader %d %s\n", (int)write(p[1], "x", 1), strerror(errno));
    /* EOF once every write end is closed. */
    int q[2];
    pipe(q);
    write(q[1], "ab", 2);
    close(q[1]);
    char buf[8];
    int n1 = (int)read(q[0], buf, sizeof buf);
    int n2 = (int)read(q[0], buf, sizeof buf);
    printf("read %d then %d\n", n1, n2);
    /* readv: the first buffer takes what is there, the second would wait: it returns 2. */
    int v[2];
    pipe(v);
    write(v[1], "cd", 2);
    char b1[2], b2[2];
    struct iovec iov[2] = {{b1, 2}, {b2, 2}};
    printf("readv %d %.2s\n", (int)readv(v[0], iov, 2), b1);
    /* writev into a pipe with room for the first buffer only: it returns that much. */
    fcntl(v[1], F_SETFL, O_NONBLOCK);
    static char big[65536 - 10];
    printf("fill %d\n", (int)write(v[1], big, sizeof big));
    struct iovec wv[2] = {{big, 8}, {big, 4096}};
    printf("writev %d\n", (int)writev(v[1], wv, 2));
    return 0;
}
