// rvvm ISA self-checking test macros (RV64, Linux user-mode exit protocol).
//
// Register conventions used by the macros:
//   gp (x3)  TESTNUM: number of the case currently running
//   a1, a2   source operands        a4  result under test
//   t2 (x7)  expected value         a0, a7  exit syscall
// Pass: exit(0).  Fail: exit(TESTNUM) (1..255).
//
// Comments use // or /* */ only: a '#' comment would be seen by cpp.

#ifndef RVVM_TEST_MACROS_H
#define RVVM_TEST_MACROS_H

#define TESTNUM gp
#define SYS_exit 93

// CSR numbers (the assembler does not know the FP CSR names without F).
#define CSR_FFLAGS  0x001
#define CSR_FRM     0x002
#define CSR_FCSR    0x003
#define CSR_CYCLE   0xc00
#define CSR_TIME    0xc01
#define CSR_INSTRET 0xc02

// No linker relaxation: addresses and alignment are fixed at assembly time.
.option norelax

//-----------------------------------------------------------------------------
// Program skeleton
//-----------------------------------------------------------------------------

#define RVTEST_CODE_BEGIN                                               \
    .text;                                                              \
    .globl _start;                                                      \
    .type _start, @function;                                            \
_start:                                                                 \
    li TESTNUM, 0;

// Falls through into pass; every failed check branches to fail.
// If exit ever returns, unimp raises SIGILL instead of continuing.
#define RVTEST_CODE_END                                                 \
pass:                                                                   \
    li a0, 0;                                                           \
    li a7, SYS_exit;                                                    \
    ecall;                                                              \
    unimp;                                                              \
fail:                                                                   \
    andi a0, TESTNUM, 0xff;                                             \
    bnez a0, 1f;                                                        \
    li a0, 255;                                                         \
1:  li a7, SYS_exit;                                                    \
    ecall;                                                              \
    unimp;

#define RVTEST_DATA_BEGIN                                               \
    .data;                                                              \
    .balign 16;

#define RVTEST_DATA_END

//-----------------------------------------------------------------------------
// Generic case: run code, compare testreg against correctval.
//-----------------------------------------------------------------------------

#define TEST_CASE(testnum, testreg, correctval, ...)                    \
test_ ## testnum:                                                       \
    li TESTNUM, testnum;                                                \
    __VA_ARGS__;                                                        \
    li t2, correctval;                                                  \
    bne testreg, t2, fail;

// Start a case whose checks are written by hand (use CHECK / fail).
#define TEST_BEGIN(testnum)                                             \
test_ ## testnum:                                                       \
    li TESTNUM, testnum;

// reg must equal val (clobbers t2).
#define CHECK(reg, val)                                                 \
    li t2, val;                                                         \
    bne reg, t2, fail;

//-----------------------------------------------------------------------------
// RVC(insn): emit one compressed instruction and fail the build
// ("attempt to move .org backwards") if the assembler widened it to 32 bits.
// GAS silently turns an explicit c.j/c.beqz/c.bnez into a 32-bit jump when it
// cannot prove the target is in range, so wrap those.
//-----------------------------------------------------------------------------

#define RVC(...)                                                        \
9998:                                                                   \
    __VA_ARGS__;                                                        \
    .org 9998b + 2;

//-----------------------------------------------------------------------------
// Register-register operations: inst rd, rs1, rs2
//-----------------------------------------------------------------------------

#define TEST_RR_OP(testnum, inst, result, val1, val2)                   \
    TEST_CASE(testnum, a4, result,                                      \
        li a1, val1; li a2, val2; inst a4, a1, a2)

#define TEST_RR_SRC1_EQ_DEST(testnum, inst, result, val1, val2)         \
    TEST_CASE(testnum, a1, result,                                      \
        li a1, val1; li a2, val2; inst a1, a1, a2)

#define TEST_RR_SRC2_EQ_DEST(testnum, inst, result, val1, val2)         \
    TEST_CASE(testnum, a2, result,                                      \
        li a1, val1; li a2, val2; inst a2, a1, a2)

#define TEST_RR_SRC12_EQ_DEST(testnum, inst, result, val1)              \
    TEST_CASE(testnum, a1, result,                                      \
        li a1, val1; inst a1, a1, a1)

#define TEST_RR_ZEROSRC1(testnum, inst, result, val)                    \
    TEST_CASE(testnum, a4, result,                                      \
        li a2, val; inst a4, x0, a2)

#define TEST_RR_ZEROSRC2(testnum, inst, result, val)                    \
    TEST_CASE(testnum, a4, result,                                      \
        li a1, val; inst a4, a1, x0)

#define TEST_RR_ZEROSRC12(testnum, inst, result)                        \
    TEST_CASE(testnum, a4, result,                                      \
        li a4, 0x5a5a; inst a4, x0, x0)

// Writes to x0 are discarded; the sources must be left untouched.
#define TEST_RR_ZERODEST(testnum, inst, val1, val2)                     \
    TEST_CASE(testnum, x0, 0,                                           \
        li a1, val1; li a2, val2; inst x0, a1, a2;                      \
        li t2, val1; bne a1, t2, fail; li t2, val2; bne a2, t2, fail)

// Arbitrary registers (must not be gp or t2).
#define TEST_RR_REGS(testnum, inst, result, val1, val2, rd, rs1, rs2)   \
    TEST_CASE(testnum, rd, result,                                      \
        li rs1, val1; li rs2, val2; inst rd, rs1, rs2)

//-----------------------------------------------------------------------------
// Register-immediate operations: inst rd, rs1, imm
//-----------------------------------------------------------------------------

#define TEST_IMM_OP(testnum, inst, result, val1, imm)                   \
    TEST_CASE(testnum, a4, result,                                      \
        li a1, val1; inst a4, a1, imm)

#define TEST_IMM_SRC1_EQ_DEST(testnum, inst, result, val1, imm)         \
    TEST_CASE(testnum, a1, result,                                      \
        li a1, val1; inst a1, a1, imm)

#define TEST_IMM_ZEROSRC1(testnum, inst, result, imm)                   \
    TEST_CASE(testnum, a4, result,                                      \
        li a4, 0x5a5a; inst a4, x0, imm)

#define TEST_IMM_ZERODEST(testnum, inst, val1, imm)                     \
    TEST_CASE(testnum, x0, 0,                                           \
        li a1, val1; inst x0, a1, imm;                                  \
        li t2, val1; bne a1, t2, fail)

#define TEST_IMM_REGS(testnum, inst, result, val1, imm, rd, rs1)        \
    TEST_CASE(testnum, rd, result,                                      \
        li rs1, val1; inst rd, rs1, imm)

//-----------------------------------------------------------------------------
// Unary register operations: inst rd, rs1 (clz, cpop, sext.b, rev8, ...)
//-----------------------------------------------------------------------------

#define TEST_R_OP(testnum, inst, result, val1)                          \
    TEST_CASE(testnum, a4, result,                                      \
        li a1, val1; inst a4, a1)

#define TEST_R_SRC1_EQ_DEST(testnum, inst, result, val1)                \
    TEST_CASE(testnum, a1, result,                                      \
        li a1, val1; inst a1, a1)

#define TEST_R_ZEROSRC1(testnum, inst, result)                          \
    TEST_CASE(testnum, a4, result,                                      \
        li a4, 0x5a5a; inst a4, x0)

#define TEST_R_ZERODEST(testnum, inst, val1)                            \
    TEST_CASE(testnum, x0, 0,                                           \
        li a1, val1; inst x0, a1;                                       \
        li t2, val1; bne a1, t2, fail)

//-----------------------------------------------------------------------------
// Loads and stores
//-----------------------------------------------------------------------------

// a4 = inst offset(base)
#define TEST_LD_OP(testnum, inst, result, offset, base)                 \
    TEST_CASE(testnum, a4, result,                                      \
        la a1, base; inst a4, offset(a1))

// Destination register is also the base register.
#define TEST_LD_DEST_EQ_BASE(testnum, inst, result, offset, base)       \
    TEST_CASE(testnum, a1, result,                                      \
        la a1, base; inst a1, offset(a1))

// Load into x0: discarded, base untouched.
#define TEST_LD_ZERODEST(testnum, inst, offset, base)                   \
    TEST_CASE(testnum, x0, 0,                                           \
        la a1, base; inst x0, offset(a1);                               \
        la t2, base; bne a1, t2, fail)

// Store val, then reload with load_inst and expect result.
#define TEST_ST_OP(testnum, load_inst, store_inst, result, val, offset, base) \
    TEST_CASE(testnum, a4, result,                                      \
        la a1, base; li a2, val; store_inst a2, offset(a1);             \
        load_inst a4, offset(a1))

// Fill the 16 bytes at base with fill64 (twice), store val at offset,
// then check both doublewords (catches writes that are too wide).
#define TEST_ST_FILL(testnum, store_inst, val, offset, base, fill64, exp0, exp1) \
    TEST_BEGIN(testnum)                                                 \
    la a1, base;                                                        \
    li a2, fill64;                                                      \
    sd a2, 0(a1);                                                       \
    sd a2, 8(a1);                                                       \
    li a2, val;                                                         \
    store_inst a2, offset(a1);                                          \
    ld a4, 0(a1);                                                       \
    CHECK(a4, exp0)                                                     \
    ld a4, 8(a1);                                                       \
    CHECK(a4, exp1)

//-----------------------------------------------------------------------------
// Conditional branches: inst rs1, rs2, label
//-----------------------------------------------------------------------------

// Checks the branch is taken both forward and backward.
#define TEST_BR2_OP_TAKEN(testnum, inst, val1, val2)                    \
    TEST_BEGIN(testnum)                                                 \
    li a1, val1;                                                        \
    li a2, val2;                                                        \
    inst a1, a2, 2f;                                                    \
    j fail;                                                             \
1:  j 3f;                                                               \
2:  inst a1, a2, 1b;                                                    \
    j fail;                                                             \
3:

// Checks the branch falls through both forward and backward.
#define TEST_BR2_OP_NOTTAKEN(testnum, inst, val1, val2)                 \
    TEST_BEGIN(testnum)                                                 \
    li a1, val1;                                                        \
    li a2, val2;                                                        \
    inst a1, a2, 1f;                                                    \
    j 2f;                                                               \
1:  j fail;                                                             \
2:  inst a1, a2, 1b;

//-----------------------------------------------------------------------------
// AMOs: mem = init; rd = amo(rs2 = operand); check rd == old and mem == new.
// ldinst reads the memory word back (lw/ld), so .W results are compared
// sign-extended, as the AMO.W itself must return them.
//-----------------------------------------------------------------------------

#define TEST_AMO_OP(testnum, inst, ldinst, stinst, old, operand, new, addr) \
    TEST_BEGIN(testnum)                                                 \
    la a1, addr;                                                        \
    li a2, old;                                                         \
    stinst a2, 0(a1);                                                   \
    li a3, operand;                                                     \
    inst a4, a3, (a1);                                                  \
    CHECK(a4, old)                                                      \
    ldinst a5, 0(a1);                                                   \
    CHECK(a5, new)                                                      \
    la t2, addr;                                                        \
    bne a1, t2, fail;                                                   \
    CHECK(a3, operand)

//-----------------------------------------------------------------------------
// Floating point (F, D). Build with -march=rv64imafdc... -mabi=lp64d.
//
// Values are raw IEEE bit patterns. Sources go in with fmv.w.x / fmv.d.x
// (so singles are properly NaN-boxed), results come out with fmv.x.w
// (sign-extended, so single results are compared as sext32(bits)) or
// fmv.x.d. Every case clears fflags just before the instruction under test
// and then checks both the result and the accrued flags.
//   fa0, fa1, fa2 sources   fa3 result   a4 result bits   a5 fflags
// The w argument selects the width: s or d. rm is a static rounding mode
// (rne, rtz, rdn, rup, rmm) or dyn.
//-----------------------------------------------------------------------------

#define FF_NV 0x10
#define FF_DZ 0x08
#define FF_OF 0x04
#define FF_UF 0x02
#define FF_NX 0x01

#define FP_LOAD_s(freg, val)  li t0, val; fmv.w.x freg, t0;
#define FP_LOAD_d(freg, val)  li t0, val; fmv.d.x freg, t0;

// a4 = bits of freg; t2 = expected bits in the same form
#define FP_MOVE_OUT_s(freg)   fmv.x.w a4, freg;
#define FP_MOVE_OUT_d(freg)   fmv.x.d a4, freg;
#define FP_EXPECT_s(val)      li t2, val; sext.w t2, t2;
#define FP_EXPECT_d(val)      li t2, val;

// Check fflags == flags (clobbers a5, t2), then clear fflags.
#define CHECK_FFLAGS(flags)                                             \
    frflags a5;                                                         \
    li t2, flags;                                                       \
    bne a5, t2, fail;                                                   \
    fsflags x0;

// Check that freg holds the w-format value val.
#define CHECK_FREG(w, freg, val)                                        \
    FP_MOVE_OUT_ ## w(freg)                                             \
    FP_EXPECT_ ## w(val)                                                \
    bne a4, t2, fail;

#define FP_CHECK_RESULT(w, flags, result)                               \
    frflags a5;                                                         \
    FP_MOVE_OUT_ ## w(fa3)                                              \
    FP_EXPECT_ ## w(result)                                             \
    bne a4, t2, fail;                                                   \
    li t2, flags;                                                       \
    bne a5, t2, fail;

// fa3 = inst fa0, rm   (fsqrt)
#define TEST_FP_OP1(testnum, w, inst, rm, flags, result, val1)          \
    TEST_BEGIN(testnum)                                                 \
    FP_LOAD_ ## w(fa0, val1)                                            \
    fsflags x0;                                                         \
    inst fa3, fa0, rm;                                                  \
    FP_CHECK_RESULT(w, flags, result)

// fa3 = inst fa0   (fmv.s/fneg.s/fabs.s pseudo-instructions: no rm)
#define TEST_FP_OP1_NORM(testnum, w, inst, flags, result, val1)         \
    TEST_BEGIN(testnum)                                                 \
    FP_LOAD_ ## w(fa0, val1)                                            \
    fsflags x0;                                                         \
    inst fa3, fa0;                                                      \
    FP_CHECK_RESULT(w, flags, result)

// fa3 = inst fa0, fa1, rm   (fadd, fsub, fmul, fdiv)
#define TEST_FP_OP2(testnum, w, inst, rm, flags, result, val1, val2)    \
    TEST_BEGIN(testnum)                                                 \
    FP_LOAD_ ## w(fa0, val1)                                            \
    FP_LOAD_ ## w(fa1, val2)                                            \
    fsflags x0;                                                         \
    inst fa3, fa0, fa1, rm;                                             \
    FP_CHECK_RESULT(w, flags, result)

// fa3 = inst fa0, fa1   (fmin, fmax, fsgnj*: no rounding mode)
#define TEST_FP_OP2_NORM(testnum, w, inst, flags, result, val1, val2)   \
    TEST_BEGIN(testnum)                                                 \
    FP_LOAD_ ## w(fa0, val1)                                            \
    FP_LOAD_ ## w(fa1, val2)                                            \
    fsflags x0;                                                         \
    inst fa3, fa0, fa1;                                                 \
    FP_CHECK_RESULT(w, flags, result)

// fa3 = inst fa0, fa1, fa2, rm   (fmadd, fmsub, fnmsub, fnmadd)
#define TEST_FP_OP3(testnum, w, inst, rm, flags, result, val1, val2, val3) \
    TEST_BEGIN(testnum)                                                 \
    FP_LOAD_ ## w(fa0, val1)                                            \
    FP_LOAD_ ## w(fa1, val2)                                            \
    FP_LOAD_ ## w(fa2, val3)                                            \
    fsflags x0;                                                         \
    inst fa3, fa0, fa1, fa2, rm;                                        \
    FP_CHECK_RESULT(w, flags, result)

// a4 = inst fa0, fa1   (feq, flt, fle); result is the full 64-bit rd
#define TEST_FP_CMP(testnum, w, inst, flags, result, val1, val2)        \
    TEST_BEGIN(testnum)                                                 \
    FP_LOAD_ ## w(fa0, val1)                                            \
    FP_LOAD_ ## w(fa1, val2)                                            \
    li a4, 0x5a5a;                                                      \
    fsflags x0;                                                         \
    inst a4, fa0, fa1;                                                  \
    frflags a5;                                                         \
    CHECK(a4, result)                                                   \
    CHECK(a5, flags)

// a4 = fclass fa0 (never sets flags)
#define TEST_FP_CLASS(testnum, w, inst, result, val1)                   \
    TEST_BEGIN(testnum)                                                 \
    FP_LOAD_ ## w(fa0, val1)                                            \
    li a4, 0x5a5a;                                                      \
    fsflags x0;                                                         \
    inst a4, fa0;                                                       \
    frflags a5;                                                         \
    CHECK(a4, result)                                                   \
    CHECK(a5, 0)

// a4 = inst fa0, rm   (fcvt.{w,wu,l,lu}.{s,d}); result is the full 64-bit rd
#define TEST_FP_TO_INT(testnum, w, inst, rm, flags, result, val1)       \
    TEST_BEGIN(testnum)                                                 \
    FP_LOAD_ ## w(fa0, val1)                                            \
    li a4, 0x5a5a;                                                      \
    fsflags x0;                                                         \
    inst a4, fa0, rm;                                                   \
    frflags a5;                                                         \
    CHECK(a4, result)                                                   \
    CHECK(a5, flags)

// fa3 = inst a1, rm   (fcvt.{s,d}.{w,wu,l,lu}); w is the result format
#define TEST_INT_TO_FP(testnum, w, inst, rm, flags, result, ival)       \
    TEST_BEGIN(testnum)                                                 \
    li a1, ival;                                                        \
    fsflags x0;                                                         \
    inst fa3, a1, rm;                                                   \
    FP_CHECK_RESULT(w, flags, result)

// Same, for the exact conversions that take no rm (fcvt.d.w, fcvt.d.wu).
#define TEST_INT_TO_FP_NORM(testnum, w, inst, flags, result, ival)      \
    TEST_BEGIN(testnum)                                                 \
    li a1, ival;                                                        \
    fsflags x0;                                                         \
    inst fa3, a1;                                                       \
    FP_CHECK_RESULT(w, flags, result)

// fa3 = inst fa0, rm with source format ws and result format wd (fcvt.s.d)
#define TEST_FP_CVT(testnum, wd, ws, inst, rm, flags, result, val1)     \
    TEST_BEGIN(testnum)                                                 \
    FP_LOAD_ ## ws(fa0, val1)                                           \
    fsflags x0;                                                         \
    inst fa3, fa0, rm;                                                  \
    FP_CHECK_RESULT(wd, flags, result)

// Same without rm (fcvt.d.s is exact)
#define TEST_FP_CVT_NORM(testnum, wd, ws, inst, flags, result, val1)    \
    TEST_BEGIN(testnum)                                                 \
    FP_LOAD_ ## ws(fa0, val1)                                           \
    fsflags x0;                                                         \
    inst fa3, fa0;                                                      \
    FP_CHECK_RESULT(wd, flags, result)

#endif
