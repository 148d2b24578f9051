/*
 * Robust mutexes (PTHREAD_MUTEX_ROBUST): a thread that exits holding them
 * leaves them to the OS, which walks its robust list (set_robust_list) and
 * marks each one FUTEX_OWNER_DIED, waking one waiter. The next locker gets
 * EOWNERDEAD, makes the mutex consistent and goes on.
 *
 *   1. the owner exits while the main thread is blocked in pthread_mutex_lock
 *      on it: the main thread is woken and gets EOWNERDEAD;
 *   2. the owner holds three robust mutexes and a normal one and exits; after
 *      the join every robust one gives EOWNERDEAD (the list is walked whole),
 *      the normal one stays held (trylock: EBUSY);
 *   3. a robust mutex left inconsistent (unlocked without
 *      pthread_mutex_consistent) is unusable: ENOTRECOVERABLE;
 *   4. a mutex the owner unlocked before exiting is plain: lock gives 0.
 * The output does not depend on scheduling: it matches qemu-riscv64's.
 */
#include "small_stack.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t m1, rs[3], plain, tidy;
static sem_t taken;

static const char *name(int e)
{
    switch (e) {
    case 0: return "0";
    case EOWNERDEAD: return "EOWNERDEAD";
    case ENOTRECOVERABLE: return "ENOTRECOVERABLE";
    case EBUSY: return "EBUSY";
    default: return strerror(e);
    }
}

static void init_robust(pthread_mutex_t *mx)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(mx, &a);
    pthread_mutexattr_destroy(&a);
}

static void *hold_and_die(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m1);
    sem_post(&taken);
    /* Give the main thread time to block on m1 (a guest sleep under rvvm). */
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    return NULL; /* exits holding m1 */
}

static void *hold_many(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++)
        pthread_mutex_lock(&rs[i]);
    pthread_mutex_lock(&plain);
    pthread_mutex_lock(&tidy);
    pthread_mutex_unlock(&tidy);
    return NULL;
}

int main(void)
{
    init_robust(&m1);
    for (int i = 0; i < 3; i++)
        init_robust(&rs[i]);
    init_robust(&tidy);
    pthread_mutex_init(&plain, NULL);
    sem_init(&taken, 0, 0);

    pthread_t t;
    pthread_create(&t, small_stack(), hold_and_die, NULL);
    sem_wait(&taken);
    int r = pthread_mutex_lock(&m1); /* blocks until the owner dies */
    printf("1. lock after the owner died while we waited: %s\n", name(r));
    if (r == EOWNERDEAD) {
        printf("   consistent: %s\n", name(pthread_mutex_consistent(&m1)));
        printf("   unlock: %s\n", name(pthread_mutex_unlock(&m1)));
        printf("   lock again: %s\n", name(pthread_mutex_lock(&m1)));
        pthread_mutex_unlock(&m1);
    }
    pthread_join(t, NULL);

    pthread_create(&t, small_stack(), hold_many, NULL);
    pthread_join(t, NULL);
    for (int i = 0; i < 3; i++) {
        r = pthread_mutex_lock(&rs[i]);
        printf("2. robust mutex %d: %s\n", i, name(r));
        if (i < 2 && r == EOWNERDEAD)
            pthread_mutex_consistent(&rs[i]);
        pthread_mutex_unlock(&rs[i]);
    }
    printf("2. plain mutex trylock: %s\n", name(pthread_mutex_trylock(&plain)));
    printf("3. inconsistent mutex: %s\n", name(pthread_mutex_lock(&rs[2])));
    printf("3. consistent one: %s\n", name(pthread_mutex_lock(&rs[1])));
    printf("4. unlocked before exit: %s\n", name(pthread_mutex_lock(&tidy)));
    return 0;
}
