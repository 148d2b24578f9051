/*
 * A compressor-shaped workload, like zstd -T4: the input is cut into
 * chunks; a pool of worker threads takes chunks from a queue (mutex and
 * condition variables) and compresses each with a small LZ77; a writer
 * thread emits the compressed chunks in input order into a pipe; the main
 * thread reads the pipe, decompresses every chunk and checks it against the
 * input. Everything printed is independent of the schedule.
 *
 * usage: compress [workers] [chunks]
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "small_stack.h"

#define CHUNK 16384
#define MAXW 16

static int nchunks = 24, nworkers = 4;
static uint8_t *input;
static uint8_t *out[256];
static uint32_t out_len[256];
static int next_job;
static char done[256];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t chunk_done = PTHREAD_COND_INITIALIZER;
static int pipefd[2];

/* Text-like input from a fixed generator: words from a small vocabulary. */
static void make_input(size_t n)
{
    static const char *words[] = {"the", "quick", "brown", "fox", "jumps", "over", "lazy",
                                  "dog", "thread", "pipe", "futex", "snapshot", "cycle"};
    uint32_t s = 12345;
    size_t i = 0;
    while (i < n) {
        s = s * 1103515245u + 12345u;
        const char *w = words[(s >> 16) % 13];
        for (size_t k = 0; w[k] && i < n; k++)
            input[i++] = (uint8_t)w[k];
        if (i < n)
            input[i++] = (s >> 8) % 11 == 0 ? '\n' : ' ';
    }
}

/* LZ77: literal runs (tag 0, len, bytes) and matches (tag 1, len, distance). */
static uint32_t lz_compress(const uint8_t *in, uint32_t n, uint8_t *o)
{
    static __thread uint32_t head[4096];
    memset(head, 0xff, sizeof head);
    uint32_t i = 0, lit = 0, len = 0;
    while (i < n) {
        uint32_t best = 0, dist = 0;
        if (i + 3 <= n) {
            uint32_t h = ((in[i] << 8) ^ (in[i + 1] << 4) ^ in[i + 2]) & 4095;
            uint32_t c = head[h];
            head[h] = i;
            if (c != UINT32_MAX && i - c < 65535) {
                uint32_t l = 0;
                while (i + l < n && l < 255 && in[c + l] == in[i + l])
                    l++;
                if (l >= 4)
                    best = l, dist = i - c;
            }
        }
        if (best) {
            if (i > lit) {
                for (uint32_t p = lit; p < i; p += 255) {
                    uint32_t k = i - p < 255 ? i - p : 255;
                    o[len++] = 0;
                    o[len++] = (uint8_t)k;
                    memcpy(o + len, in + p, k);
                    len += k;
                }
            }
            o[len++] = 1;
            o[len++] = (uint8_t)best;
            o[len++] = (uint8_t)dist;
            o[len++] = (uint8_t)(dist >> 8);
            i += best;
            lit = i;
        } else
            i++;
    }
    for (uint32_t p = lit; p < n; p += 255) {
        uint32_t k = n - p < 255 ? n - p : 255;
        o[len++] = 0;
        o[len++] = (uint8_t)k;
        memcpy(o + len, in + p, k);
        len += k;
    }
    return len;
}

static uint32_t lz_decompress(const uint8_t *in, uint32_t n, uint8_t *o)
{
    uint32_t i = 0, len = 0;
    while (i < n) {
        if (in[i] == 0) {
            memcpy(o + len, in + i + 2, in[i + 1]);
            len += in[i + 1];
            i += 2 + in[i + 1];
        } else {
            uint32_t l = in[i + 1], d = in[i + 2] | in[i + 3] << 8;
            for (uint32_t k = 0; k < l; k++, len++)
                o[len] = o[len - d];
            i += 4;
        }
    }
    return len;
}

static void *worker(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&lock);
        int job = next_job < nchunks ? next_job++ : -1;
        pthread_mutex_unlock(&lock);
        if (job < 0)
            return NULL;
        uint8_t *buf = malloc(CHUNK * 2);
        uint32_t n = lz_compress(input + (size_t)job * CHUNK, CHUNK, buf);
        pthread_mutex_lock(&lock);
        out[job] = buf;
        out_len[job] = n;
        done[job] = 1;
        pthread_cond_broadcast(&chunk_done);
        pthread_mutex_unlock(&lock);
    }
}

/* Emits chunks in order as they complete: length, then bytes. */
static void *writer(void *arg)
{
    (void)arg;
    for (int c = 0; c < nchunks; c++) {
        pthread_mutex_lock(&lock);
        while (!done[c])
            pthread_cond_wait(&chunk_done, &lock);
        pthread_mutex_unlock(&lock);
        uint32_t n = out_len[c];
        write(pipefd[1], &n, 4);
        for (uint32_t p = 0; p < n;) {
            ssize_t w = write(pipefd[1], out[c] + p, n - p);
            if (w <= 0)
                return (void *)1;
            p += (uint32_t)w;
        }
    }
    close(pipefd[1]);
    return NULL;
}

static int read_full(int fd, void *b, size_t n)
{
    for (size_t p = 0; p < n;) {
        ssize_t r = read(fd, (char *)b + p, n - p);
        if (r <= 0)
            return -1;
        p += (size_t)r;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        nworkers = atoi(argv[1]);
    if (argc > 2)
        nchunks = atoi(argv[2]);
    if (nworkers < 1 || nworkers > MAXW || nchunks < 1 || nchunks > 256)
        return 2;
    input = malloc((size_t)nchunks * CHUNK);
    make_input((size_t)nchunks * CHUNK);
    pipe(pipefd);
    pthread_t w[MAXW], wr;
    for (int i = 0; i < nworkers; i++)
        pthread_create(&w[i], small_stack(), worker, NULL);
    pthread_create(&wr, small_stack(), writer, NULL);
    uint64_t total = 0, hash = 1469598103934665603ull;
    uint8_t *cbuf = malloc(CHUNK * 2), *dbuf = malloc(CHUNK);
    int c = 0, bad = 0;
    uint32_t n;
    while (read_full(pipefd[0], &n, 4) == 0) {
        if (n > CHUNK * 2 || read_full(pipefd[0], cbuf, n) != 0)
            return 3;
        for (uint32_t k = 0; k < n; k++)
            hash = (hash ^ cbuf[k]) * 1099511628211ull;
        total += n;
        if (lz_decompress(cbuf, n, dbuf) != CHUNK || memcmp(dbuf, input + (size_t)c * CHUNK, CHUNK))
            bad++;
        c++;
    }
    for (int i = 0; i < nworkers; i++)
        pthread_join(w[i], NULL);
    void *r;
    pthread_join(wr, &r);
    printf("chunks %d of %d, %d bad, writer %ld\n", c, nchunks, bad, (long)r);
    printf("input %d bytes, compressed %llu bytes, fnv %016llx\n", nchunks * CHUNK,
           (unsigned long long)total, (unsigned long long)hash);
    return bad != 0;
}
