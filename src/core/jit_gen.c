/*
 * The translation tier's code generator (see jit.h and docs/jit.md): guest
 * runs of one page become host functions, built with libgccjit.
 */
#include "jit_internal.h"

#ifdef RVVM_HAVE_GCCJIT

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/*
 * Tuning aid, never in a normal build (the library reads no environment and
 * writes no stderr): built with -DRVVM_JIT_TIMING, the generator prints each
 * region and compilation's CPU time to stderr and takes RVVM_JIT_O (level),
 * RVVM_JIT_OPTS (gcc options), RVVM_JIT_RUNS / RVVM_JIT_INSNS (smaller region
 * limits) and RVVM_JIT_DUMP (print the generated assembly) from the environment.
 */
#ifdef RVVM_JIT_TIMING
#include <time.h>
#endif

/* The longest run translated in one function; the rest is interpreted. */
#define RV_JIT_MAX_INSNS 256
/* A region's limits (see region_run). A compilation at run time, which the
 * run itself pays, takes 8 runs: compile time grows with the region, and at
 * 8 first runs of the bench programs took the least CPU time in all (sha256
 * 0.21 s against 0.30 at 32; docs/jit.md). One for the cache file, paid once
 * for every later run, takes 64. */
#define RV_JIT_MAX_RUNS 64
#define RV_JIT_RUNTIME_RUNS 8
#define RV_JIT_MAX_REGION_INSNS 512

/* ---- Building one function ---- */

/* Every libgccjit call below goes through the loaded table of the gen in scope. */
#define gcc_jit_context_acquire g->J->context_acquire
#define gcc_jit_context_release g->J->context_release
#define gcc_jit_context_set_int_option g->J->context_set_int_option
#define gcc_jit_context_get_type g->J->context_get_type
#define gcc_jit_type_get_pointer g->J->type_get_pointer
#define gcc_jit_context_new_rvalue_from_long g->J->context_new_rvalue_from_long
#define gcc_jit_context_new_rvalue_from_int g->J->context_new_rvalue_from_int
#define gcc_jit_context_new_array_access g->J->context_new_array_access
#define gcc_jit_lvalue_as_rvalue g->J->lvalue_as_rvalue
#define gcc_jit_context_new_cast g->J->context_new_cast
#define gcc_jit_context_new_binary_op g->J->context_new_binary_op
#define gcc_jit_context_new_comparison g->J->context_new_comparison
#define gcc_jit_context_new_unary_op g->J->context_new_unary_op
#define gcc_jit_block_add_assignment g->J->block_add_assignment
#define gcc_jit_function_new_block g->J->function_new_block
#define gcc_jit_block_end_with_return g->J->block_end_with_return
#define gcc_jit_lvalue_get_address g->J->lvalue_get_address
#define gcc_jit_rvalue_dereference g->J->rvalue_dereference
#define gcc_jit_block_end_with_conditional g->J->block_end_with_conditional
#define gcc_jit_block_end_with_jump g->J->block_end_with_jump
#define gcc_jit_function_new_local g->J->function_new_local
#define gcc_jit_context_new_param g->J->context_new_param
#define gcc_jit_context_new_function g->J->context_new_function
#define gcc_jit_param_as_rvalue g->J->param_as_rvalue
#define gcc_jit_result_release g->J->result_release
#define gcc_jit_context_new_case g->J->context_new_case
#define gcc_jit_block_end_with_switch g->J->block_end_with_switch
#define gcc_jit_context_get_builtin_function g->J->context_get_builtin_function
#define gcc_jit_context_new_call g->J->context_new_call
#define gcc_jit_context_add_command_line_option g->J->context_add_command_line_option

/*
 * Guest registers a function touches live in locals (x[RV_REG_INSTRET] too),
 * loaded at entry. At run time an assignment also stores to x[]
 * (store-through), so an exit has nothing to write back but the budget: this
 * compiles faster than writing the assigned registers back at one shared exit
 * block (a merge of every register from hundreds of exits), and first runs
 * took less CPU with it (sort 0.41 against 0.45 s, crc32 0.16 against 0.18;
 * sha256 and matmul a little more). The cache
 * file's code, compiled once for every later run, writes back at the exit:
 * the stores were a third of a hot loop's instructions (sha256 warm 0.057 ->
 * 0.036 s CPU; its cold run 0.78 -> 0.96 s; docs/jit.md).
 */
#define RV_JIT_NREGS (RV_REG_INSTRET + 1)


typedef struct gen {
    const rv_gccjit *J;
    gcc_jit_context *c;
    gcc_jit_function *fn;
    gcc_jit_block *b;      /* the block being filled */
    gcc_jit_rvalue *x;     /* uint64_t *x */
    gcc_jit_rvalue *mem;   /* uint8_t *membase */
    gcc_jit_lvalue *addr;  /* a local for load and store addresses */
    gcc_jit_lvalue *pg;    /* and their page */
    gcc_jit_rvalue *budget_p; /* the function's third parameter */
    gcc_jit_lvalue *budget; /* *budget_p, kept in a local while the code runs */
    gcc_jit_lvalue *budget_in; /* *budget_p at entry */
    /* The region: runs of this page reachable from the first, each with the
     * block that charges its entry (made when first jumped to) and its body. */
    const struct rv_jit_entry *e;
    const rvvm_cost_model *costs;
    struct region_run *runs;
    size_t nruns, ninsns;
    gcc_jit_type *u8, *u16, *u32, *u64, *i8, *i16, *i32, *i64, *boolean, *sz, *ull;
    int blocks;
    gcc_jit_lvalue *reg[RV_JIT_NREGS]; /* a register's local (NULL: not touched) */
    size_t max_runs, max_insns;
    uint64_t returns[RV_JIT_MAX_RUNS]; /* return points not yet in the region */
    size_t nreturns;
    gcc_jit_block *jdispatch; /* a jalr's target jt: into the region or out */
    gcc_jit_lvalue *jt;
    gcc_jit_type *i128, *u128;
    /* Write-back (the cache file's code): an assignment stays in its local,
     * and every exit jumps to one exit block that stores the assigned
     * registers, filled last, once the function's assigned set is known. */
    bool write_back;
    bool assigned[RV_JIT_NREGS];
    gcc_jit_block *exit;
    gcc_jit_lvalue *exit_value;
} gen;
static gcc_jit_rvalue *u64c(gen *g, uint64_t v)
{
    return gcc_jit_context_new_rvalue_from_long(g->c, g->u64, (long)v);
}
static gcc_jit_rvalue *i64c(gen *g, int64_t v)
{
    return gcc_jit_context_new_rvalue_from_long(g->c, g->i64, (long)v);
}
/* x[r] in guest memory of the register file. */
static gcc_jit_lvalue *xmem(gen *g, unsigned r)
{
    return gcc_jit_context_new_array_access(g->c, NULL, g->x,
                                            gcc_jit_context_new_rvalue_from_int(g->c, g->i32, (int)r));
}
/* Register r's local, made on first use. */
static gcc_jit_lvalue *xl(gen *g, unsigned r)
{
    if (!g->reg[r]) {
        char name[8];
        snprintf(name, sizeof name, "x%u", r);
        g->reg[r] = gcc_jit_function_new_local(g->fn, NULL, g->u64, name);
    }
    return g->reg[r];
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
static gcc_jit_block *new_block(gen *g);
/* c ? t : f, each side evaluated only in its own branch (g->b moves to the join). */
static gcc_jit_rvalue *choose(gen *g, gcc_jit_rvalue *c, gcc_jit_rvalue *t, gcc_jit_rvalue *f)
{
    gcc_jit_lvalue *v = gcc_jit_function_new_local(g->fn, NULL, g->u64, "c");
    gcc_jit_block *bt = new_block(g), *bf = new_block(g), *join = new_block(g);
    gcc_jit_block_end_with_conditional(g->b, NULL, c, bt, bf);
    gcc_jit_block_add_assignment(bt, NULL, v, t);
    gcc_jit_block_end_with_jump(bt, NULL, join);
    gcc_jit_block_add_assignment(bf, NULL, v, f);
    gcc_jit_block_end_with_jump(bf, NULL, join);
    g->b = join;
    return gcc_jit_lvalue_as_rvalue(v);
}
/*
 * zero ? zv : ovf ? ov : q, for signed division: q (which would trap on the
 * host for a zero divisor or MIN / -1) is evaluated only past both tests.
 */
static gcc_jit_rvalue *divide(gen *g, gcc_jit_rvalue *zero, gcc_jit_rvalue *zv, gcc_jit_rvalue *ovf,
                              gcc_jit_rvalue *ov, gcc_jit_rvalue *q)
{
    gcc_jit_lvalue *v = gcc_jit_function_new_local(g->fn, NULL, g->u64, "q");
    gcc_jit_block *bz = new_block(g), *bnz = new_block(g), *bo = new_block(g), *bq = new_block(g),
                  *join = new_block(g);
    gcc_jit_block_end_with_conditional(g->b, NULL, zero, bz, bnz);
    gcc_jit_block_add_assignment(bz, NULL, v, zv);
    gcc_jit_block_end_with_jump(bz, NULL, join);
    gcc_jit_block_end_with_conditional(bnz, NULL, ovf, bo, bq);
    gcc_jit_block_add_assignment(bo, NULL, v, ov);
    gcc_jit_block_end_with_jump(bo, NULL, join);
    gcc_jit_block_add_assignment(bq, NULL, v, q);
    gcc_jit_block_end_with_jump(bq, NULL, join);
    g->b = join;
    return gcc_jit_lvalue_as_rvalue(v);
}
/* A call of gcc's builtin `name` on one argument. */
static gcc_jit_rvalue *builtin1(gen *g, const char *name, gcc_jit_rvalue *arg)
{
    gcc_jit_function *f = gcc_jit_context_get_builtin_function(g->c, name);
    return gcc_jit_context_new_call(g->c, NULL, f, 1, &arg);
}
/* c, marked as almost always true: the exits to the interpreter (a failed
 * memory check, a budget that cannot pay) are rare, and gcc places blocks and
 * chooses which values stay in host registers by how often it thinks they run. */
static gcc_jit_rvalue *likely(gen *g, gcc_jit_rvalue *c)
{
    gcc_jit_type *lng = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_LONG); /* the builtin's type */
    gcc_jit_rvalue *args[2] = {cast(g, c, lng), gcc_jit_context_new_rvalue_from_long(g->c, lng, 1)};
    gcc_jit_function *expect = gcc_jit_context_get_builtin_function(g->c, "__builtin_expect");
    return cmp(g, GCC_JIT_COMPARISON_NE, gcc_jit_context_new_call(g->c, NULL, expect, 2, args),
               gcc_jit_context_new_rvalue_from_long(g->c, lng, 0));
}
/* Register r's local was assigned in block b: stored through to x[] at
 * once, or at the exit block (write-back). */
static void assigned(gen *g, gcc_jit_block *b, unsigned r)
{
    if (g->write_back)
        g->assigned[r] = true;
    else
        gcc_jit_block_add_assignment(b, NULL, xmem(g, r), gcc_jit_lvalue_as_rvalue(g->reg[r]));
}
static void set(gen *g, unsigned rd, gcc_jit_rvalue *v)
{
    if (rd != RV_SINK_REG && rd != 0) {
        gcc_jit_block_add_assignment(g->b, NULL, xl(g, rd), v);
        assigned(g, g->b, rd);
    }
}
static gcc_jit_block *new_block(gen *g)
{
    char name[16];
    snprintf(name, sizeof name, "b%d", g->blocks++);
    return gcc_jit_function_new_block(g->fn, name);
}
/*
 * Ends block b returning v, the budget written back first, and the
 * instruction count brought up to date: a run's entry adds its cost to what
 * the function has paid (budget_in - budget) and only count - cost to
 * instret, so under unit costs (cost = count) the loops keep no count.
 */
static void leave(gen *g, gcc_jit_block *b, gcc_jit_rvalue *v)
{
    gcc_jit_rvalue *bud = gcc_jit_lvalue_as_rvalue(g->budget);
    gcc_jit_lvalue *instret = xmem(g, RV_REG_INSTRET); /* stored through or written back by now */
    gcc_jit_rvalue *paid = bin(g, GCC_JIT_BINARY_OP_MINUS, g->u64, gcc_jit_lvalue_as_rvalue(g->budget_in), bud);
    gcc_jit_block_add_assignment(b, NULL, instret,
                                 bin(g, GCC_JIT_BINARY_OP_PLUS, g->u64, gcc_jit_lvalue_as_rvalue(instret), paid));
    gcc_jit_block_add_assignment(b, NULL, gcc_jit_rvalue_dereference(g->budget_p, NULL), bud);
    gcc_jit_block_end_with_return(b, NULL, v);
}
/* Ends block b leaving the function with v (through the exit block when
 * registers are written back there). */
static void ret_value(gen *g, gcc_jit_block *b, gcc_jit_rvalue *v)
{
    if (!g->write_back) {
        leave(g, b, v);
        return;
    }
    if (!g->exit) {
        g->exit = new_block(g);
        g->exit_value = gcc_jit_function_new_local(g->fn, NULL, g->u64, "rv");
    }
    gcc_jit_block_add_assignment(b, NULL, g->exit_value, v);
    gcc_jit_block_end_with_jump(b, NULL, g->exit);
}
static void ret(gen *g, gcc_jit_block *b, uint64_t v) { ret_value(g, b, u64c(g, v)); }

static void go(gen *g, gcc_jit_block *b, uint64_t t);
static void return_point(gen *g, unsigned rd, uint64_t next);
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
    /* Below RV_MAX_PAGES (a power of two) and aligned in one test: no bit at
     * or above the limit's, nor below the size's. */
    _Static_assert((RV_MAX_PAGES & (RV_MAX_PAGES - 1)) == 0, "RV_MAX_PAGES is a power of two");
    uint64_t limit = RV_MAX_PAGES << RV_PAGE_SHIFT;
    gcc_jit_rvalue *bad = bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, g->u64, a, u64c(g, ~(limit - 1) | (size - 1)));
    gcc_jit_block *check = new_block(g), *fast = new_block(g), *slow = new_block(g);
    gcc_jit_block_end_with_conditional(g->b, NULL, likely(g, cmp(g, GCC_JIT_COMPARISON_EQ, bad, u64c(g, 0))), check,
                                       slow);
    gcc_jit_block_add_assignment(check, NULL, g->pg,
                                 bin(g, GCC_JIT_BINARY_OP_RSHIFT, g->u64, a, u64c(g, RV_PAGE_SHIFT)));
    gcc_jit_rvalue *p = gcc_jit_lvalue_as_rvalue(g->pg);
    gcc_jit_rvalue *flags = cast(g, gcc_jit_lvalue_as_rvalue(page_byte(g, p, RV_FLAGS_OFFSET)), g->u64);
    gcc_jit_rvalue *ok_flag = cmp(g, GCC_JIT_COMPARISON_NE,
                                  bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, g->u64, flags, u64c(g, flag)),
                                  u64c(g, 0));
    gcc_jit_block_end_with_conditional(check, NULL, likely(g, ok_flag), fast, slow);
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

    case RV_OP_jal:
        set(g, d->rd, u64c(g, next));
        /* A call into this page can return into the region (not one out of it:
         * its return reaches the interpreter). */
        if (!(((uint64_t)d->imm ^ g->e->page_base) >> RV_PAGE_SHIFT))
            return_point(g, d->rd, next);
        go(g, g->b, (uint64_t)d->imm);
        return 1;
    case RV_OP_j: go(g, g->b, (uint64_t)d->imm); return 1;
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
        /* Into the region if t is one of its runs (charged as go() does), else out. */
        if (!g->jdispatch) {
            g->jdispatch = new_block(g);
            g->jt = gcc_jit_function_new_local(g->fn, NULL, u64, "jt");
        }
        gcc_jit_block_add_assignment(g->b, NULL, g->jt, tv);
        gcc_jit_block_end_with_jump(g->b, NULL, g->jdispatch);
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
        go(g, taken, (uint64_t)d->imm);
        go(g, not_taken, next);
        return 1;
    }
    /* M: division as the interpreter's (div64 ... in execute.c), no host traps. */
    case RV_OP_div: case RV_OP_rem: {
        bool div = d->op == RV_OP_div;
        gcc_jit_rvalue *zero = cmp(g, GCC_JIT_COMPARISON_EQ, b, u64c(g, 0));
        gcc_jit_rvalue *ovf = gcc_jit_context_new_binary_op(
            g->c, NULL, GCC_JIT_BINARY_OP_LOGICAL_AND, g->boolean,
            cmp(g, GCC_JIT_COMPARISON_EQ, a, u64c(g, (uint64_t)1 << 63)),
            cmp(g, GCC_JIT_COMPARISON_EQ, b, u64c(g, ~(uint64_t)0)));
        gcc_jit_rvalue *q = cast(g, bin(g, div ? GCC_JIT_BINARY_OP_DIVIDE : GCC_JIT_BINARY_OP_MODULO, g->i64,
                                        sgn(g, a), sgn(g, b)), u64);
        set(g, d->rd, divide(g, zero, div ? u64c(g, ~(uint64_t)0) : a, ovf, div ? a : u64c(g, 0), q));
        return 0;
    }
    case RV_OP_divu: case RV_OP_remu: {
        bool div = d->op == RV_OP_divu;
        gcc_jit_rvalue *q = B(DIVIDE, a, b);
        if (!div)
            q = B(MODULO, a, b);
        set(g, d->rd, choose(g, cmp(g, GCC_JIT_COMPARISON_EQ, b, u64c(g, 0)), div ? u64c(g, ~(uint64_t)0) : a, q));
        return 0;
    }
    case RV_OP_divw: case RV_OP_remw: {
        bool div = d->op == RV_OP_divw;
        gcc_jit_rvalue *a32 = cast(g, cast(g, a, g->u32), g->i32), *b32 = cast(g, cast(g, b, g->u32), g->i32);
        gcc_jit_rvalue *zero = cmp(g, GCC_JIT_COMPARISON_EQ, b32, gcc_jit_context_new_rvalue_from_int(g->c, g->i32, 0));
        gcc_jit_rvalue *ovf = gcc_jit_context_new_binary_op(
            g->c, NULL, GCC_JIT_BINARY_OP_LOGICAL_AND, g->boolean,
            cmp(g, GCC_JIT_COMPARISON_EQ, a32, gcc_jit_context_new_rvalue_from_long(g->c, g->i32, INT32_MIN)),
            cmp(g, GCC_JIT_COMPARISON_EQ, b32, gcc_jit_context_new_rvalue_from_int(g->c, g->i32, -1)));
        gcc_jit_rvalue *q = cast(g, cast(g, bin(g, div ? GCC_JIT_BINARY_OP_DIVIDE : GCC_JIT_BINARY_OP_MODULO,
                                                g->i32, a32, b32), g->i64), u64);
        set(g, d->rd, divide(g, zero, div ? u64c(g, ~(uint64_t)0) : sx32(g, a), ovf, div ? sx32(g, a) : u64c(g, 0), q));
        return 0;
    }
    case RV_OP_divuw: case RV_OP_remuw: {
        bool div = d->op == RV_OP_divuw;
        gcc_jit_rvalue *a32 = cast(g, a, g->u32), *b32 = cast(g, b, g->u32);
        gcc_jit_rvalue *q = bin(g, div ? GCC_JIT_BINARY_OP_DIVIDE : GCC_JIT_BINARY_OP_MODULO, g->u32, a32, b32);
        gcc_jit_rvalue *zero = cmp(g, GCC_JIT_COMPARISON_EQ, b32, gcc_jit_context_new_rvalue_from_int(g->c, g->u32, 0));
        set(g, d->rd, choose(g, zero, div ? u64c(g, ~(uint64_t)0) : sx32(g, a), sx32(g, cast(g, q, u64))));
        return 0;
    }
    case RV_OP_mulh: case RV_OP_mulhu: case RV_OP_mulhsu: {
        gcc_jit_type *t = d->op == RV_OP_mulhu ? g->u128 : g->i128;
        gcc_jit_rvalue *l = d->op == RV_OP_mulhu ? cast(g, a, t) : cast(g, sgn(g, a), t);
        gcc_jit_rvalue *r = d->op == RV_OP_mulh ? cast(g, sgn(g, b), t) : cast(g, b, t);
        gcc_jit_rvalue *p = bin(g, GCC_JIT_BINARY_OP_RSHIFT, t, bin(g, GCC_JIT_BINARY_OP_MULT, t, l, r),
                                gcc_jit_context_new_rvalue_from_int(g->c, t, 64));
        set(g, d->rd, cast(g, p, u64));
        return 0;
    }
    /* Zbb */
    case RV_OP_min: set(g, d->rd, choose(g, cmp(g, GCC_JIT_COMPARISON_LT, sgn(g, a), sgn(g, b)), a, b)); return 0;
    case RV_OP_max: set(g, d->rd, choose(g, cmp(g, GCC_JIT_COMPARISON_GT, sgn(g, a), sgn(g, b)), a, b)); return 0;
    case RV_OP_minu: set(g, d->rd, choose(g, cmp(g, GCC_JIT_COMPARISON_LT, a, b), a, b)); return 0;
    case RV_OP_maxu: set(g, d->rd, choose(g, cmp(g, GCC_JIT_COMPARISON_GT, a, b), a, b)); return 0;
    case RV_OP_rol: case RV_OP_ror: case RV_OP_rori: {
        /* (v << n) | (v >> (-n & 63)): n = 0 gives v | v. */
        gcc_jit_rvalue *n = d->op == RV_OP_rori ? u64c(g, (uint64_t)d->imm & 63) : B(BITWISE_AND, b, u64c(g, 63));
        gcc_jit_rvalue *m = B(BITWISE_AND, gcc_jit_context_new_unary_op(g->c, NULL, GCC_JIT_UNARY_OP_MINUS, u64, n),
                              u64c(g, 63));
        bool left = d->op == RV_OP_rol;
        set(g, d->rd, B(BITWISE_OR, bin(g, left ? GCC_JIT_BINARY_OP_LSHIFT : GCC_JIT_BINARY_OP_RSHIFT, u64, a, n),
                        bin(g, left ? GCC_JIT_BINARY_OP_RSHIFT : GCC_JIT_BINARY_OP_LSHIFT, u64, a, m)));
        return 0;
    }
    case RV_OP_rolw: case RV_OP_rorw: case RV_OP_roriw: {
        gcc_jit_type *u32 = g->u32;
        gcc_jit_rvalue *v = cast(g, a, u32);
        gcc_jit_rvalue *n = d->op == RV_OP_roriw ? gcc_jit_context_new_rvalue_from_int(g->c, u32, (int)(d->imm & 31))
                                                 : cast(g, B(BITWISE_AND, b, u64c(g, 31)), u32);
        gcc_jit_rvalue *m = bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, u32,
                                gcc_jit_context_new_unary_op(g->c, NULL, GCC_JIT_UNARY_OP_MINUS, u32, n),
                                gcc_jit_context_new_rvalue_from_int(g->c, u32, 31));
        bool left = d->op == RV_OP_rolw;
        gcc_jit_rvalue *r = bin(g, GCC_JIT_BINARY_OP_BITWISE_OR, u32,
                                bin(g, left ? GCC_JIT_BINARY_OP_LSHIFT : GCC_JIT_BINARY_OP_RSHIFT, u32, v, n),
                                bin(g, left ? GCC_JIT_BINARY_OP_RSHIFT : GCC_JIT_BINARY_OP_LSHIFT, u32, v, m));
        set(g, d->rd, sx32(g, cast(g, r, u64)));
        return 0;
    }
    case RV_OP_clz: case RV_OP_ctz: case RV_OP_clzw: case RV_OP_ctzw: {
        bool w = d->op == RV_OP_clzw || d->op == RV_OP_ctzw, lead = d->op == RV_OP_clz || d->op == RV_OP_clzw;
        gcc_jit_rvalue *v = w ? cast(g, a, g->u32) : cast(g, a, g->ull);
        gcc_jit_rvalue *zero = cmp(g, GCC_JIT_COMPARISON_EQ, w ? B(BITWISE_AND, a, u64c(g, 0xffffffffu)) : a, u64c(g, 0));
        const char *f = lead ? (w ? "__builtin_clz" : "__builtin_clzll") : (w ? "__builtin_ctz" : "__builtin_ctzll");
        set(g, d->rd, choose(g, zero, u64c(g, w ? 32 : 64), cast(g, builtin1(g, f, v), u64)));
        return 0;
    }
    case RV_OP_cpop: set(g, d->rd, cast(g, builtin1(g, "__builtin_popcountll", cast(g, a, g->ull)), u64)); return 0;
    case RV_OP_cpopw: set(g, d->rd, cast(g, builtin1(g, "__builtin_popcount", cast(g, a, g->u32)), u64)); return 0;
    case RV_OP_orc_b: {
        /* A byte's top bit after ((v & 7f..) + 7f..) | v: the byte is not 0 (no carry between bytes). */
        uint64_t low = 0x7f7f7f7f7f7f7f7full;
        gcc_jit_rvalue *t = B(BITWISE_OR, B(PLUS, B(BITWISE_AND, a, u64c(g, low)), u64c(g, low)), a);
        t = B(RSHIFT, B(BITWISE_AND, t, u64c(g, ~low)), u64c(g, 7));
        set(g, d->rd, B(MULT, t, u64c(g, 0xff)));
        return 0;
    }
    case RV_OP_rev8: set(g, d->rd, cast(g, builtin1(g, "__builtin_bswap64", cast(g, a, g->ull)), u64)); return 0;
    /* Zbs */
    case RV_OP_bclr: case RV_OP_bclri: case RV_OP_bext: case RV_OP_bexti:
    case RV_OP_binv: case RV_OP_binvi: case RV_OP_bset: case RV_OP_bseti: {
        bool imm_form = d->op == RV_OP_bclri || d->op == RV_OP_bexti || d->op == RV_OP_binvi || d->op == RV_OP_bseti;
        gcc_jit_rvalue *n = imm_form ? u64c(g, (uint64_t)d->imm & 63) : B(BITWISE_AND, b, u64c(g, 63));
        gcc_jit_rvalue *bit = B(LSHIFT, u64c(g, 1), n), *v;
        switch (d->op) {
        case RV_OP_bclr: case RV_OP_bclri:
            v = B(BITWISE_AND, a, gcc_jit_context_new_unary_op(g->c, NULL, GCC_JIT_UNARY_OP_BITWISE_NEGATE, u64, bit));
            break;
        case RV_OP_bext: case RV_OP_bexti: v = B(BITWISE_AND, B(RSHIFT, a, n), u64c(g, 1)); break;
        case RV_OP_binv: case RV_OP_binvi: v = B(BITWISE_XOR, a, bit); break;
        default: v = B(BITWISE_OR, a, bit); break;
        }
        set(g, d->rd, v);
        return 0;
    }
    /* Zicond */
    case RV_OP_czero_eqz: set(g, d->rd, choose(g, cmp(g, GCC_JIT_COMPARISON_EQ, b, u64c(g, 0)), u64c(g, 0), a)); return 0;
    case RV_OP_czero_nez: set(g, d->rd, choose(g, cmp(g, GCC_JIT_COMPARISON_NE, b, u64c(g, 0)), u64c(g, 0), a)); return 0;
    default:
        return -1;
    }
#undef B
#undef BOOL
}

/* Makes the types of a new context. */
static bool gen_init(gen *g, const rv_gccjit *api, bool to_file)
{
    g->J = api;
    g->c = gcc_jit_context_acquire();
    if (!g->c)
        return false;
    /* -O2 for the cache file: its code runs in every later process, which
     * pays nothing for it (sha256 warm 0.09 -> 0.05 s CPU, docs/jit.md). */
    int level = to_file ? 2 : 1;
    g->max_runs = to_file ? RV_JIT_MAX_RUNS : RV_JIT_RUNTIME_RUNS;
    g->max_insns = RV_JIT_MAX_REGION_INSNS;
    g->write_back = to_file;
#ifdef RVVM_JIT_TIMING
    if (getenv("RVVM_JIT_WB"))
        g->write_back = atoi(getenv("RVVM_JIT_WB"));
    if (getenv("RVVM_JIT_O"))
        level = atoi(getenv("RVVM_JIT_O"));
#endif
    gcc_jit_context_set_int_option(g->c, GCC_JIT_INT_OPTION_OPTIMIZATION_LEVEL, level);
    /* -Og after it: the registers still live in host registers, and it
     * compiles in about 2/3 of -O1's time (docs/jit.md). */
    if (level == 1)
        gcc_jit_context_add_command_line_option(g->c, "-Og");
    /* Guest memory is read and written through pointers of every width to
     * the same bytes (a halfword stored, then the word loaded over it), which
     * type-based alias analysis, on from -O2, takes as never overlapping and
     * reorders (tests/jit/same_run.sh --file caught it on stores.S). */
    gcc_jit_context_add_command_line_option(g->c, "-fno-strict-aliasing");
    /* Guest arithmetic wraps; some of it is on signed types (sgn()). */
    gcc_jit_context_add_command_line_option(g->c, "-fwrapv");
    /* The file's code: register pressure measured per loop, so values a hot
     * loop uses are kept in host registers over ones live across the whole
     * function (warm host instructions, bench/jit/warm_ir.sh: sha256 0.948x,
     * crc32 0.970x, five others measured within 0.5%). */
    if (to_file)
        gcc_jit_context_add_command_line_option(g->c, "-fira-loop-pressure");
    /* The link at run time takes only libgcc (builtins such as popcount may
     * call it): no C library, no start files. The driver's `ld` then took
     * about half its CPU time (13 -> 7.5 ms per compilation, measured with a
     * one-function program on this host), and every compilation pays it. */
    if (!to_file) {
        g->J->context_add_driver_option(g->c, "-nostdlib");
        g->J->context_add_driver_option(g->c, "-lgcc");
    }
#ifdef RVVM_JIT_TIMING
    if (getenv("RVVM_JIT_OPTS")) {
        char *opts = strdup(getenv("RVVM_JIT_OPTS")), *save = NULL;
        for (char *o = strtok_r(opts, " ", &save); o; o = strtok_r(NULL, " ", &save))
            g->J->context_add_command_line_option(g->c, o);
        free(opts);
    }
    if (getenv("RVVM_JIT_RUNS") && (size_t)atoi(getenv("RVVM_JIT_RUNS")) < RV_JIT_MAX_RUNS)
        g->max_runs = (size_t)atoi(getenv("RVVM_JIT_RUNS"));
    if (getenv("RVVM_JIT_INSNS"))
        g->max_insns = (size_t)atoi(getenv("RVVM_JIT_INSNS"));
    if (getenv("RVVM_JIT_DUMP"))
        g->J->context_set_bool_option(g->c, GCC_JIT_BOOL_OPTION_DUMP_GENERATED_CODE, 1);
#endif
    g->u8 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_UNSIGNED_CHAR);
    g->i8 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_SIGNED_CHAR);
    g->u16 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_UNSIGNED_SHORT);
    g->i16 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_SHORT);
    g->u32 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_UNSIGNED_INT);
    g->i32 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_INT);
    g->u64 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_UNSIGNED_LONG_LONG);
    g->i64 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_LONG_LONG);
    g->boolean = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_BOOL);
    g->ull = g->u64;
    g->i128 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_INT128_T);
    g->u128 = gcc_jit_context_get_type(g->c, GCC_JIT_TYPE_UINT128_T);
    return true;
}

/*
 * Decodes the instruction at pc from the entry's copy of the page, as the
 * decode cache would from guest memory. False past the page, and for an
 * instruction that straddles into the next page (its upper half is not part
 * of this entry's key: it is left to the interpreter).
 */
static bool decode_in(const rv_jit_entry *e, const rvvm_cost_model *unit, uint64_t pc, rv_insn *d)
{
    uint64_t off = pc - e->page_base;
    if (off + 2 > RV_PAGE_SIZE)
        return false;
    uint32_t raw = (uint32_t)rv_load_le(e->bytes + off, 2);
    if ((raw & 3) == 3) {
        if (off + 4 > RV_PAGE_SIZE)
            return false;
        raw |= (uint32_t)rv_load_le(e->bytes + off + 2, 2) << 16;
    }
    rv_decode(raw, e->isa, unit, d);
    rv_specialise(d, pc, e->isa);
    return true;
}

/* Ops emit() translates as a run's first instruction (anything else: not worth a function). */
static bool first_op_ok(unsigned op)
{
    switch (op) {
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
    case RV_OP_div: case RV_OP_divu: case RV_OP_rem: case RV_OP_remu: case RV_OP_divw: case RV_OP_divuw:
    case RV_OP_remw: case RV_OP_remuw: case RV_OP_mulh: case RV_OP_mulhu: case RV_OP_mulhsu:
    case RV_OP_min: case RV_OP_max: case RV_OP_minu: case RV_OP_maxu: case RV_OP_rol: case RV_OP_ror:
    case RV_OP_rori: case RV_OP_rolw: case RV_OP_rorw: case RV_OP_roriw: case RV_OP_clz: case RV_OP_ctz:
    case RV_OP_clzw: case RV_OP_ctzw: case RV_OP_cpop: case RV_OP_cpopw: case RV_OP_orc_b: case RV_OP_rev8:
    case RV_OP_bclr: case RV_OP_bclri: case RV_OP_bext: case RV_OP_bexti: case RV_OP_binv: case RV_OP_binvi:
    case RV_OP_bset: case RV_OP_bseti: case RV_OP_czero_eqz: case RV_OP_czero_nez:
        return true;
    default:
        return false;
    }
}

/*
 * A function is a region: the run from its slot (already paid when the
 * function is called) and the runs of the same page its branches and jumps
 * reach, up to these limits. Entering another run of the region charges it
 * exactly as the interpreter's run entry does: its cost and count are
 * constants here (the cache key holds the cost model), summed as the decode
 * cache sums them. Anything else is an exit back to the interpreter.
 */

typedef struct region_run {
    uint64_t pc;
    size_t n;            /* instructions */
    bool to_page_end;    /* no closing instruction: runs into the page end */
    uint64_t cost, count;
    gcc_jit_block *charge, *body;
    rv_insn d[RV_JIT_MAX_INSNS];
} region_run;

/*
 * Decodes the run at pc. False if it cannot be charged from here: an
 * instruction straddles the page end (its cost needs the next page) or the
 * run is longer than RV_JIT_MAX_INSNS.
 */
static bool decode_run(gen *g, uint64_t pc, region_run *r)
{
    uint64_t page_end = g->e->page_base + RV_PAGE_SIZE, p = pc;
    *r = (region_run){.pc = pc};
    while (p < page_end) {
        if (r->n == RV_JIT_MAX_INSNS || !decode_in(g->e, g->costs, p, &r->d[r->n]))
            return false;
        rv_insn *d = &r->d[r->n++];
        r->cost += d->cost;
        r->count += d->cost != 0; /* as rv_decode_run: an illegal instruction never retires */
        p += d->len;
        if (rv_op_ends_run(d->op))
            return true;
    }
    r->to_page_end = true;
    return true;
}

/* The region's run at t, added if there is room; NULL: t is an exit. */
static region_run *region_at(gen *g, uint64_t t)
{
    for (size_t k = 0; k < g->nruns; k++)
        if (g->runs[k].pc == t)
            return &g->runs[k];
    if ((t ^ g->e->page_base) >> RV_PAGE_SHIFT || g->nruns == g->max_runs)
        return NULL;
    region_run *r = &g->runs[g->nruns];
    if (!decode_run(g, t, r) || g->ninsns + r->n > g->max_insns)
        return NULL;
    g->ninsns += r->n;
    g->nruns++;
    r->body = new_block(g);
    return r;
}

/*
 * Ends block b going to pc t: into the region (charging t's run as the
 * interpreter's entry would: if cost <= budget, budget -= cost, and instret
 * += count by the exit (leave); otherwise return t, for the interpreter to
 * enter and stop inside), or back to the interpreter.
 */
static gcc_jit_block *charge_block(gen *g, region_run *r)
{
    uint64_t t = r->pc;
    if (!r->charge) {
        r->charge = new_block(g);
        gcc_jit_block *pay = new_block(g), *out = new_block(g);
        gcc_jit_rvalue *bud = gcc_jit_lvalue_as_rvalue(g->budget);
        gcc_jit_block_end_with_conditional(
            r->charge, NULL, likely(g, cmp(g, GCC_JIT_COMPARISON_LE, u64c(g, r->cost), bud)), pay, out);
        gcc_jit_block_add_assignment(pay, NULL, g->budget,
                                     bin(g, GCC_JIT_BINARY_OP_MINUS, g->u64, bud, u64c(g, r->cost)));
        if (r->count != r->cost) { /* the rest of instret's count comes at the exit (leave) */
            gcc_jit_lvalue *instret = xl(g, RV_REG_INSTRET);
            gcc_jit_block_add_assignment(pay, NULL, instret,
                                         bin(g, GCC_JIT_BINARY_OP_PLUS, g->u64, gcc_jit_lvalue_as_rvalue(instret),
                                             u64c(g, (uint64_t)r->count - (uint64_t)r->cost)));
            assigned(g, pay, RV_REG_INSTRET);
        }
        gcc_jit_block_end_with_jump(pay, NULL, r->body);
        ret(g, out, t);
    }
    return r->charge;
}
static void go(gen *g, gcc_jit_block *b, uint64_t t)
{
    region_run *r = region_at(g, t);
    if (!r)
        ret(g, b, t);
    else
        gcc_jit_block_end_with_jump(b, NULL, charge_block(g, r));
}

/*
 * A call (a jump that links) returns to `next`: that run joins the region if
 * there is room, and a jalr to it (a return) stays in the region.
 */
static void return_point(gen *g, unsigned rd, uint64_t next)
{
    if (rd == 0 || rd == RV_SINK_REG || g->nreturns == RV_JIT_MAX_RUNS)
        return;
    g->returns[g->nreturns++] = next; /* joins once the branches' runs have (add_returns) */
}
/* The pending return points join the region while there is room, if it has a
 * jalr (the only way into them: without one their blocks would be unreachable,
 * which libgccjit refuses). */
static void add_returns(gen *g)
{
    for (size_t k = 0; k < g->nreturns && g->jdispatch; k++)
        region_at(g, g->returns[k]);
    g->nreturns = 0;
}

/* The jalrs' target jt: any run of the region (charged as go() charges: a
 * return, or a switch's jump table into its cases), or out. */
static void finish_jalr(gen *g)
{
    if (!g->jdispatch)
        return;
    gcc_jit_block *out = new_block(g);
    ret_value(g, out, gcc_jit_lvalue_as_rvalue(g->jt));
    gcc_jit_case *cases[RV_JIT_MAX_RUNS];
    size_t n = g->nruns;
#ifdef RVVM_JIT_TIMING
    if (getenv("RVVM_JIT_NOJALR"))
        n = 0;
#endif
    int ncases = 0;
    for (size_t k = 0; k < n; k++) {
        gcc_jit_rvalue *v = u64c(g, g->runs[k].pc);
        cases[ncases++] = gcc_jit_context_new_case(g->c, v, v, charge_block(g, &g->runs[k]));
    }
    if (ncases)
        gcc_jit_block_end_with_switch(g->jdispatch, NULL, gcc_jit_lvalue_as_rvalue(g->jt), out, ncases, cases);
    else
        gcc_jit_block_end_with_jump(g->jdispatch, NULL, out);
}

/* Emits run k's body (its block made by region_at). */
static void emit_run(gen *g, size_t k)
{
    region_run *r = &g->runs[k];
    g->b = r->body;
    uint64_t p = r->pc;
    for (size_t i = 0; i < r->n; i++) {
        int res = emit(g, &r->d[i], p);
        if (res < 0) {
#ifdef RVVM_JIT_TIMING
            fprintf(stderr, "jit: not translated at %#llx: op %u\n", (unsigned long long)p, (unsigned)r->d[i].op);
#endif
            /* Left to the interpreter, unpaid: this run is paid to its end. */
            ret(g, g->b, p | 1);
            return;
        }
        if (res > 0)
            return; /* closed by a jump or branch */
        p += r->d[i].len;
    }
    /* Into the page end: the interpreter's page-end slot, a new run on the next page. */
    ret(g, g->b, p);
}

/*
 * Adds one function `name` for the jobs jobs[0..k) (all of the entry's page)
 * to the context: the union of the regions from their slots, entered at the
 * one its pc argument names. Sets each job's `made` (false: its first
 * instruction is not one emit() translates, or its run cannot be decoded
 * here). False if no job made it (nothing added).
 */
static bool translate_region(const rv_jit_entry *e, gen *g, job *jobs, size_t k, const char *name,
                             region_run *runs)
{
    g->e = e;
    g->costs = &e->costs;
    g->runs = runs;
    g->nruns = g->ninsns = 0;
    size_t made = 0;
    for (size_t t = 0; t < k; t++) {
        rv_insn first;
        uint64_t pc = e->page_base + 2 * jobs[t].slot;
        jobs[t].no_room = false;
        jobs[t].made = decode_in(e, &e->costs, pc, &first) && first_op_ok(first.op);
        made += jobs[t].made;
    }
    if (!made)
        return false;
    gcc_jit_param *params[4] = {
        gcc_jit_context_new_param(g->c, NULL, gcc_jit_type_get_pointer(g->u64), "x"),
        gcc_jit_context_new_param(g->c, NULL, gcc_jit_type_get_pointer(g->u8), "mem"),
        gcc_jit_context_new_param(g->c, NULL, gcc_jit_type_get_pointer(g->u64), "budget"),
        gcc_jit_context_new_param(g->c, NULL, g->u64, "pc"),
    };
    g->fn = gcc_jit_context_new_function(g->c, NULL, GCC_JIT_FUNCTION_EXPORTED, g->u64, name, 4,
                                         params, 0);
    g->x = gcc_jit_param_as_rvalue(params[0]);
    g->mem = gcc_jit_param_as_rvalue(params[1]);
    g->budget_p = gcc_jit_param_as_rvalue(params[2]);
    gcc_jit_rvalue *pc_arg = gcc_jit_param_as_rvalue(params[3]);
    g->addr = gcc_jit_function_new_local(g->fn, NULL, g->u64, "a");
    g->pg = gcc_jit_function_new_local(g->fn, NULL, g->u64, "p");
    g->budget = gcc_jit_function_new_local(g->fn, NULL, g->u64, "bud");
    g->budget_in = gcc_jit_function_new_local(g->fn, NULL, g->u64, "bud_in");
    memset(g->reg, 0, sizeof g->reg);
    memset(g->assigned, 0, sizeof g->assigned);
    g->exit = NULL;
    gcc_jit_block *init = new_block(g), *b = new_block(g), *dispatch = b;
    g->jdispatch = NULL;
    gcc_jit_block_add_assignment(init, NULL, g->budget_in,
                                 gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference(g->budget_p, NULL)));
    gcc_jit_block_add_assignment(init, NULL, g->budget, gcc_jit_lvalue_as_rvalue(g->budget_in));
    /*
     * Each entry's region is laid out whole (the runs its branches reach,
     * then the return points of calls) before the next entry's: the entry
     * whose count queued the page first, so its loop keeps its runs when the
     * region fills up beside colder code; the other entries get what is left.
     */
    size_t emitted = 0;
    g->nreturns = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t t = 0; t < k; t++) {
            if (!jobs[t].made || jobs[t].hot != (pass == 0))
                continue;
            if (!region_at(g, e->page_base + 2 * jobs[t].slot)) {
                /* With runs laid out, perhaps only for want of room. */
                jobs[t].no_room = g->nruns > 0;
                jobs[t].made = false;
                continue;
            }
            while (emitted < g->nruns || g->nreturns) {
                if (emitted == g->nruns)
                    add_returns(g);
                else
                    emit_run(g, emitted++); /* may add runs */
            }
        }
    }
    /* Entered at one of the jobs' slots, whose run the interpreter has paid. */
    for (size_t t = 0; t < k; t++) {
        if (!jobs[t].made)
            continue;
        uint64_t pc = e->page_base + 2 * jobs[t].slot;
        region_run *r = region_at(g, pc); /* laid out above: found, never added */
        gcc_jit_block *next = new_block(g);
        gcc_jit_block_end_with_conditional(b, NULL, cmp(g, GCC_JIT_COMPARISON_EQ, pc_arg, u64c(g, pc)),
                                           r->body, next);
        b = next;
    }
    /* Not one of them (cannot happen): the interpreter runs that slot itself. */
    ret_value(g, b, bin(g, GCC_JIT_BINARY_OP_BITWISE_OR, g->u64, pc_arg, u64c(g, 1)));
#ifdef RVVM_JIT_TIMING
    fprintf(stderr, "jit: %s: %zu runs, %zu insns\n", name, g->nruns, g->ninsns);
    for (size_t r = 0; r < g->nruns; r++)
        fprintf(stderr, "  run %#llx n=%zu%s\n", (unsigned long long)g->runs[r].pc, g->runs[r].n, g->runs[r].to_page_end ? " (page end)" : "");
    for (size_t t = 0; t < k; t++)
        fprintf(stderr, "  job slot %#llx made=%d\n", (unsigned long long)(e->page_base + 2 * jobs[t].slot), jobs[t].made);
#endif
    finish_jalr(g);
    if (g->exit) {
        for (unsigned r = 1; r < RV_JIT_NREGS; r++)
            if (g->assigned[r])
                gcc_jit_block_add_assignment(g->exit, NULL, xmem(g, r), gcc_jit_lvalue_as_rvalue(g->reg[r]));
        leave(g, g->exit, gcc_jit_lvalue_as_rvalue(g->exit_value));
    }
    /* Every register the code touches is loaded at entry (an exit may come
     * before an assignment: it writes back the value loaded). */
    for (unsigned r = 1; r < RV_JIT_NREGS; r++)
        if (g->reg[r])
            gcc_jit_block_add_assignment(init, NULL, g->reg[r], gcc_jit_lvalue_as_rvalue(xmem(g, r)));
    gcc_jit_block_end_with_jump(init, NULL, dispatch);
    return true;
}


/*
 * Adds the batch's functions (one per page: jobs come grouped by entry) to a
 * new context, which the caller compiles and releases. NULL if no job was made.
 */
static gcc_jit_context *build_batch(const rv_gccjit *api, job *jobs, size_t k, size_t *made, bool to_file)
{
    *made = 0;
    region_run *runs = malloc(RV_JIT_MAX_RUNS * sizeof *runs);
    gen g0 = {0}, *g = &g0;
    if (!runs || !gen_init(g, api, to_file)) {
        free(runs);
        return NULL;
    }
    for (size_t t = 0, u; t < k; t = u) {
        for (u = t + 1; u < k && jobs[u].e == jobs[t].e; u++)
            ;
        /* For the cache file, the page's jobs whose runs a function's
         * region had no room for go to the end of its range and get a
         * function of their own (a page of short runs has more than one
         * region holds); at run time they stay interpreted, as compiling
         * them costs more than it gains in one run. Each round makes or
         * drops its first job, so the rounds end. */
        for (size_t f = t; f < u;) {
            char name[24];
            rv_jit_fn_name(name, sizeof name, (uint32_t)f);
            for (size_t v = f; v < u; v++)
                jobs[v].group = (uint32_t)f;
            if (!translate_region(jobs[f].e, g, jobs + f, u - f, name, runs))
                break;
            size_t next = u;
            for (size_t v = u; to_file && v-- > f;)
                if (jobs[v].no_room) {
                    job spilled = jobs[v];
                    memmove(&jobs[v], &jobs[v + 1], (--next - v) * sizeof *jobs);
                    jobs[next] = spilled;
                }
            for (size_t v = f; v < next; v++)
                *made += jobs[v].made;
            f = next;
        }
    }
    free(runs);
    if (!*made) {
        api->context_release(g->c);
        return NULL;
    }
    return g->c;
}

/*
 * GCC's driver, which libgccjit runs inside the process at every compilation,
 * installs its own SIGINT, SIGHUP and SIGTERM handlers and sets SIGCHLD to
 * SIG_DFL, process-wide, and never puts the old ones back (docs/jit.md,
 * "Signals"). Each compilation puts back what the process had before it.
 */
static const int driver_signals[] = {SIGINT, SIGHUP, SIGTERM, SIGCHLD};
#define RV_DRIVER_SIGNALS (sizeof driver_signals / sizeof driver_signals[0])

static void signals_save(struct sigaction saved[RV_DRIVER_SIGNALS])
{
    for (size_t i = 0; i < RV_DRIVER_SIGNALS; i++)
        sigaction(driver_signals[i], NULL, &saved[i]);
}

static void signals_restore(const struct sigaction saved[RV_DRIVER_SIGNALS])
{
    for (size_t i = 0; i < RV_DRIVER_SIGNALS; i++)
        sigaction(driver_signals[i], &saved[i], NULL);
}

void rv_jit_fn_name(char *name, size_t size, uint32_t group) { snprintf(name, size, "f%u", group); }

gcc_jit_result *rv_jit_compile(const rv_gccjit *api, job *jobs, size_t k, size_t *made)
{
    gcc_jit_context *ctx = build_batch(api, jobs, k, made, false);
    if (!ctx)
        return NULL;
#ifdef RVVM_JIT_TIMING
    struct timespec t0, t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
#endif
    struct sigaction saved[RV_DRIVER_SIGNALS];
    signals_save(saved);
    gcc_jit_result *res = api->context_compile(ctx);
    signals_restore(saved);
#ifdef RVVM_JIT_TIMING
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    fprintf(stderr, "jit: %zu jobs, %.1f ms\n", k, (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
#endif
#ifdef RVVM_JIT_DEBUG
    if (!res)
        fprintf(stderr, "jit: %s\n", api->context_get_first_error(ctx));
#endif
    api->context_release(ctx);
    if (!res)
        return NULL;
    for (size_t t = 0; t < k; t++) {
        char name[24];
        rv_jit_fn_name(name, sizeof name, jobs[t].group);
        *(void **)&jobs[t].fn = jobs[t].made ? api->result_get_code(res, name) : NULL;
    }
    return res;
}

bool rv_jit_compile_to_file(const rv_gccjit *api, job *jobs, size_t k, size_t *made, const char *path)
{
    gcc_jit_context *ctx = build_batch(api, jobs, k, made, true);
    if (!ctx)
        return false;
    struct sigaction saved[RV_DRIVER_SIGNALS];
    signals_save(saved);
    api->context_compile_to_file(ctx, GCC_JIT_OUTPUT_KIND_DYNAMIC_LIBRARY, path);
    signals_restore(saved);
    bool ok = api->context_get_first_error(ctx) == NULL;
    api->context_release(ctx);
    return ok;
}
#endif
