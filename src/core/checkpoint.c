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

/* The core's state, copied whole. */
typedef struct rv_core_state {
    uint64_t x[32];
    uint64_t pc, cycles, instret;
    uint64_t resv_addr;
    bool resv_valid;
    uint8_t resv_size;
    uint32_t fcsr;
    uint64_t f[32];
    uint64_t mtvec;
    rv_layout layout;
    rv_run_state state;
    int exit_code;
    rvvm_fault fault;
    rv_call_frame call;  /* a guest call (rvvm_call) in progress */
} rv_core_state;

typedef struct rv_level {
    uint32_t seq;        /* the id's low half */
    rv_core_state core;
    void *os_saved;      /* from state_hooks->save or, with os_parsed, the provider's
                            parsed snapshot section; NULL if nothing to save */
    bool os_parsed;
    uint64_t cost;       /* host bytes counted for the level itself */
    rv_page_save pages;
} rv_level;

struct rv_checkpoints {
    rv_level **v;        /* oldest first */
    size_t n, cap;
};

static void save_core(const rvvm_machine *m, rv_core_state *c)
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

static void load_core(rvvm_machine *m, const rv_core_state *c, bool with_x)
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

static uint64_t state_size(const rvvm_machine *m, const void *state)
{
    if (!m->state_hooks)
        return m->os ? RV_STATE_SIZE_ESTIMATE : 0;
    return m->state_hooks->size ? m->state_hooks->size(state) : RV_STATE_SIZE_ESTIMATE;
}

/*
 * The OS layer's state: through the state hooks when the machine has them,
 * otherwise through the provider's snapshot section (serialised and parsed
 * now, applied to a fresh provider state on restore: open files are reopened
 * by their host paths, as when resuming a snapshot).
 */
static bool provider_can_save(const rvvm_machine *m)
{
    return m->os && m->os->save && m->os->parse && m->os->restore && m->os->parsed_free;
}

static rvvm_status os_save(rvvm_machine *m, void **saved, bool *parsed)
{
    *saved = NULL;
    *parsed = false;
    if (m->state_hooks) {
        if (m->state_hooks->save && !(*saved = m->state_hooks->save(m, m->state_hooks_state)))
            return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory saving the OS state");
        return RVVM_OK;
    }
    if (!provider_can_save(m))
        return RVVM_OK;
    uint8_t *data = NULL;
    size_t len = 0;
    char why[200];
    rvvm_status st = m->os->save(m, m->os_state, &data, &len, why, sizeof why);
    if (st == RVVM_OK)
        st = m->os->parse(data, len, m->mem.size, saved, why, sizeof why);
    free(data);
    if (st != RVVM_OK) {
        *saved = NULL;
        return rv_fail(m, st, "cannot save the OS state: %s", why);
    }
    *parsed = true;
    return RVVM_OK;
}

static void os_discard(const rvvm_machine *m, void *saved, bool parsed)
{
    if (!saved)
        return;
    if (parsed)
        m->os->parsed_free(saved);
    else if (m->state_hooks && m->state_hooks->discard)
        m->state_hooks->discard(saved);
}

/* Makes the machine's OS state equal to saved (core state already restored). */
static rvvm_status os_restore(rvvm_machine *m, const void *saved, bool parsed)
{
    if (!saved)
        return RVVM_OK;
    if (!parsed) {
        if (m->state_hooks && m->state_hooks->restore)
            m->state_hooks->restore(m, m->state_hooks_state, saved);
        return RVVM_OK;
    }
    void *old = m->os_state, *fresh = m->os->create(m);
    if (!fresh)
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory restoring the OS state");
    char why[200];
    m->os_state = fresh;
    /* NULL options: the machine's own in-process state, its grants kept. */
    rvvm_status st = m->os->restore(m, fresh, saved, NULL, why, sizeof why);
    if (st != RVVM_OK) {
        m->os_state = old;
        m->os->destroy(fresh);
        return rv_fail(m, st, "cannot restore the OS state: %s", why);
    }
    if (old)
        m->os->destroy(old);
    return RVVM_OK;
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
    os_discard(m, l->os_saved, l->os_parsed);
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
    uint64_t cost = sizeof(rv_level) + state_size(m, m->state_hooks_state);
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
    rvvm_status st = os_save(m, &l->os_saved, &l->os_parsed);
    if (st != RVVM_OK) {
        free(l);
        return st;
    }
    save_core(m, &l->core);
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
    load_core(m, &l->core, true);
    /* Memory and core state are back; if the OS state cannot follow (a file
     * that was reopened is gone), the call fails and says so. */
    rvvm_status st = os_restore(m, l->os_saved, l->os_parsed);
    if (st != RVVM_OK)
        return st;
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
    qsort(seen, into->n, sizeof *seen, cmp_u32);
    size_t n0 = into->n;
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
    if (!m || rv_memory_init_fork(&m->mem, &t->mem, t->mem.page_count * sizeof *m->code,
                                  &code) != 0) {
        free(m);
        m = NULL;
        st = rv_fail(t, RVVM_ERR_NO_MEMORY, "out of memory");
        goto out;
    }
    m->config = t->config;
    rv_jit_cache_ref(m->config.jit_cache); /* a child shares its template's translations */
    m->mem.host_limit = t->config.max_host_memory;
    m->x = m->mem.regs; /* the template's values, copy-on-write */
    m->code = code;
    m->handlers = t->handlers;
    m->read_fn = t->read_fn;
    m->write_fn = t->write_fn;
    m->io_user = t->io_user;
    m->ecall_fn = t->ecall_fn;
    m->ecall_user = t->ecall_user;
    m->trace_fn = t->trace_fn;
    m->trace_user = t->trace_user;
    rv_checkpoint_init(m);
    m->os = t->os;
    m->os_state = m->os ? m->os->create(m) : NULL;
    if (m->os && !m->os_state) {
        m->os = NULL;
        rvvm_destroy(m);
        m = NULL;
        st = rv_fail(t, RVVM_ERR_NO_MEMORY, "out of memory");
        goto out;
    }
    rv_core_state core;
    save_core(t, &core);
    load_core(m, &core, false);
    memcpy(m->program_sha256, digest, sizeof m->program_sha256);
    m->program_hashed = true;
    /* The program's symbols (rvvm_symbol) and loaded ranges (snapshots), shared. */
    rv_elf_share(m, t);
    m->program_size = t->program_size;
    if (t->program_path && !(m->program_path = strdup(t->program_path)))
        st = RVVM_ERR_NO_MEMORY;
    if (st != RVVM_OK) {
        rvvm_destroy(m);
        m = NULL;
        st = rv_fail(t, RVVM_ERR_NO_MEMORY, "out of memory");
        goto out;
    }
    /* The OS state: the fork hook, or the provider's snapshot section. */
    if (t->state_hooks) {
        if (t->state_hooks->fork &&
            !(m->state_hooks_state = t->state_hooks->fork(m, t->state_hooks_state)))
            st = rv_fail(t, RVVM_ERR_NO_MEMORY, "out of memory forking the OS state");
        m->state_hooks = t->state_hooks;
    } else if (provider_can_save(t)) {
        void *saved;
        bool parsed;
        st = os_save(t, &saved, &parsed);
        if (st == RVVM_OK) {
            st = os_restore(m, saved, parsed);
            if (st != RVVM_OK)
                st = rv_fail(t, st, "%s", m->error);
            os_discard(t, saved, parsed);
        }
    }
    if (st != RVVM_OK) {
        rvvm_destroy(m);
        m = NULL;
        goto out;
    }
    m->mem.host_used += state_size(m, m->state_hooks_state);
    t->error[0] = '\0';
out:
    pthread_mutex_unlock(&t->fork_lock);
    *child = m;
    return st;
}
