/*
 * The translation tier: one libgccjit function per hot run (see jit.h and
 * docs/jit.md). Instructions are decoded again from guest memory (the bytes
 * cannot have changed: a write drops the page's slots and this code), so
 * translation sees plain instructions, never the interpreter's fused slots.
 */
#include "cpu.h"
#include "jit.h"

#include <stdlib.h>

#ifndef RVVM_HAVE_GCCJIT

bool rv_jit_available(void) { return false; }
rv_jit_fn rv_jit_hot(rvvm_machine *m, const rv_slot *in, bool *give_up)
{
    (void)m;
    (void)in;
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

#else

#include <libgccjit.h>

/* The longest run translated in one function; the rest is interpreted. */
#define RV_JIT_MAX_INSNS 256

typedef struct rv_jit_page {
    rv_jit_fn fn[RV_INSNS_PER_PAGE];
    uint32_t count[RV_INSNS_PER_PAGE];
    gcc_jit_result **results; /* one per compilation of this page's runs */
    size_t result_count;
} rv_jit_page;

struct rv_jit {
    rv_jit_page **pages; /* per guest page, NULL until a slot there is counted */
    size_t page_count;
    uint64_t translations, compilations; /* for tests and docs/jit.md */
};

bool rv_jit_available(void) { return true; }

void rv_jit_stats(const rvvm_machine *m, uint64_t *translations, uint64_t *compilations)
{
    *translations = m->jit ? m->jit->translations : 0;
    *compilations = m->jit ? m->jit->compilations : 0;
}

static size_t slot_index(const rv_slot *in) { return (size_t)(in - RV_SLOTS_OF(in)); }
static uint64_t slot_page(const rv_slot *in) { return RV_PAGE_BASE_OF(in) >> RV_PAGE_SHIFT; }

void rv_jit_drop_page(rvvm_machine *m, uint64_t page)
{
    if (!m->jit || page >= m->jit->page_count || !m->jit->pages[page])
        return;
    rv_jit_page *p = m->jit->pages[page];
    for (size_t i = 0; i < p->result_count; i++)
        gcc_jit_result_release(p->results[i]);
    free(p->results);
    free(p);
    m->jit->pages[page] = NULL;
}

void rv_jit_free(rvvm_machine *m)
{
    if (!m->jit)
        return;
    for (size_t i = 0; i < m->jit->page_count; i++)
        rv_jit_drop_page(m, i);
    free(m->jit->pages);
    free(m->jit);
    m->jit = NULL;
}

static rv_jit_page *page_of(rvvm_machine *m, uint64_t page)
{
    if (!m->jit) {
        m->jit = calloc(1, sizeof *m->jit);
        if (!m->jit)
            return NULL;
        m->jit->pages = calloc(m->mem.page_count, sizeof *m->jit->pages);
        if (!m->jit->pages) {
            free(m->jit);
            m->jit = NULL;
            return NULL;
        }
        m->jit->page_count = m->mem.page_count;
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

/* ---- Building one function ---- */

typedef struct gen {
    gcc_jit_context *c;
    gcc_jit_function *fn;
    gcc_jit_block *b;      /* the block being filled */
    gcc_jit_rvalue *x;     /* uint64_t *x */
    gcc_jit_rvalue *mem;   /* uint8_t *membase */
    gcc_jit_lvalue *addr;  /* a local for load and store addresses */
    gcc_jit_lvalue *pg;    /* and their page */
    gcc_jit_type *u8, *u16, *u32, *u64, *i8, *i16, *i32, *i64, *boolean, *sz;
    int blocks;
} gen;

static gcc_jit_rvalue *u64c(gen *g, uint64_t v)
{
    return gcc_jit_context_new_rvalue_from_long(g->c, g->u64, (long)v);
}
static gcc_jit_rvalue *i64c(gen *g, int64_t v)
{
    return gcc_jit_context_new_rvalue_from_long(g->c, g->i64, (long)v);
}
static gcc_jit_lvalue *xl(gen *g, unsigned r)
{
    return gcc_jit_context_new_array_access(g->c, NULL, g->x,
                                            gcc_jit_context_new_rvalue_from_int(g->c, g->i32, (int)r));
}
static gcc_jit_rvalue *xr(gen *g, unsigned r)
{
    return r == 0 ? u64c(g, 0) : gcc_jit_lvalue_as_rvalue(xl(g, r));
}
static gcc_jit_rvalue *cast(gen *g, gcc_jit_rvalue *v, gcc_jit_type *t)
{
    return gcc_jit_context_new_cast(g->c, NULL, v, t);
}
static gcc_jit_rvalue *bin(gen *g, enum gcc_jit_binary_op op, gcc_jit_type *t, gcc_jit_rvalue *a,
                           gcc_jit_rvalue *b)
{
    return gcc_jit_context_new_binary_op(g->c, NULL, op, t, a, b);
}
static gcc_jit_rvalue *cmp(gen *g, enum gcc_jit_comparison op, gcc_jit_rvalue *a, gcc_jit_rvalue *b)
{
    return gcc_jit_context_new_comparison(g->c, NULL, op, a, b);
}
/* Sign-extends the low 32 bits of a 64-bit value. */
static gcc_jit_rvalue *sx32(gen *g, gcc_jit_rvalue *v)
{
    return cast(g, cast(g, cast(g, cast(g, v, g->u32), g->i32), g->i64), g->u64);
}
static gcc_jit_rvalue *sgn(gen *g, gcc_jit_rvalue *v) { return cast(g, v, g->i64); }
static void set(gen *g, unsigned rd, gcc_jit_rvalue *v)
{
    if (rd != RV_SINK_REG && rd != 0)
        gcc_jit_block_add_assignment(g->b, NULL, xl(g, rd), v);
}
static gcc_jit_block *new_block(gen *g)
{
    char name[16];
    snprintf(name, sizeof name, "b%d", g->blocks++);
    return gcc_jit_function_new_block(g->fn, name);
}
static void ret(gen *g, gcc_jit_block *b, uint64_t v)
{
    gcc_jit_block_end_with_return(b, NULL, u64c(g, v));
}
/* *(T *)(membase + a) as an lvalue. */
static gcc_jit_lvalue *mem_at(gen *g, gcc_jit_rvalue *a, gcc_jit_type *t)
{
    gcc_jit_lvalue *byte = gcc_jit_context_new_array_access(g->c, NULL, g->mem, a);
    gcc_jit_rvalue *p = cast(g, gcc_jit_lvalue_get_address(byte, NULL), gcc_jit_type_get_pointer(t));
    return gcc_jit_rvalue_dereference(p, NULL);
}
/* membase[p - off]: the page flag or dirty byte of page p. */
static gcc_jit_lvalue *page_byte(gen *g, gcc_jit_rvalue *p, uint64_t off)
{
    gcc_jit_rvalue *idx = bin(g, GCC_JIT_BINARY_OP_MINUS, g->i64, cast(g, p, g->i64), i64c(g, (int64_t)off));
    return gcc_jit_context_new_array_access(g->c, NULL, g->mem, idx);
}

/*
 * A load or store's fast path, as the interpreter's: the page is below
 * RV_MAX_PAGES with `flag` set and the address naturally aligned. Otherwise
 * the instruction at pc is left to the interpreter. Leaves g->b in the fast path.
 */
static void fast_path(gen *g, unsigned rs1, int64_t imm, unsigned size, unsigned flag, uint64_t pc)
{
    gcc_jit_block_add_assignment(g->b, NULL, g->addr,
                                 bin(g, GCC_JIT_BINARY_OP_PLUS, g->u64, xr(g, rs1), u64c(g, (uint64_t)imm)));
    gcc_jit_rvalue *a = gcc_jit_lvalue_as_rvalue(g->addr);
    gcc_jit_block_add_assignment(g->b, NULL, g->pg,
                                 bin(g, GCC_JIT_BINARY_OP_RSHIFT, g->u64, a, u64c(g, RV_PAGE_SHIFT)));
    gcc_jit_rvalue *p = gcc_jit_lvalue_as_rvalue(g->pg);
    gcc_jit_block *check = new_block(g), *fast = new_block(g), *slow = new_block(g);
    gcc_jit_block_end_with_conditional(g->b, NULL, cmp(g, GCC_JIT_COMPARISON_LT, p, u64c(g, RV_MAX_PAGES)),
                                       check, slow);
    gcc_jit_rvalue *flags = cast(g, gcc_jit_lvalue_as_rvalue(page_byte(g, p, RV_FLAGS_OFFSET)), g->u64);
    gcc_jit_rvalue *ok_flag = cmp(g, GCC_JIT_COMPARISON_NE,
                                  bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, g->u64, flags, u64c(g, flag)),
                                  u64c(g, 0));
    gcc_jit_rvalue *aligned = cmp(g, GCC_JIT_COMPARISON_EQ,
                                  bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, g->u64, a, u64c(g, size - 1)),
                                  u64c(g, 0));
    gcc_jit_block_end_with_conditional(
        check, NULL, gcc_jit_context_new_binary_op(g->c, NULL, GCC_JIT_BINARY_OP_LOGICAL_AND, g->boolean,
                                                   ok_flag, aligned),
        fast, slow);
    ret(g, slow, pc | 1);
    g->b = fast;
}

static gcc_jit_type *mem_type(gen *g, unsigned size, bool is_signed)
{
    switch (size) {
    case 1: return is_signed ? g->i8 : g->u8;
    case 2: return is_signed ? g->i16 : g->u16;
    case 4: return is_signed ? g->i32 : g->u32;
    default: return g->u64;
    }
}

/*
 * Emits one instruction at pc. Returns 0 to go on, 1 if it ended the run
 * (the block is closed), -1 if it is not translated (the caller hands it to
 * the interpreter).
 */
static int emit(gen *g, const rv_insn *d, uint64_t pc)
{
    gcc_jit_rvalue *a = xr(g, d->rs1), *b = xr(g, d->rs2);
    gcc_jit_rvalue *imm = u64c(g, (uint64_t)d->imm);
    gcc_jit_type *u64 = g->u64;
    uint64_t next = pc + d->len;
#define B(op, l, r) bin(g, GCC_JIT_BINARY_OP_##op, u64, l, r)
#define BOOL(v) cast(g, v, u64)
    switch (d->op) {
    case RV_OP_nop: case RV_OP_fence: return 0;
    case RV_OP_li: case RV_OP_lui: case RV_OP_auipc: set(g, d->rd, imm); return 0;
    case RV_OP_mv: set(g, d->rd, a); return 0;
    case RV_OP_addi: set(g, d->rd, B(PLUS, a, imm)); return 0;
    case RV_OP_slti: set(g, d->rd, BOOL(cmp(g, GCC_JIT_COMPARISON_LT, sgn(g, a), i64c(g, d->imm)))); return 0;
    case RV_OP_sltiu: set(g, d->rd, BOOL(cmp(g, GCC_JIT_COMPARISON_LT, a, imm))); return 0;
    case RV_OP_xori: set(g, d->rd, B(BITWISE_XOR, a, imm)); return 0;
    case RV_OP_ori: set(g, d->rd, B(BITWISE_OR, a, imm)); return 0;
    case RV_OP_andi: set(g, d->rd, B(BITWISE_AND, a, imm)); return 0;
    case RV_OP_slli: set(g, d->rd, B(LSHIFT, a, u64c(g, (uint64_t)d->imm & 63))); return 0;
    case RV_OP_srli: set(g, d->rd, B(RSHIFT, a, u64c(g, (uint64_t)d->imm & 63))); return 0;
    case RV_OP_srai:
        set(g, d->rd, cast(g, bin(g, GCC_JIT_BINARY_OP_RSHIFT, g->i64, sgn(g, a),
                                  i64c(g, d->imm & 63)), u64));
        return 0;
    case RV_OP_add: set(g, d->rd, B(PLUS, a, b)); return 0;
    case RV_OP_sub: set(g, d->rd, B(MINUS, a, b)); return 0;
    case RV_OP_sll: set(g, d->rd, B(LSHIFT, a, B(BITWISE_AND, b, u64c(g, 63)))); return 0;
    case RV_OP_srl: set(g, d->rd, B(RSHIFT, a, B(BITWISE_AND, b, u64c(g, 63)))); return 0;
    case RV_OP_sra:
        set(g, d->rd, cast(g, bin(g, GCC_JIT_BINARY_OP_RSHIFT, g->i64, sgn(g, a),
                                  sgn(g, B(BITWISE_AND, b, u64c(g, 63)))), u64));
        return 0;
    case RV_OP_slt: set(g, d->rd, BOOL(cmp(g, GCC_JIT_COMPARISON_LT, sgn(g, a), sgn(g, b)))); return 0;
    case RV_OP_sltu: set(g, d->rd, BOOL(cmp(g, GCC_JIT_COMPARISON_LT, a, b))); return 0;
    case RV_OP_xor: set(g, d->rd, B(BITWISE_XOR, a, b)); return 0;
    case RV_OP_or: set(g, d->rd, B(BITWISE_OR, a, b)); return 0;
    case RV_OP_and: set(g, d->rd, B(BITWISE_AND, a, b)); return 0;
    case RV_OP_addiw: set(g, d->rd, sx32(g, B(PLUS, a, imm))); return 0;
    case RV_OP_addw: set(g, d->rd, sx32(g, B(PLUS, a, b))); return 0;
    case RV_OP_subw: set(g, d->rd, sx32(g, B(MINUS, a, b))); return 0;
    case RV_OP_mul: set(g, d->rd, B(MULT, a, b)); return 0;
    case RV_OP_mulw: set(g, d->rd, sx32(g, B(MULT, a, b))); return 0;
    case RV_OP_slliw: case RV_OP_srliw: case RV_OP_sllw: case RV_OP_srlw: {
        bool left = d->op == RV_OP_slliw || d->op == RV_OP_sllw;
        bool reg = d->op == RV_OP_sllw || d->op == RV_OP_srlw;
        gcc_jit_rvalue *n = reg ? cast(g, B(BITWISE_AND, b, u64c(g, 31)), g->u32)
                                : gcc_jit_context_new_rvalue_from_int(g->c, g->u32, (int)(d->imm & 31));
        gcc_jit_rvalue *v = bin(g, left ? GCC_JIT_BINARY_OP_LSHIFT : GCC_JIT_BINARY_OP_RSHIFT, g->u32,
                                cast(g, a, g->u32), n);
        set(g, d->rd, cast(g, cast(g, cast(g, v, g->i32), g->i64), u64));
        return 0;
    }
    case RV_OP_sraiw: case RV_OP_sraw: {
        gcc_jit_rvalue *n = d->op == RV_OP_sraw
                                ? cast(g, B(BITWISE_AND, b, u64c(g, 31)), g->i32)
                                : gcc_jit_context_new_rvalue_from_int(g->c, g->i32, (int)(d->imm & 31));
        gcc_jit_rvalue *v = bin(g, GCC_JIT_BINARY_OP_RSHIFT, g->i32,
                                cast(g, cast(g, a, g->u32), g->i32), n);
        set(g, d->rd, cast(g, cast(g, v, g->i64), u64));
        return 0;
    }
    /* Zba and the simple Zbb/Zbs forms. */
    case RV_OP_sh1add: set(g, d->rd, B(PLUS, b, B(LSHIFT, a, u64c(g, 1)))); return 0;
    case RV_OP_sh2add: set(g, d->rd, B(PLUS, b, B(LSHIFT, a, u64c(g, 2)))); return 0;
    case RV_OP_sh3add: set(g, d->rd, B(PLUS, b, B(LSHIFT, a, u64c(g, 3)))); return 0;
    case RV_OP_add_uw: set(g, d->rd, B(PLUS, b, cast(g, cast(g, a, g->u32), u64))); return 0;
    case RV_OP_sh1add_uw: case RV_OP_sh2add_uw: case RV_OP_sh3add_uw: {
        unsigned n = d->op == RV_OP_sh1add_uw ? 1 : d->op == RV_OP_sh2add_uw ? 2 : 3;
        set(g, d->rd, B(PLUS, b, B(LSHIFT, cast(g, cast(g, a, g->u32), u64), u64c(g, n))));
        return 0;
    }
    case RV_OP_slli_uw:
        set(g, d->rd, B(LSHIFT, cast(g, cast(g, a, g->u32), u64), u64c(g, (uint64_t)d->imm & 63)));
        return 0;
    case RV_OP_andn: set(g, d->rd, B(BITWISE_AND, a, gcc_jit_context_new_unary_op(g->c, NULL, GCC_JIT_UNARY_OP_BITWISE_NEGATE, u64, b))); return 0;
    case RV_OP_orn: set(g, d->rd, B(BITWISE_OR, a, gcc_jit_context_new_unary_op(g->c, NULL, GCC_JIT_UNARY_OP_BITWISE_NEGATE, u64, b))); return 0;
    case RV_OP_xnor: set(g, d->rd, gcc_jit_context_new_unary_op(g->c, NULL, GCC_JIT_UNARY_OP_BITWISE_NEGATE, u64, B(BITWISE_XOR, a, b))); return 0;
    case RV_OP_sext_b: set(g, d->rd, cast(g, cast(g, cast(g, a, g->i8), g->i64), u64)); return 0;
    case RV_OP_sext_h: set(g, d->rd, cast(g, cast(g, cast(g, a, g->i16), g->i64), u64)); return 0;
    case RV_OP_zext_h: set(g, d->rd, cast(g, cast(g, a, g->u16), u64)); return 0;

    case RV_OP_lb: case RV_OP_lh: case RV_OP_lw: case RV_OP_ld:
    case RV_OP_lbu: case RV_OP_lhu: case RV_OP_lwu: {
        unsigned size = d->op == RV_OP_lb || d->op == RV_OP_lbu ? 1
                        : d->op == RV_OP_lh || d->op == RV_OP_lhu ? 2
                        : d->op == RV_OP_ld ? 8 : 4;
        bool is_signed = d->op == RV_OP_lb || d->op == RV_OP_lh || d->op == RV_OP_lw;
        fast_path(g, d->rs1, d->imm, size, RV_PAGE_R, pc);
        gcc_jit_rvalue *v = gcc_jit_lvalue_as_rvalue(
            mem_at(g, gcc_jit_lvalue_as_rvalue(g->addr), mem_type(g, size, is_signed)));
        if (is_signed)
            v = cast(g, v, g->i64);
        set(g, d->rd, cast(g, v, u64));
        return 0;
    }
    case RV_OP_sb: case RV_OP_sh: case RV_OP_sw: case RV_OP_sd: {
        unsigned size = d->op == RV_OP_sb ? 1 : d->op == RV_OP_sh ? 2 : d->op == RV_OP_sw ? 4 : 8;
        gcc_jit_rvalue *v = cast(g, b, mem_type(g, size, false)); /* before rs1's use: same value */
        fast_path(g, d->rs1, d->imm, size, RV_PAGE_STORE_FAST, pc);
        gcc_jit_block_add_assignment(g->b, NULL, mem_at(g, gcc_jit_lvalue_as_rvalue(g->addr),
                                                        mem_type(g, size, false)), v);
        gcc_jit_block_add_assignment(g->b, NULL, page_byte(g, gcc_jit_lvalue_as_rvalue(g->pg), RV_DIRTY_OFFSET),
                                     gcc_jit_context_new_rvalue_from_int(g->c, g->u8, 1));
        return 0;
    }

    case RV_OP_jal: set(g, d->rd, u64c(g, next)); ret(g, g->b, (uint64_t)d->imm); return 1;
    case RV_OP_j: ret(g, g->b, (uint64_t)d->imm); return 1;
    case RV_OP_jr: case RV_OP_jalr: case RV_OP_jalr_checked: {
        /* The target from rs1 before rd is written (rd may be rs1). */
        gcc_jit_lvalue *t = gcc_jit_function_new_local(g->fn, NULL, u64, "t");
        gcc_jit_block_add_assignment(g->b, NULL, t, B(BITWISE_AND, B(PLUS, a, imm), u64c(g, ~(uint64_t)1)));
        gcc_jit_rvalue *tv = gcc_jit_lvalue_as_rvalue(t);
        if (d->op == RV_OP_jalr_checked) {
            /* IALIGN=32: a target with bit 1 set faults at the jalr: the interpreter's. */
            gcc_jit_block *ok = new_block(g), *bad = new_block(g);
            gcc_jit_block_end_with_conditional(
                g->b, NULL, cmp(g, GCC_JIT_COMPARISON_EQ, B(BITWISE_AND, tv, u64c(g, 2)), u64c(g, 0)), ok, bad);
            ret(g, bad, pc | 1);
            g->b = ok;
        }
        set(g, d->rd, u64c(g, next));
        gcc_jit_block_end_with_return(g->b, NULL, tv);
        return 1;
    }
    case RV_OP_beq: case RV_OP_bne: case RV_OP_blt: case RV_OP_bge: case RV_OP_bltu: case RV_OP_bgeu: {
        gcc_jit_rvalue *c;
        switch (d->op) {
        case RV_OP_beq: c = cmp(g, GCC_JIT_COMPARISON_EQ, a, b); break;
        case RV_OP_bne: c = cmp(g, GCC_JIT_COMPARISON_NE, a, b); break;
        case RV_OP_blt: c = cmp(g, GCC_JIT_COMPARISON_LT, sgn(g, a), sgn(g, b)); break;
        case RV_OP_bge: c = cmp(g, GCC_JIT_COMPARISON_GE, sgn(g, a), sgn(g, b)); break;
        case RV_OP_bltu: c = cmp(g, GCC_JIT_COMPARISON_LT, a, b); break;
        default: c = cmp(g, GCC_JIT_COMPARISON_GE, a, b); break;
        }
        gcc_jit_block *taken = new_block(g), *not_taken = new_block(g);
        gcc_jit_block_end_with_conditional(g->b, NULL, c, taken, not_taken);
        ret(g, taken, (uint64_t)d->imm);
        ret(g, not_taken, next);
        return 1;
    }
    default:
        return -1;
    }
#undef B
#undef BOOL
}

/* Makes the types of a new context. */
static bool gen_init(gen *g)
{
    g->c = gcc_jit_context_acquire();
    if (!g->c)
        return false;
    gcc_jit_context_set_int_option(g->c, GCC_JIT_INT_OPTION_OPTIMIZATION_LEVEL, 2);
    g->u8 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_UNSIGNED_CHAR);
    g->i8 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_SIGNED_CHAR);
    g->u16 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_UNSIGNED_SHORT);
    g->i16 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_SHORT);
    g->u32 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_UNSIGNED_INT);
    g->i32 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_INT);
    g->u64 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_UNSIGNED_LONG_LONG);
    g->i64 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_LONG_LONG);
    g->boolean = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_BOOL);
    return true;
}

/*
 * Adds a function `name` for the run from pc to the context. False if not
 * even its first instruction is translated (nothing is added then).
 */
static bool translate_run(rvvm_machine *m, gen *g, uint64_t pc, const char *name)
{
    rv_insn d[RV_JIT_MAX_INSNS];
    uint64_t at[RV_JIT_MAX_INSNS];
    size_t n = 0;
    uint64_t page_end = (pc | RV_PAGE_MASK) + 1, p = pc;
    /* What the run holds: up to its last instruction, the page end, or what cannot be fetched. */
    while (n < RV_JIT_MAX_INSNS && p < page_end && rv_decode_at(m, p, &d[n])) {
        at[n] = p;
        p += d[n].len;
        if (rv_op_ends_run(d[n++].op))
            break;
    }
    if (n == 0)
        return false;
    /* A dry check of the first instruction: emit() refuses exactly the ops it has no case for. */
    switch (d[0].op) {
    case RV_OP_illegal: case RV_OP_undecoded: case RV_OP_page_end: case RV_OP_budget_stop:
        return false;
    default:
        break;
    }
    gcc_jit_param *params[2] = {
        gcc_jit_context_new_param(g->c, NULL, gcc_jit_type_get_pointer(g->u64), "x"),
        gcc_jit_context_new_param(g->c, NULL, gcc_jit_type_get_pointer(g->u8), "mem"),
    };
    g->fn = gcc_jit_context_new_function(g->c, NULL, GCC_JIT_FUNCTION_EXPORTED, g->u64, name, 2,
                                         params, 0);
    g->x = gcc_jit_param_as_rvalue(params[0]);
    g->mem = gcc_jit_param_as_rvalue(params[1]);
    g->addr = gcc_jit_function_new_local(g->fn, NULL, g->u64, "a");
    g->pg = gcc_jit_function_new_local(g->fn, NULL, g->u64, "p");
    g->b = new_block(g);
    size_t done = 0;
    bool closed = false;
    for (; done < n; done++) {
        int r = emit(g, &d[done], at[done]);
        if (r < 0)
            break;
        if (r > 0) {
            closed = true;
            done++;
            break;
        }
    }
    if (!closed) {
        /* Stopped at an instruction left to the interpreter (odd: run its slot
         * unpaid), or at the page end (even: a new run starts there, as the
         * interpreter's page-end slot does). */
        bool interp = done < n || p < page_end;
        uint64_t at_pc = done < n ? at[done] : p;
        ret(g, g->b, interp ? at_pc | 1 : at_pc);
    }
    /* A function whose first instruction is handed back at once is harmless
     * (it returns pc | 1), but useless: callers skip such runs by op below. */
    return done > 0;
}

/* Ops emit() translates as a run's first instruction (anything else: not worth a function). */
static bool first_op_ok(rvvm_machine *m, uint64_t pc)
{
    rv_insn d;
    if (!rv_decode_at(m, pc, &d))
        return false;
    switch (d.op) {
    case RV_OP_nop: case RV_OP_fence: case RV_OP_li: case RV_OP_lui: case RV_OP_auipc: case RV_OP_mv:
    case RV_OP_addi: case RV_OP_slti: case RV_OP_sltiu: case RV_OP_xori: case RV_OP_ori:
    case RV_OP_andi: case RV_OP_slli: case RV_OP_srli: case RV_OP_srai: case RV_OP_add:
    case RV_OP_sub: case RV_OP_sll: case RV_OP_srl: case RV_OP_sra: case RV_OP_slt: case RV_OP_sltu:
    case RV_OP_xor: case RV_OP_or: case RV_OP_and: case RV_OP_addiw: case RV_OP_addw:
    case RV_OP_subw: case RV_OP_mul: case RV_OP_mulw: case RV_OP_slliw: case RV_OP_srliw:
    case RV_OP_sllw: case RV_OP_srlw: case RV_OP_sraiw: case RV_OP_sraw: case RV_OP_sh1add:
    case RV_OP_sh2add: case RV_OP_sh3add: case RV_OP_add_uw: case RV_OP_sh1add_uw:
    case RV_OP_sh2add_uw: case RV_OP_sh3add_uw: case RV_OP_slli_uw: case RV_OP_andn: case RV_OP_orn:
    case RV_OP_xnor: case RV_OP_sext_b: case RV_OP_sext_h: case RV_OP_zext_h:
    case RV_OP_lb: case RV_OP_lh: case RV_OP_lw: case RV_OP_ld: case RV_OP_lbu: case RV_OP_lhu:
    case RV_OP_lwu: case RV_OP_sb: case RV_OP_sh: case RV_OP_sw: case RV_OP_sd:
    case RV_OP_jal: case RV_OP_j: case RV_OP_jr: case RV_OP_jalr: case RV_OP_jalr_checked:
    case RV_OP_beq: case RV_OP_bne: case RV_OP_blt: case RV_OP_bge: case RV_OP_bltu: case RV_OP_bgeu:
        return true;
    default:
        return false;
    }
}

/*
 * Translates, in one compilation (its fixed cost dominates: docs/jit.md),
 * slot i and every other counted slot of its page not translated yet.
 * Slots that cannot be translated get their own handler back.
 */
static bool translate_page(rvvm_machine *m, rv_jit_page *jp, rv_slot *slots, uint64_t page_base,
                           size_t i)
{
    const void *count_handler = m->handlers[RV_HANDLER_JIT_COUNT];
    static const size_t max_batch = 64;
    size_t idx[64], k = 0;
    idx[k++] = i;
    for (size_t j = 0; j < RV_INSNS_PER_PAGE && k < max_batch; j++)
        if (j != i && slots[j].handler == count_handler && !jp->fn[j])
            idx[k++] = j;
    gen g = {0};
    if (!gen_init(&g))
        return false;
    bool ok[64] = {false};
    size_t made = 0;
    for (size_t t = 0; t < k; t++) {
        char name[16];
        snprintf(name, sizeof name, "r%zu", idx[t]);
        uint64_t pc = page_base + 2 * idx[t];
        ok[t] = first_op_ok(m, pc) && translate_run(m, &g, pc, name);
        if (!ok[t]) {
            rv_slot *s = &slots[idx[t]];
            s->handler = m->handlers[s->op + (RV_SLOT_LEN(s) == 4 ? RV_OP_COUNT : 0)];
        }
        made += ok[t];
    }
    if (!made) {
        gcc_jit_context_release(g.c);
        return false;
    }
    gcc_jit_result *res = gcc_jit_context_compile(g.c);
    gcc_jit_context_release(g.c);
    if (!res)
        return false;
    gcc_jit_result **list = realloc(jp->results, (jp->result_count + 1) * sizeof *list);
    if (!list) {
        gcc_jit_result_release(res);
        return false;
    }
    jp->results = list;
    jp->results[jp->result_count++] = res;
    for (size_t t = 0; t < k; t++) {
        if (!ok[t])
            continue;
        char name[16];
        snprintf(name, sizeof name, "r%zu", idx[t]);
        rv_jit_fn fn = (rv_jit_fn)gcc_jit_result_get_code(res, name);
        rv_slot *s = &slots[idx[t]];
        if (fn) {
            jp->fn[idx[t]] = fn;
            s->handler = m->handlers[RV_HANDLER_JIT_RUN];
        } else {
            s->handler = m->handlers[s->op + (RV_SLOT_LEN(s) == 4 ? RV_OP_COUNT : 0)];
        }
    }
    m->jit->translations += made;
    m->jit->compilations++;
    return true;
}

rv_jit_fn rv_jit_hot(rvvm_machine *m, const rv_slot *in, bool *give_up)
{
    *give_up = false;
    rv_jit_page *p = page_of(m, slot_page(in));
    if (!p) {
        *give_up = true;
        return NULL;
    }
    size_t i = slot_index(in);
    if (p->fn[i])
        return p->fn[i];
    uint32_t threshold = m->config.jit_threshold ? m->config.jit_threshold : 1;
    if (++p->count[i] < threshold)
        return NULL;
    translate_page(m, p, RV_SLOTS_OF(in), RV_PAGE_BASE_OF(in), i);
    if (!p->fn[i])
        *give_up = true;
    return p->fn[i];
}

#endif
