/* rvvm_pool: host mappings handed from destroyed machines to new ones. */
#include "cpu.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct rvvm_pool {
    pthread_mutex_t lock;
    atomic_uint refs; /* the host's and one per live machine created with it */
    unsigned n;
    struct {
        void *map;
        size_t len;
    } v[RVVM_POOL_MAX_MAPPINGS];
};

rvvm_pool *rvvm_pool_create(void)
{
    rvvm_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p);
        return NULL;
    }
    atomic_init(&p->refs, 1);
    return p;
}

void rv_pool_ref(rvvm_pool *p)
{
    atomic_fetch_add(&p->refs, 1);
}

void rv_pool_unref(rvvm_pool *p)
{
    if (!p || atomic_fetch_sub(&p->refs, 1) != 1)
        return;
    for (unsigned i = 0; i < p->n; i++)
        rv_free_zeroed(p->v[i].map, p->v[i].len);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

void rvvm_pool_destroy(rvvm_pool *pool)
{
    rv_pool_unref(pool);
}

void *rv_pool_take(rvvm_pool *p, size_t len)
{
    void *map = NULL;
    pthread_mutex_lock(&p->lock);
    for (unsigned i = p->n; i-- > 0;) {
        if (p->v[i].len == len) {
            map = p->v[i].map;
            p->v[i] = p->v[--p->n];
            break;
        }
    }
    pthread_mutex_unlock(&p->lock);
    return map;
}

void rv_pool_give(rvvm_pool *p, void *map, size_t len)
{
    pthread_mutex_lock(&p->lock);
    bool kept = p->n < RVVM_POOL_MAX_MAPPINGS;
    if (kept) {
        p->v[p->n].map = map;
        p->v[p->n].len = len;
        p->n++;
    }
    pthread_mutex_unlock(&p->lock);
    if (!kept)
        rv_free_zeroed(map, len);
}
