/* Many threads: a mutex-protected counter, an atomic counter, thread-local
 * storage and joins. The output does not depend on the schedule. */
#include <pthread.h>
#include "small_stack.h"
#include <stdio.h>
#include <stdlib.h>

#define THREADS 16
#define ROUNDS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long locked_total;
static long atomic_total;
static __thread long mine = 1000; /* every thread starts with its own copy */
static __thread char tag[16];

static void *work(void *arg)
{
    long id = (long)arg;
    snprintf(tag, sizeof tag, "t%ld", id);
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        locked_total += id;
        pthread_mutex_unlock(&lock);
        __atomic_fetch_add(&atomic_total, 1, __ATOMIC_SEQ_CST);
        mine += id;
    }
    /* TLS is private: mine grew by id*ROUNDS from 1000, tag names this thread. */
    long ok = mine == 1000 + id * ROUNDS && tag[0] == 't' && atol(tag + 1) == id;
    return (void *)(ok ? id * 10 : -1);
}

int main(void)
{
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], small_stack(), work, (void *)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    long joined = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        joined += (long)r;
    }
    printf("locked total %ld\n", locked_total);
    printf("atomic total %ld\n", atomic_total);
    printf("joined %ld\n", joined);
    printf("main tls %ld\n", mine);
    return 0;
}
