/*
 * The interpreter: threaded dispatch over pre-decoded slots with block
 * metering.
 *
 * On entering a straight-line run, the rest of the run's cost is charged at
 * once if the budget can pay it; the run then executes with no per-instruction
 * checks. If it cannot pay, the longest prefix it can pay is charged and the
 * slot after that prefix is turned into a budget stop for the time being (see
 * rv_budget_stop), so a stop lands exactly before the first instruction the
 * budget cannot pay for, with no test on the way there. A fault refunds what
 * was charged for the faulting instruction and the rest of its run.
 *
 * Dispatch uses computed goto where the compiler has it (GCC, Clang): each
 * slot holds its handler's address, so the next instruction is one load
 * away. Otherwise a switch on the op; the handlers are the same text.
 */
#include "cpu.h"
#include "softfp.h"

#include <stdlib.h>

#if defined(__GNUC__) && !defined(RVVM_NO_COMPUTED_GOTO)
#define RV_THREADED 1
#else
#define RV_THREADED 0
#endif

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

static inline uint64_t rotl64(uint64_t v, unsigned n) { n &= 63; return n ? v << n | v >> (64 - n) : v; }
static inline uint64_t rotr64(uint64_t v, unsigned n) { n &= 63; return n ? v >> n | v << (64 - n) : v; }
static inline uint32_t rotl32(uint32_t v, unsigned n) { n &= 31; return n ? v << n | v >> (32 - n) : v; }
static inline uint32_t rotr32(uint32_t v, unsigned n) { n &= 31; return n ? v >> n | v << (32 - n) : v; }

static uint64_t orc_b(uint64_t v)
{
    uint64_t r = 0;
    for (int i = 0; i < 64; i += 8)
        if ((v >> i) & 0xff)
            r |= (uint64_t)0xff << i;
    return r;
}

/* Carry-less products (Zbc): clmul is bits 63..0 of the 128-bit product,
 * clmulh bits 127..64, clmulr bits 126..63. */
static uint64_t clmul_lo(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (int i = 0; i < 64; i++)
        if ((b >> i) & 1)
            r ^= a << i;
    return r;
}
static uint64_t clmul_hi(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (int i = 1; i < 64; i++)
        if ((b >> i) & 1)
            r ^= a >> (64 - i);
    return r;
}
static uint64_t clmul_rev(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (int i = 0; i < 64; i++)
        if ((b >> i) & 1)
            r ^= a >> (63 - i);
    return r;
}

static uint64_t amo_compute(unsigned op, uint64_t old, uint64_t src, bool word)
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
    case 0x305: return m->mtvec;
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
    case 0x305: m->mtvec = v & ~(uint64_t)2; break; /* WARL: modes 0 and 1 */
    default: break; /* counters are read-only; decode rejects writes */
    }
}

static bool load_slow(rvvm_machine *m, uint64_t addr, unsigned size, uint64_t *out)
{
    const uint8_t *p = rv_memory_translate(&m->mem, addr, size, RV_PAGE_R);
    if (!p)
        return false;
    *out = rv_load_le(p, size);
    return true;
}

/*
 * Stores off the fast path: straddling a page, or into a page that may hold
 * decoded code. Returns -1 if not allowed, 1 if decoded code was dropped.
 */
static int store_slow(rvvm_machine *m, uint64_t addr, uint64_t value, unsigned size)
{
    uint8_t *p = rv_memory_translate(&m->mem, addr, size, RV_PAGE_W);
    if (!p)
        return -1;
    rv_store_le(p, value, size);
    return rv_guest_written(m, addr, size) ? 1 : 0;
}

/*
 * The RISC-V semihosting call: "slli x0, x0, 0x1f; ebreak; srai x0, x0, 7",
 * all uncompressed, in executable memory.
 */
static bool is_semihost_call(const rvvm_machine *m, uint64_t pc)
{
    const uint8_t *before = rv_memory_translate(&m->mem, pc - 4, 4, RV_PAGE_X);
    const uint8_t *after = rv_memory_translate(&m->mem, pc + 4, 4, RV_PAGE_X);
    return pc >= 4 && before && after && rv_load_le(before, 4) == 0x01f01013 &&
           rv_load_le(after, 4) == 0x40705013;
}

/*
 * A run the budget cannot pay in full: the slot of the first instruction it
 * cannot pay for becomes a budget_stop, and if that instruction is the second
 * of a fused pair, the pair's slot is cut to its first instruction. Both are
 * put back when the stop is reached or the run is left another way.
 */
typedef struct rv_budget_stop {
    rv_slot *at;           /* the stop, or NULL if none is set */
    const void *at_handler;
    uint8_t at_op;
    rv_slot *split;        /* the cut fused slot, or NULL */
    rv_slot split_saved;
    uint32_t unpaid_cost;  /* the run's cost and count from `at` on, not charged */
    uint32_t unpaid_count;
} rv_budget_stop;

/* Puts the slots back, unless their page's code was dropped meanwhile. */
static void budget_stop_undo(rv_budget_stop *b)
{
    if (b->at && b->at->op == RV_OP_budget_stop) {
        b->at->op = b->at_op;
        b->at->handler = b->at_handler;
    }
    if (b->split && b->split->op != RV_OP_undecoded)
        *b->split = b->split_saved;
    *b = (rv_budget_stop){0};
}

static void set_fault(rvvm_machine *m, rvvm_fault_kind kind, uint64_t pc, uint64_t addr,
                      uint32_t encoding)
{
    m->fault = (rvvm_fault){.kind = kind, .pc = pc, .address = addr, .encoding = encoding};
    m->state = RV_STATE_FAULTED;
}

/*
 * Runs a ready machine for at most max_cycles. Kept apart from rvvm_run so
 * that nothing but the interpreter's own state is live in its loop.
 */
static rvvm_stop_reason interpret(rvvm_machine *m, uint64_t max_cycles)
{
    uint64_t *const x = m->x;
    uint8_t *const membase = m->mem.base;
    /* Page flags and dirty bytes are reached from membase (see memory.h). */
#define PFLAGS(p) membase[(ptrdiff_t)(p) - (ptrdiff_t)RV_FLAGS_OFFSET]
#define DIRTY(p) membase[(ptrdiff_t)(p) - (ptrdiff_t)RV_DIRTY_OFFSET]
    /* Metering counts `budget` down; cycles spent = start + initial - budget.
     * The instruction count lives in `instret` until the machine needs it. */
    const uint64_t start_cycles = m->cycles;
    const uint64_t initial_budget =
        max_cycles > UINT64_MAX - start_cycles ? UINT64_MAX - start_cycles : max_cycles;
    uint64_t budget = initial_budget;
    uint64_t instret = m->instret;
    rvvm_stop_reason reason; /* set on the way to `done` */
    rv_budget_stop stop = {0};
    rv_slot *slots = NULL;   /* the current page's slots */
    uint64_t page_base = 0;
    rv_slot *in = NULL;

#define PC_OF(s) (page_base + ((uint64_t)((s) - slots) << 1))
#define CYCLES_NOW (start_cycles + (initial_budget - budget))

#if RV_THREADED
    static const void *const handlers[RV_OP_COUNT] = {
#define RV_LABEL_ADDR(name, ext, cls, flags) &&op_##name,
        RV_INSN_LIST(RV_LABEL_ADDR)
#undef RV_LABEL_ADDR
    };
    /* Slots decoded from now on point at these labels. */
    if (m->handlers != handlers) {
        m->handlers = handlers;
        rv_code_invalidate_all(m);
    }
#define OP(name) op_##name:
#define DISPATCH() goto *in->handler
#else
#define OP(name) case RV_OP_##name:
#define DISPATCH() goto dispatch
#endif

    /* A run starts at `in`: charge it, or stop within it (partial_run).
     * Expanded in each jump's handler, so each has its own indirect jump. */
#define ENTER()                                                                  \
    do {                                                                         \
        if (__builtin_expect(in->block_cost <= budget, 1)) {                  \
            budget -= in->block_cost;                                         \
            instret += in->block_count;                                       \
            DISPATCH();                                                          \
        }                                                                        \
        goto partial_run;                                                        \
    } while (0)
    /* The next slot of this run, or an end-of-page slot. */
#define NEXT()                                                                   \
    do {                                                                         \
        in = (rv_slot *)((char *)in + in->next);                                 \
        DISPATCH();                                                              \
    } while (0)
    /* Control goes elsewhere: a new run starts at `t`. */
#define JUMP(t)                                                                  \
    do {                                                                         \
        uint64_t t_ = (t);                                                       \
        if (__builtin_expect((t_ ^ page_base) < RV_PAGE_SIZE, 1)) {              \
            in = slots + ((t_ & RV_PAGE_MASK) >> 1);                             \
            ENTER();                                                             \
        }                                                                        \
        m->pc = t_;                                                              \
        goto lookup;                                                             \
    } while (0)
    /* The run ended without a jump: a new run starts right after. */
#define END_RUN()                                                                \
    do {                                                                         \
        in = (rv_slot *)((char *)in + in->next);                                 \
        ENTER();                                                                 \
    } while (0)
#define FAULT(kind, addr, enc)                                                   \
    do {                                                                         \
        set_fault(m, kind, PC_OF(in), addr, enc);                                \
        goto fault;                                                              \
    } while (0)
#define LOAD(size, conv)                                                         \
    do {                                                                         \
        uint64_t a_ = x[in->rs1] + (uint64_t)in->imm;                            \
        uint64_t p_ = a_ >> RV_PAGE_SHIFT;                                       \
        uint64_t v_;                                                             \
        if (__builtin_expect(p_ < RV_MAX_PAGES && (PFLAGS(p_) & RV_PAGE_R) &&     \
                                 (a_ & RV_PAGE_MASK) <= RV_PAGE_SIZE - size, 1)) \
            v_ = rv_load_le(membase + a_, size);                                 \
        else if (!load_slow(m, a_, size, &v_))                                   \
            FAULT(RVVM_FAULT_LOAD_ACCESS, a_, 0);                                \
        x[in->rd] = conv(v_);                                                    \
        NEXT();                                                                  \
    } while (0)
#define STORE(size)                                                              \
    do {                                                                         \
        uint64_t a_ = x[in->rs1] + (uint64_t)in->imm;                            \
        uint64_t p_ = a_ >> RV_PAGE_SHIFT;                                       \
        if (__builtin_expect(p_ < RV_MAX_PAGES &&                                \
                                 (PFLAGS(p_) & RV_PAGE_STORE_FAST) &&            \
                                 (a_ & RV_PAGE_MASK) <= RV_PAGE_SIZE - size, 1)) { \
            rv_store_le(membase + a_, x[in->rs2], size);                         \
            DIRTY(p_) = 1;                                                       \
            NEXT();                                                              \
        }                                                                        \
        STORE_SLOW(a_, x[in->rs2], size);                                        \
    } while (0)
    /*
     * Stores off the fast path, and atomics. The slot's fields are read first:
     * the store may drop this page's decoded code, after which the rest of
     * the run is refunded and execution restarts from the next instruction.
     */
#define STORE_SLOW(addr, value, size)                                            \
    do {                                                                         \
        uint64_t sa_ = (addr), sv_ = (value);                                    \
        uint64_t next_ = PC_OF(in) + RV_SLOT_LEN(in);                            \
        const rv_slot *after_ = (const rv_slot *)((const char *)in + in->next);  \
        uint32_t rest_cost_ = after_->block_cost - stop.unpaid_cost;             \
        uint32_t rest_count_ = after_->block_count - stop.unpaid_count;          \
        int r_ = store_slow(m, sa_, sv_, size);                                  \
        if (r_ < 0) FAULT(RVVM_FAULT_STORE_ACCESS, sa_, 0);                      \
        if (r_ == 0) NEXT();                                                     \
        budget_stop_undo(&stop);                                                 \
        budget += rest_cost_;                                                 \
        instret -= rest_count_;                                               \
        m->pc = next_;                                                           \
        goto lookup;                                                             \
    } while (0)
/* jal and taken branches: to a slot of this page (imm is the byte offset),
 * or, in the _far forms, to an absolute target through lookup. */
#define JUMP_NEAR()                                                              \
    do {                                                                         \
        in = (rv_slot *)((char *)in + in->imm);                                  \
        ENTER();                                                                 \
    } while (0)
#define JUMP_FAR()                                                               \
    do {                                                                         \
        m->pc = (uint64_t)in->imm;                                               \
        goto lookup;                                                             \
    } while (0)
#define BRANCH(cond)                                                             \
    do {                                                                         \
        if (cond) JUMP_NEAR();                                                   \
        END_RUN();                                                               \
    } while (0)
#define BRANCH_FAR(cond)                                                         \
    do {                                                                         \
        if (cond) JUMP_FAR();                                                    \
        END_RUN();                                                               \
    } while (0)
#define RS1 x[in->rs1]
#define RS2 x[in->rs2]
#define RD x[in->rd]
#define IMM ((uint64_t)in->imm)
#define SELF(v) (v)
#define S8(v) ((uint64_t)(int64_t)(int8_t)(v))
#define S16(v) ((uint64_t)(int64_t)(int16_t)(v))
#define S32(v) sext32(v)

lookup: {
    /* Control reaches a pc (in m->pc) whose slot is not known yet. */
    uint64_t target = m->pc;
    uint64_t page = target >> RV_PAGE_SHIFT;
    if (page >= RV_MAX_PAGES || !(PFLAGS(page) & RV_PAGE_X)) {
        m->fault = (rvvm_fault){.kind = RVVM_FAULT_FETCH_ACCESS, .pc = target, .address = target};
        m->state = RV_STATE_FAULTED;
        /* Nothing was charged for the target: report its pc and stop. */
        m->pc = target;
        reason = RVVM_STOP_FAULT;
        goto done;
    }
    slots = rv_code_page(m, page);
    if (!slots) {
        m->pc = target;
        reason = RVVM_STOP_FAULT;
        set_fault(m, RVVM_FAULT_FETCH_ACCESS, target, target, 0);
        goto done;
    }
    page_base = target & ~RV_PAGE_MASK;
    in = slots + ((target & RV_PAGE_MASK) >> 1);
}
enter:
    ENTER();

partial_run: {
    /* The budget cannot pay the whole run. The stop is the last slot t of
     * the run with t->block_cost >= need: running from `in` up to t costs
     * in->block_cost - t->block_cost <= budget, and t itself costs more than
     * what is left. Run up to t and stop there. */
    uint64_t need = in->block_cost - budget;
    rv_slot *t = in, *before_t = NULL;
    while (t->block_count > 1) {
        rv_slot *u = t + RV_SLOT_LEN(t) / 2;
        if (u->block_cost < need)
            break;
        before_t = t;
        t = u;
    }
    if (t == in)
        goto stop_at_limit;
    budget -= in->block_cost - t->block_cost;
    instret += in->block_count - t->block_count;
    stop = (rv_budget_stop){.at = t, .at_handler = t->handler, .at_op = t->op,
                            .unpaid_cost = t->block_cost, .unpaid_count = t->block_count};
    t->op = RV_OP_budget_stop;
#if RV_THREADED
    t->handler = &&op_budget_stop;
#endif
    if (before_t && before_t->op >= RV_OP_FUSED_FIRST) {
        /* t is the second of a fused pair: run the pair's first instruction alone. */
        rv_slot *f = before_t;
        stop.split = f;
        stop.split_saved = *f;
        if (f->op == RV_OP_fused_slli_add) {
            f->op = RV_OP_slli;
        } else {
            f->op = RV_OP_li;
            f->imm -= t->imm; /* lui's value: the pair's constant less addi's */
        }
        f->next = (uint8_t)(RV_SLOT_LEN(f) / 2 * sizeof(rv_slot));
#if RV_THREADED
        f->handler = handlers[f->op];
#endif
    }
    DISPATCH();
}

#if !RV_THREADED
dispatch:
    switch ((rv_op)in->op) {
#endif

    OP(undecoded) {
        if (!rv_decode_run(m, slots, page_base, in)) {
            m->pc = PC_OF(in);
            reason = RVVM_STOP_FAULT;
            goto done;
        }
        goto enter;
    }
    OP(page_end) {
        m->pc = PC_OF(in);
        goto lookup;
    }
    OP(illegal) FAULT(RVVM_FAULT_ILLEGAL_INSTRUCTION, 0, in->raw);
    OP(budget_stop) {
        budget_stop_undo(&stop);
        goto stop_at_limit;
    }
    OP(nop) NEXT();
    OP(fused_slli_add) {
        uint64_t t = RS1 << (IMM & 63);
        RD = t;
        x[in->rs3] = x[in->rs2] + t;
        NEXT();
    }
    OP(fused_lui_addi) RD = IMM; NEXT();
    OP(li) RD = IMM; NEXT();
    OP(mv) RD = RS1; NEXT();
    OP(lui) RD = IMM; NEXT();
    OP(auipc) RD = IMM; NEXT(); /* decode made it absolute; normally specialised to li */
    OP(jal) {
        RD = PC_OF(in) + RV_SLOT_LEN(in);
        JUMP_NEAR();
    }
    OP(jal_far) {
        RD = PC_OF(in) + RV_SLOT_LEN(in);
        JUMP_FAR();
    }
    OP(jal_checked) FAULT(RVVM_FAULT_FETCH_MISALIGNED, IMM, 0);
    OP(jalr) {
        uint64_t t = (RS1 + IMM) & ~(uint64_t)1;
        RD = PC_OF(in) + RV_SLOT_LEN(in);
        JUMP(t);
    }
    OP(jalr_checked) {
        uint64_t t = (RS1 + IMM) & ~(uint64_t)1;
        if (t & 2)
            FAULT(RVVM_FAULT_FETCH_MISALIGNED, t, 0);
        RD = PC_OF(in) + RV_SLOT_LEN(in);
        JUMP(t);
    }
    OP(branch_misaligned) {
        uint64_t a = RS1, b = RS2;
        bool taken;
        switch (in->rd) {
        case RV_OP_beq: taken = a == b; break;
        case RV_OP_bne: taken = a != b; break;
        case RV_OP_blt: taken = (int64_t)a < (int64_t)b; break;
        case RV_OP_bge: taken = (int64_t)a >= (int64_t)b; break;
        case RV_OP_bltu: taken = a < b; break;
        default: taken = a >= b; break;
        }
        if (taken)
            FAULT(RVVM_FAULT_FETCH_MISALIGNED, IMM, 0);
        END_RUN();
    }
    OP(beq) BRANCH(RS1 == RS2);
    OP(bne) BRANCH(RS1 != RS2);
    OP(blt) BRANCH((int64_t)RS1 < (int64_t)RS2);
    OP(bge) BRANCH((int64_t)RS1 >= (int64_t)RS2);
    OP(bltu) BRANCH(RS1 < RS2);
    OP(bgeu) BRANCH(RS1 >= RS2);
    OP(beq_far) BRANCH_FAR(RS1 == RS2);
    OP(bne_far) BRANCH_FAR(RS1 != RS2);
    OP(blt_far) BRANCH_FAR((int64_t)RS1 < (int64_t)RS2);
    OP(bge_far) BRANCH_FAR((int64_t)RS1 >= (int64_t)RS2);
    OP(bltu_far) BRANCH_FAR(RS1 < RS2);
    OP(bgeu_far) BRANCH_FAR(RS1 >= RS2);
    OP(lb) LOAD(1, S8);
    OP(lh) LOAD(2, S16);
    OP(lw) LOAD(4, S32);
    OP(ld) LOAD(8, SELF);
    OP(lbu) LOAD(1, SELF);
    OP(lhu) LOAD(2, SELF);
    OP(lwu) LOAD(4, SELF);
    OP(sb) STORE(1);
    OP(sh) STORE(2);
    OP(sw) STORE(4);
    OP(sd) STORE(8);
    OP(addi) RD = RS1 + IMM; NEXT();
    OP(slti) RD = (int64_t)RS1 < (int64_t)IMM; NEXT();
    OP(sltiu) RD = RS1 < IMM; NEXT();
    OP(xori) RD = RS1 ^ IMM; NEXT();
    OP(ori) RD = RS1 | IMM; NEXT();
    OP(andi) RD = RS1 & IMM; NEXT();
    OP(slli) RD = RS1 << (IMM & 63); NEXT();
    OP(srli) RD = RS1 >> (IMM & 63); NEXT();
    OP(srai) RD = (uint64_t)((int64_t)RS1 >> (IMM & 63)); NEXT();
    OP(add) RD = RS1 + RS2; NEXT();
    OP(sub) RD = RS1 - RS2; NEXT();
    OP(sll) RD = RS1 << (RS2 & 63); NEXT();
    OP(slt) RD = (int64_t)RS1 < (int64_t)RS2; NEXT();
    OP(sltu) RD = RS1 < RS2; NEXT();
    OP(xor) RD = RS1 ^ RS2; NEXT();
    OP(srl) RD = RS1 >> (RS2 & 63); NEXT();
    OP(sra) RD = (uint64_t)((int64_t)RS1 >> (RS2 & 63)); NEXT();
    OP(or) RD = RS1 | RS2; NEXT();
    OP(and) RD = RS1 & RS2; NEXT();
    OP(addiw) RD = S32(RS1 + IMM); NEXT();
    OP(slliw) RD = S32((uint32_t)RS1 << (IMM & 31)); NEXT();
    OP(srliw) RD = S32((uint32_t)RS1 >> (IMM & 31)); NEXT();
    OP(sraiw) RD = S32((uint32_t)((int32_t)RS1 >> (IMM & 31))); NEXT();
    OP(addw) RD = S32(RS1 + RS2); NEXT();
    OP(subw) RD = S32(RS1 - RS2); NEXT();
    OP(sllw) RD = S32((uint32_t)RS1 << (RS2 & 31)); NEXT();
    OP(srlw) RD = S32((uint32_t)RS1 >> (RS2 & 31)); NEXT();
    OP(sraw) RD = S32((uint32_t)((int32_t)RS1 >> (RS2 & 31))); NEXT();
    OP(fence) NEXT();
    OP(fence_i) {
        uint64_t next = PC_OF(in) + RV_SLOT_LEN(in);
        rv_code_invalidate_all(m);
        m->pc = next;
        goto lookup;
    }
    /*
     * A system call: ecall, or ebreak in the RISC-V semihosting sequence. It
     * ends its run, so the counters are exact here (its block_cost is its own
     * cost); the call sees them as they were before it.
     */
#define SYSTEM_CALL(handler)                                                     \
    do {                                                                         \
        uint64_t next_ = PC_OF(in) + RV_SLOT_LEN(in);                            \
        m->pc = PC_OF(in);                                                       \
        m->cycles = CYCLES_NOW - in->block_cost;                                 \
        m->instret = instret - 1;                                                \
        int r_ = handler(m);                                                     \
        if (r_ < 0) {                                                            \
            budget += in->block_cost; /* not retired */                          \
            instret = m->instret;                                                \
            goto fault_set;                                                      \
        }                                                                        \
        instret = m->instret + 1;                                                \
        m->pc = next_;                                                           \
        if (r_ > 0) {                                                            \
            reason = RVVM_STOP_EXITED;                                           \
            goto done;                                                           \
        }                                                                        \
        /* The call may have changed memory, permissions or code. */            \
        goto lookup;                                                             \
    } while (0)
    OP(ecall) SYSTEM_CALL(rv_syscall);
    OP(ebreak) {
        if (RV_SLOT_LEN(in) == 4 && is_semihost_call(m, PC_OF(in)))
            SYSTEM_CALL(rv_semihost);
        FAULT(RVVM_FAULT_BREAKPOINT, 0, in->raw);
    }
    OP(csrrw) OP(csrrs) OP(csrrc) OP(csrrwi) OP(csrrsi) OP(csrrci) {
        /* CSR instructions end their run: cycles before this one = cycles - its cost. */
        uint32_t csr = (uint32_t)in->imm;
        uint64_t old = csr_read(m, csr, CYCLES_NOW - in->block_cost, instret - 1);
        bool immediate = in->op >= RV_OP_csrrwi;
        uint64_t src = immediate ? in->rs1 : RS1;
        switch (in->op) {
        case RV_OP_csrrw: case RV_OP_csrrwi: csr_write(m, csr, src); break;
        case RV_OP_csrrs: case RV_OP_csrrsi: if (in->rs1) csr_write(m, csr, old | src); break;
        default: if (in->rs1) csr_write(m, csr, old & ~src); break;
        }
        RD = old;
        END_RUN();
    }
    OP(mul) RD = RS1 * RS2; NEXT();
    OP(mulh) RD = mulh64((int64_t)RS1, (int64_t)RS2); NEXT();
    OP(mulhsu) RD = mulhsu64((int64_t)RS1, RS2); NEXT();
    OP(mulhu) RD = mulhu64(RS1, RS2); NEXT();
    OP(div) RD = div64((int64_t)RS1, (int64_t)RS2); NEXT();
    OP(divu) RD = divu64(RS1, RS2); NEXT();
    OP(rem) RD = rem64((int64_t)RS1, (int64_t)RS2); NEXT();
    OP(remu) RD = remu64(RS1, RS2); NEXT();
    OP(mulw) RD = S32(RS1 * RS2); NEXT();
    OP(divw) RD = div32((int32_t)RS1, (int32_t)RS2); NEXT();
    OP(divuw) RD = S32(divu64((uint32_t)RS1, (uint32_t)RS2)); NEXT();
    OP(remw) RD = rem32((int32_t)RS1, (int32_t)RS2); NEXT();
    OP(remuw) RD = S32(remu64((uint32_t)RS1, (uint32_t)RS2)); NEXT();
    OP(lr_w) OP(lr_d) {
        unsigned size = in->op == RV_OP_lr_w ? 4 : 8;
        uint64_t a = RS1, v;
        /* LR/SC and AMOs need natural alignment; Linux sends SIGBUS. */
        if (a & (size - 1))
            FAULT(RVVM_FAULT_MISALIGNED_ATOMIC, a, 0);
        if (!load_slow(m, a, size, &v))
            FAULT(RVVM_FAULT_LOAD_ACCESS, a, 0);
        RD = size == 4 ? S32(v) : v;
        m->resv_valid = true;
        m->resv_addr = a;
        m->resv_size = (uint8_t)size;
        NEXT();
    }
    OP(sc_w) OP(sc_d) {
        unsigned size = in->op == RV_OP_sc_w ? 4 : 8;
        uint64_t a = RS1, v = RS2;
        if (a & (size - 1))
            FAULT(RVVM_FAULT_MISALIGNED_ATOMIC, a, 0);
        /* "SC.W conditionally writes ... only if the reservation is still
         * valid"; success or failure, it invalidates the reservation. */
        bool ok = m->resv_valid && m->resv_addr == a && m->resv_size == size;
        if (ok && !rv_memory_range_ok(&m->mem, a, size, RV_PAGE_W))
            FAULT(RVVM_FAULT_STORE_ACCESS, a, 0);
        m->resv_valid = false;
        RD = ok ? 0 : 1;
        if (!ok)
            NEXT();
        STORE_SLOW(a, v, size);
    }
    OP(amoswap_w) OP(amoadd_w) OP(amoxor_w) OP(amoand_w) OP(amoor_w) OP(amomin_w)
    OP(amomax_w) OP(amominu_w) OP(amomaxu_w) OP(amoswap_d) OP(amoadd_d) OP(amoxor_d)
    OP(amoand_d) OP(amoor_d) OP(amomin_d) OP(amomax_d) OP(amominu_d) OP(amomaxu_d) {
        bool word = in->op <= RV_OP_amomaxu_w;
        unsigned size = word ? 4 : 8;
        uint64_t a = RS1;
        if (a & (size - 1))
            FAULT(RVVM_FAULT_MISALIGNED_ATOMIC, a, 0);
        if (!rv_memory_range_ok(&m->mem, a, size, RV_PAGE_R | RV_PAGE_W))
            FAULT(RVVM_FAULT_STORE_ACCESS, a, 0);
        uint64_t old = rv_load_le(membase + a, size);
        uint64_t v = amo_compute(in->op, old, RS2, word);
        RD = word ? S32(old) : old;
        STORE_SLOW(a, v, size);
    }
    /* Zba: rd = rs2 + (rs1 << n); the .uw forms zero-extend rs1's low word first. */
    OP(sh1add) RD = RS2 + (RS1 << 1); NEXT();
    OP(sh2add) RD = RS2 + (RS1 << 2); NEXT();
    OP(sh3add) RD = RS2 + (RS1 << 3); NEXT();
    OP(add_uw) RD = RS2 + (uint32_t)RS1; NEXT();
    OP(sh1add_uw) RD = RS2 + ((uint64_t)(uint32_t)RS1 << 1); NEXT();
    OP(sh2add_uw) RD = RS2 + ((uint64_t)(uint32_t)RS1 << 2); NEXT();
    OP(sh3add_uw) RD = RS2 + ((uint64_t)(uint32_t)RS1 << 3); NEXT();
    OP(slli_uw) RD = (uint64_t)(uint32_t)RS1 << (IMM & 63); NEXT();
    /* Zbb */
    OP(andn) RD = RS1 & ~RS2; NEXT();
    OP(orn) RD = RS1 | ~RS2; NEXT();
    OP(xnor) RD = ~(RS1 ^ RS2); NEXT();
    OP(clz) { uint64_t v = RS1; RD = v ? (uint64_t)__builtin_clzll(v) : 64; NEXT(); }
    OP(ctz) { uint64_t v = RS1; RD = v ? (uint64_t)__builtin_ctzll(v) : 64; NEXT(); }
    OP(cpop) RD = (uint64_t)__builtin_popcountll(RS1); NEXT();
    OP(clzw) { uint32_t v = (uint32_t)RS1; RD = v ? (uint64_t)__builtin_clz(v) : 32; NEXT(); }
    OP(ctzw) { uint32_t v = (uint32_t)RS1; RD = v ? (uint64_t)__builtin_ctz(v) : 32; NEXT(); }
    OP(cpopw) RD = (uint64_t)__builtin_popcount((uint32_t)RS1); NEXT();
    OP(max) RD = (int64_t)RS1 > (int64_t)RS2 ? RS1 : RS2; NEXT();
    OP(maxu) RD = RS1 > RS2 ? RS1 : RS2; NEXT();
    OP(min) RD = (int64_t)RS1 < (int64_t)RS2 ? RS1 : RS2; NEXT();
    OP(minu) RD = RS1 < RS2 ? RS1 : RS2; NEXT();
    OP(sext_b) RD = S8(RS1); NEXT();
    OP(sext_h) RD = S16(RS1); NEXT();
    OP(zext_h) RD = (uint16_t)RS1; NEXT();
    OP(orc_b) RD = orc_b(RS1); NEXT();
    OP(rev8) RD = __builtin_bswap64(RS1); NEXT();
    OP(rol) RD = rotl64(RS1, (unsigned)RS2); NEXT();
    OP(ror) RD = rotr64(RS1, (unsigned)RS2); NEXT();
    OP(rori) RD = rotr64(RS1, (unsigned)IMM); NEXT();
    OP(rolw) RD = S32(rotl32((uint32_t)RS1, (unsigned)RS2)); NEXT();
    OP(rorw) RD = S32(rotr32((uint32_t)RS1, (unsigned)RS2)); NEXT();
    OP(roriw) RD = S32(rotr32((uint32_t)RS1, (unsigned)IMM)); NEXT();
    /* Zbc */
    OP(clmul) RD = clmul_lo(RS1, RS2); NEXT();
    OP(clmulh) RD = clmul_hi(RS1, RS2); NEXT();
    OP(clmulr) RD = clmul_rev(RS1, RS2); NEXT();
    /* Zbs: the bit index is the low 6 bits of rs2 or the immediate. */
    OP(bclr) RD = RS1 & ~((uint64_t)1 << (RS2 & 63)); NEXT();
    OP(bclri) RD = RS1 & ~((uint64_t)1 << (IMM & 63)); NEXT();
    OP(bext) RD = (RS1 >> (RS2 & 63)) & 1; NEXT();
    OP(bexti) RD = (RS1 >> (IMM & 63)) & 1; NEXT();
    OP(binv) RD = RS1 ^ ((uint64_t)1 << (RS2 & 63)); NEXT();
    OP(binvi) RD = RS1 ^ ((uint64_t)1 << (IMM & 63)); NEXT();
    OP(bset) RD = RS1 | ((uint64_t)1 << (RS2 & 63)); NEXT();
    OP(bseti) RD = RS1 | ((uint64_t)1 << (IMM & 63)); NEXT();
    /* Zicond */
    OP(czero_eqz) RD = RS2 == 0 ? 0 : RS1; NEXT();
    OP(czero_nez) RD = RS2 != 0 ? 0 : RS1; NEXT();
    /* F and D, in software: bit-identical on every host, no host FP state. */
#define FREG m->f
#define FS1 sf_unbox32(FREG[in->rs1])
#define FS2 sf_unbox32(FREG[in->rs2])
#define FS3 sf_unbox32(FREG[in->rs3])
#define FD1 FREG[in->rs1]
#define FD2 FREG[in->rs2]
#define FD3 FREG[in->rs3]
    /* Resolves the rounding mode into rm_; a dynamic mode of 5..7 is illegal. */
#define FP_RM()                                                                  \
    unsigned fl_ = 0;                                                            \
    int rm_ = (int)in->imm;                                                      \
    if (rm_ == 7) rm_ = (int)((m->fcsr >> 5) & 7);                               \
    if (__builtin_expect(rm_ > 4, 0)) FAULT(RVVM_FAULT_ILLEGAL_INSTRUCTION, 0, in->raw)
#define FP_DONE() m->fcsr |= fl_; NEXT()
#define F32_OP(expr) { FP_RM(); FREG[in->rd] = sf_box32(expr); FP_DONE(); }
#define F64_OP(expr) { FP_RM(); FREG[in->rd] = (expr); FP_DONE(); }
#define INT_FP_OP(expr) { FP_RM(); RD = (uint64_t)(expr); FP_DONE(); }
#define FP_FLAGS_ONLY(dst, expr) { unsigned fl_ = 0; dst = (expr); FP_DONE(); }
    OP(flw) {
        uint64_t a = RS1 + IMM, v;
        if (!load_slow(m, a, 4, &v))
            FAULT(RVVM_FAULT_LOAD_ACCESS, a, 0);
        FREG[in->rd] = sf_box32((uint32_t)v);
        NEXT();
    }
    OP(fld) {
        uint64_t a = RS1 + IMM, v;
        if (!load_slow(m, a, 8, &v))
            FAULT(RVVM_FAULT_LOAD_ACCESS, a, 0);
        FREG[in->rd] = v;
        NEXT();
    }
    /* FSW stores the low 32 bits whatever the boxing. */
    OP(fsw) STORE_SLOW(RS1 + IMM, (uint32_t)FREG[in->rs2], 4);
    OP(fsd) STORE_SLOW(RS1 + IMM, FREG[in->rs2], 8);
    OP(fmadd_s) F32_OP(sf32_fmadd(FS1, FS2, FS3, rm_, &fl_))
    OP(fmsub_s) F32_OP(sf32_fmsub(FS1, FS2, FS3, rm_, &fl_))
    OP(fnmsub_s) F32_OP(sf32_fnmsub(FS1, FS2, FS3, rm_, &fl_))
    OP(fnmadd_s) F32_OP(sf32_fnmadd(FS1, FS2, FS3, rm_, &fl_))
    OP(fadd_s) F32_OP(sf32_add(FS1, FS2, rm_, &fl_))
    OP(fsub_s) F32_OP(sf32_sub(FS1, FS2, rm_, &fl_))
    OP(fmul_s) F32_OP(sf32_mul(FS1, FS2, rm_, &fl_))
    OP(fdiv_s) F32_OP(sf32_div(FS1, FS2, rm_, &fl_))
    OP(fsqrt_s) F32_OP(sf32_sqrt(FS1, rm_, &fl_))
    OP(fsgnj_s) FREG[in->rd] = sf_box32((FS1 & ~SF32_SIGN) | (FS2 & SF32_SIGN)); NEXT();
    OP(fsgnjn_s) FREG[in->rd] = sf_box32((FS1 & ~SF32_SIGN) | (~FS2 & SF32_SIGN)); NEXT();
    OP(fsgnjx_s) FREG[in->rd] = sf_box32(FS1 ^ (FS2 & SF32_SIGN)); NEXT();
    OP(fmin_s) FP_FLAGS_ONLY(FREG[in->rd], sf_box32(sf32_min(FS1, FS2, &fl_)))
    OP(fmax_s) FP_FLAGS_ONLY(FREG[in->rd], sf_box32(sf32_max(FS1, FS2, &fl_)))
    OP(fcvt_w_s) INT_FP_OP(sf32_to_i32(FS1, rm_, &fl_))
    OP(fcvt_wu_s) INT_FP_OP(sf32_to_u32(FS1, rm_, &fl_))
    OP(fcvt_l_s) INT_FP_OP(sf32_to_i64(FS1, rm_, &fl_))
    OP(fcvt_lu_s) INT_FP_OP(sf32_to_u64(FS1, rm_, &fl_))
    OP(fmv_x_w) RD = S32((uint32_t)FREG[in->rs1]); NEXT();
    OP(feq_s) FP_FLAGS_ONLY(RD, (uint64_t)sf32_eq(FS1, FS2, &fl_))
    OP(flt_s) FP_FLAGS_ONLY(RD, (uint64_t)sf32_lt(FS1, FS2, &fl_))
    OP(fle_s) FP_FLAGS_ONLY(RD, (uint64_t)sf32_le(FS1, FS2, &fl_))
    OP(fclass_s) RD = sf32_classify(FS1); NEXT();
    OP(fcvt_s_w) F32_OP(sf32_from_i32((int32_t)RS1, rm_, &fl_))
    OP(fcvt_s_wu) F32_OP(sf32_from_u32((uint32_t)RS1, rm_, &fl_))
    OP(fcvt_s_l) F32_OP(sf32_from_i64((int64_t)RS1, rm_, &fl_))
    OP(fcvt_s_lu) F32_OP(sf32_from_u64(RS1, rm_, &fl_))
    OP(fmv_w_x) FREG[in->rd] = sf_box32((uint32_t)RS1); NEXT();
    OP(fmadd_d) F64_OP(sf64_fmadd(FD1, FD2, FD3, rm_, &fl_))
    OP(fmsub_d) F64_OP(sf64_fmsub(FD1, FD2, FD3, rm_, &fl_))
    OP(fnmsub_d) F64_OP(sf64_fnmsub(FD1, FD2, FD3, rm_, &fl_))
    OP(fnmadd_d) F64_OP(sf64_fnmadd(FD1, FD2, FD3, rm_, &fl_))
    OP(fadd_d) F64_OP(sf64_add(FD1, FD2, rm_, &fl_))
    OP(fsub_d) F64_OP(sf64_sub(FD1, FD2, rm_, &fl_))
    OP(fmul_d) F64_OP(sf64_mul(FD1, FD2, rm_, &fl_))
    OP(fdiv_d) F64_OP(sf64_div(FD1, FD2, rm_, &fl_))
    OP(fsqrt_d) F64_OP(sf64_sqrt(FD1, rm_, &fl_))
    OP(fsgnj_d) FREG[in->rd] = (FD1 & ~SF64_SIGN) | (FD2 & SF64_SIGN); NEXT();
    OP(fsgnjn_d) FREG[in->rd] = (FD1 & ~SF64_SIGN) | (~FD2 & SF64_SIGN); NEXT();
    OP(fsgnjx_d) FREG[in->rd] = FD1 ^ (FD2 & SF64_SIGN); NEXT();
    OP(fmin_d) FP_FLAGS_ONLY(FREG[in->rd], sf64_min(FD1, FD2, &fl_))
    OP(fmax_d) FP_FLAGS_ONLY(FREG[in->rd], sf64_max(FD1, FD2, &fl_))
    OP(fcvt_s_d) F32_OP(sf64_to_f32(FD1, rm_, &fl_))
    OP(fcvt_d_s) F64_OP(sf32_to_f64(FS1, &fl_))
    OP(feq_d) FP_FLAGS_ONLY(RD, (uint64_t)sf64_eq(FD1, FD2, &fl_))
    OP(flt_d) FP_FLAGS_ONLY(RD, (uint64_t)sf64_lt(FD1, FD2, &fl_))
    OP(fle_d) FP_FLAGS_ONLY(RD, (uint64_t)sf64_le(FD1, FD2, &fl_))
    OP(fclass_d) RD = sf64_classify(FD1); NEXT();
    OP(fcvt_w_d) INT_FP_OP(sf64_to_i32(FD1, rm_, &fl_))
    OP(fcvt_wu_d) INT_FP_OP(sf64_to_u32(FD1, rm_, &fl_))
    OP(fcvt_l_d) INT_FP_OP(sf64_to_i64(FD1, rm_, &fl_))
    OP(fcvt_lu_d) INT_FP_OP(sf64_to_u64(FD1, rm_, &fl_))
    OP(fmv_x_d) RD = FD1; NEXT();
    OP(fcvt_d_w) F64_OP(sf64_from_i32((int32_t)RS1, rm_, &fl_))
    OP(fcvt_d_wu) F64_OP(sf64_from_u32((uint32_t)RS1, rm_, &fl_))
    OP(fcvt_d_l) F64_OP(sf64_from_i64((int64_t)RS1, rm_, &fl_))
    OP(fcvt_d_lu) F64_OP(sf64_from_u64(RS1, rm_, &fl_))
    OP(fmv_d_x) FREG[in->rd] = RS1; NEXT();
#if !RV_THREADED
    default:
        FAULT(RVVM_FAULT_ILLEGAL_INSTRUCTION, 0, in->raw);
    }
#endif

fault:
    /* The faulting instruction is not retired: refund what was charged from it on. */
    budget += in->block_cost - stop.unpaid_cost;
    instret -= in->block_count - stop.unpaid_count;
fault_set:
    m->pc = m->fault.pc;
    reason = RVVM_STOP_FAULT;
    goto done;

stop_at_limit:
    m->pc = PC_OF(in);
    reason = RVVM_STOP_CYCLE_LIMIT;

done:
    budget_stop_undo(&stop);
    m->cycles = CYCLES_NOW;
    m->instret = instret;
    return reason;
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
    rvvm_stop_reason reason = interpret(m, max_cycles);
    out->reason = reason;
    if (reason == RVVM_STOP_FAULT) {
        out->fault = m->fault;
        m->state = RV_STATE_FAULTED;
    } else if (reason == RVVM_STOP_EXITED) {
        m->state = RV_STATE_EXITED;
        out->exit_code = m->exit_code;
    }
    return RVVM_OK;
}
