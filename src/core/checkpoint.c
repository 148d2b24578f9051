/*
 * In-place checkpoints and copy-on-write fork.
 *
 * A checkpoint copies the core's state (registers, pc, counters, the LR
 * reservation, FP state, layout, run state) and the OS layer's state through
 * its hooks. Guest memory is not copied: from the checkpoint on, the first
 * write to each page saves that page into the newest checkpoint (memory.h),
 * so restoring costs in proportion to the pages written since.
 *
 * Checkpoint k's saved pages hold, for each page first written between
 * checkpoint k and checkpoint k+1 (or now), its state when k was taken.
 * Restoring k therefore puts back the pages of every newer checkpoint, newest
 * first, then k's own: a page saved in several ends up as the oldest copy,
 * which is its state at k.
 */
#include "cpu.h"
#include "../elf/loader.h"

#include <stdlib.h>
#include <time.h>

typedef struct rv_level {
    uint32_t seq;        /* the id's low half */
    rv_core_state core;
    void *os_saved;      /* the OS state's copy (provider clone_state); NULL: none */
    uint64_t cost;       /* host bytes counted for the level itself */
    rv_page_save pages;
} rv_level;

struct rv_checkpoints {
    rv_level **v;        /* oldest first */
    size_t n, cap;
};

void rv_core_save(const rvvm_machine *m, rv_core_state *c)
{
    memcpy(c->x, m->x, sizeof c->x);
    c->pc = m->pc;
    c->cycles = m->cycles;
    c->instret = m->instret;
    c->resv_addr = m->resv_addr;
    c->resv_valid = m->resv_valid;
    c->resv_size = m->resv_size;
    c->fcsr = m->fcsr;
    memcpy(c->f, m->f, sizeof c->f);
    c->mtvec = m->mtvec;
    c->layout = m->layout;
    c->state = m->state;
    c->exit_code = m->exit_code;
    c->fault = m->fault;
    c->call = m->call;
}

void rv_core_load(rvvm_machine *m, const rv_core_state *c, bool with_x)
{
    if (with_x)
        memcpy(m->x, c->x, sizeof c->x);
    m->pc = c->pc;
    m->cycles = c->cycles;
    m->instret = c->instret;
    m->resv_addr = c->resv_addr;
    m->resv_valid = c->resv_valid;
    m->resv_size = c->resv_size;
    m->fcsr = c->fcsr;
    memcpy(m->f, c->f, sizeof m->f);
    m->mtvec = c->mtvec;
    m->layout = c->layout;
    m->state = c->state;
    m->exit_code = c->exit_code;
    m->fault = c->fault;
    m->call = c->call;
}

/*
 * The OS layer's state: copied whole through the provider's clone_state hook
 * (a checkpoint keeps a copy; a restore installs a copy of that copy, so the
 * checkpoint can be restored again; a fork child gets its own).
 */
static uint64_t state_size(const rvvm_machine *m, const void *state)
{
    if (!state)
        return 0;
    return m->os->state_size ? m->os->state_size(state) : RV_STATE_SIZE_ESTIMATE;
}

/* A copy of the machine's OS state into *copy (NULL if it has none); the error is t's. */
static rvvm_status os_copy(rvvm_machine *t, const rvvm_machine *m, const void *state,
                           bool for_fork, void **copy)
{
    *copy = NULL;
    if (!state)
        return RVVM_OK;
    if (!m->os->clone_state)
        return rv_fail(t, RVVM_ERR_STATE, "the OS layer '%s' cannot be copied", m->os->name);
    if (!(*copy = m->os->clone_state(state, for_fork)))
        return rv_fail(t, RVVM_ERR_NO_MEMORY, "cannot copy the OS state (out of memory%s)",
                       for_fork ? ", or an unnamed file could not be copied" : "");
    return RVVM_OK;
}

static void os_discard(const rvvm_machine *m, void *saved)
{
    if (saved)
        m->os->destroy(saved);
}

void rv_checkpoint_init(rvvm_machine *m)
{
    /*
     * Ids carry a tag so that another machine's ids are recognised. It only
     * needs to differ between machines alive at once; it is never visible to
     * the guest. Mixed from the machine's address and the host clock.
     */
    struct timespec ts = {0};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t h = (uint64_t)(uintptr_t)m ^ ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    m->checkpoint_tag = (uint32_t)h ? (uint32_t)h : 1;
    m->checkpoint_seq = 0;
    pthread_mutex_init(&m->fork_lock, NULL);
}

static void level_free(rvvm_machine *m, rv_level *l)
{
    rv_memory_save_clear(&m->mem, &l->pages);
    free(l->pages.v);
    os_discard(m, l->os_saved);
    m->mem.host_used -= l->cost;
    free(l);
}

void rv_checkpoint_destroy(rvvm_machine *m)
{
    rv_checkpoints *c = m->checkpoints;
    if (c) {
        for (size_t i = 0; i < c->n; i++)
            level_free(m, c->v[i]);
        free(c->v);
        free(c);
        m->checkpoints = NULL;
    }
    m->mem.save = NULL;
    pthread_mutex_destroy(&m->fork_lock);
}

bool rv_machine_frozen(const rvvm_machine *m)
{
    return rv_memory_frozen(&m->mem);
}

rvvm_status rvvm_checkpoint(rvvm_machine *m, rvvm_checkpoint_id *out)
{
    if (!m || !out)
        return RVVM_ERR_INVALID_ARGUMENT;
    *out = 0;
    if (m->in_handler)
        return rv_fail(m, RVVM_ERR_STATE, "rvvm_checkpoint is not valid inside an ecall handler");
    if (m->state == RV_STATE_EMPTY)
        return rv_fail(m, RVVM_ERR_STATE, "no program loaded");
    if (m->checkpoint_seq == UINT32_MAX)
        return rv_fail(m, RVVM_ERR_STATE, "the machine has used up its checkpoint ids");
    m->mem.host_limit = m->config.max_host_memory;
    uint64_t cost = sizeof(rv_level) + state_size(m, m->os_state);
    rv_memory *mem = &m->mem;
    if (mem->host_limit && (mem->host_used > mem->host_limit || cost > mem->host_limit - mem->host_used))
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "the host-memory limit is reached");
    rv_checkpoints *c = m->checkpoints;
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c)
            return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory");
        m->checkpoints = c;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 8;
        rv_level **v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory");
        c->v = v;
        c->cap = cap;
    }
    rv_level *l = calloc(1, sizeof *l);
    if (!l)
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory");
    rvvm_status st = os_copy(m, m, m->os_state, false, &l->os_saved);
    if (st != RVVM_OK) {
        free(l);
        return st;
    }
    rv_core_save(m, &l->core);
    l->seq = ++m->checkpoint_seq;
    l->cost = cost;
    mem->host_used += cost;
    /* Pages written from now on are saved into this checkpoint first. */
    rv_memory_new_epoch(mem);
    mem->save = &l->pages;
    c->v[c->n++] = l;
    *out = (uint64_t)m->checkpoint_tag << 32 | l->seq;
    m->error[0] = '\0';
    return RVVM_OK;
}

/* The index of checkpoint `id`, or -1 with the error recorded. */
static long find_level(rvvm_machine *m, rvvm_checkpoint_id id)
{
    if ((uint32_t)(id >> 32) != m->checkpoint_tag) {
        rv_fail(m, RVVM_ERR_INVALID_ARGUMENT, "checkpoint %#llx belongs to another machine",
                (unsigned long long)id);
        return -1;
    }
    rv_checkpoints *c = m->checkpoints;
    uint32_t seq = (uint32_t)id;
    for (size_t i = 0; c && i < c->n; i++)
        if (c->v[i]->seq == seq)
            return (long)i;
    rv_fail(m, RVVM_ERR_INVALID_ARGUMENT,
            "checkpoint %#llx no longer exists (freed, or undone by restoring an older one)",
            (unsigned long long)id);
    return -1;
}

/* Puts one checkpoint's pages back, newest first. */
static void restore_pages(rvvm_machine *m, const rv_page_save *s)
{
    for (size_t i = s->n; i-- > 0;) {
        rv_saved_page e = s->v[i];
        rv_code_page_changed(m, e.page);
        e.flags &= (uint8_t)~RV_PAGE_CODE; /* its decoded code, if any, is gone */
        rv_memory_restore_page(&m->mem, &e);
    }
}

rvvm_status rvvm_restore(rvvm_machine *m, rvvm_checkpoint_id id)
{
    if (!m)
        return RVVM_ERR_INVALID_ARGUMENT;
    if (m->in_handler)
        return rv_fail(m, RVVM_ERR_STATE, "rvvm_restore is not valid inside an ecall handler");
    long k = find_level(m, id);
    if (k < 0)
        return RVVM_ERR_INVALID_ARGUMENT;
    if (rv_machine_frozen(m))
        return rv_fail(m, RVVM_ERR_STATE, "the machine is a fork template with live children");
    rv_checkpoints *c = m->checkpoints;
    for (size_t i = (size_t)k; i < c->n; i++)
        if (c->v[i]->pages.lost)
            return rv_fail(m, RVVM_ERR_NO_MEMORY,
                           "a page written since the checkpoint could not be saved");
    /* The OS state to install, copied first: if that fails, nothing has changed. */
    void *os_fresh;
    rvvm_status st = os_copy(m, m, c->v[k]->os_saved, false, &os_fresh);
    if (st != RVVM_OK)
        return st;
    for (size_t i = c->n; i-- > (size_t)k;) {
        restore_pages(m, &c->v[i]->pages);
        if (i > (size_t)k)
            level_free(m, c->v[i]);
    }
    c->n = (size_t)k + 1;
    rv_level *l = c->v[k];
    rv_memory_save_clear(&m->mem, &l->pages);
    m->mem.save = &l->pages;
    rv_memory_new_epoch(&m->mem);
    rv_core_load(m, &l->core, true);
    if (os_fresh) {
        m->os->destroy(m->os_state);
        m->os_state = os_fresh;
    }
    m->error[0] = '\0';
    return RVVM_OK;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/*
 * Moves the saved pages of `from` into the older `into`: a page saved in
 * both keeps into's (older) copy.
 */
static void merge_pages(rv_memory *mem, rv_page_save *into, rv_page_save *from)
{
    into->lost |= from->lost;
    uint32_t *seen = into->n ? malloc(into->n * sizeof *seen) : NULL;
    size_t need = into->n + from->n;
    if (need > into->cap) {
        rv_saved_page *v = realloc(into->v, need * sizeof *v);
        if (v) {
            into->v = v;
            into->cap = need;
        }
    }
    if ((into->n && !seen) || need > into->cap) {
        into->lost = true; /* no room to merge: restoring `into` now reports it */
        rv_memory_save_clear(mem, from);
        free(seen);
        return;
    }
    for (size_t i = 0; i < into->n; i++)
        seen[i] = into->v[i].page;
    size_t n0 = into->n;
    if (n0)
        qsort(seen, n0, sizeof *seen, cmp_u32);
    for (size_t i = 0; i < from->n; i++) {
        rv_saved_page e = from->v[i];
        if (n0 && bsearch(&e.page, seen, n0, sizeof *seen, cmp_u32)) {
            mem->host_used -= RV_SAVED_PAGE_COST(e.data != NULL);
            free(e.data);
        } else {
            into->v[into->n++] = e;
        }
    }
    from->n = 0;
    free(seen);
}

void rvvm_checkpoint_free(rvvm_machine *m, rvvm_checkpoint_id id)
{
    if (!m)
        return;
    if (m->in_handler) {
        (void)rv_fail(m, RVVM_ERR_STATE, "rvvm_checkpoint_free is not valid inside an ecall handler");
        return;
    }
    long k = find_level(m, id);
    if (k < 0)
        return;
    rv_checkpoints *c = m->checkpoints;
    rv_level *l = c->v[k];
    bool newest = (size_t)k == c->n - 1;
    if (k > 0)
        merge_pages(&m->mem, &c->v[k - 1]->pages, &l->pages);
    if (newest)
        m->mem.save = k > 0 ? &c->v[k - 1]->pages : NULL;
    level_free(m, l);
    memmove(&c->v[k], &c->v[k + 1], (c->n - (size_t)k - 1) * sizeof *c->v);
    c->n--;
    m->error[0] = '\0';
}

rvvm_status rvvm_fork(rvvm_machine *t, rvvm_machine **child)
{
    if (!t || !child)
        return RVVM_ERR_INVALID_ARGUMENT;
    *child = NULL;
    pthread_mutex_lock(&t->fork_lock);
    rvvm_status st = RVVM_OK;
    rvvm_machine *m = NULL;
    const uint8_t *digest;
    if (t->in_handler) {
        st = rv_fail(t, RVVM_ERR_STATE, "rvvm_fork is not valid inside an ecall handler");
        goto out;
    }
    if (t->state != RV_STATE_READY) {
        st = rv_fail(t, RVVM_ERR_STATE, "cannot fork: the template %s",
                     t->state == RV_STATE_EMPTY    ? "has no program loaded"
                     : t->state == RV_STATE_EXITED ? "has exited"
                                                   : "has faulted");
        goto out;
    }
    /* The program's identity is shared as its hash, computed once. */
    if ((st = rv_program_sha256(t, &digest)) != RVVM_OK)
        goto out;
    if (!rv_memory_share(&t->mem)) {
        st = rv_fail(t, RVVM_ERR_NO_MEMORY, "cannot make guest memory shareable");
        goto out;
    }
    /* No page of the template may stay fast: a child inherits the flags,
     * and must save and count the pages it writes. */
    rv_memory_new_epoch(&t->mem);

    m = calloc(1, sizeof *m);
    void *code = NULL;
    size_t code_front = rv_code_front_size(&t->config, t->mem.page_count);
    if (!m || rv_memory_init_fork(&m->mem, &t->mem, code_front, &code) != 0) {
        free(m);
        m = NULL;
        st = rv_fail(t, RVVM_ERR_NO_MEMORY, "out of memory");
        goto out;
    }
    m->config = t->config;
    m->config.pool = NULL; /* a fork never takes or gives a pooled mapping */
    rv_jit_cache_ref(m->config.jit_cache); /* a child shares its template's translations */
    m->mem.host_limit = t->config.max_host_memory;
    m->x = m->mem.regs; /* the template's values, copy-on-write */
    rv_code_init(m, code, code_front); /* its decode cache: in the same mapping */
    m->handlers = t->handlers;
    m->read_fn = t->read_fn;
    m->write_fn = t->write_fn;
    m->io_user = t->io_user;
    m->ecall_fn = t->ecall_fn;
    m->ecall_user = t->ecall_user;
    m->trace_fn = t->trace_fn;
    m->trace_user = t->trace_user;
    rv_checkpoint_init(m);
    rv_core_state core;
    rv_core_save(t, &core);
    rv_core_load(m, &core, false);
    memcpy(m->program_sha256, digest, sizeof m->program_sha256);
    m->program_hashed = true;
    /* The program's symbols (rvvm_symbol) and loaded ranges (snapshots), shared. */
    rv_elf_share(m, t);
    /* Its decoded code, shared read-only (code_cache.c). */
    if (!rv_code_share(m, t))
        st = RVVM_ERR_NO_MEMORY;
    m->program_size = t->program_size;
    if (t->program_path && !(m->program_path = strdup(t->program_path)))
        st = RVVM_ERR_NO_MEMORY;
    if (st != RVVM_OK) {
        rvvm_destroy(m);
        m = NULL;
        st = rv_fail(t, RVVM_ERR_NO_MEMORY, "out of memory");
        goto out;
    }
    /* The OS state: the child's own copy. */
    if ((st = os_copy(t, t, t->os_state, true, &m->os_state)) != RVVM_OK) {
        rvvm_destroy(m);
        m = NULL;
        goto out;
    }
    m->os = t->os;
    m->mem.host_used += state_size(m, m->os_state);
    t->error[0] = '\0';
out:
    pthread_mutex_unlock(&t->fork_lock);
    *child = m;
    return st;
}
