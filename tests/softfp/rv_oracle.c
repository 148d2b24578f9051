/*
 * RISC-V oracle for the softfp tests: runs F/D instructions on operands read
 * from stdin and writes the results and fflags to stdout. Built with a
 * riscv64 Linux cross compiler (-march=rv64gc, static) and run under
 * qemu-riscv64 (or on RISC-V hardware).
 *
 * Input records (little-endian, 32 bytes):   uint32 op, uint32 is64, uint64 a, b, c
 * Output per record, for rm = RNE, RTZ, RDN, RUP, RMM (5 x 16 bytes):
 *                                             uint64 result, uint64 fflags
 * The rounding mode is static (encoded in the instruction), not frm.
 * Float results are the raw register bits as moved by FMV.X.W / FMV.X.D
 * (binary32 results are therefore sign-extended from bit 31); integer
 * results are the full rd value. Operations without a rounding mode are
 * simply executed five times.
 */
#include "ops.h"

#include <stdint.h>
#include <stdio.h>

#if !defined(__riscv) || __riscv_xlen != 64 || !defined(__riscv_d)
#error "rv_oracle.c must be built for rv64 with the D extension"
#endif

#define CLR "fsflags zero\n\t"
#define GETF "frflags %1\n\t"

/* f,f -> f */
#define BIN(RM, INSN, MVI, MVO)                                                         \
    __asm__ volatile(MVI " ft0, %2\n\t" MVI " ft1, %3\n\t" CLR INSN " ft2, ft0, ft1" RM \
                     "\n\t" GETF MVO " %0, ft2"                                         \
                     : "=&r"(res), "=&r"(fl)                                            \
                     : "r"(a), "r"(b)                                                   \
                     : "ft0", "ft1", "ft2")
/* f -> f */
#define UN(RM, INSN, MVI, MVO)                                                         \
    __asm__ volatile(MVI " ft0, %2\n\t" CLR INSN " ft2, ft0" RM "\n\t" GETF MVO " %0, ft2" \
                     : "=&r"(res), "=&r"(fl)                                           \
                     : "r"(a)                                                          \
                     : "ft0", "ft2")
/* f,f,f -> f */
#define TER(RM, INSN, MVI, MVO)                                                             \
    __asm__ volatile(MVI " ft0, %2\n\t" MVI " ft1, %3\n\t" MVI " ft2, %4\n\t" CLR INSN     \
                     " ft3, ft0, ft1, ft2" RM "\n\t" GETF MVO " %0, ft3"                   \
                     : "=&r"(res), "=&r"(fl)                                                \
                     : "r"(a), "r"(b), "r"(c)                                               \
                     : "ft0", "ft1", "ft2", "ft3")
/* f,f -> x */
#define CMP(RM, INSN, MVI, MVO)                                                        \
    __asm__ volatile(MVI " ft0, %2\n\t" MVI " ft1, %3\n\t" CLR INSN " %0, ft0, ft1" RM \
                     "\n\t" GETF                                                       \
                     : "=&r"(res), "=&r"(fl)                                           \
                     : "r"(a), "r"(b)                                                  \
                     : "ft0", "ft1")
/* f -> x */
#define F2X(RM, INSN, MVI, MVO)                                                       \
    __asm__ volatile(MVI " ft0, %2\n\t" CLR INSN " %0, ft0" RM "\n\t" GETF           \
                     : "=&r"(res), "=&r"(fl)                                          \
                     : "r"(a)                                                         \
                     : "ft0")
/* x -> f */
#define X2F(RM, INSN, MVI, MVO)                                                       \
    __asm__ volatile(CLR INSN " ft0, %2" RM "\n\t" GETF MVO " %0, ft0"                \
                     : "=&r"(res), "=&r"(fl)                                          \
                     : "r"(a)                                                         \
                     : "ft0")

/* Expand M once per static rounding mode. */
#define RMS(M, ...)                                   \
    switch (rm) {                                     \
    case 0: M(", rne", __VA_ARGS__); break;           \
    case 1: M(", rtz", __VA_ARGS__); break;           \
    case 2: M(", rdn", __VA_ARGS__); break;           \
    case 3: M(", rup", __VA_ARGS__); break;           \
    default: M(", rmm", __VA_ARGS__); break;          \
    }
#define NORM(M, ...) M("", __VA_ARGS__)

#define SI "fmv.w.x"
#define SO "fmv.x.w"
#define DI "fmv.d.x"
#define DO "fmv.x.d"

static void run(uint32_t op, uint32_t is64, uint64_t a, uint64_t b, uint64_t c, int rm,
                uint64_t *pres, uint64_t *pfl)
{
    uint64_t res = 0, fl = 0;
    if (!is64) {
        switch (op) {
        case OP_ADD: RMS(BIN, "fadd.s", SI, SO); break;
        case OP_SUB: RMS(BIN, "fsub.s", SI, SO); break;
        case OP_MUL: RMS(BIN, "fmul.s", SI, SO); break;
        case OP_DIV: RMS(BIN, "fdiv.s", SI, SO); break;
        case OP_SQRT: RMS(UN, "fsqrt.s", SI, SO); break;
        case OP_FMADD: RMS(TER, "fmadd.s", SI, SO); break;
        case OP_FMSUB: RMS(TER, "fmsub.s", SI, SO); break;
        case OP_FNMSUB: RMS(TER, "fnmsub.s", SI, SO); break;
        case OP_FNMADD: RMS(TER, "fnmadd.s", SI, SO); break;
        case OP_MIN: NORM(BIN, "fmin.s", SI, SO); break;
        case OP_MAX: NORM(BIN, "fmax.s", SI, SO); break;
        case OP_EQ: NORM(CMP, "feq.s", SI, SO); break;
        case OP_LT: NORM(CMP, "flt.s", SI, SO); break;
        case OP_LE: NORM(CMP, "fle.s", SI, SO); break;
        case OP_CLASS: NORM(F2X, "fclass.s", SI, SO); break;
        case OP_TO_I32: RMS(F2X, "fcvt.w.s", SI, SO); break;
        case OP_TO_U32: RMS(F2X, "fcvt.wu.s", SI, SO); break;
        case OP_TO_I64: RMS(F2X, "fcvt.l.s", SI, SO); break;
        case OP_TO_U64: RMS(F2X, "fcvt.lu.s", SI, SO); break;
        case OP_FROM_I32: RMS(X2F, "fcvt.s.w", SI, SO); break;
        case OP_FROM_U32: RMS(X2F, "fcvt.s.wu", SI, SO); break;
        case OP_FROM_I64: RMS(X2F, "fcvt.s.l", SI, SO); break;
        case OP_FROM_U64: RMS(X2F, "fcvt.s.lu", SI, SO); break;
        case OP_CVT: NORM(UN, "fcvt.d.s", SI, DO); break;
        default: fl = ~UINT64_C(0); break;
        }
    } else {
        switch (op) {
        case OP_ADD: RMS(BIN, "fadd.d", DI, DO); break;
        case OP_SUB: RMS(BIN, "fsub.d", DI, DO); break;
        case OP_MUL: RMS(BIN, "fmul.d", DI, DO); break;
        case OP_DIV: RMS(BIN, "fdiv.d", DI, DO); break;
        case OP_SQRT: RMS(UN, "fsqrt.d", DI, DO); break;
        case OP_FMADD: RMS(TER, "fmadd.d", DI, DO); break;
        case OP_FMSUB: RMS(TER, "fmsub.d", DI, DO); break;
        case OP_FNMSUB: RMS(TER, "fnmsub.d", DI, DO); break;
        case OP_FNMADD: RMS(TER, "fnmadd.d", DI, DO); break;
        case OP_MIN: NORM(BIN, "fmin.d", DI, DO); break;
        case OP_MAX: NORM(BIN, "fmax.d", DI, DO); break;
        case OP_EQ: NORM(CMP, "feq.d", DI, DO); break;
        case OP_LT: NORM(CMP, "flt.d", DI, DO); break;
        case OP_LE: NORM(CMP, "fle.d", DI, DO); break;
        case OP_CLASS: NORM(F2X, "fclass.d", DI, DO); break;
        case OP_TO_I32: RMS(F2X, "fcvt.w.d", DI, DO); break;
        case OP_TO_U32: RMS(F2X, "fcvt.wu.d", DI, DO); break;
        case OP_TO_I64: RMS(F2X, "fcvt.l.d", DI, DO); break;
        case OP_TO_U64: RMS(F2X, "fcvt.lu.d", DI, DO); break;
        case OP_FROM_I32: NORM(X2F, "fcvt.d.w", DI, DO); break; /* exact: no rm operand */
        case OP_FROM_U32: NORM(X2F, "fcvt.d.wu", DI, DO); break;
        case OP_FROM_I64: RMS(X2F, "fcvt.d.l", DI, DO); break;
        case OP_FROM_U64: RMS(X2F, "fcvt.d.lu", DI, DO); break;
        case OP_CVT: RMS(UN, "fcvt.s.d", DI, SO); break;
        default: fl = ~UINT64_C(0); break;
        }
    }
    *pres = res;
    *pfl = fl;
}

struct rec { uint32_t op, is64; uint64_t a, b, c; };

int main(void)
{
    static struct rec in[4096];
    static uint64_t out[4096 * 10];
    size_t n;
    while ((n = fread(in, sizeof in[0], sizeof in / sizeof in[0], stdin)) > 0) {
        for (size_t i = 0; i < n; i++)
            for (int rm = 0; rm < 5; rm++)
                run(in[i].op, in[i].is64, in[i].a, in[i].b, in[i].c, rm, &out[i * 10 + rm * 2],
                    &out[i * 10 + rm * 2 + 1]);
        if (fwrite(out, sizeof out[0] * 10, n, stdout) != n)
            return 1;
    }
    return fflush(stdout) != 0;
}
