/*
 * The translation tier (see jit.h and docs/jit.md).
 *
 * Hot runs are counted by the interpreter and queued to a translation cache
 * (rvvm_jit_cache). The cache's compile thread translates them with
 * libgccjit, which is loaded with dlopen the first time something is
 * compiled: a process that never turns the tier on, or whose code never gets
 * hot, never loads it. The interpreter keeps running meanwhile; finished code
 * is installed by the interpreter's own thread when it next enters the run
 * (a run boundary). Metering stays in the interpreter (runs are charged at
 * entry) and translated code computes exactly what the interpreter would, so
 * when code is installed changes nothing a guest or a snapshot can see.
 *
 * Code is keyed by content: a cache entry is one guest page (its address,
 * the ISA and all of its bytes), so machines and forks running the same
 * program share translations, and a page whose bytes changed never matches
 * an old entry. Instructions are decoded from the entry's copy of the bytes,
 * never from a machine's memory (which its own thread may be writing).
 */
#include "jit_internal.h"

#include <stdlib.h>

#ifndef RVVM_HAVE_GCCJIT

bool rv_jit_built(void) { return false; }
bool rv_jit_available(void) { return false; }
rv_jit_fn rv_jit_hot(rvvm_machine *m, const rv_slot *in, bool *give_up)
{
    (void)in;
    m->jit_tick = 1;
    *give_up = true;
    return NULL;
}
rv_jit_fn rv_jit_fn_of(rvvm_machine *m, const rv_slot *in)
{
    (void)m;
    (void)in;
    return NULL;
}
void rv_jit_drop_page(rvvm_machine *m, uint64_t page)
{
    (void)m;
    (void)page;
}
void rv_jit_free(rvvm_machine *m) { (void)m; }
void rv_jit_stats(const rvvm_machine *m, uint64_t *translations, uint64_t *compilations)
{
    (void)m;
    *translations = *compilations = 0;
}
rvvm_jit_cache *rvvm_jit_cache_create(unsigned flags)
{
    (void)flags;
    return NULL;
}
void rvvm_jit_cache_release(rvvm_jit_cache *cache) { (void)cache; }
void rv_jit_cache_ref(rvvm_jit_cache *cache) { (void)cache; }

#else

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>
#include <xxhash.h>

/* The most functions in one compilation (its fixed cost is shared by them all). */
#define RV_JIT_MAX_BATCH 512
/* Distinct guest pages (address, ISA, bytes) one cache translates at most. */
#define RV_JIT_MAX_ENTRIES 1024

/* ---- libgccjit, loaded on first use ---- */

/* Loads libgccjit (its soname is libgccjit.so.0 for every GCC version); NULL if it is not there. */
static void *gccjit_open(rv_gccjit *api)
{
    void *h = dlopen("libgccjit.so.0", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!h)
        return NULL;
#define RV_GCCJIT_LOAD(name)                                                                       \
    if (!(*(void **)&api->name = dlsym(h, "gcc_jit_" #name))) {                                    \
        dlclose(h);                                                                                \
        return NULL;                                                                               \
    }
    RV_GCCJIT_FUNCTIONS(RV_GCCJIT_LOAD)
#undef RV_GCCJIT_LOAD
    return h;
}

bool rv_jit_built(void) { return true; }

bool rv_jit_available(void)
{
    rv_gccjit api;
    void *h = gccjit_open(&api);
    if (!h)
        return false;
    dlclose(h);
    return true;
}

/* ---- The shared cache ---- */

#define RV_JIT_BUCKETS 256

struct rvvm_jit_cache {
    pthread_mutex_t lock;
    pthread_cond_t work;     /* the compile thread waits for jobs */
    pthread_cond_t finished; /* RVVM_JIT_SYNC callers wait for theirs */
    unsigned refs;
    unsigned flags;
    rv_jit_entry *buckets[RV_JIT_BUCKETS];
    size_t entries;
    rv_jit_entry *queue, *queue_tail;
    uint64_t done;           /* compilations finished (read without the lock as a hint) */
    bool thread_started, stopping;
    pthread_t thread;
    void *dl;                /* libgccjit, once loaded */
    bool load_failed;
    rv_gccjit api;
    gcc_jit_result **results;
    size_t result_count;
    uint64_t translations, compilations;
};

static void *compile_thread(void *arg);

rvvm_jit_cache *rvvm_jit_cache_create(unsigned flags)
{
    if (flags & ~(unsigned)RVVM_JIT_SYNC)
        return NULL;
    rvvm_jit_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return NULL;
    }
    if (pthread_cond_init(&c->work, NULL) != 0) {
        pthread_mutex_destroy(&c->lock);
        free(c);
        return NULL;
    }
    if (pthread_cond_init(&c->finished, NULL) != 0) {
        pthread_cond_destroy(&c->work);
        pthread_mutex_destroy(&c->lock);
        free(c);
        return NULL;
    }
    c->refs = 1;
    c->flags = flags;
    return c;
}

void rv_jit_cache_ref(rvvm_jit_cache *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    c->refs++;
    pthread_mutex_unlock(&c->lock);
}

void rvvm_jit_cache_release(rvvm_jit_cache *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    bool last = --c->refs == 0;
    if (last)
        c->stopping = true;
    pthread_cond_signal(&c->work);
    pthread_mutex_unlock(&c->lock);
    if (!last)
        return;
    if (c->thread_started)
        pthread_join(c->thread, NULL);
    for (size_t i = 0; i < c->result_count; i++)
        c->api.result_release(c->results[i]);
    free(c->results);
    for (size_t b = 0; b < RV_JIT_BUCKETS; b++) {
        for (rv_jit_entry *e = c->buckets[b], *n; e; e = n) {
            n = e->next;
            free(e);
        }
    }
    if (c->dl)
        dlclose(c->dl);
    pthread_cond_destroy(&c->finished);
    pthread_cond_destroy(&c->work);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* The entry for a page's current bytes, made if new; NULL if the cache is full. Under the lock. */
static rv_jit_entry *entry_for(rvvm_jit_cache *c, uint64_t page_base, uint32_t isa,
                               const rvvm_cost_model *costs, const uint8_t *bytes)
{
    uint64_t h = XXH3_64bits(bytes, RV_PAGE_SIZE) ^ (page_base * 0x9e3779b97f4a7c15u) ^ isa ^
                 XXH3_64bits(costs->cost, sizeof costs->cost);
    rv_jit_entry **bucket = &c->buckets[h % RV_JIT_BUCKETS];
    for (rv_jit_entry *e = *bucket; e; e = e->next)
        if (e->hash == h && e->page_base == page_base && e->isa == isa &&
            memcmp(e->costs.cost, costs->cost, sizeof costs->cost) == 0 &&
            memcmp(e->bytes, bytes, RV_PAGE_SIZE) == 0)
            return e;
    if (c->entries >= RV_JIT_MAX_ENTRIES)
        return NULL;
    rv_jit_entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->page_base = page_base;
    e->isa = isa;
    memcpy(e->costs.cost, costs->cost, sizeof costs->cost);
    e->hash = h;
    memcpy(e->bytes, bytes, RV_PAGE_SIZE);
    e->next = *bucket;
    *bucket = e;
    c->entries++;
    return e;
}

/* Queues an entry's SLOT_QUEUED slots for the compile thread, started if need be. Under the lock. */
static bool enqueue(rvvm_jit_cache *c, rv_jit_entry *e)
{
    if (!c->thread_started) {
        if (pthread_create(&c->thread, NULL, compile_thread, c) != 0)
            return false;
        c->thread_started = true;
    }
    if (!e->queued) {
        e->queued = true;
        e->next_queued = NULL;
        if (c->queue_tail)
            c->queue_tail->next_queued = e;
        else
            c->queue = e;
        c->queue_tail = e;
    }
    pthread_cond_signal(&c->work);
    return true;
}

/* ---- Per machine: counters and installed code ---- */

typedef struct rv_jit_page {
    rv_jit_fn fn[RV_INSNS_PER_PAGE]; /* installed code, read by the interpreter */
    uint32_t count[RV_INSNS_PER_PAGE];
    rv_jit_entry *entry;             /* the cache's entry for this page's bytes, once looked up */
    uint64_t seen;                   /* the cache's `done` when this page last installed */
} rv_jit_page;

struct rv_jit {
    rv_jit_page **pages; /* per guest page, NULL until a slot there is counted */
    size_t page_count;
    rvvm_jit_cache *cache; /* a reference: config.jit_cache, or this machine's own */
    uint64_t translations; /* functions installed, for tests */
};

void rv_jit_stats(const rvvm_machine *m, uint64_t *translations, uint64_t *compilations)
{
    *translations = m->jit ? m->jit->translations : 0;
    *compilations = 0;
    if (m->jit && m->jit->cache) {
        pthread_mutex_lock(&m->jit->cache->lock);
        *compilations = m->jit->cache->compilations;
        pthread_mutex_unlock(&m->jit->cache->lock);
    }
}

static size_t slot_index(const rv_slot *in) { return (size_t)(in - RV_SLOTS_OF(in)); }
static uint64_t slot_page(const rv_slot *in) { return RV_PAGE_BASE_OF(in) >> RV_PAGE_SHIFT; }

void rv_jit_drop_page(rvvm_machine *m, uint64_t page)
{
    if (!m->jit || page >= m->jit->page_count || !m->jit->pages[page])
        return;
    free(m->jit->pages[page]);
    m->jit->pages[page] = NULL;
}

void rv_jit_free(rvvm_machine *m)
{
    if (!m->jit)
        return;
    for (size_t i = 0; i < m->jit->page_count; i++)
        free(m->jit->pages[i]);
    free(m->jit->pages);
    rvvm_jit_cache_release(m->jit->cache);
    free(m->jit);
    m->jit = NULL;
}

static rv_jit_page *page_of(rvvm_machine *m, uint64_t page)
{
    if (!m->jit) {
        struct rv_jit *j = calloc(1, sizeof *j);
        if (!j)
            return NULL;
        j->pages = calloc(m->mem.page_count, sizeof *j->pages);
        if (m->config.jit_cache) {
            j->cache = m->config.jit_cache;
            rv_jit_cache_ref(j->cache);
        } else {
            j->cache = rvvm_jit_cache_create(0);
        }
        if (!j->pages || !j->cache) {
            free(j->pages);
            rvvm_jit_cache_release(j->cache);
            free(j);
            return NULL;
        }
        j->page_count = m->mem.page_count;
        m->jit = j;
    }
    if (page >= m->jit->page_count)
        return NULL;
    if (!m->jit->pages[page])
        m->jit->pages[page] = calloc(1, sizeof(rv_jit_page));
    return m->jit->pages[page];
}

rv_jit_fn rv_jit_fn_of(rvvm_machine *m, const rv_slot *in)
{
    uint64_t page = slot_page(in);
    if (!m->jit || page >= m->jit->page_count || !m->jit->pages[page])
        return NULL;
    return m->jit->pages[page]->fn[slot_index(in)];
}

/* ---- The compile thread ---- */


static void *compile_thread(void *arg)
{
    rvvm_jit_cache *c = arg;
    static const size_t max_batch = RV_JIT_MAX_BATCH;
    job *jobs = malloc(max_batch * sizeof *jobs);
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (!c->queue && !c->stopping)
            pthread_cond_wait(&c->work, &c->lock);
        if (c->stopping)
            break;
        /* Every queued slot of every queued page, up to the batch limit. */
        size_t k = 0;
        while (c->queue && k < max_batch) {
            rv_jit_entry *e = c->queue;
            size_t i = 0;
            for (; i < RV_INSNS_PER_PAGE && (k < max_batch || !jobs); i++) {
                if (e->state[i] != SLOT_QUEUED)
                    continue;
                e->state[i] = SLOT_COMPILING;
                if (jobs)
                    jobs[k++] = (job){.e = e, .slot = (uint16_t)i};
                else
                    e->state[i] = SLOT_DONE; /* out of memory: not translated */
            }
            if (i < RV_INSNS_PER_PAGE)
                break; /* the rest of this page goes in the next batch */
            e->queued = false;
            c->queue = e->next_queued;
            if (!c->queue)
                c->queue_tail = NULL;
        }
        pthread_mutex_unlock(&c->lock);

        /* Only this thread loads and uses libgccjit (and the cache's release, after joining it). */
        if (!c->dl && !c->load_failed && k) {
            c->dl = gccjit_open(&c->api);
            c->load_failed = !c->dl;
        }
        size_t made = 0;
        gcc_jit_result *res = k && c->dl ? rv_jit_compile(&c->api, jobs, k, &made) : NULL;

        pthread_mutex_lock(&c->lock);
        if (res) {
            gcc_jit_result **list = realloc(c->results, (c->result_count + 1) * sizeof *list);
            if (list) {
                c->results = list;
                c->results[c->result_count++] = res;
                c->compilations++;
                c->translations += made;
            } else {
                c->api.result_release(res);
                res = NULL;
            }
        }
        for (size_t t = 0; t < k; t++) {
            jobs[t].e->fn[jobs[t].slot] = res ? jobs[t].fn : NULL;
            jobs[t].e->state[jobs[t].slot] = SLOT_DONE;
        }
        __atomic_store_n(&c->done, c->done + 1, __ATOMIC_RELAXED);
        pthread_cond_broadcast(&c->finished);
    }
    pthread_mutex_unlock(&c->lock);
    free(jobs);
    return NULL;
}

/* ---- The interpreter's side ---- */

static const void *original_handler(const rvvm_machine *m, const rv_slot *s)
{
    return m->handlers[s->op + (RV_SLOT_LEN(s) == 4 ? RV_OP_COUNT : 0)];
}

/*
 * Installs what the cache has finished for this page: each counted slot with
 * code gets it; a counted slot whose translation failed, once hot, gets its
 * own handler back. Under the cache's lock, on the machine's thread: at a run
 * boundary (the interpreter is entering slot i).
 */
static rv_jit_fn install(rvvm_machine *m, rv_jit_page *p, rv_slot *slots, size_t i, bool *give_up)
{
    rvvm_jit_cache *c = m->jit->cache;
    const rv_jit_entry *e = p->entry;
    const void *count_h = m->handlers[RV_HANDLER_JIT_COUNT], *run_h = m->handlers[RV_HANDLER_JIT_RUN];
    uint32_t threshold = m->config.jit_threshold ? m->config.jit_threshold : 1;
    /* A fork's slots shared with its template are read, never written: the
     * code is kept here and entered from the counting handler. */
    bool own = !rv_code_readonly(m, slots);
    p->seen = c->done;
    for (size_t j = 0; j < RV_INSNS_PER_PAGE; j++) {
        if (e->state[j] != SLOT_DONE || p->fn[j] || slots[j].handler != count_h)
            continue;
        if (e->fn[j]) {
            p->fn[j] = e->fn[j];
            if (own)
                slots[j].handler = run_h;
            m->jit->translations++;
        } else if (p->count[j] >= threshold && j != i && own) {
            slots[j].handler = original_handler(m, &slots[j]);
        }
    }
    if (e->state[i] == SLOT_DONE && !e->fn[i])
        *give_up = true;
    return p->fn[i];
}

/* Slot i just got hot: asks the cache for its code (and for its page-mates' that are warm). */
static rv_jit_fn request(rvvm_machine *m, rv_jit_page *p, const rv_slot *in, size_t i, bool *give_up)
{
    rvvm_jit_cache *c = m->jit->cache;
    rv_slot *slots = RV_SLOTS_OF(in);
    uint64_t page_base = RV_PAGE_BASE_OF(in);
    const void *count_h = m->handlers[RV_HANDLER_JIT_COUNT];
    uint32_t threshold = m->config.jit_threshold ? m->config.jit_threshold : 1;
    pthread_mutex_lock(&c->lock);
    /* The page's bytes are what its decoded slots were made from: a write drops both. */
    if (!p->entry)
        p->entry = entry_for(c, page_base, m->config.isa, &m->config.cost_model, m->mem.base + page_base);
    rv_jit_entry *e = p->entry;
    if (!e) {
        pthread_mutex_unlock(&c->lock);
        *give_up = true;
        return NULL;
    }
    if (e->state[i] == SLOT_NONE) {
        /* With it, the page's warm runs (its every counted run when waiting:
         * compilations are few and large, their fixed cost shared). */
        uint32_t warm = c->flags & RVVM_JIT_SYNC ? 0 : threshold / 8 ? threshold / 8 : 1;
        e->state[i] = SLOT_QUEUED;
        for (size_t j = 0; j < RV_INSNS_PER_PAGE; j++)
            if (e->state[j] == SLOT_NONE && slots[j].handler == count_h && p->count[j] >= warm)
                e->state[j] = SLOT_QUEUED;
        if (!enqueue(c, e)) {
            for (size_t j = 0; j < RV_INSNS_PER_PAGE; j++)
                if (e->state[j] == SLOT_QUEUED)
                    e->state[j] = SLOT_DONE; /* no compile thread: not translated */
        }
    }
    if (c->flags & RVVM_JIT_SYNC) {
        while (e->state[i] != SLOT_DONE)
            pthread_cond_wait(&c->finished, &c->lock);
    }
    rv_jit_fn f = install(m, p, slots, i, give_up);
    pthread_mutex_unlock(&c->lock);
    return f;
}

rv_jit_fn rv_jit_hot(rvvm_machine *m, const rv_slot *in, bool *give_up)
{
    *give_up = false;
    uint32_t threshold = m->config.jit_threshold ? m->config.jit_threshold : 1;
    uint32_t step = threshold >= RV_JIT_SAMPLE_FROM ? RV_JIT_SAMPLE : 1;
    m->jit_tick = (int32_t)step;
    rv_jit_page *p = page_of(m, slot_page(in));
    if (!p) {
        *give_up = true;
        return NULL;
    }
    size_t i = slot_index(in);
    if (p->fn[i])
        return p->fn[i];
    if (p->count[i] < threshold) {
        p->count[i] = threshold - p->count[i] > step ? p->count[i] + step : threshold;
        if (p->count[i] < threshold)
            return NULL;
        return request(m, p, in, i, give_up);
    }
    /* Requested before: install if the cache finished anything since this page last looked. */
    rvvm_jit_cache *c = m->jit->cache;
    if (__atomic_load_n(&c->done, __ATOMIC_RELAXED) == p->seen || !p->entry)
        return NULL;
    pthread_mutex_lock(&c->lock);
    rv_jit_fn f = install(m, p, RV_SLOTS_OF(in), i, give_up);
    pthread_mutex_unlock(&c->lock);
    return f;
}

#endif
