#define _GNU_SOURCE
/*
 * The robust-list walk at a thread's exit, on lists built by hand (the
 * kernel's robust-futex ABI: head {next, futex_offset, list_op_pending},
 * bit 0 of a pointer marks a PI lock). Each thread replaces glibc's list with
 * its own and ends with a raw exit system call, so glibc does not touch the
 * words. Expected values worked by hand from the ABI (T is the thread's id,
 * W = FUTEX_WAITERS 0x80000000, D = FUTEX_OWNER_DIED 0x40000000):
 *
 *   A  list e0 -> e1 (PI) -> e2 -> e3 -> head, pending e4 (word 0):
 *      e0 T|W -> W|D and its waiter (the main thread, in FUTEX_WAIT) wakes;
 *      e1 T|W (PI) -> W|D; e2 held by T+1000: unchanged; e3 T -> D; e4 0 stays.
 *   B  a list that loops on itself (f0 -> f0), pending f1 (word T): the walk
 *      stops after 2048 entries; f0 T -> D, then the pending f1 T -> D.
 *   C  g0 -> a link into unmapped memory, pending g1 (word T): g0 T -> D; the
 *      bad link ends the walk, so the pending g1 keeps T.
 *   D  pending g2 is also listed: handled once, T -> D.
 */
#include "small_stack.h"

#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct entry {
    struct entry *next;
    uint32_t word;
};
struct head {
    struct entry *next;
    long offset;
    struct entry *pending;
};

#define OFF 8 /* offsetof(struct entry, word) */
#define W 0x80000000u
#define D 0x40000000u

static struct entry e[5], f[2], g[3];
static struct head ha, hb, hc, hd;
static uint32_t tids[4];
static sem_t ready;

static uint32_t gettid_(void) { return (uint32_t)syscall(SYS_gettid); }

static void die(struct head *h)
{
    syscall(SYS_set_robust_list, h, sizeof *h);
    syscall(SYS_exit, 0);
}

static void *thread_a(void *arg)
{
    (void)arg;
    uint32_t t = tids[0] = gettid_();
    ha.next = &e[0];
    ha.offset = OFF;
    ha.pending = &e[4];
    e[0].next = (struct entry *)((uintptr_t)&e[1] | 1);
    e[1].next = &e[2];
    e[2].next = &e[3];
    e[3].next = (struct entry *)&ha;
    e[0].word = t | W;
    e[1].word = t | W;
    e[2].word = t + 1000;
    e[3].word = t;
    e[4].word = 0;
    sem_post(&ready);
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL); /* the main thread waits on e0 meanwhile */
    die(&ha);
    return NULL;
}

static void *thread_b(void *arg)
{
    (void)arg;
    uint32_t t = tids[1] = gettid_();
    hb.next = &f[0];
    hb.offset = OFF;
    hb.pending = &f[1];
    f[0].next = &f[0];
    f[0].word = t;
    f[1].word = t;
    die(&hb);
    return NULL;
}

static void *thread_c(void *arg)
{
    (void)arg;
    uint32_t t = tids[2] = gettid_();
    hc.next = &g[0];
    hc.offset = OFF;
    hc.pending = &g[1];
    g[0].next = (struct entry *)(uintptr_t)0x1000; /* the first page is never mapped */
    g[0].word = t;
    g[1].word = t;
    die(&hc);
    return NULL;
}

static void *thread_d(void *arg)
{
    (void)arg;
    uint32_t t = tids[3] = gettid_();
    hd.next = &g[2];
    hd.offset = OFF;
    hd.pending = &g[2];
    g[2].next = (struct entry *)&hd;
    g[2].word = t | W;
    die(&hd);
    return NULL;
}

static void show(const char *name, uint32_t word, uint32_t tid)
{
    uint32_t owner = word & 0x3fffffff;
    printf("%s:%s%s owner %s\n", name, word & W ? " W" : "", word & D ? " D" : "",
           owner == 0 ? "none" : owner == tid ? "T" : owner == tid + 1000 ? "T+1000" : "?");
}

int main(void)
{
    sem_init(&ready, 0, 0);
    pthread_t t;
    pthread_create(&t, small_stack(), thread_a, NULL);
    sem_wait(&ready);
    uint32_t seen = e[0].word;
    long r = syscall(SYS_futex, &e[0].word, FUTEX_WAIT, seen, NULL, NULL, 0);
    printf("A: waiter on e0 woke with %ld\n", r);
    pthread_join(t, NULL);
    show("A e0", e[0].word, tids[0]);
    show("A e1 (PI)", e[1].word, tids[0]);
    show("A e2", e[2].word, tids[0]);
    show("A e3", e[3].word, tids[0]);
    show("A e4 (pending)", e[4].word, tids[0]);

    pthread_create(&t, small_stack(), thread_b, NULL);
    pthread_join(t, NULL);
    show("B f0 (loop)", f[0].word, tids[1]);
    show("B f1 (pending)", f[1].word, tids[1]);

    pthread_create(&t, small_stack(), thread_c, NULL);
    pthread_join(t, NULL);
    show("C g0", g[0].word, tids[2]);
    show("C g1 (pending after a bad link)", g[1].word, tids[2]);

    pthread_create(&t, small_stack(), thread_d, NULL);
    pthread_join(t, NULL);
    show("D g2 (listed and pending)", g[2].word, tids[3]);
    return 0;
}
