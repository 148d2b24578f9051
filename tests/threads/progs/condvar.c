/* A bounded queue with a mutex and two condition variables: two producers,
 * three consumers. Prints what the consumers summed, which the schedule
 * cannot change. */
#include <pthread.h>
#include "small_stack.h"
#include <stdio.h>

#define SLOTS 8
#define ITEMS 3000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static long queue[SLOTS];
static int head, count, producers_left = 2;

static void *produce(void *arg)
{
    long base = (long)arg;
    for (long i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&lock);
        while (count == SLOTS)
            pthread_cond_wait(&not_full, &lock);
        queue[(head + count) % SLOTS] = base + i;
        count++;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    producers_left--;
    pthread_cond_broadcast(&not_empty);
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *consume(void *arg)
{
    long *sum = arg, n = 0;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (count == 0 && producers_left > 0)
            pthread_cond_wait(&not_empty, &lock);
        if (count == 0) {
            pthread_mutex_unlock(&lock);
            break;
        }
        long v = queue[head];
        head = (head + 1) % SLOTS;
        count--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&lock);
        *sum += v;
        n++;
    }
    return (void *)n;
}

int main(void)
{
    pthread_t p[2], c[3];
    long sums[3] = {0};
    pthread_create(&p[0], small_stack(), produce, (void *)0);
    pthread_create(&p[1], small_stack(), produce, (void *)1000000);
    for (int i = 0; i < 3; i++)
        pthread_create(&c[i], small_stack(), consume, &sums[i]);
    long items = 0;
    for (int i = 0; i < 2; i++)
        pthread_join(p[i], NULL);
    for (int i = 0; i < 3; i++) {
        void *r;
        pthread_join(c[i], &r);
        items += (long)r;
    }
    printf("items %ld\n", items);
    printf("sum %ld\n", sums[0] + sums[1] + sums[2]);
    return 0;
}
