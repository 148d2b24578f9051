/* Thread attributes with a 256 KiB stack, so many threads fit in a small guest memory. */
#ifndef SMALL_STACK_H
#define SMALL_STACK_H
#include <pthread.h>

static inline const pthread_attr_t *small_stack(void)
{
    static pthread_attr_t attr;
    static int made;
    if (!made) {
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, 256 * 1024);
        made = 1;
    }
    return &attr;
}
#endif
