/*
 * Instruction semantics through tiny hand-assembled guests: the corner cases
 * the ISA manual spells out (division by zero and overflow, *W sign
 * extension, shift-amount masking, LR/SC, AMOs, counters, x0, jumps,
 * breakpoints, illegal instructions, self-modifying code, system calls).
 * Expected values are worked out from the manual.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "elfbuild.h"
#include "rvasm.h"

#define DATA EB_DATA

static rvvm_machine *make(const char *cost, uint32_t isa, bool strict)
{
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = 1ull << 20;
    c.isa = isa;
    c.strict_syscalls = strict;
    assert_int_equal(rvvm_cost_model_builtin(cost, &c.cost_model), RVVM_OK);
    rvvm_machine *m = NULL;
    assert_int_equal(rvvm_create(&c, &m), RVVM_OK);
    return m;
}

static void load(rvvm_machine *m, const rva_buf *b)
{
    eb_program p = {.code = b->bytes, .code_len = b->len, .data_memsz = 0x2000};
    assert_int_equal(eb_load(m, &p), RVVM_OK);
}

static void emit_exit(rva_buf *b)
{
    emit32(b, ADDI(A0, ZERO, 0));
    emit32(b, ADDI(A7, ZERO, 93));
    emit32(b, ECALL());
}

/* Runs b (with an exit appended) to completion; the caller inspects and destroys. */
static rvvm_machine *run_ok(rva_buf *b)
{
    emit_exit(b);
    rvvm_machine *m = make("unit", RVVM_ISA_DEFAULT, false);
    load(m, b);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    if (r.reason != RVVM_STOP_EXITED)
        print_error("stopped: reason %d, fault %s at 0x%llx\n", (int)r.reason,
                    rvvm_fault_kind_string(r.fault.kind), (unsigned long long)r.fault.pc);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    return m;
}

#define REG(m, r) rvvm_reg(m, r)

/* Computes op(a, b) into A0 in a fresh guest and returns it. */
static uint64_t binop(uint32_t (*op)(uint32_t, uint32_t, uint32_t), int64_t a, int64_t b)
{
    rva_buf buf;
    rva_init(&buf);
    emit_li(&buf, T0, a);
    emit_li(&buf, T1, b);
    emit32(&buf, op(A1, T0, T1));
    emit32(&buf, ADDI(S1, A1, 0));
    rvvm_machine *m = run_ok(&buf);
    uint64_t v = REG(m, S1);
    assert_int_equal(REG(m, T0), (uint64_t)a); /* emit_li itself works */
    assert_int_equal(REG(m, T1), (uint64_t)b);
    rvvm_destroy(m);
    return v;
}

#define OPFN(name, MAC) \
    static uint32_t name(uint32_t rd, uint32_t rs1, uint32_t rs2) { return MAC(rd, rs1, rs2); }
OPFN(f_div, DIV)
OPFN(f_divu, DIVU)
OPFN(f_rem, REM)
OPFN(f_remu, REMU)
OPFN(f_divw, DIVW)
OPFN(f_divuw, DIVUW)
OPFN(f_remw, REMW)
OPFN(f_remuw, REMUW)
OPFN(f_mul, MUL)
OPFN(f_mulh, MULH)
OPFN(f_mulhu, MULHU)
OPFN(f_mulhsu, MULHSU)
OPFN(f_mulw, MULW)
OPFN(f_addw, ADDW)
OPFN(f_subw, SUBW)
OPFN(f_sllw, SLLW)
OPFN(f_srlw, SRLW)
OPFN(f_sraw, SRAW)
OPFN(f_sll, SLL)
OPFN(f_srl, SRL)
OPFN(f_sra, SRA)
OPFN(f_slt, SLT)
OPFN(f_sltu, SLTU)

#define U(x) ((uint64_t)(x))

static void test_division(void **state)
{
    (void)state;
    /* Table 7.1 of the manual: division by zero and overflow. */
    assert_int_equal(binop(f_div, 7, 0), UINT64_MAX);
    assert_int_equal(binop(f_divu, 7, 0), UINT64_MAX);
    assert_int_equal(binop(f_rem, 7, 0), 7);
    assert_int_equal(binop(f_remu, 7, 0), 7);
    assert_int_equal(binop(f_rem, -7, 0), U(-7));
    assert_int_equal(binop(f_div, INT64_MIN, -1), U(INT64_MIN));
    assert_int_equal(binop(f_rem, INT64_MIN, -1), 0);
    /* Rounding towards zero; the remainder has the dividend's sign. */
    assert_int_equal(binop(f_div, -7, 2), U(-3));
    assert_int_equal(binop(f_rem, -7, 2), U(-1));
    assert_int_equal(binop(f_div, 7, -2), U(-3));
    assert_int_equal(binop(f_rem, 7, -2), 1);
    assert_int_equal(binop(f_divu, -7, 2), 0x7ffffffffffffffcull);
    assert_int_equal(binop(f_remu, -7, 2), 1);
    /* W forms use the low 32 bits and sign-extend the 32-bit result. */
    assert_int_equal(binop(f_divw, 7, 0), UINT64_MAX);
    assert_int_equal(binop(f_divuw, 7, 0), UINT64_MAX);
    assert_int_equal(binop(f_remw, 7, 0), 7);
    assert_int_equal(binop(f_remuw, (int64_t)0xdeadbeef80000001ull, 0), 0xffffffff80000001ull);
    assert_int_equal(binop(f_remw, (int64_t)0x1234567880000001ull, 0), 0xffffffff80000001ull);
    assert_int_equal(binop(f_divw, INT32_MIN, -1), 0xffffffff80000000ull);
    assert_int_equal(binop(f_remw, INT32_MIN, -1), 0);
    assert_int_equal(binop(f_divw, 0x100000008ll, 0x100000002ll), 4);
    assert_int_equal(binop(f_divw, 0x100000008ll, 0x200000000ll), UINT64_MAX); /* low word 0 */
    assert_int_equal(binop(f_divuw, 0xffffffffll, 1), UINT64_MAX);
    assert_int_equal(binop(f_divuw, 0xfffffffell, 2), 0x7fffffff);
    assert_int_equal(binop(f_remw, -7, 2), U(-1));
    assert_int_equal(binop(f_remuw, -7, 2), 1);
}

static void test_multiplication(void **state)
{
    (void)state;
    assert_int_equal(binop(f_mul, -3, 5), U(-15));
    assert_int_equal(binop(f_mul, INT64_MIN, -1), U(INT64_MIN));
    assert_int_equal(binop(f_mulh, -1, -1), 0);
    assert_int_equal(binop(f_mulhu, -1, -1), 0xfffffffffffffffeull);
    assert_int_equal(binop(f_mulhsu, -1, -1), UINT64_MAX);   /* -1 * (2^64-1) */
    assert_int_equal(binop(f_mulhsu, 2, -1), 1);             /* 2 * (2^64-1) */
    assert_int_equal(binop(f_mulh, INT64_MIN, INT64_MIN), 0x4000000000000000ull);
    assert_int_equal(binop(f_mulh, INT64_MIN, 2), UINT64_MAX);
    assert_int_equal(binop(f_mulhu, 1ll << 32, 1ll << 32), 1);
    assert_int_equal(binop(f_mulw, 0x7fffffff, 2), U(-2));
    assert_int_equal(binop(f_mulw, 0x100000003ll, 0x100000005ll), 15);
}

static void test_word_ops_sign_extend(void **state)
{
    (void)state;
    assert_int_equal(binop(f_addw, 0x7fffffff, 1), 0xffffffff80000000ull);
    assert_int_equal(binop(f_addw, 0xffffffffll, 1), 0);
    assert_int_equal(binop(f_subw, 0, 1), UINT64_MAX);
    assert_int_equal(binop(f_subw, (int64_t)0x8000000000000000ull, 1), UINT64_MAX);
    assert_int_equal(binop(f_sllw, 1, 31), 0xffffffff80000000ull);
    assert_int_equal(binop(f_srlw, (int64_t)0xffffffff80000000ull, 0), 0xffffffff80000000ull);
    assert_int_equal(binop(f_srlw, 0x80000000ll, 31), 1);
    assert_int_equal(binop(f_srlw, 0xffffffffll, 1), 0x7fffffff);
    assert_int_equal(binop(f_sraw, 0x80000000ll, 31), UINT64_MAX);
    assert_int_equal(binop(f_sraw, 0x180000000ll, 4), 0xfffffffff8000000ull);

    rva_buf b;
    rva_init(&b);
    emit_li(&b, T0, 0x80000000ll);
    emit32(&b, SRAIW(S9, T0, 4));            /* 0xfffffffff8000000 */
    emit32(&b, SRLIW(A1, T0, 4));            /* 0x08000000 */
    emit32(&b, SLLIW(A2, T0, 1));            /* 0 */
    emit32(&b, ADDIW(A3, T0, 0));            /* sext.w: 0xffffffff80000000 */
    emit32(&b, LUI(A4, 0x80000));            /* 0xffffffff80000000 */
    emit32(&b, ADDIW(A5, ZERO, -1));         /* -1 */
    emit_li(&b, T1, 0x7fffffff);
    emit32(&b, SLLIW(A6, T1, 1));            /* 0xfffffffe -> -2 */
    emit32(&b, ADDIW(S2, T1, 1));            /* 0x80000000 -> sext */
    emit_li(&b, T2, (int64_t)DATA);
    emit32(&b, SW(T0, T2, 0));
    emit32(&b, LW(S3, T2, 0));               /* sign-extends */
    emit32(&b, LWU(S4, T2, 0));              /* zero-extends */
    emit32(&b, LH(S5, T2, 2));               /* 0x8000 -> sign-extended */
    emit32(&b, LHU(S6, T2, 2));
    emit32(&b, LB(S7, T2, 3));
    emit32(&b, LBU(S8, T2, 3));
    rvvm_machine *m = run_ok(&b);
    assert_int_equal(REG(m, S9), 0xfffffffff8000000ull);
    assert_int_equal(REG(m, A1), 0x08000000ull);
    assert_int_equal(REG(m, A2), 0);
    assert_int_equal(REG(m, A3), 0xffffffff80000000ull);
    assert_int_equal(REG(m, A4), 0xffffffff80000000ull);
    assert_int_equal(REG(m, A5), UINT64_MAX);
    assert_int_equal(REG(m, A6), U(-2));
    assert_int_equal(REG(m, S2), 0xffffffff80000000ull);
    assert_int_equal(REG(m, S3), 0xffffffff80000000ull);
    assert_int_equal(REG(m, S4), 0x80000000ull);
    assert_int_equal(REG(m, S5), 0xffffffffffff8000ull);
    assert_int_equal(REG(m, S6), 0x8000ull);
    assert_int_equal(REG(m, S7), 0xffffffffffffff80ull);
    assert_int_equal(REG(m, S8), 0x80ull);
    rvvm_destroy(m);
}

static void test_shift_masking(void **state)
{
    (void)state;
    /* RV64: register shifts use rs2[5:0], the W forms rs2[4:0]. */
    assert_int_equal(binop(f_sll, 1, 65), 2);
    assert_int_equal(binop(f_sll, 1, 64), 1);
    assert_int_equal(binop(f_srl, (int64_t)0x8000000000000000ull, 64 + 63), 1);
    assert_int_equal(binop(f_sra, INT64_MIN, 127), UINT64_MAX);
    assert_int_equal(binop(f_sra, INT64_MIN, -1), UINT64_MAX);   /* amount 63 */
    assert_int_equal(binop(f_srl, -1, -64), UINT64_MAX);         /* amount 0 */
    assert_int_equal(binop(f_sllw, 1, 33), 2);
    assert_int_equal(binop(f_sllw, 1, 32), 1);
    assert_int_equal(binop(f_srlw, 0x80000000ll, 63), 1);        /* amount 31 */
    assert_int_equal(binop(f_sraw, 0x80000000ll, 32 + 31), UINT64_MAX);
    assert_int_equal(binop(f_slt, -1, 0), 1);
    assert_int_equal(binop(f_sltu, -1, 0), 0);
    assert_int_equal(binop(f_sltu, 0, -1), 1);

    rva_buf b;
    rva_init(&b);
    emit_li(&b, T0, INT64_MIN);
    emit32(&b, SRAI(S9, T0, 63));
    emit32(&b, SRLI(A1, T0, 63));
    emit32(&b, SLLI(A2, T0, 1));
    emit32(&b, ADDI(T1, ZERO, 1));
    emit32(&b, SLLI(A3, T1, 63));
    emit32(&b, SLTIU(A4, ZERO, -1));          /* 0 < 0xffff...: 1 */
    emit32(&b, SLTI(A5, T0, -2048));          /* INT64_MIN < -2048: 1 */
    emit32(&b, XORI(A6, ZERO, -1));           /* not 0 = -1 */
    emit32(&b, ANDI(S2, A6, -2048));          /* 0xfffff...800 */
    rvvm_machine *m = run_ok(&b);
    assert_int_equal(REG(m, S9), UINT64_MAX);
    assert_int_equal(REG(m, A1), 1);
    assert_int_equal(REG(m, A2), 0);
    assert_int_equal(REG(m, A3), 0x8000000000000000ull);
    assert_int_equal(REG(m, A4), 1);
    assert_int_equal(REG(m, A5), 1);
    assert_int_equal(REG(m, A6), UINT64_MAX);
    assert_int_equal(REG(m, S2), 0xfffffffffffff800ull);
    rvvm_destroy(m);
}

static void test_lr_sc(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit_li(&b, T0, (int64_t)DATA);
    emit_li(&b, T1, 0x80000000ll);
    emit32(&b, SW(T1, T0, 0));
    emit32(&b, LR_W(S9, T0));                /* 0xffffffff80000000 */
    emit32(&b, ADDI(T2, ZERO, 42));
    emit32(&b, SC_W(A1, T2, T0));            /* succeeds: 0 */
    emit32(&b, LW(A2, T0, 0));               /* 42 */
    emit32(&b, ADDI(T2, ZERO, 43));
    emit32(&b, SC_W(A3, T2, T0));            /* no reservation: fails */
    emit32(&b, LW(A4, T0, 0));               /* still 42 */
    /* lr.d here, sc.d on another page: fails and writes nothing */
    emit_li(&b, T3, (int64_t)DATA + 0x1000);
    emit32(&b, LR_D(A5, T0));
    emit32(&b, SC_D(A6, T2, T3));
    emit32(&b, LD(S2, T3, 0));
    /* ...and that failure also ended the reservation on t0 */
    emit32(&b, SC_D(S3, T2, T0));
    emit32(&b, LD(S4, T0, 0));
    /* lr.d / sc.d pair */
    emit_li(&b, T4, -5);
    emit32(&b, LR_D(S5, T0));
    emit32(&b, SC_D(S6, T4, T0));
    emit32(&b, LD(S7, T0, 0));
    rvvm_machine *m = run_ok(&b);
    assert_int_equal(REG(m, S9), 0xffffffff80000000ull);
    assert_int_equal(REG(m, A1), 0);
    assert_int_equal(REG(m, A2), 42);
    assert_int_not_equal(REG(m, A3), 0);
    assert_int_equal(REG(m, A4), 42);
    assert_int_equal(REG(m, A5), 42);
    assert_int_not_equal(REG(m, A6), 0);
    assert_int_equal(REG(m, S2), 0);
    assert_int_not_equal(REG(m, S3), 0);
    assert_int_equal(REG(m, S4), 42);
    assert_int_equal(REG(m, S6), 0);
    assert_int_equal(REG(m, S7), U(-5));
    rvvm_destroy(m);
}

static void test_amo(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit_li(&b, T0, (int64_t)DATA);
    emit_li(&b, T1, 0x80000000ll);
    emit32(&b, SW(T1, T0, 0));               /* word at 0: INT32_MIN */
    emit32(&b, ADDI(T2, ZERO, 1));
    emit32(&b, AMO_W(AMO_ADD, S9, T2, T0));  /* old sign-extended; mem 0x80000001 */
    emit32(&b, AMO_W(AMO_MAXU, A1, T2, T0)); /* unsigned: 0x80000001 stays */
    emit32(&b, AMO_W(AMO_MAX, A2, T2, T0));  /* signed: 1 wins */
    emit32(&b, ADDI(T3, ZERO, -2));
    emit32(&b, AMO_W(AMO_MINU, A3, T3, T0)); /* 1 < 0xfffffffe: stays 1 */
    emit32(&b, AMO_W(AMO_MIN, A4, T3, T0));  /* -2 */
    emit32(&b, LW(A5, T0, 0));
    emit32(&b, LW(A6, T0, 4));               /* neighbour untouched */
    emit32(&b, AMO_D(AMO_SWAP, S2, T1, T0)); /* old = 0x00000000fffffffe */
    emit32(&b, AMO_D(AMO_XOR, S3, T2, T0));
    emit32(&b, AMO_D(AMO_OR, S4, T3, T0));
    emit32(&b, AMO_D(AMO_AND, S5, T1, T0));
    emit32(&b, LD(S6, T0, 0));
    emit32(&b, AMO_W(AMO_ADD, ZERO, T2, T0)); /* rd = x0: still performs the add */
    emit32(&b, LD(S7, T0, 0));
    rvvm_machine *m = run_ok(&b);
    assert_int_equal(REG(m, S9), 0xffffffff80000000ull);
    assert_int_equal(REG(m, A1), 0xffffffff80000001ull);
    assert_int_equal(REG(m, A2), 0xffffffff80000001ull);
    assert_int_equal(REG(m, A3), 1);
    assert_int_equal(REG(m, A4), 1);
    assert_int_equal(REG(m, A5), U(-2));
    assert_int_equal(REG(m, A6), 0);
    assert_int_equal(REG(m, S2), 0x00000000fffffffeull);
    assert_int_equal(REG(m, S3), 0x80000000ull);      /* after swap */
    assert_int_equal(REG(m, S4), 0x80000001ull);      /* after xor 1 */
    assert_int_equal(REG(m, S5), UINT64_MAX);          /* after or -2: all ones */
    assert_int_equal(REG(m, S6), 0x80000000ull);      /* and with t1 */
    assert_int_equal(REG(m, S7), 0x80000001ull);
    rvvm_destroy(m);
}

static void test_counters(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit32(&b, ADDI(T0, ZERO, 1));
    emit32(&b, ADDI(T0, T0, 1));
    emit32(&b, CSRRS(S9, 0xc02, ZERO));      /* rdinstret: 2 retired before it */
    emit32(&b, CSRRS(A1, 0xc00, ZERO));      /* rdcycle */
    emit32(&b, DIV(T1, T0, T0));
    emit32(&b, CSRRS(A2, 0xc00, ZERO));
    emit32(&b, CSRRSI(A3, 0xc02, 0));
    emit32(&b, CSRRC(A4, 0xc01, ZERO));      /* rdtime: readable */
    emit_exit(&b);
    const char *models[] = {"unit", "weighted"};
    for (int i = 0; i < 2; i++) {
        rvvm_machine *m = make(models[i], RVVM_ISA_DEFAULT, false);
        load(m, &b);
        rvvm_run_result r;
        assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
        assert_int_equal(r.reason, RVVM_STOP_EXITED);
        assert_int_equal(REG(m, S9), 2);
        assert_int_equal(REG(m, A3), 6);
        if (i == 0) {
            assert_int_equal(REG(m, A1), 3);
            assert_int_equal(REG(m, A2), 5);
        } else {
            /* weighted: alu 1, csr 2, div 32 */
            assert_int_equal(REG(m, A1), 1 + 1 + 2);
            assert_int_equal(REG(m, A2), 1 + 1 + 2 + 2 + 32);
        }
        rvvm_destroy(m);
    }

    /* fflags, frm, fcsr: one register seen through three CSRs */
    rva_init(&b);
    emit32(&b, CSRRWI(ZERO, 0x001, 0x15));   /* fflags = 10101 */
    emit32(&b, CSRRWI(S9, 0x002, 0x6));      /* frm = 110, a0 = old frm 0 */
    emit32(&b, CSRRS(A1, 0x003, ZERO));      /* fcsr = 110 10101 */
    emit32(&b, CSRRCI(A2, 0x001, 0x1));      /* clear NX */
    emit32(&b, CSRRS(A3, 0x003, ZERO));
    emit_li(&b, T0, 0x1ff);
    emit32(&b, CSRRW(A4, 0x003, T0));        /* only 8 bits exist */
    emit32(&b, CSRRS(A5, 0x003, ZERO));
    emit32(&b, CSRRS(A6, 0x002, ZERO));
    rvvm_machine *m = run_ok(&b);
    assert_int_equal(REG(m, S9), 0);
    assert_int_equal(REG(m, A1), 0xd5);
    assert_int_equal(REG(m, A2), 0x15);
    assert_int_equal(REG(m, A3), 0xd4);
    assert_int_equal(REG(m, A4), 0xd4);
    assert_int_equal(REG(m, A5), 0xff);
    assert_int_equal(REG(m, A6), 7);
    rvvm_destroy(m);
}

static void test_x0_and_jumps(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit32(&b, ADDI(ZERO, ZERO, 5));         /* 0 */
    emit32(&b, LUI(ZERO, 1));                /* 4 */
    emit16(&b, C_LI(ZERO, 3));               /* 8: a HINT */
    emit16(&b, C_MV(ZERO, SP));              /* 10 */
    emit32(&b, ADD(S10, ZERO, ZERO));         /* 12 */
    emit32(&b, AUIPC(A1, 1));                /* 16: a1 = pc + 0x1000 */
    emit32(&b, JAL(ZERO, 8));                /* 20: skips 24 */
    emit32(&b, ADDI(S10, ZERO, 99));          /* 24 */
    emit32(&b, AUIPC(T0, 0));                /* 28 */
    emit32(&b, JALR(RA, T0, 12 + 1));        /* 32: target 28 + 13 = 41, bit 0 cleared -> 40 */
    emit32(&b, ADDI(S10, ZERO, 98));          /* 36 */
    emit32(&b, JAL(S1, 6));                  /* 40: to 46 */
    emit16(&b, C_NOP());                     /* 44 */
    emit16(&b, C_ADDI(S10, 7));               /* 46 */
    emit32(&b, BLT(ZERO, S10, 8));            /* 48: 0 < 7: taken, to 56 */
    emit32(&b, ADDI(S10, ZERO, 97));          /* 52 */
    emit32(&b, BGEU(ZERO, S10, 8));           /* 56: 0 >= 7 unsigned? no */
    emit32(&b, ADDI(A2, ZERO, 1));           /* 60: runs */
    rvvm_machine *m = run_ok(&b);
    assert_int_equal(REG(m, ZERO), 0);
    assert_int_equal(REG(m, S10), 7);
    assert_int_equal(REG(m, A1), EB_TEXT + 16 + 0x1000);
    assert_int_equal(REG(m, T0), EB_TEXT + 28);
    assert_int_equal(REG(m, RA), EB_TEXT + 36);
    assert_int_equal(REG(m, S1), EB_TEXT + 44);
    assert_int_equal(REG(m, A2), 1);
    /* The path: 0..20, 28, 32, 40, 46, 48, 56, 60, then exit (3). */
    assert_int_equal(rvvm_instructions(m), 6 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 3);
    rvvm_destroy(m);
}

/* Without C (IALIGN = 32), a taken jump to a 2-byte aligned target faults at the jump. */
static void test_misaligned_jump_without_c(void **state)
{
    (void)state;
    const uint32_t no_c = RVVM_ISA_DEFAULT & ~(uint32_t)RVVM_ISA_C;
    struct {
        uint32_t insn;
        uint64_t target_off;
    } cases[] = {
        {JAL(RA, 6), 8 + 6},
        {BEQ(ZERO, ZERO, 10), 8 + 10},
        {JALR(RA, T0, 2), 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rva_buf b;
        rva_init(&b);
        emit32(&b, AUIPC(T0, 0));            /* t0 = EB_TEXT */
        emit32(&b, ADDI(RA, ZERO, 5));
        emit32(&b, cases[i].insn);           /* at EB_TEXT + 8 */
        emit_exit(&b);
        emit_exit(&b);
        rvvm_machine *m = make("unit", no_c, false);
        load(m, &b);
        rvvm_run_result r;
        assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
        assert_int_equal(r.reason, RVVM_STOP_FAULT);
        assert_int_equal(r.fault.kind, RVVM_FAULT_FETCH_MISALIGNED);
        assert_int_equal(r.fault.pc, EB_TEXT + 8);
        assert_int_equal(r.fault.address, EB_TEXT + cases[i].target_off);
        assert_int_equal(REG(m, RA), 5);     /* the jump did not write its link */
        assert_int_equal(rvvm_instructions(m), 2);
        rvvm_destroy(m);

        /* With C, the same jumps are fine (they land mid-instruction-stream, on
         * an exit sequence's second half, so just check it is no misalignment). */
        m = make("unit", RVVM_ISA_DEFAULT, false);
        load(m, &b);
        assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
        assert_true(r.reason != RVVM_STOP_FAULT || r.fault.kind != RVVM_FAULT_FETCH_MISALIGNED);
        rvvm_destroy(m);
    }
    /* A branch that is not taken never faults, whatever its target. */
    rva_buf b;
    rva_init(&b);
    emit32(&b, BNE(ZERO, ZERO, 6));
    emit_exit(&b);
    rvvm_machine *m = make("unit", no_c, false);
    load(m, &b);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    rvvm_destroy(m);
}

static void test_breakpoint_and_illegal(void **state)
{
    (void)state;
    struct {
        bool compressed;
        uint32_t insn;
        rvvm_fault_kind kind;
        uint32_t encoding;
    } cases[] = {
        {false, EBREAK(), RVVM_FAULT_BREAKPOINT, 0},
        {true, C_EBREAK(), RVVM_FAULT_BREAKPOINT, 0},
        {false, 0xffffffffu, RVVM_FAULT_ILLEGAL_INSTRUCTION, 0xffffffffu},
        {false, CSRRW(RA, 0xc00, A2), RVVM_FAULT_ILLEGAL_INSTRUCTION, CSRRW(RA, 0xc00, A2)},
        {false, 0x30200073u, RVVM_FAULT_ILLEGAL_INSTRUCTION, 0x30200073u},
        {true, 0x0000u, RVVM_FAULT_ILLEGAL_INSTRUCTION, 0x0000u},
        {true, C_LWSP(ZERO, 4), RVVM_FAULT_ILLEGAL_INSTRUCTION, C_LWSP(ZERO, 4)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rva_buf b;
        rva_init(&b);
        emit32(&b, ADDI(A0, ZERO, 1));
        emit32(&b, ADDI(A1, ZERO, 2));
        if (cases[i].compressed)
            emit16(&b, cases[i].insn);
        else
            emit32(&b, cases[i].insn);
        emit_exit(&b);
        rvvm_machine *m = make("weighted", RVVM_ISA_DEFAULT, false);
        load(m, &b);
        rvvm_run_result r;
        assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
        assert_int_equal(r.reason, RVVM_STOP_FAULT);
        assert_int_equal(r.fault.kind, cases[i].kind);
        assert_int_equal(r.fault.pc, EB_TEXT + 8);
        assert_int_equal(rvvm_pc(m), EB_TEXT + 8);
        if (cases[i].kind == RVVM_FAULT_ILLEGAL_INSTRUCTION)
            assert_int_equal(r.fault.encoding, cases[i].encoding);
        /* Not retired, not charged. */
        assert_int_equal(rvvm_instructions(m), 2);
        assert_int_equal(rvvm_cycles(m), 2);
        assert_int_equal(rvvm_fault_signal(cases[i].kind),
                         cases[i].kind == RVVM_FAULT_BREAKPOINT ? 5 : 4);
        rvvm_destroy(m);
    }
    /* Running into a page with no code: fetch fault at the page start. */
    rva_buf b;
    rva_init(&b);
    for (int i = 0; i < 1024; i++)
        emit32(&b, ADDI(A0, A0, 1));         /* fills the page exactly */
    rvvm_machine *m = make("unit", RVVM_ISA_DEFAULT, false);
    load(m, &b);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_FAULT);
    assert_int_equal(r.fault.kind, RVVM_FAULT_FETCH_ACCESS);
    assert_int_equal(r.fault.pc, EB_TEXT + 4096);
    assert_int_equal(REG(m, A0), 1024);
    assert_int_equal(rvvm_instructions(m), 1024);
    rvvm_destroy(m);
}

/* A 32-bit instruction straddling two code pages. */
static void test_instruction_across_pages(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    for (int i = 0; i < 1023; i++)
        emit32(&b, ADDI(A0, A0, 1));
    emit16(&b, C_ADDI(A0, 1));               /* 4094: now at the last halfword */
    emit32(&b, ADDI(A1, ZERO, 77));          /* 4094..4097 */
    emit32(&b, ADD(S1, A0, A1));
    emit_exit(&b);
    rvvm_machine *m = run_ok(&b);
    assert_int_equal(REG(m, S1), 1024 + 77);
    rvvm_destroy(m);
}

/* A 32-bit instruction whose second half lies in a non-executable page. */
static void test_straddling_fetch_fault(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    for (int i = 0; i < 1023; i++)
        emit32(&b, ADDI(A0, A0, 1));
    emit16(&b, C_ADDI(A0, 1));               /* 4092 */
    emit32(&b, ADDI(A1, ZERO, 77));          /* 4094: half in the next page */
    static const uint8_t data[16];
    eb_elf e;
    eb_init(&e, EB_TEXT);
    eb_add(&e, PT_LOAD, PF_R | PF_X, EB_TEXT, b.bytes, 4096, 4096);
    eb_add(&e, PT_LOAD, PF_R | PF_W, EB_TEXT + 0x1000, data, sizeof data, sizeof data);
    size_t size;
    uint8_t *img = eb_build(&e, &size);
    /* The next page holds the instruction's upper half, but is not executable. */
    memcpy(img + eb_data_offset(&e, 1), b.bytes + 4096, 2);
    rvvm_machine *m = make("unit", RVVM_ISA_DEFAULT, false);
    assert_int_equal(rvvm_load_elf_memory(m, img, size, "straddle", NULL, NULL), RVVM_OK);
    free(img);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_FAULT);
    if (r.fault.kind != RVVM_FAULT_FETCH_ACCESS)
        print_error("fault %s at pc 0x%llx, address 0x%llx, encoding 0x%08x\n",
                    rvvm_fault_kind_string(r.fault.kind), (unsigned long long)r.fault.pc,
                    (unsigned long long)r.fault.address, (unsigned)r.fault.encoding);
    assert_int_equal(r.fault.kind, RVVM_FAULT_FETCH_ACCESS);
    assert_int_equal(r.fault.pc, EB_TEXT + 4094);
    /* The faulting part: the instruction's start or the page it runs into. */
    assert_true(r.fault.address == EB_TEXT + 4094 || r.fault.address == EB_TEXT + 4096);
    assert_int_equal(REG(m, A0), 1024);
    assert_int_equal(REG(m, A1), 0);
    assert_int_equal(rvvm_instructions(m), 1024);
    assert_int_equal(rvvm_cycles(m), 1024);
    rvvm_destroy(m);
}

/* Code that rewrites an instruction ahead of itself, then fence.i. */
static void test_self_modifying_code(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    /* Run the patched instruction once before patching, so it is decoded. */
    emit32(&b, ADDI(S1, ZERO, 2));           /* 0: loop counter */
    emit32(&b, AUIPC(T0, 0));                /* 4: t0 = base + 4 */
    /* loop: */
    emit32(&b, ADDI(A0, ZERO, 1));           /* 8: the patched instruction */
    emit32(&b, ADD(S2, S2, A0));             /* 12 */
    emit_li(&b, T1, ADDI(A0, ZERO, 40));     /* 16, 20: the new encoding */
    emit32(&b, SW(T1, T0, 4));               /* 24: patch offset 8 */
    emit32(&b, FENCE_I());                   /* 28 */
    emit32(&b, ADDI(S1, S1, -1));            /* 32 */
    emit32(&b, BNE(S1, ZERO, 8 - 36));       /* 36: back to 8 */
    eb_elf e;
    eb_init(&e, EB_TEXT);
    emit_exit(&b);
    eb_add(&e, PT_LOAD, PF_R | PF_W | PF_X, EB_TEXT, b.bytes, b.len, b.len);
    size_t size;
    uint8_t *img = eb_build(&e, &size);
    rvvm_machine *m = make("unit", RVVM_ISA_DEFAULT, false);
    assert_int_equal(rvvm_load_elf_memory(m, img, size, "smc", NULL, NULL), RVVM_OK);
    free(img);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    assert_int_equal(REG(m, S2), 1 + 40);
    rvvm_destroy(m);
}

static int64_t ident_capture_write(void *user, int fd, const void *buf, size_t len)
{
    eb_capture *cap = user;
    cap->writes++;
    if (fd == 2)
        return -5; /* -EIO for stderr, to see errors reach the guest */
    memcpy(cap->out + cap->out_len, buf, len);
    cap->out_len += len;
    return (int64_t)len;
}

static void test_syscalls(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit_li(&b, T0, (int64_t)DATA);
    emit_li(&b, T1, 0x0a6968);                /* "hi\n" */
    emit32(&b, SW(T1, T0, 0));
    emit32(&b, ADDI(A0, ZERO, 1));
    emit32(&b, ADDI(A1, T0, 0));
    emit32(&b, ADDI(A2, ZERO, 3));
    emit32(&b, ADDI(A7, ZERO, 64));
    emit32(&b, ECALL());
    emit32(&b, ADDI(S1, A0, 0));              /* 3 */
    emit32(&b, ADDI(A0, ZERO, 2));
    emit32(&b, ADDI(A1, T0, 0));
    emit32(&b, ADDI(A2, ZERO, 3));
    emit32(&b, ECALL());
    emit32(&b, ADDI(S2, A0, 0));              /* -5 from the hook */
    emit32(&b, ADDI(A0, ZERO, 7));
    emit32(&b, ECALL());
    emit32(&b, ADDI(S3, A0, 0));              /* fd 7: -EBADF */
    emit32(&b, ADDI(A0, ZERO, 1));
    emit32(&b, ADDI(A1, ZERO, 0));            /* NULL buffer */
    emit32(&b, ECALL());
    emit32(&b, ADDI(S4, A0, 0));              /* -EFAULT */
    emit32(&b, ADDI(A7, ZERO, 1234));
    emit32(&b, ECALL());
    emit32(&b, ADDI(S5, A0, 0));              /* unknown: -ENOSYS */
    emit32(&b, ADDI(A0, ZERO, 300 - 256));
    emit32(&b, ADDI(A0, A0, 256));
    emit32(&b, ADDI(A7, ZERO, 94));           /* exit_group(300): status 300 & 0xff */
    emit32(&b, ECALL());
    rvvm_machine *m = make("unit", RVVM_ISA_DEFAULT, false);
    load(m, &b);
    eb_capture cap;
    eb_capture_io(m, &cap);
    rvvm_set_io(m, NULL, ident_capture_write, &cap);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    assert_int_equal(r.exit_code, 300 & 0xff);
    assert_int_equal(cap.out_len, 3);
    assert_memory_equal(cap.out, "hi\n", 3);
    assert_int_equal(REG(m, S1), 3);
    assert_int_equal(REG(m, S2), U(-5));
    assert_int_equal(REG(m, S3), U(-9));      /* EBADF */
    assert_int_equal(REG(m, S4), U(-14));     /* EFAULT */
    assert_int_equal(REG(m, S5), U(-38));     /* ENOSYS */
    /* The exit ecall retires: pc after it. */
    assert_int_equal(rvvm_pc(m), EB_TEXT + b.len);
    rvvm_destroy(m);

    /* Strict: the unknown call faults at the ecall. */
    rva_init(&b);
    emit32(&b, ADDI(A7, ZERO, 1234));
    emit32(&b, ECALL());
    emit_exit(&b);
    m = make("unit", RVVM_ISA_DEFAULT, true);
    load(m, &b);
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_FAULT);
    assert_int_equal(r.fault.kind, RVVM_FAULT_BAD_SYSCALL);
    assert_int_equal(r.fault.pc, EB_TEXT + 4);
    assert_int_equal(rvvm_instructions(m), 1);
    rvvm_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_division),
        cmocka_unit_test(test_multiplication),
        cmocka_unit_test(test_word_ops_sign_extend),
        cmocka_unit_test(test_shift_masking),
        cmocka_unit_test(test_lr_sc),
        cmocka_unit_test(test_amo),
        cmocka_unit_test(test_counters),
        cmocka_unit_test(test_x0_and_jumps),
        cmocka_unit_test(test_misaligned_jump_without_c),
        cmocka_unit_test(test_breakpoint_and_illegal),
        cmocka_unit_test(test_instruction_across_pages),
        cmocka_unit_test(test_straddling_fetch_fault),
        cmocka_unit_test(test_self_modifying_code),
        cmocka_unit_test(test_syscalls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
