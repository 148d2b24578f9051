/*
 * The interpreter loop. Instructions are decoded once per page into slots
 * indexed by halfword offset; a slot still marked RV_OP_undecoded is decoded
 * on first use. Metering: an instruction runs only if its cost still fits in
 * the budget, so a run stops exactly before the first instruction that would
 * overdraw it.
 */
#include "cpu.h"

#include <stdlib.h>

typedef enum { RV_CONTINUE, RV_STOP } rv_flow;

void rv_code_invalidate_page(rvvm_machine *m, uint64_t page)
{
    if (page < m->mem.page_count && m->code[page])
        memset(m->code[page], 0, RV_INSNS_PER_PAGE * sizeof(rv_insn));
}

void rv_code_invalidate_all(rvvm_machine *m)
{
    for (uint64_t p = 0; p < m->mem.page_count; p++)
        rv_code_invalidate_page(m, p);
}

void rv_guest_written(rvvm_machine *m, uint64_t addr, uint64_t len)
{
    if (len == 0)
        return;
    uint64_t first = addr >> RV_PAGE_SHIFT, last = (addr + len - 1) >> RV_PAGE_SHIFT;
    for (uint64_t pg = first; pg <= last && pg < m->mem.page_count; pg++) {
        if (m->mem.flags[pg] & RV_PAGE_X) {
            rv_code_invalidate_page(m, pg);
            /* An instruction may start in the last halfword of the page before. */
            if (pg > 0 && m->code[pg - 1])
                m->code[pg - 1][RV_INSNS_PER_PAGE - 1] = (rv_insn){0};
        }
        m->mem.dirty[pg] = 1;
    }
}

static void set_fault(rvvm_machine *m, rvvm_fault_kind kind, uint64_t pc, uint64_t addr,
                      uint32_t encoding)
{
    m->fault = (rvvm_fault){.kind = kind, .pc = pc, .address = addr, .encoding = encoding};
    m->state = RV_STATE_FAULTED;
}

/* Reads 16 bits of instruction memory, or fails if the page is not executable. */
static bool fetch16(rvvm_machine *m, uint64_t addr, uint32_t *out)
{
    const uint8_t *p = rv_memory_translate(&m->mem, addr, 2, RV_PAGE_X);
    if (!p)
        return false;
    *out = (uint32_t)rv_load_le(p, 2);
    return true;
}

/* Decodes the instruction at pc into its slot; false on a fetch fault. */
static bool decode_at(rvvm_machine *m, uint64_t pc, rv_insn *slot)
{
    uint32_t lo, hi = 0;
    if (!fetch16(m, pc, &lo)) {
        set_fault(m, RVVM_FAULT_FETCH_ACCESS, pc, pc, 0);
        return false;
    }
    if ((lo & 3) == 3 && !fetch16(m, pc + 2, &hi)) {
        set_fault(m, RVVM_FAULT_FETCH_ACCESS, pc, pc + 2, 0);
        return false;
    }
    rv_decode(lo | hi << 16, m->config.isa, &m->config.cost_model, slot);
    return true;
}

/* The decoded slots for the page holding pc, or NULL after a fetch fault. */
static rv_insn *code_page(rvvm_machine *m, uint64_t pc)
{
    uint64_t page = pc >> RV_PAGE_SHIFT;
    if (page >= m->mem.page_count || !(m->mem.flags[page] & RV_PAGE_X)) {
        set_fault(m, RVVM_FAULT_FETCH_ACCESS, pc, pc, 0);
        return NULL;
    }
    if (!m->code[page]) {
        m->code[page] = calloc(RV_INSNS_PER_PAGE, sizeof(rv_insn));
        if (!m->code[page]) {
            /* Out of host memory: report it as the fetch failing. */
            set_fault(m, RVVM_FAULT_FETCH_ACCESS, pc, pc, 0);
            return NULL;
        }
    }
    return m->code[page];
}

/*
 * Stores that miss the fast path: straddling a page, or into a page that may
 * hold decoded code. Returns false if the store is not allowed.
 */
static bool store_slow(rvvm_machine *m, uint64_t addr, uint64_t value, unsigned size)
{
    uint8_t *p = rv_memory_translate(&m->mem, addr, size, RV_PAGE_W);
    if (!p)
        return false;
    rv_store_le(p, value, size);
    rv_guest_written(m, addr, size);
    return true;
}

static inline bool store(rvvm_machine *m, uint64_t addr, uint64_t value, unsigned size)
{
    uint64_t page = addr >> RV_PAGE_SHIFT;
    if (__builtin_expect(page < m->mem.page_count &&
                             (m->mem.flags[page] & RV_PAGE_STORE_FAST) &&
                             (addr & RV_PAGE_MASK) <= RV_PAGE_SIZE - size, 1)) {
        rv_store_le(m->mem.base + addr, value, size);
        m->mem.dirty[page] = 1;
        return true;
    }
    return store_slow(m, addr, value, size);
}

static inline uint64_t mulhu64(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 64);
}

static inline uint64_t mulh64(int64_t a, int64_t b)
{
    return (uint64_t)(((__int128)a * b) >> 64);
}

static inline uint64_t mulhsu64(int64_t a, uint64_t b)
{
    return (uint64_t)(((__int128)a * (__int128)b) >> 64);
}

/* Division per the ISA manual: x/0 = all ones, x%0 = x, MIN/-1 = MIN, MIN%-1 = 0. */
static inline uint64_t div64(int64_t a, int64_t b)
{
    if (b == 0) return UINT64_MAX;
    if (a == INT64_MIN && b == -1) return (uint64_t)a;
    return (uint64_t)(a / b);
}
static inline uint64_t rem64(int64_t a, int64_t b)
{
    if (b == 0) return (uint64_t)a;
    if (a == INT64_MIN && b == -1) return 0;
    return (uint64_t)(a % b);
}
static inline uint64_t divu64(uint64_t a, uint64_t b) { return b ? a / b : UINT64_MAX; }
static inline uint64_t remu64(uint64_t a, uint64_t b) { return b ? a % b : a; }
static inline uint64_t sext32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)(uint32_t)v; }

static inline uint64_t div32(int32_t a, int32_t b)
{
    if (b == 0) return UINT64_MAX;
    if (a == INT32_MIN && b == -1) return sext32((uint32_t)a);
    return sext32((uint32_t)(a / b));
}
static inline uint64_t rem32(int32_t a, int32_t b)
{
    if (b == 0) return sext32((uint32_t)a);
    if (a == INT32_MIN && b == -1) return 0;
    return sext32((uint32_t)(a % b));
}

static uint64_t amo_compute(rv_op op, uint64_t old, uint64_t src, bool word)
{
    if (word) {
        old = sext32(old);
        src = sext32(src);
    }
    switch (op) {
    case RV_OP_amoswap_w: case RV_OP_amoswap_d: return src;
    case RV_OP_amoadd_w: case RV_OP_amoadd_d: return old + src;
    case RV_OP_amoxor_w: case RV_OP_amoxor_d: return old ^ src;
    case RV_OP_amoand_w: case RV_OP_amoand_d: return old & src;
    case RV_OP_amoor_w: case RV_OP_amoor_d: return old | src;
    case RV_OP_amomin_w: case RV_OP_amomin_d:
        return (int64_t)old < (int64_t)src ? old : src;
    case RV_OP_amomax_w: case RV_OP_amomax_d:
        return (int64_t)old > (int64_t)src ? old : src;
    case RV_OP_amominu_w: case RV_OP_amominu_d:
        if (word) return (uint32_t)old < (uint32_t)src ? old : src;
        return old < src ? old : src;
    default: /* amomaxu */
        if (word) return (uint32_t)old > (uint32_t)src ? old : src;
        return old > src ? old : src;
    }
}

static uint64_t csr_read(const rvvm_machine *m, uint32_t csr, uint64_t cycles, uint64_t instret)
{
    switch (csr) {
    case 0x001: return m->fcsr & 0x1f;
    case 0x002: return (m->fcsr >> 5) & 7;
    case 0x003: return m->fcsr & 0xff;
    case 0xc00: return cycles;
    case 0xc01: return cycles; /* time ticks once per cycle: deterministic */
    default: return instret;   /* 0xc02; decode admits no other CSR */
    }
}

static void csr_write(rvvm_machine *m, uint32_t csr, uint64_t v)
{
    switch (csr) {
    case 0x001: m->fcsr = (m->fcsr & ~0x1fu) | (uint32_t)(v & 0x1f); break;
    case 0x002: m->fcsr = (m->fcsr & 0x1f) | (uint32_t)(v & 7) << 5; break;
    case 0x003: m->fcsr = (uint32_t)(v & 0xff); break;
    default: break; /* counters are read-only; decode rejects writes */
    }
}

rvvm_status rvvm_run(rvvm_machine *m, uint64_t max_cycles, rvvm_run_result *out)
{
    if (!m || !out)
        return RVVM_ERR_INVALID_ARGUMENT;
    memset(out, 0, sizeof *out);
    if (m->state != RV_STATE_READY)
        return rv_fail(m, RVVM_ERR_STATE, "the machine %s",
                       m->state == RV_STATE_EMPTY ? "has no program loaded"
                                                  : "has already stopped for good");
    m->error[0] = '\0';

    uint64_t *const x = m->x;
    uint64_t pc = m->pc;
    uint64_t cycles = m->cycles;
    uint64_t instret = m->instret;
    const uint64_t limit = max_cycles > UINT64_MAX - cycles ? UINT64_MAX : cycles + max_cycles;
    const bool ialign32 = !(m->config.isa & RVVM_ISA_C);
    uint8_t *const membase = m->mem.base;
    rv_insn *page_slots = NULL;
    uint64_t page_base = 1; /* never a page base, so the first fetch looks up */
    rvvm_stop_reason reason = RVVM_STOP_CYCLE_LIMIT;

#define FAULT(kind, addr, enc)                                                   \
    do {                                                                         \
        set_fault(m, kind, pc, addr, enc);                                       \
        goto fault;                                                              \
    } while (0)
#define LOAD(size, conv)                                                         \
    do {                                                                         \
        uint64_t a_ = x[in->rs1] + (uint64_t)(int64_t)in->imm;                   \
        const uint8_t *p_ = rv_memory_translate(&m->mem, a_, size, RV_PAGE_R);   \
        if (!p_) FAULT(RVVM_FAULT_LOAD_ACCESS, a_, 0);                           \
        x[rd] = conv(rv_load_le(p_, size));                                  \
    } while (0)
#define STORE(size)                                                              \
    do {                                                                         \
        uint64_t a_ = x[in->rs1] + (uint64_t)(int64_t)in->imm;                   \
        if (!store(m, a_, x[in->rs2], size)) FAULT(RVVM_FAULT_STORE_ACCESS, a_, 0); \
    } while (0)
#define JUMP_TO(target)                                                          \
    do {                                                                         \
        uint64_t t_ = (target);                                                  \
        if (ialign32 && (t_ & 2)) FAULT(RVVM_FAULT_FETCH_MISALIGNED, t_, 0);     \
        next = t_;                                                               \
    } while (0)
#define BRANCH(cond)                                                             \
    do {                                                                         \
        if (cond) JUMP_TO(pc + (uint64_t)(int64_t)in->imm);                      \
    } while (0)
#define SELF(v) (v)
#define S8(v) ((uint64_t)(int64_t)(int8_t)(v))
#define S16(v) ((uint64_t)(int64_t)(int16_t)(v))
#define S32(v) sext32(v)

    for (;;) {
        if (__builtin_expect((pc & ~RV_PAGE_MASK) != page_base, 0)) {
            page_slots = code_page(m, pc);
            if (!page_slots)
                goto fault;
            page_base = pc & ~RV_PAGE_MASK;
        }
        rv_insn *const in = &page_slots[(pc & RV_PAGE_MASK) >> 1];
        const uint32_t cost = in->cost;
        if (__builtin_expect(cost > limit - cycles, 0))
            break;
        /* Read the slot up front: a store may invalidate the page it sits in. */
        const unsigned rd = in->rd;
        uint64_t next = pc + in->len;
        const uint64_t rs1v = x[in->rs1], rs2v = x[in->rs2];
        const uint64_t imm = (uint64_t)(int64_t)in->imm;

        switch ((rv_op)in->op) {
        case RV_OP_undecoded:
            if (!decode_at(m, pc, in))
                goto fault;
            continue;
        case RV_OP_illegal:
            FAULT(RVVM_FAULT_ILLEGAL_INSTRUCTION, 0, in->raw);
        case RV_OP_lui: x[rd] = imm; break;
        case RV_OP_auipc: x[rd] = pc + imm; break;
        case RV_OP_jal: JUMP_TO(pc + imm); x[rd] = pc + in->len; break;
        case RV_OP_jalr: JUMP_TO((rs1v + imm) & ~(uint64_t)1); x[rd] = pc + in->len; break;
        case RV_OP_beq: BRANCH(rs1v == rs2v); break;
        case RV_OP_bne: BRANCH(rs1v != rs2v); break;
        case RV_OP_blt: BRANCH((int64_t)rs1v < (int64_t)rs2v); break;
        case RV_OP_bge: BRANCH((int64_t)rs1v >= (int64_t)rs2v); break;
        case RV_OP_bltu: BRANCH(rs1v < rs2v); break;
        case RV_OP_bgeu: BRANCH(rs1v >= rs2v); break;
        case RV_OP_lb: LOAD(1, S8); break;
        case RV_OP_lh: LOAD(2, S16); break;
        case RV_OP_lw: LOAD(4, S32); break;
        case RV_OP_ld: LOAD(8, SELF); break;
        case RV_OP_lbu: LOAD(1, SELF); break;
        case RV_OP_lhu: LOAD(2, SELF); break;
        case RV_OP_lwu: LOAD(4, SELF); break;
        case RV_OP_sb: STORE(1); break;
        case RV_OP_sh: STORE(2); break;
        case RV_OP_sw: STORE(4); break;
        case RV_OP_sd: STORE(8); break;
        case RV_OP_addi: x[rd] = rs1v + imm; break;
        case RV_OP_slti: x[rd] = (int64_t)rs1v < (int64_t)imm; break;
        case RV_OP_sltiu: x[rd] = rs1v < imm; break;
        case RV_OP_xori: x[rd] = rs1v ^ imm; break;
        case RV_OP_ori: x[rd] = rs1v | imm; break;
        case RV_OP_andi: x[rd] = rs1v & imm; break;
        case RV_OP_slli: x[rd] = rs1v << (imm & 63); break;
        case RV_OP_srli: x[rd] = rs1v >> (imm & 63); break;
        case RV_OP_srai: x[rd] = (uint64_t)((int64_t)rs1v >> (imm & 63)); break;
        case RV_OP_add: x[rd] = rs1v + rs2v; break;
        case RV_OP_sub: x[rd] = rs1v - rs2v; break;
        case RV_OP_sll: x[rd] = rs1v << (rs2v & 63); break;
        case RV_OP_slt: x[rd] = (int64_t)rs1v < (int64_t)rs2v; break;
        case RV_OP_sltu: x[rd] = rs1v < rs2v; break;
        case RV_OP_xor: x[rd] = rs1v ^ rs2v; break;
        case RV_OP_srl: x[rd] = rs1v >> (rs2v & 63); break;
        case RV_OP_sra: x[rd] = (uint64_t)((int64_t)rs1v >> (rs2v & 63)); break;
        case RV_OP_or: x[rd] = rs1v | rs2v; break;
        case RV_OP_and: x[rd] = rs1v & rs2v; break;
        case RV_OP_addiw: x[rd] = S32(rs1v + imm); break;
        case RV_OP_slliw: x[rd] = S32((uint32_t)rs1v << (imm & 31)); break;
        case RV_OP_srliw: x[rd] = S32((uint32_t)rs1v >> (imm & 31)); break;
        case RV_OP_sraiw: x[rd] = S32((uint32_t)((int32_t)rs1v >> (imm & 31))); break;
        case RV_OP_addw: x[rd] = S32(rs1v + rs2v); break;
        case RV_OP_subw: x[rd] = S32(rs1v - rs2v); break;
        case RV_OP_sllw: x[rd] = S32((uint32_t)rs1v << (rs2v & 31)); break;
        case RV_OP_srlw: x[rd] = S32((uint32_t)rs1v >> (rs2v & 31)); break;
        case RV_OP_sraw: x[rd] = S32((uint32_t)((int32_t)rs1v >> (rs2v & 31))); break;
        case RV_OP_fence: break;
        case RV_OP_fence_i: rv_code_invalidate_all(m); break;
        case RV_OP_ecall: {
            m->pc = pc;
            m->cycles = cycles;
            m->instret = instret;
            int r = rv_syscall(m);
            if (r < 0)
                goto fault;
            if (r > 0) {
                pc = next;
                cycles += cost;
                instret++;
                reason = RVVM_STOP_EXITED;
                goto stop;
            }
            break;
        }
        case RV_OP_ebreak:
            FAULT(RVVM_FAULT_BREAKPOINT, 0, in->raw);
        case RV_OP_csrrw: case RV_OP_csrrs: case RV_OP_csrrc:
        case RV_OP_csrrwi: case RV_OP_csrrsi: case RV_OP_csrrci: {
            uint32_t csr = (uint32_t)in->imm;
            uint64_t old = csr_read(m, csr, cycles, instret);
            bool immediate = in->op >= RV_OP_csrrwi;
            uint64_t src = immediate ? in->rs1 : rs1v;
            switch (in->op) {
            case RV_OP_csrrw: case RV_OP_csrrwi: csr_write(m, csr, src); break;
            case RV_OP_csrrs: case RV_OP_csrrsi: if (in->rs1) csr_write(m, csr, old | src); break;
            default: if (in->rs1) csr_write(m, csr, old & ~src); break;
            }
            x[rd] = old;
            break;
        }
        case RV_OP_mul: x[rd] = rs1v * rs2v; break;
        case RV_OP_mulh: x[rd] = mulh64((int64_t)rs1v, (int64_t)rs2v); break;
        case RV_OP_mulhsu: x[rd] = mulhsu64((int64_t)rs1v, rs2v); break;
        case RV_OP_mulhu: x[rd] = mulhu64(rs1v, rs2v); break;
        case RV_OP_div: x[rd] = div64((int64_t)rs1v, (int64_t)rs2v); break;
        case RV_OP_divu: x[rd] = divu64(rs1v, rs2v); break;
        case RV_OP_rem: x[rd] = rem64((int64_t)rs1v, (int64_t)rs2v); break;
        case RV_OP_remu: x[rd] = remu64(rs1v, rs2v); break;
        case RV_OP_mulw: x[rd] = S32(rs1v * rs2v); break;
        case RV_OP_divw: x[rd] = div32((int32_t)rs1v, (int32_t)rs2v); break;
        case RV_OP_divuw: x[rd] = S32(divu64((uint32_t)rs1v, (uint32_t)rs2v)); break;
        case RV_OP_remw: x[rd] = rem32((int32_t)rs1v, (int32_t)rs2v); break;
        case RV_OP_remuw: x[rd] = S32(remu64((uint32_t)rs1v, (uint32_t)rs2v)); break;
        case RV_OP_lr_w: case RV_OP_lr_d: {
            unsigned size = in->op == RV_OP_lr_w ? 4 : 8;
            /* LR/SC and AMOs need natural alignment; Linux sends SIGBUS. */
            if (rs1v & (size - 1)) FAULT(RVVM_FAULT_MISALIGNED_ATOMIC, rs1v, 0);
            const uint8_t *p = rv_memory_translate(&m->mem, rs1v, size, RV_PAGE_R);
            if (!p) FAULT(RVVM_FAULT_LOAD_ACCESS, rs1v, 0);
            uint64_t v = rv_load_le(p, size);
            x[rd] = size == 4 ? S32(v) : v;
            m->resv_valid = true;
            m->resv_addr = rs1v;
            m->resv_size = (uint8_t)size;
            break;
        }
        case RV_OP_sc_w: case RV_OP_sc_d: {
            unsigned size = in->op == RV_OP_sc_w ? 4 : 8;
            if (rs1v & (size - 1)) FAULT(RVVM_FAULT_MISALIGNED_ATOMIC, rs1v, 0);
            /* "SC.W conditionally writes ... only if the reservation is still
             * valid"; success or failure, it invalidates the reservation. */
            bool ok = m->resv_valid && m->resv_addr == rs1v && m->resv_size == size;
            if (ok) {
                if (!rv_memory_range_ok(&m->mem, rs1v, size, RV_PAGE_W))
                    FAULT(RVVM_FAULT_STORE_ACCESS, rs1v, 0);
                store(m, rs1v, rs2v, size);
            }
            m->resv_valid = false;
            x[rd] = ok ? 0 : 1;
            break;
        }
        default: { /* the AMOs */
            bool word = in->op <= RV_OP_amomaxu_w;
            unsigned size = word ? 4 : 8;
            if (rs1v & (size - 1)) FAULT(RVVM_FAULT_MISALIGNED_ATOMIC, rs1v, 0);
            if (!rv_memory_range_ok(&m->mem, rs1v, size, RV_PAGE_R | RV_PAGE_W))
                FAULT(RVVM_FAULT_STORE_ACCESS, rs1v, 0);
            uint64_t old = rv_load_le(membase + rs1v, size);
            store(m, rs1v, amo_compute((rv_op)in->op, old, rs2v, word), size);
            x[rd] = word ? S32(old) : old;
            break;
        }
        }
        pc = next;
        cycles += cost;
        instret++;
    }
    goto stop;

fault:
    reason = RVVM_STOP_FAULT;
    out->fault = m->fault;
stop:
    m->pc = pc;
    m->cycles = cycles;
    m->instret = instret;
    x[0] = 0;
    out->reason = reason;
    if (reason == RVVM_STOP_EXITED) {
        m->state = RV_STATE_EXITED;
        out->exit_code = m->exit_code;
    }
    return RVVM_OK;
}
