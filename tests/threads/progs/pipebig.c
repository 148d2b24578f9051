#define _GNU_SOURCE
/*
 * Pipe writes larger than the pipe (Linux's default size, 65536 bytes):
 *   1. a blocking write of 200000 bytes and a writev of 150000 return their
 *      whole length, however slowly the reader drains (POSIX: a blocking
 *      write returns once everything is written);
 *   2. two writers of 4096-byte records (PIPE_BUF) never interleave inside a
 *      record;
 *   3. O_NONBLOCK: 100000 bytes into an empty pipe write 65536 (what fits),
 *      then a 4096-byte write fails with EAGAIN and a 100-byte one too
 *      (atomic: all or nothing), and after reading 4096 bytes a large write
 *      puts in exactly 4096.
 * Nothing printed depends on scheduling: the output matches qemu-riscv64.
 */
#include "small_stack.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static int fds[2];
static unsigned char big[200000];
static long results[2];

static void *big_writer(void *arg)
{
    (void)arg;
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (unsigned char)(i * 7 + i / 251);
    results[0] = write(fds[1], big, sizeof big);
    struct iovec v[3] = {{big, 50000}, {big + 1000, 70000}, {big + 5, 30000}};
    results[1] = writev(fds[1], v, 3);
    close(fds[1]);
    return NULL;
}

static void *record_writer(void *arg)
{
    char rec[4096];
    memset(rec, *(const char *)arg, sizeof rec);
    for (int i = 0; i < 40; i++)
        if (write(fds[1], rec, sizeof rec) != (ssize_t)sizeof rec)
            return (void *)1;
    return NULL;
}

int main(void)
{
    /* 1. large writes against a slow reader */
    if (pipe(fds) != 0)
        return 1;
    pthread_t w;
    pthread_create(&w, small_stack(), big_writer, NULL);
    unsigned long sum = 0, count = 0;
    char buf[777];
    for (int k = 0;; k++) {
        ssize_t n = read(fds[0], buf, k % 3 ? sizeof buf : 100);
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; i++)
            sum = sum * 31 + (unsigned char)buf[i];
        count += (unsigned long)n;
        if (k % 50 == 0)
            sched_yield();
    }
    pthread_join(w, NULL);
    printf("1. write %ld, writev %ld, read %lu bytes, hash %lx\n", results[0], results[1], count,
           sum);
    close(fds[0]);

    /* 2. PIPE_BUF-sized records stay whole */
    if (pipe(fds) != 0)
        return 1;
    pthread_t a, b;
    pthread_create(&a, small_stack(), record_writer, "A");
    pthread_create(&b, small_stack(), record_writer, "B");
    static char stream[80 * 4096];
    size_t got = 0;
    while (got < sizeof stream) {
        ssize_t n = read(fds[0], stream + got, 1000);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    void *ra, *rb;
    pthread_join(a, &ra);
    pthread_join(b, &rb);
    int whole = 0, as = 0;
    for (size_t r = 0; r + 4096 <= got; r += 4096) {
        int same = 1;
        for (size_t i = 1; i < 4096; i++)
            same &= stream[r + i] == stream[r];
        whole += same;
        as += stream[r] == 'A';
    }
    printf("2. read %zu bytes, %d whole records, %d of A, writers %d %d\n", got, whole, as,
           ra != NULL, rb != NULL);
    close(fds[0]);
    close(fds[1]);

    /* 3. non-blocking large and atomic writes */
    if (pipe2(fds, O_NONBLOCK) != 0)
        return 1;
    ssize_t n = write(fds[1], big, 100000);
    printf("3. nonblocking 100000: %zd\n", n);
    n = write(fds[1], big, 4096);
    printf("3. then 4096: %zd %s\n", n, n < 0 && errno == EAGAIN ? "EAGAIN" : "");
    n = write(fds[1], big, 100);
    printf("3. then 100: %zd %s\n", n, n < 0 && errno == EAGAIN ? "EAGAIN" : "");
    char sink[4096];
    n = read(fds[0], sink, sizeof sink);
    printf("3. read %zd\n", n);
    n = write(fds[1], big, 100000);
    printf("3. then 100000: %zd\n", n);
    return 0;
}
