/*
 * The decode cache: per executable page, one slot per halfword plus two
 * end-of-page slots. Slots are decoded in straight-line runs and carry the
 * cost of the rest of their run, which is what block metering charges.
 */
#include "cpu.h"

#include <stdlib.h>

/* The handler for an op at an instruction of `len` bytes (see m->handlers). */
static const void *handler_of(const rvvm_machine *m, unsigned op, unsigned len)
{
    return m->handlers ? m->handlers[op + (len == 4 ? RV_OP_COUNT : 0)] : NULL;
}

static void reset_slots(const rvvm_machine *m, rv_slot *slots, uint64_t page)
{
    const rv_slot undecoded = {.handler = handler_of(m, RV_OP_undecoded, 2), .op = RV_OP_undecoded};
    for (size_t i = 0; i < RV_INSNS_PER_PAGE; i++)
        slots[i] = undecoded;
    for (int i = 0; i < 2; i++)
        slots[RV_INSNS_PER_PAGE + i] =
            (rv_slot){.handler = handler_of(m, RV_OP_page_end, 2),
                      .imm = (int64_t)(page << RV_PAGE_SHIFT), .op = RV_OP_page_end};
}

rv_slot *rv_code_page(rvvm_machine *m, uint64_t page)
{
    if (!m->code[page]) {
        if (m->code_page_count == m->code_page_cap) {
            size_t cap = m->code_page_cap ? 2 * m->code_page_cap : 64;
            uint32_t *list = realloc(m->code_pages, cap * sizeof *list);
            if (!list)
                return NULL;
            m->code_pages = list;
            m->code_page_cap = cap;
        }
        rv_memory *mem = &m->mem;
        /* Decoded code counts against the host-memory limit. */
        if (mem->host_limit && (mem->host_used > mem->host_limit ||
                                RV_SLOT_ARRAY_SIZE > mem->host_limit - mem->host_used))
            return NULL;
        rv_slot *slots = aligned_alloc(RV_SLOT_ARRAY_SIZE, RV_SLOT_ARRAY_SIZE);
        if (!slots)
            return NULL;
        mem->host_used += RV_SLOT_ARRAY_SIZE;
        reset_slots(m, slots, page);
        m->code[page] = slots;
        m->code_pages[m->code_page_count++] = (uint32_t)page;
    }
    return m->code[page];
}

void rv_code_free_all(rvvm_machine *m)
{
    for (size_t i = 0; i < m->code_page_count; i++) {
        free(m->code[m->code_pages[i]]);
        m->code[m->code_pages[i]] = NULL;
        m->mem.host_used -= RV_SLOT_ARRAY_SIZE;
    }
    free(m->code_pages);
    rv_jit_free(m);
    m->code_pages = NULL;
    m->code_page_count = m->code_page_cap = 0;
}

void rv_code_invalidate_page(rvvm_machine *m, uint64_t page)
{
    if (page >= m->mem.page_count)
        return;
    if (m->code[page])
        reset_slots(m, m->code[page], page);
    rv_memory_set_code(&m->mem, page, false);
    rv_jit_drop_page(m, page);
}

void rv_code_invalidate_all(rvvm_machine *m)
{
    for (size_t i = 0; i < m->code_page_count; i++)
        rv_code_invalidate_page(m, m->code_pages[i]);
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
    const rv_slot *last = pg > 0 && m->code[pg - 1] ? &m->code[pg - 1][RV_INSNS_PER_PAGE - 1] : NULL;
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
        if (cands[1] > last)
            cands[1] = NULL; /* forward: not a loop */
        break;
    default:
        break;
    }
    for (int k = 0; k < 2; k++) {
        rv_slot *s = cands[k];
        if (s && s->op != RV_OP_undecoded && s->op != RV_OP_budget_stop &&
            s->handler == handler_of(m, s->op, RV_SLOT_LEN(s)))
            s->handler = m->handlers[RV_HANDLER_JIT_COUNT];
    }
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
static void fuse_pairs(rv_slot *slots, uint64_t page_base, const uint16_t *run, size_t n)
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
static void fill_slot(rv_slot *slots, const rv_insn *d, uint64_t page_base, size_t i)
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
    fill_slot(slots, &d, page_base, i);
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
        fill_slot(slots, &d, page_base, i);
        cost[n] = d.cost;
        run[n++] = (uint16_t)i;
        if (i == RV_INSNS_PER_PAGE - 1 && d.len == 4 && page + 1 < m->mem.page_count)
            rv_memory_set_code(&m->mem, page + 1, true); /* its upper half lives there */
        if (rv_op_ends_run(d.op))
            break;
        i += d.len / 2;
    }
    for (size_t k = n; k-- > 0;) {
        rv_slot *s = &slots[run[k]];
        tail_cost += cost[k];
        tail_count += cost[k] != 0; /* an illegal instruction costs 0 and never retires */
        s->block_cost = tail_cost;
        s->block_count = (uint16_t)tail_count;
    }
    fuse_pairs(slots, page_base, run, n);
    for (size_t k = 0; k < n; k++)
        slots[run[k]].handler = handler_of(m, slots[run[k]].op, RV_SLOT_LEN(&slots[run[k]]));
    mark_hot_candidates(m, slots, run, n);
    return true;
}
