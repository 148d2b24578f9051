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
 * slot holds its handler's address, and the handlers (handlers.inc) exist
 * once per instruction length, so stepping to the next slot is an add of a
 * constant and the jump one load. Otherwise a switch on the op, over the same
 * handler text.
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
 * Stores off the fast path: straddling a page, into a page that may hold
 * decoded code, or the first store to a page in a checkpoint epoch. Returns
 * -1 if not allowed, -2 if the host-memory limit is reached, 1 if decoded
 * code was dropped.
 */
static int store_slow(rvvm_machine *m, uint64_t addr, uint64_t value, unsigned size)
{
    uint8_t *p = rv_memory_translate(&m->mem, addr, size, RV_PAGE_W);
    if (!p)
        return -1;
    if (rv_memory_prepare_write(&m->mem, addr, size) != 0)
        return -2;
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
 * A fork writes a page's slots only once they are its own: the same slot as
 * `in` in the private copy, or NULL if there is no room for the copy. (It
 * returns the slot rather than taking `in`'s address, which would keep the
 * interpreter's `in` out of a register.)
 */
static rv_slot *own_slot(rvvm_machine *m, rv_slot *in, bool may_flush)
{
    rv_slot *slots = RV_SLOTS_OF(in);
    uint64_t page = RV_PAGE_BASE_OF(in) >> RV_PAGE_SHIFT;
    rv_slot *mine = rv_code_private(m, page, may_flush);
    return mine ? mine + (in - slots) : NULL;
}

/*
 * Runs a ready machine for at most max_cycles. Kept apart from rvvm_run so
 * that nothing but the interpreter's own state is live in its loop.
 */
static rvvm_stop_reason interpret(rvvm_machine *m, uint64_t max_cycles)
{
    /* Registers, page flags, dirty bytes and memory: all at fixed offsets
     * from one base (see memory.h), so the loop keeps one register for them. */
    uint8_t *const membase = m->mem.base;
#define x ((uint64_t *)(void *)(membase - RV_REGS_OFFSET))
#define PFLAGS(p) membase[(ptrdiff_t)(p) - (ptrdiff_t)RV_FLAGS_OFFSET]
#define DIRTY(p) membase[(ptrdiff_t)(p) - (ptrdiff_t)RV_DIRTY_OFFSET]
    /* Metering counts `budget` down; cycles spent = start + initial - budget. */
    const uint64_t start_cycles = m->cycles;
    const uint64_t initial_budget =
        max_cycles > UINT64_MAX - start_cycles ? UINT64_MAX - start_cycles : max_cycles;
    uint64_t budget = initial_budget;
    /* The instruction count lives in the register page, beside x, until the
     * machine needs it: a fixed address. A stack spill slot's would depend on
     * the host's stack and could falsely alias the register file (the same
     * address bits 0-11), which made runs up to 1.7x slower on some hosts. */
#define INSTRET x[RV_REG_INSTRET]
    INSTRET = m->instret;
    rvvm_stop_reason reason; /* set on the way to `done` */
    rv_budget_stop stop = {0};
    rv_slot *in = NULL;
#if RV_THREADED
    rv_jit_fn jit_fn = NULL;
#endif
    uint64_t target = m->pc; /* where `lookup` goes: in a register, not in the machine */

#define PC_OF(s) (RV_PAGE_BASE_OF(s) + ((uint64_t)((s) - RV_SLOTS_OF(s)) << 1))
#define CYCLES_NOW (start_cycles + (initial_budget - budget))

#if RV_THREADED
    /* Handlers per op for 2-byte instructions, then for 4-byte ones. */
#define RV_HANDLER_LABEL(len, name) RV_HANDLER_LABEL_(len, name)
#define RV_HANDLER_LABEL_(len, name) op##len##_##name
#define RV_LABEL_ADDR_2(name, ext, cls, flags, shape) &&op2_##name,
#define RV_LABEL_ADDR_4(name, ext, cls, flags, shape) &&op4_##name,
    static const void *const handlers[2 * RV_OP_COUNT + 2] = {
        RV_INSN_LIST(RV_LABEL_ADDR_2)
        RV_INSN_LIST(RV_LABEL_ADDR_4)
        [RV_HANDLER_JIT_COUNT] = &&jit_count,
        [RV_HANDLER_JIT_RUN] = &&jit_run,
    };
#undef RV_LABEL_ADDR_2
#undef RV_LABEL_ADDR_4
    /* Slots decoded from now on point at these labels. */
    if (m->handlers != handlers) {
        m->handlers = handlers;
        rv_code_invalidate_all(m);
    }
    /* Slot states, the same for either length. */
#define OP_ANY_LENGTH(name) op2_##name: op4_##name:
#define DISPATCH() goto *in->handler
    /* A slot never written (cpu.h): it has no handler yet. */
#define SLOT_FRESH(s) __builtin_expect((s)->handler == NULL, 0)
#else
#define OP_ANY_LENGTH(name) case RV_OP_##name:
#define DISPATCH() goto dispatch
    /* A slot never written is op undecoded, which the switch handles. */
#define SLOT_FRESH(s) 0
#endif

    /* A run starts at `in`: charge it, or stop within it (partial_run).
     * Expanded in each jump's handler, so each has its own indirect jump. */
#define ENTER()                                                                  \
    do {                                                                         \
        if (__builtin_expect(in->block_cost <= budget, 1)) {                     \
            budget -= in->block_cost;                                            \
            INSTRET += in->block_count;                                          \
            DISPATCH();                                                          \
        }                                                                        \
        goto partial_run;                                                        \
    } while (0)
    /* Control goes elsewhere: a new run starts at `t`. */
#define JUMP(t)                                                                  \
    do {                                                                         \
        uint64_t t_ = (t);                                                       \
        rv_slot *s_ = RV_SLOTS_OF(in);                                           \
        if (__builtin_expect((t_ ^ RV_PAGE_BASE_OF(in)) < RV_PAGE_SIZE, 1)) {    \
            in = s_ + ((t_ & RV_PAGE_MASK) >> 1);                                \
            if (SLOT_FRESH(in))                                                  \
                goto decode;                                                     \
            ENTER();                                                             \
        }                                                                        \
        target = t_;                                                             \
        goto lookup;                                                             \
    } while (0)
#define FAULT(kind, addr, enc)                                                   \
    do {                                                                         \
        set_fault(m, kind, PC_OF(in), addr, enc);                                \
        goto fault;                                                              \
    } while (0)
    /* Fast path: a page the guest may read (or store to without dropping
     * code), and a naturally aligned address, which cannot straddle pages.
     * Everything else takes the slow path, which handles any alignment. */
    /* v = the `size` bytes at guest address a; `faulting` is the slot the
     * fault is reported at. */
#define LOAD_AT(a, size, v, faulting)                                            \
    do {                                                                         \
        uint64_t p_ = (a) >> RV_PAGE_SHIFT;                                      \
        if (__builtin_expect(p_ < RV_MAX_PAGES && (PFLAGS(p_) & RV_PAGE_R) &&    \
                                 ((a) & (size - 1)) == 0, 1))                    \
            v = rv_load_le(membase + (a), size);                                 \
        else if (!load_slow(m, (a), size, &v)) {                                 \
            in = (faulting);                                                     \
            FAULT(RVVM_FAULT_LOAD_ACCESS, (a), 0);                               \
        }                                                                        \
    } while (0)
#define LOAD_RD(size, conv)                                                      \
    do {                                                                         \
        uint64_t a_ = x[in->rs1] + (uint64_t)in->imm, v_;                        \
        LOAD_AT(a_, size, v_, in);                                               \
        x[in->rd] = conv(v_);                                                    \
    } while (0)
#define LOAD(size, conv)                                                         \
    do {                                                                         \
        LOAD_RD(size, conv);                                                     \
        NEXT();                                                                  \
    } while (0)
    /* A fused load and addi: the addi's registers are rs2 and rs3 (rd), its
     * immediate is in raw above bit 20 (code_cache.c). */
#define FUSED_IMM ((uint64_t)(int64_t)((int32_t)in->raw >> 20))
#define LOAD_ADDI(size, conv)                                                    \
    do {                                                                         \
        LOAD_RD(size, conv);                                                     \
        x[in->rs3] = x[in->rs2] + FUSED_IMM;                                     \
        NEXT_PAIR();                                                             \
    } while (0)
    /* A fused auipc and load: rd = auipc's value, rs2 = the load's rd, imm = the
     * address. A fault is the load's: `in` moves to its slot first, so the
     * fault reports its pc and the auipc stays retired. */
#define AUIPC_LOAD(size, conv)                                                   \
    do {                                                                         \
        rv_slot *load_ = in + 2; /* auipc is 4 bytes */                          \
        uint64_t a_ = (uint64_t)in->imm, v_;                                     \
        RD = a_ - (uint64_t)load_->imm;                                          \
        LOAD_AT(a_, size, v_, load_);                                            \
        x[in->rs2] = conv(v_);                                                   \
        NEXT_PAIR();                                                             \
    } while (0)
    /* auipc's value in a fused slot: its pc plus the upper immediate in raw. */
#define AUIPC_VALUE(pc) ((pc) + (uint64_t)(int64_t)(int32_t)(in->raw & 0xfffff000u))
    /* A fused addi and branch: rd = rs1 + imm, then branch on cond(rd, rs3). */
#define ADDI_BRANCH(cond)                                                        \
    do {                                                                         \
        uint64_t a = RS1 + FUSED_IMM;                                            \
        RD = a;                                                                  \
        uint64_t b = x[in->rs3];                                                 \
        if (cond) JUMP_NEAR();                                                   \
        END_RUN_PAIR();                                                          \
    } while (0)
#define STORE(size)                                                              \
    do {                                                                         \
        uint64_t a_ = x[in->rs1] + (uint64_t)in->imm;                            \
        uint64_t p_ = a_ >> RV_PAGE_SHIFT;                                       \
        if (__builtin_expect(p_ < RV_MAX_PAGES &&                                \
                                 (PFLAGS(p_) & RV_PAGE_STORE_FAST) &&            \
                                 (a_ & (size - 1)) == 0, 1)) {                   \
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
        if (r_ < 0) FAULT(r_ == -1 ? RVVM_FAULT_STORE_ACCESS                     \
                                   : RVVM_FAULT_MEMORY_LIMIT, sa_, 0);          \
        if (r_ == 0) NEXT();                                                     \
        budget_stop_undo(&stop);                                                 \
        budget += rest_cost_;                                                    \
        INSTRET -= rest_count_;                                                  \
        target = next_;                                                          \
        goto lookup;                                                             \
    } while (0)
/* jal and taken branches: to a slot of this page (imm holds its address),
 * or, in the _far forms, to an absolute target through lookup. */
#define JUMP_NEAR()                                                              \
    do {                                                                         \
        in = (rv_slot *)(intptr_t)in->imm;                                       \
        ENTER();                                                                 \
    } while (0)
#define JUMP_FAR()                                                               \
    do {                                                                         \
        target = (uint64_t)in->imm;                                              \
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
    /* Control reaches a pc (`target`) whose slot is not known yet. */
    uint64_t page = target >> RV_PAGE_SHIFT;
    if (page >= RV_MAX_PAGES || !(PFLAGS(page) & RV_PAGE_X)) {
        /* A guest call's function returning (rvvm_call): the return address
         * lies outside guest memory, and a real return restores sp. */
        if (target == RVVM_CALL_RETURN_ADDRESS && m->call.active && x[2] == m->call.sp) {
            m->pc = target;
            reason = RVVM_STOP_RETURNED;
            goto done;
        }
        m->fault = (rvvm_fault){.kind = RVVM_FAULT_FETCH_ACCESS, .pc = target, .address = target};
        m->state = RV_STATE_FAULTED;
        /* Nothing was charged for the target: report its pc and stop. */
        m->pc = target;
        reason = RVVM_STOP_FAULT;
        goto done;
    }
    /* A page without RV_PAGE_CODE has no decoded code (it may have an empty
     * array): the slow path, without reading the table first, which on a
     * fresh machine would fault its host page twice (read, then write). No
     * slot pointer is held here (a budget stop is set and reached within one
     * run), so the cache may be emptied to make room. */
    rv_slot *slots = __builtin_expect(PFLAGS(page) & RV_PAGE_CODE, 1) ? m->code[page] : NULL;
    if (__builtin_expect((uintptr_t)slots <= (uintptr_t)RV_CODE_NONE, 0))
        slots = rv_code_page(m, page, (target & RV_PAGE_MASK) >> 1, stop.at == NULL);
    if (!slots) {
        /* No room for its decoded code: the host-memory limit (or the host's). */
no_room_at_target:
        m->pc = target;
        reason = RVVM_STOP_FAULT;
        set_fault(m, RVVM_FAULT_MEMORY_LIMIT, target, target, 0);
        goto done;
    }
    in = slots + ((target & RV_PAGE_MASK) >> 1);
    if (SLOT_FRESH(in))
        goto decode;
}
enter:
    ENTER();

partial_run: {
    /* The budget cannot pay the whole run. The stop is the last slot t of
     * the run with t->block_cost >= need: running from `in` up to t costs
     * in->block_cost - t->block_cost <= budget, and t itself costs more than
     * what is left. Run up to t and stop there. The stop is written into the
     * slots, so a fork copies a page it shares with its template first. */
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
    if (__builtin_expect(rv_code_readonly(m, RV_SLOTS_OF(in)), 0)) {
        rv_slot *shared = in, *mine = own_slot(m, in, stop.at == NULL);
        if (!mine)
            goto no_room;
        in = mine;
        t = in + (t - shared);
        before_t = before_t ? in + (before_t - shared) : NULL;
    }
    budget -= in->block_cost - t->block_cost;
    INSTRET += in->block_count - t->block_count;
    stop = (rv_budget_stop){.at = t, .at_handler = t->handler, .at_op = t->op,
                            .unpaid_cost = t->block_cost, .unpaid_count = t->block_count};
    t->op = RV_OP_budget_stop;
#if RV_THREADED
    t->handler = &&op2_budget_stop;
#endif
    if (before_t && before_t->op >= RV_OP_FUSED_FIRST) {
        /* t is the second of a fused pair: run the pair's first instruction alone. */
        stop.split = before_t;
        stop.split_saved = *before_t;
        rv_unfuse(m, RV_SLOTS_OF(in), RV_PAGE_BASE_OF(in), before_t);
    }
    DISPATCH();
}

#if !RV_THREADED
dispatch:
    switch ((rv_op)in->op) {
#endif

    OP_ANY_LENGTH(undecoded)
decode:
    {
        if (__builtin_expect(rv_code_readonly(m, RV_SLOTS_OF(in)), 0)) {
            rv_slot *mine = own_slot(m, in, stop.at == NULL);
            if (!mine)
                goto no_room;
            in = mine;
        }
        if (!rv_decode_run(m, RV_SLOTS_OF(in), RV_PAGE_BASE_OF(in), in)) {
            m->pc = PC_OF(in);
            reason = RVVM_STOP_FAULT;
            goto done;
        }
        goto enter;
    }
    OP_ANY_LENGTH(page_end) {
        target = PC_OF(in);
        goto lookup;
    }
    OP_ANY_LENGTH(budget_stop) {
        budget_stop_undo(&stop);
        goto stop_at_limit;
    }

#if RV_THREADED
    /*
     * The translation tier (jit.h). A counted slot: count it, translate it
     * once hot (entries are sampled: one in m->jit_sample is counted, as that
     * many); until then (and while a budget stop is set: the run is only
     * partly paid) its own handler runs. A translated slot: the run from here
     * on is paid, so its code runs it; an odd result hands the instruction
     * there to its own handler, unpaid, as the run's next instruction.
     */
#define ORIGINAL_HANDLER(s) (handlers[(s)->op + (RV_SLOT_LEN(s) == 4 ? RV_OP_COUNT : 0)])
jit_count: {
    /* Counted one entry in m->jit_sample (jit.h): the others cost a decrement. */
    if (--m->jit_tick <= 0 && !stop.at) {
        bool give_up;
        rv_jit_fn f = rv_jit_hot(m, in, &give_up);
        /* A fork never writes its template's slots (it only reads them). */
        bool own = !rv_code_readonly(m, RV_SLOTS_OF(in));
        if (f) {
            if (own)
                in->handler = &&jit_run;
            jit_fn = f;
            goto jit_call;
        }
        if (give_up && own)
            in->handler = ORIGINAL_HANDLER(in);
    }
    goto *ORIGINAL_HANDLER(in);
}
jit_run: {
    if (__builtin_expect(stop.at != NULL, 0) || !(jit_fn = rv_jit_fn_of(m, in)))
        goto *ORIGINAL_HANDLER(in);
jit_call: {
    /* The code may go on into other runs: it pays each as ENTER would. */
    uint64_t budget_ = budget;
    uint64_t r = jit_fn(x, membase, &budget_, PC_OF(in));
    budget = budget_;
#ifdef RVVM_JIT_TIMING
    rv_jit_note_call(PC_OF(in), r);
#endif
    if (r & 1) {
        in = RV_SLOTS_OF(in) + ((r & RV_PAGE_MASK) >> 1);
        /* A run the code entered (and paid) may not be decoded here yet:
         * decode it from this slot on, without charging it again. */
        if (__builtin_expect(in->op == RV_OP_undecoded, 0)) {
            if (rv_code_readonly(m, RV_SLOTS_OF(in))) {
                rv_slot *mine = own_slot(m, in, false);
                if (!mine)
                    goto no_room;
                in = mine;
            }
            if (!rv_decode_run(m, RV_SLOTS_OF(in), RV_PAGE_BASE_OF(in), in)) {
                m->pc = PC_OF(in);
                reason = RVVM_STOP_FAULT;
                goto done;
            }
        }
        goto *ORIGINAL_HANDLER(in);
    }
    /* Left its region for its own page (a switch's case, a run the region
     * had no room for): that run is counted for translation too. */
    if (m->jit_count_exits && ((r ^ PC_OF(in)) >> RV_PAGE_SHIFT) == 0)
        rv_code_count_exit(m, RV_SLOTS_OF(in) + ((r & RV_PAGE_MASK) >> 1));
    JUMP(r);
}
}
#undef ORIGINAL_HANDLER
#define RV_ILEN 2
#include "handlers.inc"
#undef RV_ILEN
#define RV_ILEN 4
#include "handlers.inc"
#undef RV_ILEN
#else
#define RV_ILEN RV_SLOT_LEN(in)
#include "handlers.inc"
#undef RV_ILEN
#endif
#if !RV_THREADED
    default:
        FAULT(RVVM_FAULT_ILLEGAL_INSTRUCTION, 0, in->raw);
    }
#endif

no_room:
    /* A fork could not copy a shared page to write it: nothing of the run
     * at `in` was charged. */
    target = PC_OF(in);
    goto no_room_at_target;

fault:
    /* The faulting instruction is not retired: refund what was charged from it on. */
    budget += in->block_cost - stop.unpaid_cost;
    INSTRET -= in->block_count - stop.unpaid_count;
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
    m->instret = INSTRET;
    return reason;
#undef INSTRET
#undef x
}

/*
 * Runs for at most max_cycles across the OS layer's threads: the interpreter
 * runs the current thread up to the end of its slice or the caller's budget,
 * whichever comes first; at the end of a slice, or when a call blocked,
 * yielded or exited its thread, the provider switches threads and the run
 * goes on. A stop at the caller's budget is a stop of the whole program (the
 * slice's end is kept in absolute cycles, so a split run switches where an
 * unsplit one does). With no scheduler this is one interpret call.
 */
static rvvm_stop_reason run_threads(rvvm_machine *m, uint64_t max_cycles)
{
    const rv_provider *os = m->os;
    if (!os || !os->slice)
        return interpret(m, max_cycles);
    const uint64_t start = m->cycles;
    for (;;) {
        uint64_t spent = m->cycles - start;
        uint64_t left = max_cycles > spent ? max_cycles - spent : 0;
        uint64_t slice = os->slice(m, m->os_state);
        bool by_slice = slice < left;
        rvvm_stop_reason reason = interpret(m, by_slice ? slice : left);
        if (reason == RVVM_STOP_HOST && m->switch_pending)
            m->switch_pending = false;
        else if (!(reason == RVVM_STOP_CYCLE_LIMIT && by_slice))
            return reason;
        if (!os->switch_thread(m, m->os_state))
            return RVVM_STOP_FAULT;
    }
}

/* The function of a guest call returned: put back what the call borrowed. */
static void call_returned(rvvm_machine *m, rvvm_run_result *out)
{
    rv_call_frame *c = &m->call;
    out->return_value = m->x[10];
    memcpy(m->x, c->x, sizeof c->x);
    m->pc = c->pc;
    memcpy(m->f, c->f, sizeof c->f);
    m->fcsr = c->fcsr;
    m->state = c->prior_state;
    m->exit_code = c->prior_exit_code;
    c->active = false;
}

rvvm_status rvvm_run(rvvm_machine *m, uint64_t max_cycles, rvvm_run_result *out)
{
    if (!m || !out)
        return RVVM_ERR_INVALID_ARGUMENT;
    memset(out, 0, sizeof *out);
    if (m->in_handler)
        return rv_fail(m, RVVM_ERR_STATE, "rvvm_run is not valid inside an ecall handler");
    if (m->state != RV_STATE_READY)
        return rv_fail(m, RVVM_ERR_STATE, "the machine %s",
                       m->state == RV_STATE_EMPTY ? "has no program loaded"
                                                  : "has already stopped for good");
    if (rv_memory_frozen(&m->mem))
        return rv_fail(m, RVVM_ERR_STATE, "the machine is a fork template with live children");
    m->mem.host_limit = m->config.max_host_memory;
    m->error[0] = '\0';
    rvvm_stop_reason reason = run_threads(m, max_cycles);
    out->reason = reason;
    switch (reason) {
    case RVVM_STOP_FAULT:
        out->fault = m->fault;
        m->state = RV_STATE_FAULTED;
        m->call.active = false;
        break;
    case RVVM_STOP_EXITED:
        m->state = RV_STATE_EXITED;
        out->exit_code = m->exit_code;
        m->call.active = false;
        break;
    case RVVM_STOP_HOST:
        out->host_code = m->host_code;
        break;
    case RVVM_STOP_RETURNED:
        call_returned(m, out);
        break;
    case RVVM_STOP_CYCLE_LIMIT:
        break;
    }
    return RVVM_OK;
}

rvvm_status rvvm_call(rvvm_machine *m, uint64_t addr, const uint64_t *args, unsigned nargs,
                      uint64_t max_cycles, rvvm_run_result *result, uint64_t *ret)
{
    if (!m || !result || nargs > 8 || (nargs && !args))
        return RVVM_ERR_INVALID_ARGUMENT;
    memset(result, 0, sizeof *result);
    if (m->in_handler)
        return rv_fail(m, RVVM_ERR_STATE, "rvvm_call is not valid inside an ecall handler");
    if (m->call.active)
        return rv_fail(m, RVVM_ERR_STATE, "a guest call is already in progress");
    if (rv_machine_frozen(m))
        return rv_fail(m, RVVM_ERR_STATE, "the machine is a fork template with live children");
    if (m->state != RV_STATE_READY && m->state != RV_STATE_EXITED)
        return rv_fail(m, RVVM_ERR_STATE, "the machine %s",
                       m->state == RV_STATE_EMPTY ? "has no program loaded" : "has faulted");
    if (addr & ((m->config.isa & RVVM_ISA_C) ? 1 : 3))
        return rv_fail(m, RVVM_ERR_INVALID_ARGUMENT, "misaligned function address 0x%llx",
                       (unsigned long long)addr);
    rv_call_frame *c = &m->call;
    memcpy(c->x, m->x, sizeof c->x);
    c->pc = m->pc;
    memcpy(c->f, m->f, sizeof c->f);
    c->fcsr = m->fcsr;
    c->prior_state = (uint8_t)m->state;
    c->prior_exit_code = m->exit_code;
    /* The psABI keeps sp 16-byte aligned at calls. */
    c->sp = m->x[2] & ~(uint64_t)15;
    m->x[2] = c->sp;
    m->x[1] = RVVM_CALL_RETURN_ADDRESS;
    for (unsigned i = 0; i < 8; i++)
        m->x[10 + i] = i < nargs ? args[i] : 0;
    m->pc = addr;
    m->state = RV_STATE_READY;
    c->active = true;
    rvvm_status st = rvvm_run(m, max_cycles, result);
    if (st == RVVM_OK && result->reason == RVVM_STOP_RETURNED && ret)
        *ret = result->return_value;
    return st;
}
