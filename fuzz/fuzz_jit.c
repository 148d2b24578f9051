/*
 * Fuzz target: the translation tier (docs/jit.md) against the interpreter on
 * random instruction streams, compared after every stop.
 *
 * The input is not code itself: it drives a generator that writes a loop body
 * of up to MAX_BODY instructions (two pages and more) biased toward what the
 * tier translates: ALU and Zba/Zbb ops, loads and stores into a data area
 * through base registers no generated instruction writes, branches and jumps
 * to instruction starts near them (so loops form), jalr through a code
 * pointer, compressed ALU pairs; and some it hands to the interpreter:
 * mul/div/rem, FP, atomics, CSR reads of cycle/instret/fcsr, fence.i, raw
 * random words. The body is placed after a prologue that sets every register
 * and is closed by a counted loop back to its start, then exit.
 *
 * Three machines load the same program:
 *   A interprets;
 *   B runs with the tier forced on (threshold 1) on a synchronous cache
 *     (RVVM_JIT_SYNC: each hot run is compiled before it goes on, so it does
 *     run translated);
 *   C flips engine (interpreter, tier) before every slice;
 * B and C share one cache, made once per process (a compilation costs
 * milliseconds; pages are keyed by their bytes, so nothing stale is shared).
 * All three run the same slices of budgets chosen by the input; after every
 * stop they must agree on the stop (reason, exit code, fault kind, pc,
 * address, encoding), pc, cycles, instructions, x0..x31, f0..f31, fcsr, the
 * state digest (all memory) and the console output. Any difference aborts.
 *
 * Input layout: byte 0 options (cost model, writable code, slice scale),
 * bytes 1..8 budgets, bytes 9..22 custom costs, then 5 bytes per generated
 * instruction (its class, then 32 bits for its fields).
 */
#include "fuzz.h"

#include <string.h>

#include "../tests/unit/elfbuild.h"
#include "../tests/unit/rvasm.h"
#include "rvvm/rvvm.h"

#define CODE_VA 0x10000ull
#define DATA_VA 0x20000ull
#define DATA_SIZE 0x3000u
#define PROLOGUE_WORDS 96u /* the body starts at CODE_VA + 4 * PROLOGUE_WORDS */
#define MAX_BODY 1500u
#define CYCLE_CAP 40000u
#define LOOP_COUNT 12

/* Statistics for the deterministic driver (fuzz/jit_random.c). */
uint64_t fuzz_jit_inputs, fuzz_jit_translated, fuzz_jit_translated_inputs, fuzz_jit_stops[8];

static rvvm_jit_cache *shared_cache;

/*
 * LeakSanitizer (libFuzzer builds): libgccjit does not free all it allocates
 * for a compilation (megabytes in a minute of fuzzing, all inside it); only its
 * own allocations are ignored. A hook LSan calls by name; unused elsewhere.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libgccjit.so\n"; }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    /* NULL without the tier: B and C then interpret (the comparison still holds). */
    shared_cache = rvvm_jit_cache_create(RVVM_JIT_SYNC);
    return 0;
}

/* For jit_random --file: the cache every machine of later inputs shares
 * (the old one is released). */
void fuzz_jit_use_cache(rvvm_jit_cache *cache);
void fuzz_jit_use_cache(rvvm_jit_cache *cache)
{
    rvvm_jit_cache_release(shared_cache);
    shared_cache = cache;
}

typedef struct vm {
    const char *name;
    rvvm_machine *m;
    uint64_t out_hash;
    rvvm_run_result last;
} vm;

/* ---- the generator ----------------------------------------------------- */

/* Registers: x1, x3..x25 are written by generated code; x2 (sp) is only read;
 * x26..x29 are base registers of loads and stores (x29 points at the body
 * when the code is writable); x30 points into the body for jalr; x31 counts
 * the loop. */
enum { BASE0 = 26, CODEPTR = 30, COUNTER = 31 };

static unsigned wreg(uint32_t r)
{
    unsigned v = r % 24u; /* 0..23 -> x1, x3..x25 */
    return v == 0 ? 1u : v + 2u;
}

static unsigned anyreg(uint32_t r) { return r % 32u; }

static uint32_t op_r(uint32_t op, uint32_t f3, uint32_t f7, uint32_t r)
{
    return enc_r(op, f3, f7, wreg(r), anyreg(r >> 5), anyreg(r >> 10));
}

/* rs2 field as part of the immediate (unary Zbb ops, fmv). */
static uint32_t op_unary(uint32_t op, uint32_t f3, uint32_t imm12, uint32_t r)
{
    return enc_i(op, f3, wreg(r), anyreg(r >> 5), (int32_t)imm12);
}

/* A branch or jump offset to an instruction start near index i (of n). */
static int32_t near_target(uint32_t r, unsigned i, unsigned n, unsigned span)
{
    int32_t t = (int32_t)i + (int32_t)(r % (2u * span + 1u)) - (int32_t)span;
    if (t < 0)
        t = (int32_t)(r % (i + 1u));
    if (t >= (int32_t)n)
        t = (int32_t)n - 1;
    return (t - (int32_t)i) * 4;
}

/* Instruction classes and how many of the 64 values of a kind byte pick each. */
enum { K_ALU_R, K_ALU_I, K_LOAD, K_STORE, K_BRANCH, K_JAL, K_JALR, K_CPAIR, K_MULDIV, K_CSR,
       K_FP, K_AMO, K_FENCE, K_CJUMP, K_EDGE, K_RAW };
static unsigned kind_class(uint8_t kind)
{
    static const uint8_t weight[] = {16, 10, 8, 6, 6, 2, 2, 3, 2, 1, 2, 1, 1, 1, 2, 1}; /* sum 64 */
    unsigned k = kind % 64u, c = 0;
    while (k >= weight[c])
        k -= weight[c++];
    return c;
}

static uint32_t gen_one(uint8_t kind, uint32_t r, unsigned i, unsigned n, bool writable_code)
{
    static const uint8_t alu_r[][2] = { /* OP: f3, f7 */
        {0, 0x00}, {0, 0x20}, {1, 0x00}, {2, 0x00}, {3, 0x00}, {4, 0x00}, {5, 0x00},
        {5, 0x20}, {6, 0x00}, {7, 0x00},
        /* Zba sh1add, sh2add, sh3add; Zbb andn, orn, xnor, min, minu, max, maxu, rol, ror */
        {2, 0x10}, {4, 0x10}, {6, 0x10}, {7, 0x20}, {6, 0x20}, {4, 0x20}, {4, 0x05},
        {5, 0x05}, {6, 0x05}, {7, 0x05}, {1, 0x30}, {5, 0x30},
        /* Zbs bset, bclr, binv, bext; Zicond czero.eqz, czero.nez */
        {1, 0x14}, {1, 0x24}, {1, 0x34}, {5, 0x24}, {5, 0x07}, {7, 0x07},
    };
    static const uint8_t alu_w[][2] = { /* OP_32: addw subw sllw srlw sraw add.uw sh*add.uw rolw rorw */
        {0, 0x00}, {0, 0x20}, {1, 0x00}, {5, 0x00}, {5, 0x20}, {0, 0x04}, {2, 0x10},
        {4, 0x10}, {6, 0x10}, {1, 0x30}, {5, 0x30},
    };
    static const uint8_t muldiv[][2] = { /* OP f3 / OP_32 f3 with f7 = 1 */
        {0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}, {6, 0}, {7, 0},
        {0, 1}, {4, 1}, {5, 1}, {6, 1}, {7, 1},
    };
    unsigned rd = wreg(r), rs1 = anyreg(r >> 5);
    /* Half the immediates small, so that comparisons meet equal values and edges. */
    int32_t imm12 = (r >> 30) ? (int32_t)((r >> 10) & 0xfff) - 2048 : (int32_t)((r >> 10) & 7) - 4;
    switch (kind_class(kind)) {
    case K_ALU_R: { /* register-register ALU */
        unsigned k = (r >> 15) % (sizeof alu_r / sizeof alu_r[0] + sizeof alu_w / sizeof alu_w[0]);
        if (k < sizeof alu_r / sizeof alu_r[0])
            return op_r(OPC_OP, alu_r[k][0], alu_r[k][1], r);
        k -= sizeof alu_r / sizeof alu_r[0];
        return op_r(OPC_OP_32, alu_w[k][0], alu_w[k][1], r);
    }
    case K_ALU_I: { /* immediate ALU */
        unsigned sh = (r >> 10) & 63, shw = (r >> 10) & 31;
        switch ((r >> 22) % 20u) {
        case 0: return ADDI(rd, rs1, imm12);
        case 1: return SLTI(rd, rs1, imm12);
        case 2: return SLTIU(rd, rs1, imm12);
        case 3: return XORI(rd, rs1, imm12);
        case 4: return ORI(rd, rs1, imm12);
        case 5: return ANDI(rd, rs1, imm12);
        case 6: return SLLI(rd, rs1, sh);
        case 7: return SRLI(rd, rs1, sh);
        case 8: return SRAI(rd, rs1, sh);
        case 9: return ADDIW(rd, rs1, imm12);
        case 10: return SLLIW(rd, rs1, shw);
        case 11: return SRLIW(rd, rs1, shw);
        case 12: return SRAIW(rd, rs1, shw);
        case 13: return LUI(rd, r >> 5);
        case 14: return AUIPC(rd, r >> 10);
        case 15: return enc_i(OPC_OP_IMM_32, 1, rd, rs1, (int32_t)(0x080 | sh)); /* slli.uw */
        case 16: return enc_i(OPC_OP_IMM, 5, rd, rs1, (int32_t)(0x600 | sh));   /* rori */
        case 17: return enc_i(OPC_OP_IMM_32, 5, rd, rs1, (int32_t)(0x600 | shw)); /* roriw */
        case 18: { /* clz ctz cpop sext.b sext.h; clzw ctzw cpopw; rev8 orc.b; zext.h */
            static const uint16_t u[] = {0x600, 0x601, 0x602, 0x604, 0x605};
            unsigned k = (r >> 12) % 10u;
            if (k < 5) return op_unary(OPC_OP_IMM, 1, u[k], r);
            if (k < 8) return op_unary(OPC_OP_IMM_32, 1, u[k - 5], r);
            if (k == 8) return op_unary(OPC_OP_IMM, 5, (r >> 11) & 1 ? 0x6b8 : 0x287, r);
            return enc_r(OPC_OP_32, 4, 0x04, rd, rs1, 0); /* zext.h */
        }
        default: /* Zbs immediates: bseti bclri binvi bexti */
            switch ((r >> 16) & 3) {
            case 0: return enc_i(OPC_OP_IMM, 1, rd, rs1, (int32_t)(0x280 | sh));
            case 1: return enc_i(OPC_OP_IMM, 1, rd, rs1, (int32_t)(0x480 | sh));
            case 2: return enc_i(OPC_OP_IMM, 1, rd, rs1, (int32_t)(0x680 | sh));
            default: return enc_i(OPC_OP_IMM, 5, rd, rs1, (int32_t)(0x480 | sh));
            }
        }
    }
    case K_LOAD: { /* loads, mostly aligned, from a base register */
        unsigned f3 = (r >> 22) % 7u; /* lb lh lw ld lbu lhu lwu */
        static const unsigned size[] = {1, 2, 4, 8, 1, 2, 4};
        unsigned base = BASE0 + ((r >> 5) & 3);
        if ((r & 0xf000000u) == 0)
            base = anyreg(r >> 5); /* any register: often a fault */
        int32_t off = imm12;
        if ((r >> 29) != 0)
            off &= ~(int32_t)(size[f3] - 1);
        return enc_i(OPC_LOAD, f3, rd, base, off);
    }
    case K_STORE: { /* stores */
        unsigned f3 = (r >> 22) & 3;
        unsigned base = BASE0 + ((r >> 5) & 3);
        if ((r & 0xf000000u) == 0)
            base = anyreg(r >> 5);
        int32_t off = imm12;
        if ((r >> 29) != 0)
            off &= ~(int32_t)((1u << f3) - 1);
        if (base == 29 && writable_code)
            off = (int32_t)((r >> 10) % (4u * n)) & ~3; /* into the body: self-modifying */
        return enc_s(OPC_STORE, f3, base, anyreg(r), off);
    }
    case K_BRANCH: { /* conditional branches, mostly short */
        int32_t off = near_target(r >> 10, i, n, (r >> 31) ? 200u : 12u);
        return enc_b(OPC_BRANCH, (r >> 3) % 6u < 2 ? (r >> 3) % 6u : (r >> 3) % 6u + 2u,
                     anyreg(r >> 20), anyreg(r >> 25), off);
    }
    case K_JAL: /* jal, to x0 or a written register */
        return JAL((r & 1) ? 0u : wreg(r >> 1), near_target(r >> 8, i, n, 40u));
    case K_JALR: { /* jalr through the code pointer (x30 = body + 2048) */
        unsigned t = (r >> 8) % (n < 1024u ? n : 1024u);
        int32_t off = (int32_t)(t * 4u) - 2048;
        if ((r & 0xe0u) == 0)
            off |= 2; /* into the middle of an instruction, or a compressed pair's second half */
        return JALR((r & 1) ? 0u : wreg(r >> 1), CODEPTR, off);
    }
    case K_CPAIR: { /* compressed ALU pairs (rd' is x8..x15) */
        uint32_t h[2];
        for (int k = 0; k < 2; k++) {
            uint32_t q = r >> (12 * k);
            unsigned crd = 8u + (q & 7), crs = 8u + ((q >> 3) & 7);
            unsigned full = wreg(q >> 3), imm6 = (q >> 6) & 63;
            int32_t simm6 = (int32_t)(imm6 << 26) >> 26;
            switch ((q >> 9) % 12u) {
            case 0: h[k] = C_ADDI(full, simm6 ? simm6 : 1); break;
            case 1: h[k] = C_ADDIW(full, simm6); break;
            case 2: h[k] = C_LI(full, simm6); break;
            case 3: h[k] = C_MV(full, 1u + ((q >> 6) % 31u)); break;
            case 4: h[k] = C_ADD(full, 1u + ((q >> 6) % 31u)); break;
            case 5: h[k] = C_SUB(crd, crs); break;
            case 6: h[k] = C_XOR(crd, crs); break;
            case 7: h[k] = C_OR(crd, crs); break;
            case 8: h[k] = C_AND(crd, crs); break;
            case 9: h[k] = C_ADDW(crd, crs); break;
            case 10: h[k] = C_SRAI(crd, imm6 ? imm6 : 1); break;
            default: h[k] = C_ANDI(crd, simm6); break;
            }
        }
        return h[0] | h[1] << 16;
    }
    case K_MULDIV: { /* mul, div, rem (mul/mulw translated; the rest handed back) */
        unsigned k = (r >> 15) % (sizeof muldiv / sizeof muldiv[0]);
        return op_r(muldiv[k][1] ? OPC_OP_32 : OPC_OP, muldiv[k][0], 1, r);
    }
    case K_CSR: { /* counters and fcsr */
        static const uint16_t csr[] = {0xc00, 0xc02, 0xc01, 0x003, 0x001, 0x002};
        unsigned c = csr[(r >> 10) % 6u];
        if (c < 0x100 && (r >> 20) & 1)
            return CSRRW(rd, c, anyreg(r >> 5));
        return CSRRS(rd, c, 0);
    }
    case K_FP: { /* FP: moves, arithmetic, loads and stores (never translated today) */
        unsigned fd = (r >> 3) & 31, fs1 = anyreg(r >> 8), fs2 = anyreg(r >> 13);
        switch ((r >> 18) % 8u) {
        case 0: return enc_r(0x53, 0, 0x79, fd, rs1, 0);          /* fmv.d.x */
        case 1: return enc_r(0x53, 0, 0x71, rd, fs1, 0);          /* fmv.x.d */
        case 2: return enc_r(0x53, 7, 0x01, fd, fs1, fs2);        /* fadd.d */
        case 3: return enc_r(0x53, 7, 0x09, fd, fs1, fs2);        /* fmul.d */
        case 4: return enc_r(0x53, 7, 0x69, fd, rs1, 2);          /* fcvt.d.l */
        case 5: return enc_r(0x53, 2, 0x51, rd, fs1, fs2);        /* feq.d */
        case 6: return enc_i(0x07, 3, fd, BASE0 + ((r >> 23) & 1), imm12 & ~7); /* fld */
        default: return enc_s(0x27, 3, BASE0 + ((r >> 23) & 1), fs1, imm12 & ~7); /* fsd */
        }
    }
    case K_AMO: { /* atomics on the data area (aligned through x26 + 0) */
        static const uint8_t f5[] = {AMO_ADD, AMO_SWAP, AMO_XOR, AMO_OR, AMO_AND, AMO_MIN, AMO_MAXU};
        unsigned base = BASE0 + ((r >> 5) & 1);
        switch ((r >> 10) % 4u) {
        case 0: return LR_D(rd, base);
        case 1: return SC_D(rd, anyreg(r >> 12), base);
        case 2: return AMO_W(f5[(r >> 17) % 7u], rd, anyreg(r >> 12), base);
        default: return AMO_D(f5[(r >> 17) % 7u], rd, anyreg(r >> 12), base);
        }
    }
    case K_FENCE: return (r & 0x300u) ? FENCE(15, 15) : FENCE_I();
    case K_CJUMP: /* compressed jumps and branches to nearby instruction starts, plus a nop */
        return ((r & 1) ? C_J(near_target(r >> 4, i, n, 30u))
                        : c_branch(6u + ((r >> 1) & 1), 8u + ((r >> 2) & 7),
                                   near_target(r >> 5, i, n, 30u))) |
               (uint32_t)C_NOP() << 16;
    case K_EDGE: /* the first of a pair (see edge_pair) when it cannot be one: a small li */
        return ADDI(rd, 0, imm12);
    default: /* a raw word: anything, mostly illegal or odd */
        return r * 0x9e3779b9u ^ (uint32_t)kind << 24;
    }
}

/*
 * Two instructions that meet an edge: rd = v (li), then a comparison of rd
 * against v - 1, v or v + 1 (slti, sltiu, or a branch against a register set
 * the same way earlier), or a shift by 0, 31, 32 or 63.
 */
static void edge_pair(uint32_t r, unsigned i, unsigned n, uint32_t out[2])
{
    static const int32_t values[] = {0, 1, -1, 2047, -2048, 31, 32, 63, 64};
    unsigned rd = wreg(r), rd2 = wreg(r >> 5);
    int32_t v = values[(r >> 10) % 9u], v2 = v + (int32_t)((r >> 14) % 3u) - 1;
    if (v2 > 2047 || v2 < -2048)
        v2 = v;
    out[0] = ADDI(rd, 0, v);
    switch ((r >> 16) % 6u) {
    case 0: out[1] = SLTI(rd2, rd, v2); break;
    case 1: out[1] = SLTIU(rd2, rd, v2); break;
    case 2: out[1] = enc_r(OPC_OP, (r >> 19) & 1 ? 3 : 2, 0, rd2, rd, wreg(r >> 20)); break;
    case 3: out[1] = enc_b(OPC_BRANCH, (r >> 19) % 6u < 2 ? (r >> 19) % 6u : (r >> 19) % 6u + 2u,
                           rd, (r >> 22) & 1 ? rd : wreg(r >> 23), near_target(r >> 24, i + 1, n, 8u));
        break;
    case 4: out[1] = enc_r(OPC_OP, (r >> 19) & 1 ? 1 : 5, (r >> 20) & 1 ? 0x20 : 0, rd2,
                           wreg(r >> 21), rd) & ~((r >> 19) & 1 ? 0x40000000u : 0); break;
    default: out[1] = enc_r(OPC_OP_32, (r >> 19) & 1 ? 1 : 5, (r >> 20) & 1 ? 0x20 : 0, rd2,
                            wreg(r >> 21), rd) & ~((r >> 19) & 1 ? 0x40000000u : 0); break;
    }
}

/* ---- running and comparing ---------------------------------------------- */

static void setup(vm *v, const char *name, const rvvm_cost_model *cm, rvvm_engine engine,
                  const uint8_t *img, size_t img_size)
{
    rvvm_config cfg;
    rvvm_config_init(&cfg);
    cfg.memory_size = 2ull << 20;
    cfg.cost_model = *cm;
    if (engine == RVVM_ENGINE_JIT && shared_cache) {
        cfg.engine = RVVM_ENGINE_JIT;
        cfg.jit_threshold = 1;
        cfg.jit_cache = shared_cache;
    }
    memset(v, 0, sizeof *v);
    v->name = name;
    FUZZ_CHECK(rvvm_create(&cfg, &v->m) == RVVM_OK, "rvvm_create");
    rvvm_set_io(v->m, fuzz_no_read, fuzz_count_write, &v->out_hash);
    static const char *const argv[] = {"fuzz", NULL};
    FUZZ_CHECK(rvvm_load_elf_memory(v->m, img, img_size, "fuzz", argv, NULL) == RVVM_OK,
               "the generated program does not load: %s", rvvm_last_error(v->m));
}

static void compare(const vm *a, const vm *b, const char *when)
{
    const rvvm_run_result *x = &a->last, *y = &b->last;
    FUZZ_CHECK(x->reason == y->reason, "%s: stop reason %s %d, %s %d", when, a->name,
               (int)x->reason, b->name, (int)y->reason);
    if (x->reason == RVVM_STOP_EXITED)
        FUZZ_CHECK(x->exit_code == y->exit_code, "%s: exit code %s %d, %s %d", when, a->name,
                   x->exit_code, b->name, y->exit_code);
    if (x->reason == RVVM_STOP_FAULT)
        FUZZ_CHECK(x->fault.kind == y->fault.kind && x->fault.pc == y->fault.pc &&
                       x->fault.address == y->fault.address &&
                       x->fault.encoding == y->fault.encoding,
                   "%s: fault %s (%s pc %#llx addr %#llx enc %#x), %s (%s pc %#llx addr %#llx "
                   "enc %#x)",
                   when, a->name, rvvm_fault_kind_string(x->fault.kind),
                   (unsigned long long)x->fault.pc, (unsigned long long)x->fault.address,
                   x->fault.encoding, b->name, rvvm_fault_kind_string(y->fault.kind),
                   (unsigned long long)y->fault.pc, (unsigned long long)y->fault.address,
                   y->fault.encoding);
    FUZZ_CHECK(rvvm_pc(a->m) == rvvm_pc(b->m), "%s: pc %s %#llx, %s %#llx", when, a->name,
               (unsigned long long)rvvm_pc(a->m), b->name, (unsigned long long)rvvm_pc(b->m));
    FUZZ_CHECK(rvvm_cycles(a->m) == rvvm_cycles(b->m), "%s: cycles %s %llu, %s %llu (pc %#llx)",
               when, a->name, (unsigned long long)rvvm_cycles(a->m), b->name,
               (unsigned long long)rvvm_cycles(b->m), (unsigned long long)rvvm_pc(a->m));
    FUZZ_CHECK(rvvm_instructions(a->m) == rvvm_instructions(b->m),
               "%s: instructions %s %llu, %s %llu", when, a->name,
               (unsigned long long)rvvm_instructions(a->m), b->name,
               (unsigned long long)rvvm_instructions(b->m));
    for (unsigned i = 0; i < 32; i++)
        FUZZ_CHECK(rvvm_reg(a->m, i) == rvvm_reg(b->m, i), "%s: x%u %s %#llx, %s %#llx (pc %#llx)",
                   when, i, a->name, (unsigned long long)rvvm_reg(a->m, i), b->name,
                   (unsigned long long)rvvm_reg(b->m, i), (unsigned long long)rvvm_pc(a->m));
    for (unsigned i = 0; i < 32; i++)
        FUZZ_CHECK(rvvm_freg(a->m, i) == rvvm_freg(b->m, i), "%s: f%u %s %#llx, %s %#llx", when,
                   i, a->name, (unsigned long long)rvvm_freg(a->m, i), b->name,
                   (unsigned long long)rvvm_freg(b->m, i));
    FUZZ_CHECK(rvvm_fcsr(a->m) == rvvm_fcsr(b->m), "%s: fcsr %s %#x, %s %#x", when, a->name,
               rvvm_fcsr(a->m), b->name, rvvm_fcsr(b->m));
    uint8_t da[32], db[32];
    FUZZ_CHECK(rvvm_state_digest(a->m, da) == RVVM_OK, "digest");
    FUZZ_CHECK(rvvm_state_digest(b->m, db) == RVVM_OK, "digest");
    FUZZ_CHECK(memcmp(da, db, 32) == 0, "%s: state digests of %s and %s differ (memory; pc %#llx)",
               when, a->name, b->name, (unsigned long long)rvvm_pc(a->m));
    FUZZ_CHECK(a->out_hash == b->out_hash, "%s: output of %s and %s differs", when, a->name,
               b->name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_bytes in = {data, size, 0};
    fuzz_header head = fuzz_take_header(&in);
    unsigned opt = head.opt;
    const uint8_t *budgets = head.budgets;
    bool writable_code = (opt & 4) != 0;

    rvvm_cost_model cm = head.costs;

    /* The body: 5 input bytes per instruction, at least one instruction. */
    size_t left = in.pos < size ? size - in.pos : 0;
    unsigned n = (unsigned)(left / 5 < MAX_BODY ? left / 5 : MAX_BODY);
    if (n == 0)
        n = 1;
    static uint32_t text[PROLOGUE_WORDS + MAX_BODY + 16];
    memset(text, 0, sizeof text);
    const uint64_t body_va = CODE_VA + 4ull * PROLOGUE_WORDS;
    size_t w = 0;
    for (unsigned r = 1; r < 32; r++) {
        int64_t value;
        if (r == 2)
            continue; /* the loader's sp */
        else if (r < 16)
            value = (int64_t)(DATA_VA + 0x1000 + 0x80 * r);
        else if (r < BASE0)
            value = (int64_t)r - 24;
        else if (r == 29 && writable_code)
            value = (int64_t)body_va;
        else if (r < CODEPTR)
            value = (int64_t)(DATA_VA + 0x800 + 0x800 * (r - BASE0));
        else if (r == CODEPTR)
            value = (int64_t)body_va + 2048;
        else
            value = LOOP_COUNT;
        w += rva_li32(text + w, r, (int32_t)value);
    }
    while (w < PROLOGUE_WORDS)
        text[w++] = ADDI(0, 0, 0);
    for (unsigned i = 0; i < n; i++) {
        uint8_t kind = (uint8_t)fuzz_take(&in, 1);
        uint32_t r = (uint32_t)fuzz_take(&in, 4);
        if (kind_class(kind) == K_EDGE && i + 1 < n) {
            edge_pair(r, i, n, text + w);
            w += 2;
            i++;
            continue;
        }
        text[w++] = gen_one(kind, r, i, n, writable_code);
    }
    /* The loop: x31 -= 1; if x31 != 0 go back to the body; exit(a0 & 0x7f). */
    text[w] = ADDI(COUNTER, COUNTER, -1);
    text[w + 1] = BEQ(COUNTER, 0, 8);
    text[w + 2] = JAL(0, -(int32_t)(4 * (w + 2 - PROLOGUE_WORDS)));
    text[w + 3] = ANDI(A0, A0, 0x7f);
    text[w + 4] = ADDI(A7, 0, 93);
    text[w + 5] = ECALL();
    w += 6;

    static uint8_t dat[DATA_SIZE];
    for (unsigned i = 0; i < DATA_SIZE; i++)
        dat[i] = (uint8_t)(i * 37u + (i >> 8));
    eb_elf e;
    eb_init(&e, CODE_VA);
    eb_add(&e, PT_LOAD, PF_R | PF_X | (writable_code ? PF_W : 0), CODE_VA, text, 4 * w, 4 * w);
    eb_add(&e, PT_LOAD, PF_R | PF_W, DATA_VA, dat, DATA_SIZE, DATA_SIZE);
    size_t img_size = 0;
    uint8_t *img = eb_build(&e, &img_size);
    FUZZ_CHECK(img != NULL, "out of memory");

    vm v[3];
    setup(&v[0], "interp", &cm, RVVM_ENGINE_INTERP, img, img_size);
    setup(&v[1], "jit", &cm, RVVM_ENGINE_JIT, img, img_size);
    setup(&v[2], "mixed", &cm, RVVM_ENGINE_INTERP, img, img_size);
    free(img);
    if (shared_cache)
        FUZZ_CHECK(rvvm_set_jit_cache(v[2].m, shared_cache) == RVVM_OK, "set cache");

    /* Slices of the input's budgets, scaled, until an exit, a fault or the cap. */
    uint64_t scale = 1u + (opt >> 3) * 4u, spent = 0, translated_mixed = 0;
    char when[64];
    for (unsigned slice = 0; spent < CYCLE_CAP; slice++) {
        uint64_t budget = 1u + budgets[slice % 8] * scale;
        if (budget > CYCLE_CAP - spent)
            budget = CYCLE_CAP - spent;
        spent += budget;
        if (shared_cache) {
            /* C: the engine flips at every slice (and drops installed code). */
            translated_mixed += rvvm_jit_translated(v[2].m);
            FUZZ_CHECK(rvvm_set_engine(v[2].m, slice & 1 ? RVVM_ENGINE_JIT : RVVM_ENGINE_INTERP,
                                       1) == RVVM_OK,
                       "set engine");
        }
        for (int k = 0; k < 3; k++)
            FUZZ_CHECK(rvvm_run(v[k].m, budget, &v[k].last) == RVVM_OK, "run %s: %s", v[k].name,
                       rvvm_last_error(v[k].m));
        snprintf(when, sizeof when, "slice %u (budget %llu)", slice, (unsigned long long)budget);
        compare(&v[0], &v[1], when);
        compare(&v[0], &v[2], when);
        if (v[0].last.reason != RVVM_STOP_CYCLE_LIMIT)
            break;
    }
    translated_mixed += rvvm_jit_translated(v[2].m);
    uint64_t translated = rvvm_jit_translated(v[1].m);
    fuzz_jit_inputs++;
    fuzz_jit_translated += translated;
    fuzz_jit_translated_inputs += translated > 0;
    fuzz_jit_stops[v[0].last.reason & 7]++;
    FUZZ_NOTE("  %u body instructions, %llu instructions run, %llu cycles, stop %d (%s), "
              "%llu runs translated (mixed: %llu)",
              n, (unsigned long long)rvvm_instructions(v[0].m),
              (unsigned long long)rvvm_cycles(v[0].m), (int)v[0].last.reason,
              v[0].last.reason == RVVM_STOP_FAULT ? rvvm_fault_kind_string(v[0].last.fault.kind)
                                                  : "",
              (unsigned long long)translated, (unsigned long long)translated_mixed);
    for (int k = 0; k < 3; k++)
        rvvm_destroy(v[k].m);
    return 0;
}
