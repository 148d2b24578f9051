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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
rvvm_jit_cache *rvvm_jit_cache_create_persistent(const char *dir, const void *key, size_t key_size,
                                                 unsigned flags, char *err, size_t err_size)
{
    (void)dir;
    (void)key;
    (void)key_size;
    (void)flags;
    if (err && err_size)
        snprintf(err, err_size, "this build has no translation tier");
    return NULL;
}
rvvm_status rvvm_jit_cache_save(rvvm_jit_cache *cache, char *err, size_t err_size)
{
    (void)cache;
    if (err && err_size)
        snprintf(err, err_size, "this build has no translation tier");
    return RVVM_ERR_INVALID_ARGUMENT;
}
void rvvm_jit_cache_get_stats(rvvm_jit_cache *cache, rvvm_jit_cache_stats *out)
{
    (void)cache;
    if (out)
        memset(out, 0, sizeof *out);
}

#else

#include "jit_aot.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

/*
 * Tuning aid (see the top of jit_gen.c): the timing build (-DRVVM_JIT_TIMING)
 * reads some of the policy's constants from the environment -- RVVM_JIT_PACE
 * (percent, 0: no pacing), RVVM_JIT_WINDOW (ms), RVVM_JIT_WINDOW_ALWAYS (wait
 * the window whenever the thread was idle), RVVM_JIT_FAR (bytes), RVVM_JIT_NOREASK (a
 * job left out never asks again), RVVM_JIT_NOORDER
 * (page order, not by_heat); code_cache.c's RVVM_JIT_NOHEADS -- prints each
 * compilation's start, wall and CPU time (its own and the driver's processes')
 * and, at the end, the calls into translated code by entry and result. A
 * normal build uses the constants as they are.
 */
#ifdef RVVM_JIT_TIMING
static long tune(const char *name, long def)
{
    const char *v = getenv(name);
    return v ? atol(v) : def;
}
#define TUNE(name, def) tune(#name, def)
#else
#define TUNE(name, def) (def)
#endif

static double ms_of(const struct timespec *t) { return (double)t->tv_sec * 1e3 + (double)t->tv_nsec / 1e6; }

/*
 * e->hot[i]: the order in which the page's queued slots got hot (1..126,
 * by_heat; 0 for a slot queued with a hot page-mate, warm), plus
 * RV_JIT_LONG_HEAD if its run is at least RV_JIT_LONG_HEAD_INSNS long;
 * RV_JIT_ALONE for a slot that asks again alone after a region had no room
 * for it (compile_thread).
 */
#define RV_JIT_HOT_ORDER 127
#define RV_JIT_LONG_HEAD 128
#define RV_JIT_ALONE 255
#define RV_JIT_LONG_HEAD_INSNS 16

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
    /* The ahead-of-time file (jit_aot.c), with a directory; immutable once made. */
    char *dir, *path;        /* path: the main file */
    size_t path_size;
    uint8_t key_hash[32];
    void *aot_dl[1 + RV_AOT_MAX_DELTAS]; /* the loaded files' shared objects */
    int aot_fd[1 + RV_AOT_MAX_DELTAS];   /* what each was loaded from (rv_aot_dlopen) */
    size_t aot_files;
    bool base_loaded;        /* the main file was loaded: saves can write deltas */
    unsigned next_delta;     /* the number of the next delta file to write */
    struct aot_page *aot;    /* the loaded files' pages */
    size_t aot_count;
    uint64_t loaded, saved;
    uint64_t queued, queued_at_save; /* slots queued; saving is due when they differ */
    pthread_mutex_t save_lock;       /* one save at a time */
    job *save_jobs;                  /* under save_lock */
    struct timespec born;            /* made (monotonic clock) */
    double born_cpu;                 /* the process's CPU time (ms) then: pacing counts from here */
    double compile_ms;               /* CPU time of its compilations so far, the driver's processes' too (compile thread only) */
};

/* A page of the loaded file: which slots of its entry have code from it. */
struct aot_page {
    const rv_jit_entry *e;
    uint8_t slots[RV_INSNS_PER_PAGE / 8];
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
    /* The compile thread's batch window is timed on the monotonic clock. */
    pthread_condattr_t monotonic;
    bool work_ok = pthread_condattr_init(&monotonic) == 0;
    if (work_ok) {
        work_ok = pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC) == 0 &&
                  pthread_cond_init(&c->work, &monotonic) == 0;
        pthread_condattr_destroy(&monotonic);
    }
    if (!work_ok) {
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
    if (pthread_mutex_init(&c->save_lock, NULL) != 0) {
        pthread_cond_destroy(&c->finished);
        pthread_cond_destroy(&c->work);
        pthread_mutex_destroy(&c->lock);
        free(c);
        return NULL;
    }
    c->refs = 1;
    c->flags = flags;
    clock_gettime(CLOCK_MONOTONIC, &c->born);
    struct timespec cpu;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0)
        c->born_cpu = ms_of(&cpu);
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
    if (c->dir && c->queued != c->queued_at_save) {
        char ignored[256];
        rvvm_jit_cache_save(c, ignored, sizeof ignored);
    }
    for (size_t i = 0; i < c->aot_files; i++) {
        dlclose(c->aot_dl[i]);
        if (c->aot_fd[i] >= 0)
            close(c->aot_fd[i]);
    }
    free(c->aot);
    free(c->dir);
    free(c->path);
    pthread_mutex_destroy(&c->save_lock);
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
static rv_jit_entry *entry_find(rvvm_jit_cache *c, uint64_t page_base, uint32_t isa,
                                const rvvm_cost_model *costs, const uint8_t *bytes, uint64_t *hash)
{
    uint64_t h = XXH3_64bits(bytes, RV_PAGE_SIZE) ^ (page_base * 0x9e3779b97f4a7c15u) ^ isa ^
                 XXH3_64bits(costs->cost, sizeof costs->cost);
    *hash = h;
    for (rv_jit_entry *e = c->buckets[h % RV_JIT_BUCKETS]; e; e = e->next)
        if (e->hash == h && e->page_base == page_base && e->isa == isa &&
            memcmp(e->costs.cost, costs->cost, sizeof costs->cost) == 0 &&
            memcmp(e->bytes, bytes, RV_PAGE_SIZE) == 0)
            return e;
    return NULL;
}

static rv_jit_entry *entry_for(rvvm_jit_cache *c, uint64_t page_base, uint32_t isa,
                               const rvvm_cost_model *costs, const uint8_t *bytes)
{
    uint64_t h;
    rv_jit_entry *found = entry_find(c, page_base, isa, costs, bytes, &h);
    if (found)
        return found;
    rv_jit_entry **bucket = &c->buckets[h % RV_JIT_BUCKETS];
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
    bool probed;                     /* looked for in the cache's loaded file */
    const uint8_t *warm;             /* if found: its slots with code from the file (a bitmap) */
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

#ifdef RVVM_JIT_TIMING
/* Tuning build only (one process, one machine in mind; not thread-safe). */
static struct { uint64_t pc, calls, odd, out; uint64_t to[4]; uint64_t ton[4]; } jit_calls[256];
void rv_jit_note_call(uint64_t pc, uint64_t result)
{
    size_t h = (size_t)(pc >> 1) % 256;
    for (size_t n = 0; n < 256 && jit_calls[h].pc && jit_calls[h].pc != pc; n++)
        h = (h + 1) % 256;
    jit_calls[h].pc = pc;
    jit_calls[h].calls++;
    jit_calls[h].odd += result & 1;
    jit_calls[h].out += ((result ^ pc) >> 12) != 0;
    for (int k = 0; k < 4; k++) {
        if (jit_calls[h].to[k] == result || !jit_calls[h].to[k]) {
            jit_calls[h].to[k] = result;
            jit_calls[h].ton[k]++;
            break;
        }
    }
}
static void print_calls(void)
{
    for (size_t h = 0; h < 256; h++)
        if (jit_calls[h].calls > 1000)
            fprintf(stderr, "jit: calls at %#llx: %llu (odd %llu, other page %llu) to %#llx:%llu %#llx:%llu %#llx:%llu\n",
                    (unsigned long long)jit_calls[h].pc, (unsigned long long)jit_calls[h].calls,
                    (unsigned long long)jit_calls[h].odd, (unsigned long long)jit_calls[h].out,
                    (unsigned long long)jit_calls[h].to[0], (unsigned long long)jit_calls[h].ton[0],
                    (unsigned long long)jit_calls[h].to[1], (unsigned long long)jit_calls[h].ton[1],
                    (unsigned long long)jit_calls[h].to[2], (unsigned long long)jit_calls[h].ton[2]);
}
#endif

void rv_jit_free(rvvm_machine *m)
{
    if (!m->jit)
        return;
#ifdef RVVM_JIT_TIMING
    print_calls();
#endif
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
        /* With a cache file, more of the program is worth translating: what
         * is compiled now is loaded by every later run, so runs that code
         * exits to are counted too. Without one, each compilation is paid
         * again by every run, and the interpreter keeps them. */
        m->jit_count_exits = j->cache->dir != NULL;
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


/*
 * A hot slot queued alone (no warm page-mates) after the thread was idle
 * waits RV_JIT_BATCH_WINDOW_MS for others: loops that get hot one after the
 * other (a program's phases) are then compiled together, paying one
 * compilation's fixed cost (the driver, `as`, `ld`: 20-30 ms of CPU) instead
 * of one each. Measured on crc32: its loops in one compilation took 0.15-0.19 s
 * CPU in all, in two (the second loop got hot 15 ms after the first)
 * 0.23-0.31 s; the interpreter alone 0.22 s. A batch of several slots is
 * compiled at once (waiting would only delay its code). Under the lock.
 */
static bool queued_alone(const rvvm_jit_cache *c)
{
    size_t n = 0;
    for (const rv_jit_entry *e = c->queue; e && n < 2; e = e->next_queued)
        for (size_t i = 0; i < RV_INSNS_PER_PAGE && n < 2; i++)
            n += e->state[i] == SLOT_QUEUED;
    return n == 1;
}

#define RV_JIT_BATCH_WINDOW_MS 20

/* Waits (under the lock) until `ms` milliseconds after `from`, or the cache stops. */
static void wait_until(rvvm_jit_cache *c, const struct timespec *from, double ms)
{
    struct timespec until = *from;
    long long ns = (long long)(ms * 1e6);
    until.tv_sec += (time_t)(ns / 1000000000LL);
    until.tv_nsec += (long)(ns % 1000000000LL);
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (!c->stopping && pthread_cond_timedwait(&c->work, &c->lock, &until) == 0)
        ;
}

static void batch_window(rvvm_jit_cache *c)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    wait_until(c, &now, (double)TUNE(RVVM_JIT_WINDOW, RV_JIT_BATCH_WINDOW_MS));
}

/* CPU time (ms) of the calling thread, and of the children the process has waited for. */
static double thread_cpu_ms(void)
{
    struct timespec t;
    return clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) == 0 ? ms_of(&t) : 0;
}
static double children_cpu_ms(void)
{
    struct rusage r;
    if (getrusage(RUSAGE_CHILDREN, &r) != 0)
        return 0;
    return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e3 +
           (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e3;
}

/*
 * Compilations are paced (ski rental): the next one starts only once the
 * CPU time the cache's compilations took so far (this thread's and the
 * driver's `as` and `ld` processes', RUSAGE_CHILDREN: an embedder's own
 * children would count too) is at most RV_JIT_PACE_PERCENT of the process's
 * CPU time since the cache was made. A program whose loops keep getting hot
 * one after the other then pays for a few larger compilations instead of a
 * stream of small ones, each with the driver's fixed cost (about 5 ms here
 * and 8 ms in `as` and `ld`); one that ends while its next compilation waits
 * never pays for it; and compiling costs at most about that share of a run
 * beyond its first compilation, whatever the program does. A bound, not a
 * speedup: on the bench programs' first runs (2026-12-07, 5 runs each, a
 * loaded 2-core host) 50%, 100% and no pacing were within the noise of
 * each other once left-out jobs stopped asking again (compile_thread).
 * Synchronous caches (tests) are not paced: their callers wait.
 */
#define RV_JIT_PACE_PERCENT 50
static void pace(rvvm_jit_cache *c)
{
    long pct = TUNE(RVVM_JIT_PACE, RV_JIT_PACE_PERCENT);
    if ((c->flags & RVVM_JIT_SYNC) || c->compile_ms <= 0 || pct <= 0)
        return;
    while (!c->stopping) {
        struct timespec now, cpu;
        if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) != 0 || clock_gettime(CLOCK_MONOTONIC, &now) != 0)
            return;
        double owed = c->compile_ms * 100.0 / (double)pct - (ms_of(&cpu) - c->born_cpu);
        if (owed <= 0.5)
            return;
        /* The interpreter's thread earns about 1 ms of CPU time per ms: look again then. */
        wait_until(c, &now, owed);
    }
}

/*
 * A copy of entry e's fields that code is made from, pushed on *list (to be
 * freed after the compilation): rv_jit_compile makes one function per run of
 * jobs with the same entry, so a page's second function needs its own. NULL
 * if out of memory.
 */
static rv_jit_entry *entry_copy(const rv_jit_entry *e, rv_jit_entry **list)
{
    rv_jit_entry *copy = calloc(1, sizeof *copy);
    if (!copy)
        return NULL;
    copy->page_base = e->page_base;
    copy->isa = e->isa;
    copy->costs = e->costs;
    copy->hash = e->hash;
    memcpy(copy->bytes, e->bytes, RV_PAGE_SIZE);
    copy->next = *list;
    *list = copy;
    return copy;
}

/* Frees a list of entry_copy's copies. */
static void free_copies(rv_jit_entry *list)
{
    for (rv_jit_entry *n; list; list = n) {
        n = list->next;
        free(list);
    }
}

/*
 * A page's hot jobs far apart (more than RV_JIT_FAR bytes between neighbours)
 * are in different code, as main and a function it calls: each such cluster
 * gets a function of its own in the same compilation, with each warm job
 * beside the nearest hot one, so that one cluster's loops cannot take all of
 * the region's room (32 runs) from the other's. Measured: linkedlist's main
 * loops and sort_list's merge loop (2.8 KB apart) got hot within 20 ms; in
 * one function the merge loop was left out and needed a compilation of its
 * own. rv_jit_compile makes one function per run of jobs with the same entry,
 * so each cluster after a page's first is given a copy of its entry (the
 * fields code is made from); the copies are returned in a list, to be freed
 * after the compilation, and orig[] keeps each job's own entry.
 */
#define RV_JIT_FAR 1024
/* Slots lo <= hi of one page are in different code (split_far, split_groups). */
static bool far_apart(uint16_t lo, uint16_t hi)
{
    return 2 * (size_t)(hi - lo) > (size_t)TUNE(RVVM_JIT_FAR, RV_JIT_FAR);
}
/*
 * And a hot job that asks again after a region had no room for it
 * (compile_thread) is a cluster of its own: laid out first in a function of
 * its own, it fits.
 */
static bool asks_alone(const job *j) { return j->e->hot[j->slot] == RV_JIT_ALONE; }
static rv_jit_entry *split_far(job *jobs, size_t k, rv_jit_entry **orig, job *tmp, uint16_t *cl)
{
    rv_jit_entry *copies = NULL;
    for (size_t t = 0, u; t < k; t = u) {
        for (u = t + 1; u < k && jobs[u].e == jobs[t].e; u++)
            ;
        uint16_t n = 0; /* clusters of this page */
        size_t last = 0;
        bool any = false;
        for (size_t v = t; v < u; v++) {
            orig[v] = jobs[v].e;
            if (!jobs[v].hot)
                continue;
            if (!any || far_apart(jobs[last].slot, jobs[v].slot) ||
                asks_alone(&jobs[v]) || asks_alone(&jobs[last]))
                n++;
            cl[v] = (uint16_t)(n - 1);
            last = v;
            any = true;
        }
        if (n < 2)
            continue;
        for (size_t v = t; v < u; v++) {
            if (jobs[v].hot)
                continue;
            size_t best = SIZE_MAX, dist = SIZE_MAX;
            for (size_t w = t; w < u; w++) {
                size_t d = jobs[w].slot > jobs[v].slot ? jobs[w].slot - jobs[v].slot : jobs[v].slot - jobs[w].slot;
                if (jobs[w].hot && d < dist) {
                    dist = d;
                    best = w;
                }
            }
            cl[v] = cl[best];
        }
        size_t o = 0;
        for (uint16_t q = 0; q < n; q++) {
            rv_jit_entry *e = jobs[t].e;
            if (q && !(e = entry_copy(e, &copies)))
                break; /* the rest stay in the page's first function */
            for (size_t v = t; v < u; v++)
                if (cl[v] == q) {
                    tmp[o] = jobs[v];
                    tmp[o++].e = e;
                }
        }
        if (o == u - t)
            memcpy(&jobs[t], tmp, o * sizeof *tmp);
    }
    return copies;
}

/*
 * A function's region is laid out from its hot jobs in their order, the
 * first taking the room it needs (translate_region): each function's jobs
 * (a run of the same entry) are put in the order their slots got hot, the
 * first being the one entered most often. Measured: linkedlist's sort_list
 * has a list-splitting loop and, after it in the page, a merge loop twice
 * as hot; in page order the splitting loop's region (with the recursive
 * calls it reaches) filled the function's 8 runs and the merge loop was
 * left out. Jobs carry their order in `group` until rv_jit_compile sets it.
 */
static void by_heat(job *jobs, size_t k)
{
    for (size_t t = 0, u; t < k; t = u) {
        for (u = t + 1; u < k && jobs[u].e == jobs[t].e; u++)
            ;
        /* Warm jobs after the hot ones, the nearest to a hot one first: code
         * near a hot loop is more likely its nest (sha256: its round loop,
         * warm, 0.2 KB from the hot one, was left out behind main's loop,
         * warm, 3 KB away). */
        for (size_t v = t; v < u; v++) {
            if (jobs[v].hot)
                continue;
            uint32_t near = RV_INSNS_PER_PAGE;
            for (size_t w = t; w < u; w++)
                if (jobs[w].hot) {
                    uint32_t d = jobs[w].slot > jobs[v].slot ? (uint32_t)(jobs[w].slot - jobs[v].slot)
                                                             : (uint32_t)(jobs[v].slot - jobs[w].slot);
                    near = d < near ? d : near;
                }
            jobs[v].group = 256 + near;
        }
        for (size_t v = t + 1; v < u; v++) { /* insertion sort: stable, few jobs */
            job j = jobs[v];
            size_t w = v;
            for (; w > t && jobs[w - 1].group > j.group; w--)
                jobs[w] = jobs[w - 1];
            jobs[w] = j;
        }
    }
}

static void *compile_thread(void *arg)
{
    rvvm_jit_cache *c = arg;
    static const size_t max_batch = RV_JIT_MAX_BATCH;
    job *jobs = malloc(max_batch * sizeof *jobs), *tmp = malloc(max_batch * sizeof *tmp);
    rv_jit_entry **orig = malloc(max_batch * sizeof *orig);
    uint16_t *cl = malloc(max_batch * sizeof *cl);
    if (!jobs || !tmp || !orig || !cl) {
        free(jobs);
        jobs = NULL; /* out of memory: nothing is translated */
    }
    pthread_mutex_lock(&c->lock);
    bool idle = true; /* the first jobs were queued as the thread was made */
    for (;;) {
        idle = idle || !c->queue;
        while (!c->queue && !c->stopping)
            pthread_cond_wait(&c->work, &c->lock);
        if (idle && !(c->flags & RVVM_JIT_SYNC) && (TUNE(RVVM_JIT_WINDOW_ALWAYS, 0) || queued_alone(c)))
            batch_window(c);
        pace(c);
        idle = false;
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
                if (jobs) {
                    /* group (which rv_jit_compile sets) carries the layout order until then: by_heat. */
                    uint32_t order = e->hot[i] & RV_JIT_HOT_ORDER;
                    order = e->hot[i] == RV_JIT_ALONE ? 0 : order ? order : 256;
                    jobs[k++] = (job){.e = e, .slot = (uint16_t)i, .hot = order < 256, .group = order};
                }
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
        rv_jit_entry *copies = k ? split_far(jobs, k, orig, tmp, cl) : NULL;
        if (!TUNE(RVVM_JIT_NOORDER, 0))
            by_heat(jobs, k);
#ifdef RVVM_JIT_TIMING
        for (size_t t = 0; t < k; t++)
            fprintf(stderr, "jit: job %#llx hot=%d order=%u\n",
                    (unsigned long long)(jobs[t].e->page_base + 2 * jobs[t].slot), jobs[t].hot,
                    (unsigned)jobs[t].group);
#endif
        double cpu0 = thread_cpu_ms(), kids0 = children_cpu_ms();
#ifdef RVVM_JIT_TIMING
        struct timespec w0, w1, p0;
        clock_gettime(CLOCK_MONOTONIC, &w0);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p0);
#endif
        gcc_jit_result *res = k && c->dl ? rv_jit_compile(&c->api, jobs, k, &made) : NULL;
        double cpu = thread_cpu_ms() - cpu0, kids = children_cpu_ms() - kids0;
        c->compile_ms += cpu + kids;
#ifdef RVVM_JIT_TIMING
        clock_gettime(CLOCK_MONOTONIC, &w1);
        fprintf(stderr, "jit: compile at %.1f ms (process cpu %.1f ms), wall %.1f ms, cpu %.1f + children %.1f ms\n",
                ms_of(&w0) - ms_of(&c->born), ms_of(&p0), ms_of(&w1) - ms_of(&w0), cpu, kids);
#endif
        free_copies(copies);

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
        /*
         * A job left out for want of room in its function's region
         * (no_room: the page's hotter loops took it, by_heat) is given up,
         * as a warm one always was, unless its own run is long
         * (RV_JIT_LONG_HEAD: a loop whose iteration is much work for the
         * region it needs): that one is counted again and, once hot, asks
         * again, alone (split_far). Every hot job asking again compiled
         * all of linkedlist's main(), 11 small loops in 0.3 KB whose 8-run
         * regions took 60-85 instructions each (0.25-0.3 ms of compile
         * time per instruction), in up to 7 compilations: 0.71 s CPU
         * against the interpreter's 0.63 (first runs, 5 runs each,
         * 2026-12-07); given up, 0.62.
         */
        for (size_t t = 0; t < k; t++) {
            rv_jit_entry *e = orig[t];
            uint16_t i = jobs[t].slot;
            e->fn[i] = res ? jobs[t].fn : NULL;
            e->state[i] = SLOT_DONE;
            if (res && !jobs[t].made && jobs[t].no_room && (e->hot[i] & RV_JIT_LONG_HEAD) &&
                e->hot[i] != RV_JIT_ALONE && !TUNE(RVVM_JIT_NOREASK, 0)) {
                e->state[i] = SLOT_NONE;
                e->hot[i] = RV_JIT_ALONE; /* asks again once hot, alone (split_far) */
            }
        }
        __atomic_store_n(&c->done, c->done + 1, __ATOMIC_RELAXED);
        pthread_cond_broadcast(&c->finished);
    }
    pthread_mutex_unlock(&c->lock);
    free(jobs);
    free(tmp);
    free(orig);
    free(cl);
    return NULL;
}

/* ---- The interpreter's side ---- */

static const void *original_handler(const rvvm_machine *m, const rv_slot *s)
{
    return m->handlers[s->op + (RV_SLOT_LEN(s) == 4 ? RV_OP_COUNT : 0)];
}

/* Queues hot slot i of a page and its page-mates that are warm. Under the lock. */
static void queue_page(rvvm_jit_cache *c, rv_jit_entry *e, const rv_slot *slots, const rv_jit_page *p,
                       size_t i, const void *count_h, uint32_t threshold)
{
    /* With it, the page's warm runs (its every counted run when waiting:
     * compilations are few and large, their fixed cost shared). */
    uint32_t warm = c->flags & RVVM_JIT_SYNC ? 0 : threshold / 8 ? threshold / 8 : 1;
    e->state[i] = SLOT_QUEUED;
    if (!e->hot[i]) {
        /* After the page's slots that got hot before it and wait for code. */
        unsigned before = 0;
        for (size_t j = 0; j < RV_INSNS_PER_PAGE; j++)
            if ((e->hot[j] & RV_JIT_HOT_ORDER) > before && e->hot[j] != RV_JIT_ALONE &&
                (e->state[j] == SLOT_QUEUED || e->state[j] == SLOT_COMPILING))
                before = e->hot[j] & RV_JIT_HOT_ORDER;
        e->hot[i] = (uint8_t)(before < RV_JIT_HOT_ORDER - 1 ? before + 1 : RV_JIT_HOT_ORDER - 1);
        if (slots[i].block_count >= RV_JIT_LONG_HEAD_INSNS)
            e->hot[i] |= RV_JIT_LONG_HEAD;
    }
    c->queued++;
    for (size_t j = 0; j < RV_INSNS_PER_PAGE; j++)
        if (e->state[j] == SLOT_NONE && slots[j].handler == count_h && p->count[j] >= warm) {
            e->state[j] = SLOT_QUEUED;
            if (e->hot[j] != RV_JIT_ALONE)
                e->hot[j] = slots[j].block_count >= RV_JIT_LONG_HEAD_INSNS ? RV_JIT_LONG_HEAD : 0;
            c->queued++;
        }
    if (!enqueue(c, e)) {
        for (size_t j = 0; j < RV_INSNS_PER_PAGE; j++)
            if (e->state[j] == SLOT_QUEUED)
                e->state[j] = SLOT_DONE; /* no compile thread: not translated */
    }
}

/*
 * Installs what the cache has finished for this page: each counted slot with
 * code gets it; a counted slot whose translation failed, once hot, gets its
 * own handler back. Under the cache's lock, on the machine's thread: at a run
 * boundary (the interpreter is entering slot i).
 *
 * Counts made before new code for the page arrived are stale: the code runs
 * the runs its branches reach, so a loop counted meanwhile may now run inside
 * it. The page's slots not asked for count again from zero.
 */
static rv_jit_fn install(rvvm_machine *m, rv_jit_page *p, rv_slot *slots, size_t i, bool *give_up)
{
    rvvm_jit_cache *c = m->jit->cache;
    rv_jit_entry *e = p->entry;
    const void *count_h = m->handlers[RV_HANDLER_JIT_COUNT], *run_h = m->handlers[RV_HANDLER_JIT_RUN];
    uint32_t threshold = m->config.jit_threshold ? m->config.jit_threshold : 1;
    /* A fork's slots shared with its template are read, never written: the
     * code is kept here and entered from the counting handler. */
    bool own = !rv_code_readonly(m, slots);
    bool fresh = false;
    p->seen = c->done;
    for (size_t j = 0; j < RV_INSNS_PER_PAGE; j++) {
        if (e->state[j] != SLOT_DONE || p->fn[j] || slots[j].handler != count_h)
            continue;
        if (e->fn[j]) {
            p->fn[j] = e->fn[j];
            if (own)
                slots[j].handler = run_h;
            m->jit->translations++;
            fresh = true;
        } else if (p->count[j] >= threshold && j != i && own) {
            slots[j].handler = original_handler(m, &slots[j]);
        }
    }
    if (fresh) {
        for (size_t j = 0; j < RV_INSNS_PER_PAGE; j++)
            if (e->state[j] == SLOT_NONE)
                p->count[j] = 0;
    } else {
        /* A hot slot that has not asked yet asks now. */
        for (size_t j = 0; j < RV_INSNS_PER_PAGE; j++)
            if (e->state[j] == SLOT_NONE && p->count[j] >= threshold && slots[j].handler == count_h) {
                queue_page(c, e, slots, p, j, count_h, threshold);
                break;
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
    bool sync = c->flags & RVVM_JIT_SYNC;
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
    install(m, p, slots, i, give_up); /* first: new code makes older counts stale */
    for (;;) {
        if (e->state[i] == SLOT_NONE && p->count[i] >= threshold)
            queue_page(c, e, slots, p, i, count_h, threshold);
        if (!sync)
            break;
        while (e->state[i] == SLOT_QUEUED || e->state[i] == SLOT_COMPILING)
            pthread_cond_wait(&c->finished, &c->lock);
        if (e->state[i] != SLOT_NONE || p->count[i] < threshold)
            break; /* NONE: left out of a full region (compile_thread), asked again */
    }
    rv_jit_fn f = install(m, p, slots, i, give_up);
    pthread_mutex_unlock(&c->lock);
    return f;
}

/* Looks for the page's bytes among the pages of the cache's loaded file. */
static void probe(rvvm_machine *m, rv_jit_page *p, const rv_slot *in)
{
    rvvm_jit_cache *c = m->jit->cache;
    uint64_t page_base = RV_PAGE_BASE_OF(in), h;
    p->probed = true;
    pthread_mutex_lock(&c->lock);
    rv_jit_entry *e = entry_find(c, page_base, m->config.isa, &m->config.cost_model, m->mem.base + page_base, &h);
    if (e) {
        if (!p->entry)
            p->entry = e;
        for (size_t a = 0; a < c->aot_count; a++)
            if (c->aot[a].e == e)
                p->warm = c->aot[a].slots;
    }
    pthread_mutex_unlock(&c->lock);
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
    rvvm_jit_cache *c = m->jit->cache;
    if (c->aot_count) {
        /* Code loaded from the cache's file is installed at once, at the
         * slot's first count: it was hot in an earlier process. */
        if (!p->probed)
            probe(m, p, in);
        if (p->warm && p->warm[i / 8] >> i % 8 & 1) {
            pthread_mutex_lock(&c->lock);
            rv_jit_fn f = install(m, p, RV_SLOTS_OF(in), i, give_up);
            pthread_mutex_unlock(&c->lock);
            if (f)
                return f;
        }
    }
    if (p->count[i] < threshold) {
        p->count[i] = threshold - p->count[i] > step ? p->count[i] + step : threshold;
        if (p->count[i] < threshold)
            return NULL;
        return request(m, p, in, i, give_up);
    }
    /* Requested before: install if the cache finished anything since this
     * page last looked (or ask again if its job was left out, compile_thread). */
    if (__atomic_load_n(&c->done, __ATOMIC_RELAXED) == p->seen || !p->entry)
        return NULL;
    return request(m, p, in, i, give_up);
}

#endif

#ifdef RVVM_HAVE_GCCJIT

/* ---- The ahead-of-time file (jit_aot.c) ---- */

/* Installs a validated file's code as finished entries; false (nothing changed) if a name is missing. */
static bool aot_install(rvvm_jit_cache *c, const rv_aot_image *img, void *dl, char *why, size_t why_size)
{
    void **fns = calloc(img->name_count ? img->name_count : 1, sizeof *fns);
    struct aot_page *pages = realloc(c->aot, (c->aot_count + img->page_count + 1) * sizeof *c->aot);
    if (pages)
        c->aot = pages;
    if (!fns || !pages) {
        free(fns);
        snprintf(why, why_size, "out of memory");
        return false;
    }
    for (uint32_t n = 0; n < img->name_count; n++) {
        if (!(fns[n] = dlsym(dl, img->names + (size_t)n * RV_AOT_NAME))) {
            free(fns);
            snprintf(why, why_size, "function %.31s missing", img->names + (size_t)n * RV_AOT_NAME);
            return false;
        }
    }
    for (uint32_t i = 0; i < img->page_count; i++) {
        const rv_aot_page *pg = &img->pages[i];
        rv_jit_entry *e = entry_for(c, pg->page_base, pg->isa, &pg->costs, pg->bytes);
        if (!e)
            break; /* the cache is full: the rest is not used */
        struct aot_page *a = NULL;
        for (size_t k = 0; k < c->aot_count && !a; k++)
            if (c->aot[k].e == e)
                a = &c->aot[k];
        if (!a) {
            a = &c->aot[c->aot_count++];
            memset(a, 0, sizeof *a);
            a->e = e;
        }
        for (uint32_t s = 0; s < pg->slots; s++) {
            const uint8_t *r = pg->slot_list + 8 * (size_t)s;
            uint32_t slot = (uint32_t)r[0] | (uint32_t)r[1] << 8;
            uint32_t n = (uint32_t)r[4] | (uint32_t)r[5] << 8 | (uint32_t)r[6] << 16 | (uint32_t)r[7] << 24;
            if (e->state[slot] == SLOT_DONE)
                continue; /* the same page twice in the files: the first counts */
            e->state[slot] = SLOT_DONE;
            e->in_file[slot] = 1;
            if (n == AOT_NO_CODE)
                continue; /* not translatable: never compiled again */
            *(void **)&e->fn[slot] = fns[n];
            a->slots[slot / 8] |= (uint8_t)(1u << slot % 8);
            c->loaded++;
        }
    }
    free(fns);
    return true;
}

rvvm_jit_cache *rvvm_jit_cache_create_persistent(const char *dir, const void *key, size_t key_size,
                                                 unsigned flags, char *err, size_t err_size)
{
    char dummy[1];
    if (!err || !err_size) {
        err = dummy;
        err_size = sizeof dummy;
    }
    err[0] = 0;
    struct stat st;
    if (!dir || !*dir || (!key && key_size)) {
        snprintf(err, err_size, "no cache directory or key");
        return NULL;
    }
    if (stat(dir, &st) != 0) {
        snprintf(err, err_size, "jit cache directory '%s': %s", dir, strerror(errno));
        return NULL;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, err_size, "jit cache directory '%s': not a directory", dir);
        return NULL;
    }
    rvvm_jit_cache *c = rvvm_jit_cache_create(flags);
    if (!c) {
        snprintf(err, err_size, "cannot make a translation cache (flags 0x%x)", flags);
        return NULL;
    }
    size_t path_size = strlen(dir) + 80;
    c->dir = strdup(dir);
    c->path = malloc(path_size);
    c->path_size = path_size;
    if (!c->dir || !c->path || !rv_aot_sha256(key ? key : "", key_size, c->key_hash) ||
        !rv_aot_path(c->path, path_size, dir, c->key_hash, 0)) {
        rvvm_jit_cache_release(c);
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    /* The main file, then its deltas: each is validated on its own; a page
     * in two of them takes its slots from the first. The first one ignored
     * is reported. */
    c->next_delta = 1;
    char *path = malloc(path_size);
    for (unsigned n = 0; path && n <= RV_AOT_MAX_DELTAS; n++) {
        char why[200] = "";
        if (!rv_aot_path(path, path_size, dir, c->key_hash, n))
            break;
        rv_aot_image img;
        if (rv_aot_read(path, c->key_hash, &img, why, sizeof why)) {
            int fd;
            void *dl = rv_aot_dlopen(&img, dir, &fd, why, sizeof why);
            if (dl && aot_install(c, &img, dl, why, sizeof why)) {
                c->aot_fd[c->aot_files] = fd;
                c->aot_dl[c->aot_files++] = dl;
                c->base_loaded |= n == 0;
                dl = NULL;
            } else if (!err[0]) {
                snprintf(err, err_size, "ignored %s: %s", path, why);
            }
            if (dl) {
                dlclose(dl);
                if (fd >= 0)
                    close(fd);
            }
        } else if (strcmp(why, "absent") != 0 && !err[0]) {
            snprintf(err, err_size, "ignored %s: %s", path, why);
        }
        if (n && strcmp(why, "absent") != 0)
            c->next_delta = n + 1; /* after every delta there is, loaded or not */
        rv_aot_image_free(&img);
    }
    free(path);
    return c;
}

static int by_entry_slot(const void *a, const void *b)
{
    const job *x = a, *y = b;
    uintptr_t xe = (uintptr_t)x->e, ye = (uintptr_t)y->e;
    if (xe != ye)
        return xe < ye ? -1 : 1;
    return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/*
 * Saved slots are compiled in clusters, as split_far makes them at run time:
 * a page's slots go to one function unless more than RV_JIT_FAR bytes lie
 * between neighbours (main and a function it calls get one each), and a
 * function's region still leaves out what it has no room for (those slots
 * get functions of their own, see build_batch). Keeping the run-time
 * functions instead (a page's slots grouped as its compilations made them)
 * split a switch over several functions, whose cases then went through the
 * interpreter from one to the other: bytecode's warm run took 0.115 s CPU
 * against 0.066 in clusters (matmul's went from 0.063 to 0.080: its loops now
 * share a function with main's others), and the functions' regions
 * overlapped (the cold run, which compiles them, took 1.63 s against 1.15
 * for sort, 4.76 against 1.81 for memory; docs/jit.md). rv_jit_compile_to_file makes one
 * function per run of jobs with the same entry, so each cluster after a
 * page's first gets a copy of its entry (the fields code is made from); the
 * copies are listed in *copies, to be freed.
 */
static bool split_groups(job *jobs, size_t k, rv_jit_entry **copies)
{
    *copies = NULL;
    qsort(jobs, k, sizeof *jobs, by_entry_slot);
    const rv_jit_entry *page = NULL; /* the original entry of the group before */
    for (size_t t = 0, u; t < k; t = u) {
        for (u = t + 1; u < k && jobs[u].e == jobs[t].e && !far_apart(jobs[u - 1].slot, jobs[u].slot); u++)
            ;
        bool first = jobs[t].e != page;
        page = jobs[t].e;
        if (first)
            continue;
        rv_jit_entry *copy = entry_copy(jobs[t].e, copies);
        if (!copy) {
            free_copies(*copies);
            *copies = NULL;
            return false;
        }
        for (size_t v = t; v < u; v++)
            jobs[v].e = copy;
    }
    for (size_t t = 0; t < k; t++)
        jobs[t].fn = NULL;
    return true;
}

rvvm_status rvvm_jit_cache_save(rvvm_jit_cache *c, char *err, size_t err_size)
{
    char dummy[1];
    if (!err || !err_size) {
        err = dummy;
        err_size = sizeof dummy;
    }
    err[0] = 0;
    if (!c || !c->dir) {
        snprintf(err, err_size, "the translation cache has no directory");
        return RVVM_ERR_INVALID_ARGUMENT;
    }
    pthread_mutex_lock(&c->save_lock);
    pthread_mutex_lock(&c->lock);
    bool due = c->queued != c->queued_at_save;
    pthread_mutex_unlock(&c->lock);
    if (!due) {
        /* Nothing was queued since the file was read or written. */
        pthread_mutex_unlock(&c->save_lock);
        return RVVM_OK;
    }
    /* Every slot with code or on its way to it, grouped by page; with the
     * main file loaded, only those no file has, as a delta file (compiling
     * only what is new). Entries live as long as the cache and their bytes
     * never change. */
    pthread_mutex_lock(&c->lock);
    uint64_t queued = c->queued;
    bool delta = c->base_loaded && c->next_delta <= RV_AOT_MAX_DELTAS;
    size_t k = 0;
    job *originals = NULL; /* the jobs as collected (split_groups changes their entries) */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t b = 0; b < RV_JIT_BUCKETS; b++)
            for (rv_jit_entry *e = c->buckets[b]; e; e = e->next)
                for (size_t i = 0; i < RV_INSNS_PER_PAGE; i++) {
                    /* DONE without code is kept as such. */
                    bool want = e->state[i] != SLOT_NONE && !(delta && e->in_file[i]);
                    if (want && pass)
                        c->save_jobs[k] = (job){.e = e, .slot = (uint16_t)i, .fn = e->fn[i], .hot = e->hot[i]};
                    k += want;
                }
        if (!pass) {
            c->save_jobs = k ? malloc(k * sizeof(job)) : NULL;
            originals = k ? malloc(k * sizeof(job)) : NULL;
            if (!c->save_jobs || !originals) {
                free(c->save_jobs);
                c->save_jobs = NULL;
                break;
            }
            k = 0;
        }
    }
    pthread_mutex_unlock(&c->lock);
    if (c->save_jobs)
        memcpy(originals, c->save_jobs, k * sizeof(job));
    rvvm_status st = RVVM_OK;
    rv_jit_entry *copies = NULL;
    char *path = malloc(c->path_size);
    if (!path || !rv_aot_path(path, c->path_size, c->dir, c->key_hash, delta ? c->next_delta : 0)) {
        free(c->save_jobs);
        c->save_jobs = NULL;
    }
    if (c->save_jobs && !split_groups(c->save_jobs, k, &copies)) {
        free(c->save_jobs);
        c->save_jobs = NULL;
    }
    if (!c->save_jobs && k) {
        snprintf(err, err_size, "out of memory");
        st = RVVM_ERR_NO_MEMORY;
    } else if (k) {
        rv_gccjit api;
        void *h = gccjit_open(&api);
        size_t saved = 0;
        if (!h) {
            snprintf(err, err_size, "libgccjit cannot be loaded");
            st = RVVM_ERR_IO;
        } else if (!rv_aot_write(&api, c->dir, path, c->key_hash, c->save_jobs, k, &saved, err, err_size)) {
            st = RVVM_ERR_IO;
        }
        if (h)
            dlclose(h);
        pthread_mutex_lock(&c->lock);
        if (st == RVVM_OK) {
            c->saved = saved;
            for (size_t t = 0; t < k; t++)
                originals[t].e->in_file[originals[t].slot] = 1;
            if (delta) {
                c->next_delta++;
            } else {
                /* The main file has everything: the deltas made from the old one go. */
                for (unsigned n = 1; n <= RV_AOT_MAX_DELTAS; n++)
                    if (rv_aot_path(path, c->path_size, c->dir, c->key_hash, n))
                        unlink(path);
                c->base_loaded = true;
                c->next_delta = 1;
            }
        }
        pthread_mutex_unlock(&c->lock);
    }
    /* Tried: the last release does not try again for the same slots. */
    pthread_mutex_lock(&c->lock);
    c->queued_at_save = queued;
    pthread_mutex_unlock(&c->lock);
    free(c->save_jobs);
    c->save_jobs = NULL;
    free(originals);
    free(path);
    free_copies(copies);
    pthread_mutex_unlock(&c->save_lock);
    return st;
}

void rvvm_jit_cache_get_stats(rvvm_jit_cache *c, rvvm_jit_cache_stats *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    out->compilations = c->compilations;
    out->loaded = c->loaded;
    out->saved = c->saved;
    pthread_mutex_unlock(&c->lock);
}

#endif
