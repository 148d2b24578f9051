/*
 * The decode cache: per executable page, one slot per halfword plus two
 * end-of-page slots. Slots are decoded in straight-line runs and carry the
 * cost of the rest of their run, which is what block metering charges.
 *
 * Memory. A machine's slot arrays come from its code arena: a reservation
 * (made with guest memory, in the same host mapping, see rv_code_init; or
 * of its own at the first executed page) that the host commits only where
 * touched, handed out in order. A fresh array is zero, which reads as
 * "undecoded" (see cpu.h), so a page costs only the host pages its runs
 * occupy; each array's header records which slots were written, so
 * resetting a page clears only those. The arena holds at most the cache's
 * cap of arrays (config.max_code_cache); when it is full, or the host-memory
 * limit is, the whole cache is emptied (rv_code_flush: one madvise) where the
 * interpreter holds no slot pointer, and refilled as the guest runs on.
 * Decoding is deterministic, so emptying changes speed, never cycles.
 *
 * Forks. A fork starts with its template's arrays (rv_code_share), shared
 * read-only: it reads the template's table for each page it meets, the
 * template cannot run (so cannot change them) while it has children, and
 * the arena is reference-counted, so the arrays and the table outlive the
 * template if need be. The fork copies an array into its own arena before
 * it would write it (rv_code_private: decoding a new run there, a budget
 * stop, unfusing), and forgets it (RV_CODE_NONE) when the page's bytes
 * change.
 */
#include "cpu.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>

struct rv_code_arena {
    atomic_uint refs;     /* the owner and the forks sharing its arrays */
    uint8_t *map;         /* what to unmap after the last reference, or NULL
                             (the owner's guest memory unmaps it) */
    size_t map_size;
    uint8_t *base;        /* the first array, RV_SLOT_ARRAY_SIZE aligned */
    size_t cap;           /* arrays it has room for */
    size_t used;          /* arrays handed out since it was last emptied */
    rv_slot **table;      /* the owner's table, once the owner is gone (forks read it) */
    size_t table_bytes;
};

/* The handler for an op at an instruction of `len` bytes (see m->handlers). */
static const void *handler_of(const rvvm_machine *m, unsigned op, unsigned len)
{
    return m->handlers ? m->handlers[op + (len == 4 ? RV_OP_COUNT : 0)] : NULL;
}

/* Records that slot i of an array was written. */
static void note(rv_slot *slots, size_t i)
{
    rv_code_hdr *h = RV_CODE_HDR(slots);
    if (h->hi == 0) {
        h->lo = (uint16_t)i;
        h->hi = (uint16_t)(i + 1);
    } else if (i < h->lo) {
        h->lo = (uint16_t)i;
    } else if (i >= h->hi) {
        h->hi = (uint16_t)(i + 1);
    }
}

/* Makes slot i, which decoded code reaches without a test, an "undecoded" entry. */
static void mark_entry(const rvvm_machine *m, rv_slot *slots, size_t i)
{
    if (i >= RV_INSNS_PER_PAGE || slots[i].op != RV_OP_undecoded || slots[i].handler)
        return;
    slots[i].handler = handler_of(m, RV_OP_undecoded, 2);
    note(slots, i);
}

/* Clears the slots a page wrote: the array reads as fresh again. */
static void reset_slots(rv_slot *slots)
{
    rv_code_hdr *h = RV_CODE_HDR(slots);
    if (h->hi)
        memset(&slots[h->lo], 0, (size_t)(h->hi - h->lo) * sizeof *slots);
    h->lo = h->hi = 0;
}

/* The cache's cap in arrays: at least one, at most one per guest page. */
static size_t cache_cap(const rvvm_config *config, uint64_t page_count)
{
    uint64_t bytes = config->max_code_cache ? config->max_code_cache : RVVM_DEFAULT_CODE_CACHE;
    uint64_t n = bytes / RV_CODE_PAGE_COST;
    if (n > page_count)
        n = page_count;
    return n ? (size_t)n : 1;
}

static size_t table_area(uint64_t page_count)
{
    return ((size_t)page_count * sizeof(rv_slot *) + RV_PAGE_MASK) & ~(size_t)RV_PAGE_MASK;
}

/* Room for cap arrays at RV_SLOT_ARRAY_SIZE alignment in a page-aligned range. */
static size_t arena_room(size_t cap)
{
    return (cap + 1) * RV_SLOT_ARRAY_SIZE;
}

size_t rv_code_front_size(const rvvm_config *config, uint64_t page_count)
{
    return table_area(page_count) + arena_room(cache_cap(config, page_count));
}

size_t rv_code_front_used(const rvvm_machine *m)
{
    const rv_code_arena *a = m->code_arena;
    size_t table = table_area(m->mem.page_count);
    if (!m->code_reserve || !a || a->map)
        return table;
    /* Arrays are handed out in order, and emptying the arena (rv_code_flush)
     * gives its pages back: nothing past the last one handed out is written. */
    return (size_t)(a->base + a->used * RV_SLOT_ARRAY_SIZE - (const uint8_t *)m->code);
}

void rv_code_init(rvvm_machine *m, void *front, size_t front_size)
{
    size_t table = table_area(m->mem.page_count);
    m->code = front;
    m->code_reserve = (uint8_t *)front + table;
    m->code_reserve_size = front_size - table;
}

/* An arena in `room` (reserved with guest memory, freed with it), or in a mapping of its own. */
static rv_code_arena *arena_new(size_t cap, uint8_t *room)
{
    rv_code_arena *a = malloc(sizeof *a);
    if (!a)
        return NULL;
    a->table = NULL;
    a->table_bytes = 0;
    uint8_t *at = room;
    if (room) {
        a->map = NULL; /* the machine's memory unmaps it, unless forks keep it */
        a->map_size = 0;
    } else {
        a->map_size = arena_room(cap);
        a->map = mmap(NULL, a->map_size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (a->map == MAP_FAILED) {
            free(a);
            return NULL;
        }
        at = a->map;
    }
    uintptr_t b = ((uintptr_t)at + RV_SLOT_ARRAY_SIZE - 1) & ~(uintptr_t)(RV_SLOT_ARRAY_SIZE - 1);
    a->base = (uint8_t *)b;
    a->cap = cap;
    a->used = 0;
    atomic_init(&a->refs, 1);
    return a;
}

static void arena_unref(rv_code_arena *a)
{
    if (a && atomic_fetch_sub(&a->refs, 1) == 1) {
        if (a->map)
            munmap(a->map, a->map_size);
        if (a->table)
            rv_free_zeroed(a->table, a->table_bytes);
        free(a);
    }
}

/* What a page's code is for reading: its own entry, or for a fork a shared template array. */
static rv_slot *code_at(const rvvm_machine *m, uint64_t page)
{
    rv_slot *s = m->code[page];
    if (!s && m->code_tmpl && rv_code_readonly(m, m->code_tmpl[page]))
        s = m->code_tmpl[page];
    return s == RV_CODE_NONE ? NULL : s;
}

/* What a page's entry becomes when its slots go: for a fork, never its template's again. */
static rv_slot *no_code(const rvvm_machine *m)
{
    return m->code_tmpl ? RV_CODE_NONE : NULL;
}

static bool limit_allows(const rv_memory *mem, uint64_t bytes)
{
    return !mem->host_limit ||
           (mem->host_used <= mem->host_limit && bytes <= mem->host_limit - mem->host_used);
}

/* A fresh array for `page` from the own arena, or NULL if there is no room. */
static rv_slot *take_array(rvvm_machine *m, uint64_t page, bool may_flush)
{
    if (!m->code_arena) {
        size_t cap = cache_cap(&m->config, m->mem.page_count);
        rv_code_arena *a =
            arena_new(cap, m->code_reserve && arena_room(cap) <= m->code_reserve_size
                               ? m->code_reserve : NULL);
        if (!a)
            return NULL;
        m->code_arena = a;
        m->code_own_lo = (uintptr_t)a->base;
        m->code_own_hi = (uintptr_t)a->base + a->cap * RV_SLOT_ARRAY_SIZE;
    }
    rv_code_arena *a = m->code_arena;
    if (a->used == a->cap || !limit_allows(&m->mem, RV_CODE_PAGE_COST)) {
        if (!may_flush || a->used == 0)
            return NULL;
        rv_code_flush(m);
        if (!limit_allows(&m->mem, RV_CODE_PAGE_COST))
            return NULL;
    }
    rv_slot *slots = (rv_slot *)(a->base + a->used++ * RV_SLOT_ARRAY_SIZE);
    m->mem.host_used += RV_CODE_PAGE_COST;
    for (int i = 0; i < 2; i++)
        slots[RV_INSNS_PER_PAGE + i] =
            (rv_slot){.handler = handler_of(m, RV_OP_page_end, 2),
                      .imm = (int64_t)(page << RV_PAGE_SHIFT), .op = RV_OP_page_end};
    return slots;
}

rv_slot *rv_code_page(rvvm_machine *m, uint64_t page, size_t entry, bool may_flush)
{
    /* Read with a write access (a compare-and-swap of 0 for 0, which the
     * compiler keeps; a fetch_or of 0 it turns into a load): the entry is
     * written next, and a plain read of a fresh table page would fault once
     * more. */
    rv_slot *have = NULL;
    __atomic_compare_exchange_n(&m->code[page], &have, NULL, false, __ATOMIC_RELAXED,
                                __ATOMIC_RELAXED);
    if ((uintptr_t)have > (uintptr_t)RV_CODE_NONE)
        return have;
    if (m->code_page_count == m->code_page_cap) {
        size_t cap = m->code_page_cap ? 2 * m->code_page_cap : 64;
        uint32_t *list = realloc(m->code_pages, cap * sizeof *list);
        if (!list)
            return NULL;
        m->code_pages = list;
        m->code_page_cap = cap;
    }
    /* A fork's first use of a page its template decoded: share it. */
    rv_slot *slots = !have && m->code_tmpl && rv_code_readonly(m, m->code_tmpl[page])
                         ? m->code_tmpl[page]
                         : take_array(m, page, may_flush);
    if (!slots)
        return NULL;
    /* Written without reading it first: a read would fault twice on a fresh host page. */
    if (!rv_code_readonly(m, slots) && entry < RV_INSNS_PER_PAGE) {
        slots[entry].handler = handler_of(m, RV_OP_undecoded, 2);
        note(slots, entry);
    }
    m->code[page] = slots;
    m->code_pages[m->code_page_count++] = (uint32_t)page;
    return slots;
}

/* Ops whose imm is the address of a slot of their own page (fill_slot, fuse_pairs). */
static const bool imm_is_slot[RV_OP_COUNT] = {
    [RV_OP_beq] = true, [RV_OP_bne] = true, [RV_OP_blt] = true,
    [RV_OP_bge] = true, [RV_OP_bltu] = true, [RV_OP_bgeu] = true,
    [RV_OP_jal] = true, [RV_OP_j] = true, [RV_OP_fused_auipc_jalr] = true,
    [RV_OP_fused_addi_beq] = true, [RV_OP_fused_addi_bne] = true,
    [RV_OP_fused_addi_blt] = true, [RV_OP_fused_addi_bge] = true,
    [RV_OP_fused_addi_bltu] = true, [RV_OP_fused_addi_bgeu] = true,
};

rv_slot *rv_code_private(rvvm_machine *m, uint64_t page, bool may_flush)
{
    rv_slot *old = m->code[page];
    if (!old || !rv_code_readonly(m, old))
        return old;
    /* Emptying the cache keeps shared arrays, so `old` stays in place. */
    rv_slot *slots = take_array(m, page, may_flush);
    if (!slots)
        return NULL;
    const rv_code_hdr *h = RV_CODE_HDR(old);
    intptr_t delta = (intptr_t)slots - (intptr_t)old;
    for (size_t i = h->lo; i < h->hi; i++) {
        slots[i] = old[i];
        if (imm_is_slot[slots[i].op])
            slots[i].imm += delta;
    }
    *RV_CODE_HDR(slots) = *h;
    m->code[page] = slots;
    return slots;
}

void rv_code_flush(rvvm_machine *m)
{
    rv_code_arena *a = m->code_arena;
    if (!a || a->used == 0)
        return;
    /* Pages keep RV_PAGE_CODE: their first store clears it (rv_code_page_changed). */
    size_t k = 0;
    for (size_t i = 0; i < m->code_page_count; i++) {
        uint32_t p = m->code_pages[i];
        if (rv_code_readonly(m, m->code[p]))
            m->code_pages[k++] = p;
        else
            m->code[p] = no_code(m);
    }
    m->code_page_count = k;
    madvise(a->base, a->used * RV_SLOT_ARRAY_SIZE, MADV_DONTNEED);
    m->mem.host_used -= a->used * RV_CODE_PAGE_COST;
    a->used = 0;
    m->code_flushes++;
}

uint64_t rv_code_bytes(const rvvm_machine *m)
{
    return m->code_arena ? (uint64_t)m->code_arena->used * RV_CODE_PAGE_COST : 0;
}

bool rv_code_share(rvvm_machine *child, rvvm_machine *t)
{
    /* Nothing is copied but the list of pages: the fork reads the template's
     * table as it meets each page (rv_code_page), so forking costs no page
     * of its own table. The template cannot change its table while it has
     * children; if it goes first, its arena keeps the table. */
    rv_code_arena *a = t->code_arena;
    if (!a || a->used == 0 || t->code_page_count == 0)
        return true;
    uint32_t *list = malloc(t->code_page_count * sizeof *list);
    if (!list)
        return false;
    memcpy(list, t->code_pages, t->code_page_count * sizeof *list);
    child->code_tmpl = t->code;
    child->code_tmpl_pages = list;
    child->code_tmpl_count = t->code_page_count;
    atomic_fetch_add(&a->refs, 1);
    child->code_shared = a;
    child->code_shared_lo = t->code_own_lo;
    child->code_shared_hi = t->code_own_hi;
    return true;
}

rv_slot **rv_code_table_alloc(uint64_t page_count)
{
    return rv_alloc_zeroed((size_t)page_count * sizeof(rv_slot *));
}

void rv_code_free_all(rvvm_machine *m)
{
    rv_code_arena *a = m->code_arena;
    size_t table_bytes = (size_t)m->mem.page_count * sizeof *m->code;
    bool in_front = m->code_reserve != NULL; /* table and arena live in the memory's front */
    if (a)
        m->mem.host_used -= a->used * RV_CODE_PAGE_COST;
    if (a && atomic_load(&a->refs) > 1) {
        /* Forks may still read the table and the arrays: the arena frees
         * them after the last one. */
        if (in_front) {
            a->map = m->mem.front;
            a->map_size = m->mem.front_size;
            rv_memory_detach_front(&m->mem);
        } else {
            a->table = m->code;
            a->table_bytes = table_bytes;
        }
    } else if (m->code && !in_front) {
        rv_free_zeroed(m->code, table_bytes);
    }
    m->code = NULL;
    m->code_reserve = NULL;
    m->code_reserve_size = 0;
    arena_unref(a);
    arena_unref(m->code_shared);
    m->code_arena = m->code_shared = NULL;
    m->code_own_lo = m->code_own_hi = 0;
    m->code_shared_lo = m->code_shared_hi = 0;
    m->code_tmpl = NULL;
    free(m->code_tmpl_pages);
    m->code_tmpl_pages = NULL;
    m->code_tmpl_count = 0;
    free(m->code_pages);
    rv_jit_free(m);
    m->code_pages = NULL;
    m->code_page_count = m->code_page_cap = 0;
}

/* Forgets a shared page's slots (they are the template's). */
static void drop_shared(rvvm_machine *m, uint64_t page)
{
    m->code[page] = RV_CODE_NONE;
    for (size_t i = 0; i < m->code_page_count; i++) {
        if (m->code_pages[i] == page) {
            m->code_pages[i] = m->code_pages[--m->code_page_count];
            break;
        }
    }
}

void rv_code_invalidate_page(rvvm_machine *m, uint64_t page)
{
    if (page >= m->mem.page_count)
        return;
    rv_slot *slots = m->code[page];
    if (rv_code_readonly(m, slots))
        drop_shared(m, page);
    else if ((uintptr_t)slots > (uintptr_t)RV_CODE_NONE)
        reset_slots(slots);
    else if (code_at(m, page))
        m->code[page] = RV_CODE_NONE; /* the template's, not met yet */
    rv_memory_set_code(&m->mem, page, false);
    rv_jit_drop_page(m, page);
}

void rv_code_invalidate_all(rvvm_machine *m)
{
    for (size_t i = m->code_page_count; i-- > 0;)
        rv_code_invalidate_page(m, m->code_pages[i]);
    for (size_t i = 0; i < m->code_tmpl_count; i++)
        rv_code_invalidate_page(m, m->code_tmpl_pages[i]);
}

bool rv_code_page_changed(rvvm_machine *m, uint64_t pg)
{
    bool code = false;
    if (m->mem.flags[pg] & RV_PAGE_CODE) {
        rv_code_invalidate_page(m, pg);
        code = true;
    }
    /* An instruction straddling into this page ends the page before; the
     * run sums there include it, so that page goes too. */
    /* (RV_PAGE_CODE first: it is set wherever slots are, and reading the
     * table of a page that never ran would touch a host page for nothing.) */
    const rv_slot *before =
        pg > 0 && (m->mem.flags[pg - 1] & RV_PAGE_CODE) ? code_at(m, pg - 1) : NULL;
    const rv_slot *last = before ? &before[RV_INSNS_PER_PAGE - 1] : NULL;
    if (last && last->op != RV_OP_undecoded && RV_SLOT_LEN(last) == 4) {
        rv_code_invalidate_page(m, pg - 1);
        code = true;
    }
    return code;
}

bool rv_guest_written(rvvm_machine *m, uint64_t addr, uint64_t len)
{
    bool code = false;
    if (len == 0)
        return false;
    uint64_t first = addr >> RV_PAGE_SHIFT, last = (addr + len - 1) >> RV_PAGE_SHIFT;
    for (uint64_t pg = first; pg <= last && pg < m->mem.page_count; pg++)
        code |= rv_code_page_changed(m, pg);
    rv_memory_mark_written(&m->mem, addr, len);
    return code;
}

int rv_set_perms(rvvm_machine *m, uint64_t addr, uint64_t len, unsigned perms)
{
    if (rv_memory_protect(&m->mem, addr, len, perms) != 0)
        return -1;
    uint64_t first = addr >> RV_PAGE_SHIFT, last = (addr + len - 1) >> RV_PAGE_SHIFT;
    for (uint64_t pg = first ? first - 1 : 0; pg <= last; pg++)
        rv_code_invalidate_page(m, pg);
    return 0;
}

static bool fetch16(const rvvm_machine *m, uint64_t addr, uint32_t *out)
{
    const uint8_t *p = rv_memory_translate(&m->mem, addr, 2, RV_PAGE_X);
    if (!p)
        return false;
    *out = (uint32_t)rv_load_le(p, 2);
    return true;
}

/* Decodes one instruction at pc; false if it cannot be fetched. */
static bool decode_one(rvvm_machine *m, uint64_t pc, rv_insn *out, uint64_t *bad_addr)
{
    uint32_t lo, hi = 0;
    if (!fetch16(m, pc, &lo)) {
        *bad_addr = pc;
        return false;
    }
    if ((lo & 3) == 3 && !fetch16(m, pc + 2, &hi)) {
        *bad_addr = pc + 2;
        return false;
    }
    rv_decode(lo | hi << 16, m->config.isa, &m->config.cost_model, out);
    rv_specialise(out, pc, m->config.isa);
    return true;
}

bool rv_decode_at(rvvm_machine *m, uint64_t pc, rv_insn *out)
{
    uint64_t bad;
    return decode_one(m, pc, out, &bad);
}

/*
 * With the translation tier on, the interpreter counts the slot a run's
 * closing branch or jump goes back to on this page (a loop's head); hot ones
 * are translated (jit.c). Only loop heads: a loop is where translated code
 * pays. With a threshold below RV_JIT_SAMPLE_FROM (tests) every run's first
 * slot is counted too, so that nearly all code gets translated.
 */
/* Gives a decoded slot that runs its own handler the counting one. */
static void count_slot(rvvm_machine *m, rv_slot *s)
{
    if (s->op != RV_OP_undecoded && s->op != RV_OP_budget_stop && s->handler == handler_of(m, s->op, RV_SLOT_LEN(s)))
        s->handler = m->handlers[RV_HANDLER_JIT_COUNT];
}

/*
 * A loop head not decoded yet when the run branching back to it is (a loop
 * entered at its condition: `j cond; body: ...; cond: ...; bnez body`, which
 * GCC emits for most loops) cannot take the counting handler then: it is
 * marked in its undecoded slot (whose other fields are zero) and counted when
 * decoded. Measured: linkedlist's list-splitting loop (13% of its cycles) and
 * sort's merge loop (60%) were never counted, so never translated.
 */
#define RV_LOOP_HEAD_MARK 0xff
#define RV_JIT_MAX_HEADS 8

static void mark_hot_candidates(rvvm_machine *m, rv_slot *slots, const uint16_t *run, size_t n)
{
    if (m->config.engine != RVVM_ENGINE_JIT || !m->handlers || n == 0)
        return;
    const rv_slot *last = &slots[run[n - 1]];
    rv_slot *cands[2] = {m->config.jit_threshold < RV_JIT_SAMPLE_FROM ? &slots[run[0]] : NULL, NULL};
    switch (last->op) {
    case RV_OP_beq: case RV_OP_bne: case RV_OP_blt: case RV_OP_bge: case RV_OP_bltu:
    case RV_OP_bgeu: case RV_OP_jal: case RV_OP_j:
        cands[1] = (rv_slot *)(intptr_t)last->imm;
        if (cands[1] > last) {
            cands[1] = NULL; /* forward: not a loop */
        } else if (cands[1]->op == RV_OP_undecoded && cands[1]->handler
#ifdef RVVM_JIT_TIMING
                   && !getenv("RVVM_JIT_NOHEADS")
#endif
        ) {
            cands[1]->rd = RV_LOOP_HEAD_MARK; /* counted once decoded (rv_decode_run) */
            cands[1] = NULL;
        }
        break;
    default:
        break;
    }
    for (int k = 0; k < 2; k++)
        if (cands[k])
            count_slot(m, cands[k]);
}

/*
 * Translated code left its region for slot s of its own page (execute.c):
 * the run there is counted too, as a loop head is. A switch's cases and runs
 * a region had no room for are named by no loop head; counted, they get
 * translated once hot, and the next exit there enters code instead of the
 * interpreter. Only this machine's own slots (not a fork template's).
 */
void rv_code_count_exit(rvvm_machine *m, rv_slot *s)
{
    if (!rv_code_readonly(m, RV_SLOTS_OF(s)))
        count_slot(m, s);
}

/* An addi's immediate kept in a fused slot's raw, above the bits that give
 * the first instruction's length (execute.c reads it back as raw >> 20). */
static uint32_t raw_with_addi_imm(uint32_t raw, int64_t imm)
{
    return (uint32_t)imm << 20 | (raw & 0xfffff);
}

/* Makes a the slot of the pair a, b, run by `op`. */
static void fuse_into(rv_slot *a, const rv_slot *b, unsigned op)
{
    a->op = (uint8_t)op;
    a->next = (uint8_t)(a->next + b->next);
}

/*
 * The fusion and far-jump rules look their forms up here, by op, rather than
 * by arithmetic on op numbers: the table's order is free. 0 (undecoded, never
 * a form) means none.
 */
static const bool op_fused[RV_OP_COUNT] = {
#define RV_OP_IS_FUSED(name, ext, cls, flags, shape) ((flags) & RV_F_FUSED) != 0,
    RV_INSN_LIST(RV_OP_IS_FUSED)
#undef RV_OP_IS_FUSED
};
static const uint8_t auipc_load_form[RV_OP_COUNT] = {
    [RV_OP_lb] = RV_OP_fused_auipc_lb,   [RV_OP_lh] = RV_OP_fused_auipc_lh,
    [RV_OP_lw] = RV_OP_fused_auipc_lw,   [RV_OP_ld] = RV_OP_fused_auipc_ld,
    [RV_OP_lbu] = RV_OP_fused_auipc_lbu, [RV_OP_lhu] = RV_OP_fused_auipc_lhu,
    [RV_OP_lwu] = RV_OP_fused_auipc_lwu,
};
static const uint8_t load_addi_form[RV_OP_COUNT] = {
    [RV_OP_lb] = RV_OP_fused_lb_addi,   [RV_OP_lh] = RV_OP_fused_lh_addi,
    [RV_OP_lw] = RV_OP_fused_lw_addi,   [RV_OP_ld] = RV_OP_fused_ld_addi,
    [RV_OP_lbu] = RV_OP_fused_lbu_addi, [RV_OP_lhu] = RV_OP_fused_lhu_addi,
    [RV_OP_lwu] = RV_OP_fused_lwu_addi,
};
static const uint8_t addi_branch_form[RV_OP_COUNT] = {
    [RV_OP_beq] = RV_OP_fused_addi_beq,   [RV_OP_bne] = RV_OP_fused_addi_bne,
    [RV_OP_blt] = RV_OP_fused_addi_blt,   [RV_OP_bge] = RV_OP_fused_addi_bge,
    [RV_OP_bltu] = RV_OP_fused_addi_bltu, [RV_OP_bgeu] = RV_OP_fused_addi_bgeu,
};
static const uint8_t mul_high_form[RV_OP_COUNT] = {
    [RV_OP_mulh] = RV_OP_fused_mul_mulh, [RV_OP_mulhu] = RV_OP_fused_mul_mulhu,
    [RV_OP_mulhsu] = RV_OP_fused_mul_mulhsu,
};
static const uint8_t branch_far_form[RV_OP_COUNT] = {
    [RV_OP_beq] = RV_OP_beq_far,   [RV_OP_bne] = RV_OP_bne_far, [RV_OP_blt] = RV_OP_blt_far,
    [RV_OP_bge] = RV_OP_bge_far,   [RV_OP_bltu] = RV_OP_bltu_far,
    [RV_OP_bgeu] = RV_OP_bgeu_far,
};
_Static_assert(RV_OP_undecoded == 0, "0 marks no form in the tables above");

/*
 * Fuses adjacent pairs of a run into one slot, which then executes both and
 * steps over both. The second slot stays as it was, for jumps into it and for
 * a budget stop between the two (see rv_unfuse). A fault in the first
 * instruction (a load) lands on the pair's own pc, before either took effect.
 * Only one second instruction can fault, the load of auipc + load: its
 * handler moves to the load's own slot first, so the fault is the load's.
 */
static void fuse_pairs(const rvvm_machine *m, rv_slot *slots, uint64_t page_base,
                       const uint16_t *run, size_t n)
{
    for (size_t j = 0; j + 1 < n; j++) {
        rv_slot *a = &slots[run[j]], *b = &slots[run[j + 1]];
        if (op_fused[a->op] || a->next + b->next > UINT8_MAX)
            continue;
        /* auipc was made a constant (li); raw still says auipc. */
        bool auipc = a->op == RV_OP_li && (a->raw & 0x7f) == 0x17;
        /* auipc r, hi; jalr d, lo(r)   (a far call or jump: the target is a constant) */
        if (auipc && (b->op == RV_OP_jalr || b->op == RV_OP_jr) && b->rs1 == a->rd) {
            uint64_t target = (uint64_t)(a->imm + b->imm) & ~(uint64_t)1;
            bool near = (target ^ page_base) >> RV_PAGE_SHIFT == 0;
            a->imm = near ? (int64_t)(intptr_t)&slots[(target & RV_PAGE_MASK) >> 1]
                          : (int64_t)target;
            if (near)
                mark_entry(m, slots, (target & RV_PAGE_MASK) >> 1);
            a->rs2 = b->rd;
            fuse_into(a, b, near ? RV_OP_fused_auipc_jalr : RV_OP_fused_auipc_jalr_far);
            j++;
            continue;
        }
        /* auipc r, hi; l<x> d, lo(r)   (a load from a constant address) */
        if (auipc && auipc_load_form[b->op] && b->rs1 == a->rd) {
            a->imm += b->imm; /* the address; auipc's value is it less b's imm */
            a->rs2 = b->rd;
            fuse_into(a, b, auipc_load_form[b->op]);
            j++;
            continue;
        }
        /* mul and mulh[s][u] of the same operands, either order: one 128-bit product */
        bool a_mul = a->op == RV_OP_mul, b_mul = b->op == RV_OP_mul;
        bool a_hi = mul_high_form[a->op] != 0;
        bool b_hi = mul_high_form[b->op] != 0;
        if (((a_mul && b_hi) || (a_hi && b_mul)) && a->rs1 == b->rs1 && a->rs2 == b->rs2 &&
            a->rd != a->rs1 && a->rd != a->rs2 && a->rd != b->rd) {
            unsigned hi = a_hi ? a->op : b->op;
            uint8_t rd_lo = a_mul ? a->rd : b->rd, rd_hi = a_hi ? a->rd : b->rd;
            a->rd = rd_lo;
            a->rs3 = rd_hi;
            fuse_into(a, b, mul_high_form[hi]);
            j++;
            continue;
        }
        /* addi r, s, k; b<cond> r, t, target   (a loop counter and its test) */
        if (a->op == RV_OP_addi && addi_branch_form[b->op] &&
            a->rd != RV_SINK_REG) {
            bool symmetric = b->op == RV_OP_beq || b->op == RV_OP_bne;
            int other = b->rs1 == a->rd ? b->rs2 : symmetric && b->rs2 == a->rd ? b->rs1 : -1;
            if (other >= 0) {
                a->raw = raw_with_addi_imm(a->raw, a->imm);
                a->rs3 = (uint8_t)other;
                a->imm = b->imm; /* the target's slot */
                fuse_into(a, b, addi_branch_form[b->op]);
                j++;
                continue;
            }
        }
        /* l<x> d, k(s); addi r, t, m   (a load and a pointer or counter step) */
        if (load_addi_form[a->op] && b->op == RV_OP_addi) {
            a->raw = raw_with_addi_imm(a->raw, b->imm);
            a->rs2 = b->rs1;
            a->rs3 = b->rd;
            fuse_into(a, b, load_addi_form[a->op]);
            j++;
            continue;
        }
        /* slli t, s, k; add d, x, t   (address arithmetic: t = s << k; d = x + t) */
        if (a->op == RV_OP_slli && b->op == RV_OP_add && a->rd != RV_SINK_REG &&
            (b->rs1 == a->rd || b->rs2 == a->rd)) {
            a->rs2 = b->rs1 == a->rd ? b->rs2 : b->rs1;
            a->rs3 = b->rd;
            fuse_into(a, b, RV_OP_fused_slli_add);
            j++;
            continue;
        }
        /* lui r, hi; addi r, r, lo   (a 32-bit constant; hi = a's imm less b's) */
        if (a->op == RV_OP_li && (a->raw & 0x7f) == 0x37 && b->op == RV_OP_addi &&
            b->rd == a->rd && b->rs1 == a->rd) {
            a->imm = a->imm + b->imm;
            fuse_into(a, b, RV_OP_fused_lui_addi);
            j++;
        }
    }
}

/* The slot form of a specialised instruction at slot index i of its page. */
static void fill_slot(const rvvm_machine *m, rv_slot *slots, const rv_insn *d, uint64_t page_base,
                      size_t i)
{
    rv_slot *s = &slots[i];
    *s = (rv_slot){.imm = d->imm, .raw = d->raw, .op = (uint8_t)d->op, .rd = d->rd,
                   .rs1 = d->rs1, .rs2 = d->rs2, .rs3 = d->rs3,
                   .next = (uint8_t)(d->len / 2 * sizeof(rv_slot))};
    bool branch = branch_far_form[d->op] != 0;
    if (branch || d->op == RV_OP_jal || d->op == RV_OP_j) {
        /* Same page: the target's slot. Elsewhere: the _far form. */
        uint64_t t = (uint64_t)d->imm;
        if ((t ^ page_base) >> RV_PAGE_SHIFT == 0) {
            s->imm = (int64_t)(intptr_t)&slots[(t & RV_PAGE_MASK) >> 1];
            mark_entry(m, slots, (t & RV_PAGE_MASK) >> 1);
        } else if (branch) {
            s->op = branch_far_form[d->op];
        } else {
            s->op = d->op == RV_OP_j ? RV_OP_j_far : RV_OP_jal_far;
        }
    }
}

void rv_unfuse(rvvm_machine *m, rv_slot *slots, uint64_t page_base, rv_slot *f)
{
    size_t i = (size_t)(f - slots);
    uint32_t block_cost = f->block_cost;
    uint16_t block_count = f->block_count;
    rv_insn d;
    uint64_t bad;
    /* It decoded before, and its bytes are unchanged (a write drops the slot). */
    if (!decode_one(m, page_base + 2 * i, &d, &bad))
        return;
    fill_slot(m, slots, &d, page_base, i);
    f->block_cost = block_cost;
    f->block_count = block_count;
    f->handler = handler_of(m, f->op, d.len);
}

bool rv_decode_run(rvvm_machine *m, rv_slot *slots, uint64_t page_base, rv_slot *slot)
{
    /* Stores to this page must now drop its decoded code. */
    uint64_t page = page_base >> RV_PAGE_SHIFT;
    if (!(m->mem.flags[page] & RV_PAGE_CODE))
        rv_memory_set_code(&m->mem, page, true);
    uint16_t run[RV_INSNS_PER_PAGE];
    uint32_t cost[RV_INSNS_PER_PAGE];
    size_t n = 0;
    size_t i = (size_t)(slot - slots);
    uint32_t tail_cost = 0, tail_count = 0;
    size_t heads[RV_JIT_MAX_HEADS], nheads = 0; /* marked loop heads decoded here */
    while (i < RV_INSNS_PER_PAGE) {
        rv_slot *s = &slots[i];
        if (s->op != RV_OP_undecoded) {
            /* Already decoded as part of another run: its sums hold from here on. */
            tail_cost = s->block_cost;
            tail_count = s->block_count;
            break;
        }
        uint64_t bad;
        rv_insn d;
        if (!decode_one(m, page_base + 2 * i, &d, &bad)) {
            if (n == 0) {
                m->fault = (rvvm_fault){.kind = RVVM_FAULT_FETCH_ACCESS,
                                        .pc = page_base + 2 * i, .address = bad};
                m->state = RV_STATE_FAULTED;
                return false;
            }
            /* The run ends before it; entering that slot later reports the fault. */
            break;
        }
        if (s->rd == RV_LOOP_HEAD_MARK && nheads < RV_JIT_MAX_HEADS)
            heads[nheads++] = i;
        fill_slot(m, slots, &d, page_base, i);
        cost[n] = d.cost;
        run[n++] = (uint16_t)i;
        if (i == RV_INSNS_PER_PAGE - 1 && d.len == 4 && page + 1 < m->mem.page_count)
            rv_memory_set_code(&m->mem, page + 1, true); /* its upper half lives there */
        i += d.len / 2;
        if (rv_op_ends_run(d.op))
            break;
    }
    /* Where the run goes on (after its last instruction, or at one that
     * could not be fetched): reached by stepping, so it must not read as fresh. */
    if (n > 0) {
        note(slots, run[0]);
        note(slots, run[n - 1]);
    }
    mark_entry(m, slots, i);
    for (size_t k = n; k-- > 0;) {
        rv_slot *s = &slots[run[k]];
        tail_cost += cost[k];
        tail_count += cost[k] != 0; /* an illegal instruction costs 0 and never retires */
        s->block_cost = tail_cost;
        s->block_count = (uint16_t)tail_count;
    }
    fuse_pairs(m, slots, page_base, run, n);
    for (size_t k = 0; k < n; k++)
        slots[run[k]].handler = handler_of(m, slots[run[k]].op, RV_SLOT_LEN(&slots[run[k]]));
    mark_hot_candidates(m, slots, run, n);
    for (size_t k = 0; k < nheads; k++)
        count_slot(m, &slots[heads[k]]);
    return true;
}
