/* Two threads take two mutexes in opposite orders after a barrier: each then
 * waits for the other for ever. rvrun ends the run with a deadlock fault. */
#include <pthread.h>
#include "small_stack.h"
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t bar;

static void *other(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&b);
    pthread_barrier_wait(&bar);
    pthread_mutex_lock(&a);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_barrier_init(&bar, NULL, 2);
    pthread_create(&t, small_stack(), other, NULL);
    pthread_mutex_lock(&a);
    pthread_barrier_wait(&bar);
    printf("both hold one lock\n");
    fflush(stdout);
    pthread_mutex_lock(&b);
    pthread_join(t, NULL);
    printf("not reached\n");
    return 0;
}
