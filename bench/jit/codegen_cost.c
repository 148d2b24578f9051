/*
 * Measures the two in-process code generators rvvm could use for its
 * translation tier (docs/jit.md): libtcc and libgccjit. Both translate the
 * same synthetic straight-line run, shaped like sha256's round (rotates,
 * xors, ands, adds on 64-bit registers kept in memory, as x[] is), and the
 * program reports compile time per run and the time per execution of the
 * generated code. Build: see bench/jit/README in docs/jit.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <libgccjit.h>
#include <libtcc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*run_fn)(uint64_t *x);

enum { OP_ADD, OP_XOR, OP_AND, OP_SRLIW, OP_SLLIW, OP_OR, OP_ADDW, OP_ADDI };
typedef struct { int op, rd, rs1, rs2; int imm; } insn;

static insn prog[64];
static int nprog;

/* A sha256-like round: S1 = rotr(e,6)^rotr(e,11)^rotr(e,25) on 32-bit words, etc. */
static void make_prog(void)
{
    static const insn r[] = {
        {OP_SRLIW, 5, 14, 0, 6},  {OP_SLLIW, 6, 14, 0, 26}, {OP_OR, 5, 5, 6, 0},
        {OP_SRLIW, 7, 14, 0, 11}, {OP_SLLIW, 6, 14, 0, 21}, {OP_OR, 7, 7, 6, 0},
        {OP_XOR, 5, 5, 7, 0},     {OP_SRLIW, 7, 14, 0, 25}, {OP_SLLIW, 6, 14, 0, 7},
        {OP_OR, 7, 7, 6, 0},      {OP_XOR, 5, 5, 7, 0},     {OP_AND, 6, 14, 15, 0},
        {OP_XOR, 7, 14, 16, 0},   {OP_AND, 7, 7, 17, 0},    {OP_XOR, 6, 6, 7, 0},
        {OP_ADDW, 5, 5, 6, 0},    {OP_ADDW, 5, 5, 18, 0},   {OP_ADDW, 5, 5, 19, 0},
        {OP_ADDW, 20, 20, 5, 0},  {OP_ADDI, 10, 10, 0, 4},  {OP_ADDW, 21, 5, 20, 0},
        {OP_XOR, 22, 21, 20, 0},  {OP_ADD, 23, 22, 5, 0},   {OP_ADDI, 11, 11, 0, 1},
    };
    nprog = (int)(sizeof r / sizeof r[0]);
    memcpy(prog, r, sizeof r);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void emit_c(char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size,
                                "typedef unsigned long long u64; typedef int i32; typedef unsigned u32;\n"
                                "void run(u64 *x) {\n");
    for (int i = 0; i < nprog; i++) {
        const insn *p = &prog[i];
        const char *f;
        switch (p->op) {
        case OP_ADD: f = "x[%d] = x[%d] + x[%d];\n"; break;
        case OP_XOR: f = "x[%d] = x[%d] ^ x[%d];\n"; break;
        case OP_AND: f = "x[%d] = x[%d] & x[%d];\n"; break;
        case OP_OR: f = "x[%d] = x[%d] | x[%d];\n"; break;
        case OP_ADDW: f = "x[%d] = (u64)(long long)(i32)(u32)(x[%d] + x[%d]);\n"; break;
        case OP_SRLIW: f = "x[%d] = (u64)(long long)(i32)((u32)x[%d] >> %d);\n"; break;
        case OP_SLLIW: f = "x[%d] = (u64)(long long)(i32)((u32)x[%d] << %d);\n"; break;
        default: f = "x[%d] = x[%d] + %d;\n"; break;
        }
        int third = p->op == OP_SRLIW || p->op == OP_SLLIW || p->op == OP_ADDI ? p->imm : p->rs2;
        n += (size_t)snprintf(buf + n, size - n, f, p->rd, p->rs1, third);
    }
    snprintf(buf + n, size - n, "}\n");
}

static run_fn tcc_build(const char *src, TCCState **out)
{
    TCCState *s = tcc_new();
    tcc_set_options(s, "-nostdlib");
    tcc_set_output_type(s, TCC_OUTPUT_MEMORY);
    if (tcc_compile_string(s, src) < 0 || tcc_relocate(s, TCC_RELOCATE_AUTO) < 0) {
        fprintf(stderr, "tcc failed\n");
        exit(1);
    }
    *out = s;
    return (run_fn)tcc_get_symbol(s, "run");
}

static run_fn gccjit_build(int level, gcc_jit_result **out)
{
    gcc_jit_context *c = gcc_jit_context_acquire();
    gcc_jit_context_set_int_option(c, GCC_JIT_INT_OPTION_OPTIMIZATION_LEVEL, level);
    gcc_jit_type *u64 = gcc_jit_context_get_type(c, GCC_JIT_TYPE_UNSIGNED_LONG_LONG);
    gcc_jit_type *u32 = gcc_jit_context_get_type(c, GCC_JIT_TYPE_UNSIGNED_INT);
    gcc_jit_type *i32 = gcc_jit_context_get_type(c, GCC_JIT_TYPE_INT);
    gcc_jit_type *i64 = gcc_jit_context_get_type(c, GCC_JIT_TYPE_LONG_LONG);
    gcc_jit_type *pu64 = gcc_jit_type_get_pointer(u64);
    gcc_jit_param *px = gcc_jit_context_new_param(c, NULL, pu64, "x");
    gcc_jit_function *f = gcc_jit_context_new_function(
        c, NULL, GCC_JIT_FUNCTION_EXPORTED, gcc_jit_context_get_type(c, GCC_JIT_TYPE_VOID), "run",
        1, &px, 0);
    gcc_jit_block *b = gcc_jit_function_new_block(f, NULL);
    gcc_jit_rvalue *xv = gcc_jit_param_as_rvalue(px);
#define REG(i) gcc_jit_lvalue_as_rvalue(gcc_jit_context_new_array_access( \
        c, NULL, xv, gcc_jit_context_new_rvalue_from_int(c, i32, (i))))
    for (int i = 0; i < nprog; i++) {
        const insn *p = &prog[i];
        gcc_jit_rvalue *a = REG(p->rs1), *v;
        gcc_jit_rvalue *bv = p->op == OP_SRLIW || p->op == OP_SLLIW || p->op == OP_ADDI
                                 ? gcc_jit_context_new_rvalue_from_int(c, u64, p->imm)
                                 : REG(p->rs2);
        enum gcc_jit_binary_op bop = GCC_JIT_BINARY_OP_PLUS;
        bool word = false, shift = false;
        switch (p->op) {
        case OP_XOR: bop = GCC_JIT_BINARY_OP_BITWISE_XOR; break;
        case OP_AND: bop = GCC_JIT_BINARY_OP_BITWISE_AND; break;
        case OP_OR: bop = GCC_JIT_BINARY_OP_BITWISE_OR; break;
        case OP_ADDW: word = true; break;
        case OP_SRLIW: bop = GCC_JIT_BINARY_OP_RSHIFT; shift = true; break;
        case OP_SLLIW: bop = GCC_JIT_BINARY_OP_LSHIFT; shift = true; break;
        default: break;
        }
        if (shift) {
            v = gcc_jit_context_new_binary_op(c, NULL, bop, u32,
                                              gcc_jit_context_new_cast(c, NULL, a, u32),
                                              gcc_jit_context_new_rvalue_from_int(c, u32, p->imm));
            word = true;
        } else {
            v = gcc_jit_context_new_binary_op(c, NULL, bop, u64, a, bv);
        }
        if (word) {
            v = gcc_jit_context_new_cast(c, NULL, v, u32);
            v = gcc_jit_context_new_cast(c, NULL, v, i32);
            v = gcc_jit_context_new_cast(c, NULL, v, i64);
            v = gcc_jit_context_new_cast(c, NULL, v, u64);
        }
        gcc_jit_block_add_assignment(
            b, NULL, gcc_jit_context_new_array_access(
                         c, NULL, xv, gcc_jit_context_new_rvalue_from_int(c, i32, p->rd)), v);
    }
    gcc_jit_block_end_with_void_return(b, NULL);
    gcc_jit_result *r = gcc_jit_context_compile(c);
    gcc_jit_context_release(c);
    if (!r) {
        fprintf(stderr, "gccjit failed\n");
        exit(1);
    }
    *out = r;
    return (run_fn)gcc_jit_result_get_code(r, "run");
}

/* The interpreter-shaped reference: the same run through a switch per instruction. */
static void interp(uint64_t *x)
{
    for (int i = 0; i < nprog; i++) {
        const insn *p = &prog[i];
        uint64_t a = x[p->rs1], b = x[p->rs2], v;
        switch (p->op) {
        case OP_ADD: v = a + b; break;
        case OP_XOR: v = a ^ b; break;
        case OP_AND: v = a & b; break;
        case OP_OR: v = a | b; break;
        case OP_ADDW: v = (uint64_t)(int64_t)(int32_t)(uint32_t)(a + b); break;
        case OP_SRLIW: v = (uint64_t)(int64_t)(int32_t)((uint32_t)a >> p->imm); break;
        case OP_SLLIW: v = (uint64_t)(int64_t)(int32_t)((uint32_t)a << p->imm); break;
        default: v = a + (uint64_t)(int64_t)p->imm; break;
        }
        x[p->rd] = v;
    }
}

static double per_call_ns(run_fn f, uint64_t *check)
{
    uint64_t x[33] = {0};
    for (int i = 0; i < 33; i++)
        x[i] = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1);
    long n = 2000000;
    double t0 = now();
    for (long i = 0; i < n; i++)
        f(x);
    double t = now() - t0;
    uint64_t h = 0;
    for (int i = 0; i < 33; i++)
        h = h * 31 + x[i];
    *check = h;
    return t / (double)n * 1e9;
}

int main(void)
{
    make_prog();
    static char src[8192];
    emit_c(src, sizeof src);
    int reps = 200;
    uint64_t h0, h1, h2, h3;
    printf("run of %d instructions\n", nprog);
    printf("switch interpreter: %.1f ns per run\n", per_call_ns(interp, &h0));

    double t0 = now();
    TCCState *s = NULL;
    run_fn f = NULL;
    for (int i = 0; i < reps; i++) {
        if (s) tcc_delete(s);
        f = tcc_build(src, &s);
    }
    double tc = (now() - t0) / reps;
    printf("libtcc: compile %.1f us per run, code %.1f ns per run\n", tc * 1e6, per_call_ns(f, &h1));
    tcc_delete(s);

    for (int level = 0; level <= 2; level += 2) {
        int greps = 20;
        gcc_jit_result *r = NULL;
        t0 = now();
        for (int i = 0; i < greps; i++) {
            if (r) gcc_jit_result_release(r);
            f = gccjit_build(level, &r);
        }
        tc = (now() - t0) / greps;
        printf("libgccjit -O%d: compile %.1f us per run, code %.1f ns per run\n", level, tc * 1e6,
               per_call_ns(f, level ? &h3 : &h2));
        gcc_jit_result_release(r);
    }
    printf("results agree: %s\n", h0 == h1 && h1 == h2 && h2 == h3 ? "yes" : "NO");
    return h0 == h1 && h1 == h2 && h2 == h3 ? 0 : 1;
}
