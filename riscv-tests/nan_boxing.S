// NaN boxing of single-precision values in the 64-bit f registers (F with D).
// "When multiple floating-point precisions are supported, then valid values
// of narrower n-bit types, n<FLEN, are represented in the lower n bits of an
// FLEN-bit NaN value, in a process termed NaN-boxing. The upper bits of a
// valid NaN-boxed value must be all 1s. ... Apart from transfer operations
// described in the previous paragraph, all other floating-point operations
// on narrower n-bit operations, n<FLEN, check if the input operands are
// correctly NaN-boxed, i.e., all upper FLEN-n bits are 1. If so, the n
// least-significant bits of the input are used as the input value, otherwise
// the input value is treated as an n-bit canonical NaN."
// Transfers (flw/fsw, fmv.w.x/fmv.x.w) move the low 32 bits unchecked;
// every single-precision result is written boxed (upper 32 bits all ones).
// Raw register contents are set with fmv.d.x and read back with fmv.x.d.
// Flags: FF_NV 0x10, FF_DZ 0x08, FF_OF 0x04, FF_UF 0x02, FF_NX 0x01.

#include "test_macros.h"

.option norvc

#define LOAD_RAW(freg, val) li t0, val; fmv.d.x freg, t0;

// Check the whole 64-bit fa3 and the flags.
#define NB_CHECK(flags, result64)                                       \
    frflags a5;                                                         \
    fmv.x.d a4, fa3;                                                    \
    CHECK(a4, result64)                                                 \
    CHECK(a5, flags)

#define TEST_NB_OP1(testnum, inst, flags, result64, raw1)               \
    TEST_BEGIN(testnum)                                                 \
    LOAD_RAW(fa0, raw1)                                                 \
    fsflags x0;                                                         \
    inst fa3, fa0, rne;                                                 \
    NB_CHECK(flags, result64)

// no rm operand (fmin, fmax, fsgnj*)
#define TEST_NB_OP2(testnum, inst, flags, result64, raw1, raw2)         \
    TEST_BEGIN(testnum)                                                 \
    LOAD_RAW(fa0, raw1)                                                 \
    LOAD_RAW(fa1, raw2)                                                 \
    fsflags x0;                                                         \
    inst fa3, fa0, fa1;                                                 \
    NB_CHECK(flags, result64)

// static rm = rne
#define TEST_NB_OP2R(testnum, inst, flags, result64, raw1, raw2)        \
    TEST_BEGIN(testnum)                                                 \
    LOAD_RAW(fa0, raw1)                                                 \
    LOAD_RAW(fa1, raw2)                                                 \
    fsflags x0;                                                         \
    inst fa3, fa0, fa1, rne;                                            \
    NB_CHECK(flags, result64)

#define TEST_NB_OP3(testnum, inst, flags, result64, raw1, raw2, raw3)   \
    TEST_BEGIN(testnum)                                                 \
    LOAD_RAW(fa0, raw1)                                                 \
    LOAD_RAW(fa1, raw2)                                                 \
    LOAD_RAW(fa2, raw3)                                                 \
    fsflags x0;                                                         \
    inst fa3, fa0, fa1, fa2, rne;                                       \
    NB_CHECK(flags, result64)

#define TEST_NB_CMP(testnum, inst, flags, result, raw1, raw2)           \
    TEST_BEGIN(testnum)                                                 \
    LOAD_RAW(fa0, raw1)                                                 \
    LOAD_RAW(fa1, raw2)                                                 \
    li a4, 0x5a5a;                                                      \
    fsflags x0;                                                         \
    inst a4, fa0, fa1;                                                  \
    frflags a5;                                                         \
    CHECK(a4, result)                                                   \
    CHECK(a5, flags)

// integer result: fclass.s, fmv.x.w
#define TEST_NB_TO_X(testnum, inst, flags, result, raw1)                \
    TEST_BEGIN(testnum)                                                 \
    LOAD_RAW(fa0, raw1)                                                 \
    li a4, 0x5a5a;                                                      \
    fsflags x0;                                                         \
    inst a4, fa0;                                                       \
    frflags a5;                                                         \
    CHECK(a4, result)                                                   \
    CHECK(a5, flags)

#define TEST_NB_FCVT(testnum, inst, flags, result, raw1)                \
    TEST_BEGIN(testnum)                                                 \
    LOAD_RAW(fa0, raw1)                                                 \
    li a4, 0x5a5a;                                                      \
    fsflags x0;                                                         \
    inst a4, fa0, rtz;                                                  \
    frflags a5;                                                         \
    CHECK(a4, result)                                                   \
    CHECK(a5, flags)

#define TEST_NB_CVT_D(testnum, flags, result64, raw1)                   \
    TEST_BEGIN(testnum)                                                 \
    LOAD_RAW(fa0, raw1)                                                 \
    fsflags x0;                                                         \
    fcvt.d.s fa3, fa0;                                                  \
    NB_CHECK(flags, result64)

RVTEST_CODE_BEGIN

    // Properly boxed inputs work as usual; results are boxed
    TEST_NB_OP2R(1, fadd.s, 0, 0xffffffff40400000, 0xffffffff3f800000, 0xffffffff40000000)  // fadd.s(1.0f, 2.0f)
    TEST_NB_OP2R(2, fmul.s, 0, 0xffffffff40800000, 0xffffffff40000000, 0xffffffff40000000)  // fmul.s(2.0f, 2.0f)
    TEST_NB_OP1(3, fsqrt.s, 0, 0xffffffff40000000, 0xffffffff40800000)  // fsqrt.s(4.0f)
    TEST_NB_OP3(4, fmadd.s, 0, 0xffffffff40400000, 0xffffffff40000000, 0xffffffff40000000, 0xffffffffbf800000)  // fmadd.s(2.0f, 2.0f, -1.0f)

    // Improperly boxed inputs are the canonical NaN (quiet: no NV)
    TEST_NB_OP2R(5, fadd.s, 0, 0xffffffff7fc00000, 0x000000003f800000, 0xffffffff3f800000)  // fadd.s(unboxed 1.0f, 1.0f)
    TEST_NB_OP2R(6, fadd.s, 0, 0xffffffff7fc00000, 0xffffffff3f800000, 0x7fffffff3f800000)  // fadd.s(1.0f, bit 63 clear)
    TEST_NB_OP2R(7, fsub.s, 0, 0xffffffff7fc00000, 0xfffffffe3f800000, 0xffffffff3f800000)  // fsub.s(bit 32 clear, 1.0f)
    TEST_NB_OP2R(8, fmul.s, 0, 0xffffffff7fc00000, 0x3ff0000000000000, 0xffffffff40000000)  // fmul.s(double 1.0, 2.0f)
    TEST_NB_OP2R(9, fdiv.s, 0, 0xffffffff7fc00000, 0xffffffff3f800000, 0x000000003f800000)  // fdiv.s(1.0f, unboxed 1.0f); a NaN divisor, not a zero: no DZ
    TEST_NB_OP2R(10, fadd.s, 0, 0xffffffff7fc00000, 0xfffffff07f800001, 0xffffffff3f800000)  // fadd.s(unboxed sNaN bits, 1.0f); low half is an sNaN pattern, but the input is a quiet NaN
    TEST_NB_OP2R(11, fadd.s, FF_NV, 0xffffffff7fc00000, 0xffffffff7f800001, 0xffffffff3f800000)  // fadd.s(boxed sNaN, 1.0f); a properly boxed sNaN is signaling
    TEST_NB_OP1(12, fsqrt.s, 0, 0xffffffff7fc00000, 0x00000000bf800000)  // fsqrt.s(unboxed -1.0f); not sqrt(-1): no NV
    TEST_NB_OP3(13, fmadd.s, 0, 0xffffffff7fc00000, 0xffffffff3f800000, 0xffffffff3f800000, 0x000000003f800000)  // fmadd.s(1.0f, 1.0f, unboxed 1.0f)
    TEST_NB_OP3(14, fmadd.s, FF_NV, 0xffffffff7fc00000, 0xffffffff7f800000, 0xffffffff00000000, 0x000000003f800000)  // fmadd.s(+inf, +0.0f, unboxed 1.0f); inf*0 with a NaN addend is still NV
    TEST_NB_OP3(15, fnmsub.s, 0, 0xffffffff7fc00000, 0x00000000bf800000, 0xffffffff3f800000, 0xffffffff3f800000)  // fnmsub.s(unboxed -1.0f, 1.0f, 1.0f)
    TEST_NB_OP2(16, fmin.s, 0, 0xffffffff40000000, 0x000000003f800000, 0xffffffff40000000)  // fmin.s(unboxed 1.0f, 2.0f); the NaN operand is ignored
    TEST_NB_OP2(17, fmin.s, 0, 0xffffffff40000000, 0xffffffff40000000, 0x00000000bf800000)  // fmin.s(2.0f, unboxed -1.0f); not min(2, -1)
    TEST_NB_OP2(18, fmax.s, 0, 0xffffffffbf800000, 0x00000000bf800000, 0xffffffffbf800000)  // fmax.s(unboxed -1.0f, -1.0f)
    TEST_NB_OP2(19, fmax.s, 0, 0xffffffff7fc00000, 0x000000003f800000, 0x00000000bf800000)  // fmax.s(unboxed 1.0f, unboxed -1.0f); two NaNs: canonical NaN

    // Compares and fclass see a quiet NaN
    TEST_NB_CMP(20, feq.s, 0, 0, 0x000000003f800000, 0x000000003f800000)  // feq.s(unboxed 1.0f, unboxed 1.0f); NaN != NaN
    TEST_NB_CMP(21, feq.s, 0, 0, 0x000000003f800000, 0xffffffff3f800000)  // feq.s(unboxed 1.0f, 1.0f)
    TEST_NB_CMP(22, flt.s, FF_NV, 0, 0x00000000bf800000, 0xffffffff3f800000)  // flt.s(unboxed -1.0f, 1.0f); not -1 < 1: NaN, NV
    TEST_NB_CMP(23, fle.s, FF_NV, 0, 0xffffffff3f800000, 0x7fffffff3f800000)  // fle.s(1.0f, bit 63 clear)
    TEST_NB_CMP(24, fle.s, 0, 1, 0xffffffff3f800000, 0xffffffff3f800000)  // fle.s(1.0f, 1.0f)
    TEST_NB_TO_X(25, fclass.s, 0, 1 << 9, 0x000000003f800000)  // fclass.s(unboxed 1.0f)
    TEST_NB_TO_X(26, fclass.s, 0, 1 << 9, 0x00000000bf800000)  // fclass.s(unboxed -1.0f)
    TEST_NB_TO_X(27, fclass.s, 0, 1 << 9, 0xfffffff07f800001)  // fclass.s(unboxed sNaN bits)
    TEST_NB_TO_X(28, fclass.s, 0, 1 << 9, 0x3ff0000000000000)  // fclass.s(double 1.0)
    TEST_NB_TO_X(29, fclass.s, 0, 1 << 8, 0xffffffff7f800001)  // fclass.s(boxed sNaN)
    TEST_NB_TO_X(30, fclass.s, 0, 1 << 1, 0xffffffffbf800000)  // fclass.s(-1.0f)

    // Conversions see a NaN
    TEST_NB_FCVT(31, fcvt.w.s, FF_NV, 0x7fffffff, 0x000000003f800000)  // fcvt.w.s(unboxed 1.0f)
    TEST_NB_FCVT(32, fcvt.l.s, FF_NV, 0x7fffffffffffffff, 0x00000000bf800000)  // fcvt.l.s(unboxed -1.0f); not -1
    TEST_NB_FCVT(33, fcvt.wu.s, FF_NV, 0xffffffffffffffff, 0x3ff0000000000000)  // fcvt.wu.s(double 1.0)
    TEST_NB_CVT_D(34, 0, 0x7ff8000000000000, 0x000000003f800000)  // fcvt.d.s(unboxed 1.0f): canonical double NaN
    TEST_NB_CVT_D(35, 0, 0x7ff8000000000000, 0x00000000bf800000)  // fcvt.d.s(unboxed -1.0f)
    TEST_NB_CVT_D(36, 0, 0xbff0000000000000, 0xffffffffbf800000)  // fcvt.d.s(-1.0f)

    // Sign injection: an improperly boxed rs1 or rs2 is the canonical NaN 0x7fc00000
    // (positive), and the result is boxed
    TEST_NB_OP2(37, fsgnj.s, 0, 0xffffffffffc00000, 0x000000003f800000, 0xffffffffbf800000)  // fsgnj.s(unboxed 1.0f, -1.0f); NaN with the sign of -1
    TEST_NB_OP2(38, fsgnj.s, 0, 0xffffffff3f800000, 0xffffffff3f800000, 0x00000000bf800000)  // fsgnj.s(1.0f, unboxed -1.0f); sign of the canonical NaN (+), not of -1.0f
    TEST_NB_OP2(39, fsgnjn.s, 0, 0xffffffffbf800000, 0xffffffff3f800000, 0x000000003f800000)  // fsgnjn.s(1.0f, unboxed 1.0f)
    TEST_NB_OP2(40, fsgnjn.s, 0, 0xffffffffbf800000, 0xffffffff3f800000, 0x00000000bf800000)  // fsgnjn.s(1.0f, unboxed -1.0f)
    TEST_NB_OP2(41, fsgnjx.s, 0, 0xffffffffbf800000, 0xffffffffbf800000, 0x00000000bf800000)  // fsgnjx.s(-1.0f, unboxed -1.0f); xor with +: stays -1
    TEST_NB_OP2(42, fsgnj.s, 0, 0xffffffff7fc00000, 0xfffffff07f800001, 0xfffffff07f800001)  // fsgnj.s(unboxed sNaN bits, unboxed sNaN bits); fmv.s of an unboxed value gives the canonical NaN
    TEST_NB_OP2(43, fsgnjn.s, 0, 0xffffffffffc00000, 0x00000000bf800000, 0x00000000bf800000)  // fsgnjn.s(unboxed -1.0f, unboxed -1.0f); fneg.s
    TEST_NB_OP2(44, fsgnjx.s, 0, 0xffffffff7fc00000, 0x7fffffff3f800000, 0x7fffffff3f800000)  // fsgnjx.s(bit 63 clear, bit 63 clear); fabs.s

    // Transfers ignore the upper half: fmv.x.w and fsw move bits 31:0
    TEST_NB_TO_X(45, fmv.x.w, 0, 0x3f800000, 0x000000003f800000)  // fmv.x.w(unboxed 1.0f)
    TEST_NB_TO_X(46, fmv.x.w, 0, 0xffffffffbf800000, 0x00000000bf800000)  // fmv.x.w(unboxed -1.0f)
    TEST_NB_TO_X(47, fmv.x.w, 0, 0x7f800001, 0xfffffff07f800001)  // fmv.x.w(unboxed sNaN bits)
    TEST_NB_TO_X(48, fmv.x.w, 0, 0, 0x3ff0000000000000)  // fmv.x.w(double 1.0)
    TEST_BEGIN(49)  // fsw of an unboxed register stores bits 31:0
    addi sp, sp, -16
    li t0, -1
    sd t0, 0(sp)
    LOAD_RAW(fa0, 0x123456783f800000)
    fsw fa0, 0(sp)
    ld a4, 0(sp)
    addi sp, sp, 16
    CHECK(a4, 0xffffffff3f800000)

    // Every single-precision write boxes its result
    TEST_BEGIN(50)  // fmv.w.x ignores bits 63:32 of rs1
    li a1, 0x123456783f800000
    fmv.w.x fa3, a1
    fmv.x.d a4, fa3
    CHECK(a4, 0xffffffff3f800000)
    li a1, 0x000000007f800001
    fmv.w.x fa3, a1
    fmv.x.d a4, fa3
    CHECK(a4, 0xffffffff7f800001)

    TEST_BEGIN(51)  // flw overwrites the old upper half
    LOAD_RAW(fa3, 0x0123456789abcdef)
    addi sp, sp, -16
    li t0, 0x40490fdb
    sw t0, 0(sp)
    flw fa3, 0(sp)
    addi sp, sp, 16
    fmv.x.d a4, fa3
    CHECK(a4, 0xffffffff40490fdb)

    TEST_BEGIN(52)  // conversions into single
    LOAD_RAW(fa3, 0)
    li a1, 5
    fcvt.s.w fa3, a1, rne
    fmv.x.d a4, fa3
    CHECK(a4, 0xffffffff40a00000)
    LOAD_RAW(fa3, 0)
    li a1, -1
    fcvt.s.lu fa3, a1, rtz
    fmv.x.d a4, fa3
    CHECK(a4, 0xffffffff5f7fffff)
    LOAD_RAW(fa3, 0)
    LOAD_RAW(fa0, 0x3ff0000000000000)
    fcvt.s.d fa3, fa0, rne
    fmv.x.d a4, fa3
    CHECK(a4, 0xffffffff3f800000)
    LOAD_RAW(fa3, 0)
    LOAD_RAW(fa0, 0x7ff0000000000001)
    fcvt.s.d fa3, fa0, rne
    fmv.x.d a4, fa3
    CHECK(a4, 0xffffffff7fc00000)

    TEST_BEGIN(53)  // rd = rs1: an unboxed input replaced by a boxed result
    LOAD_RAW(fa0, 0x000000003f800000)
    fadd.s fa0, fa0, fa0, rne
    fmv.x.d a4, fa0
    CHECK(a4, 0xffffffff7fc00000)
    LOAD_RAW(fa1, 0xffffffff3f800000)
    fsgnjn.s fa1, fa1, fa1
    fmv.x.d a4, fa1
    CHECK(a4, 0xffffffffbf800000)

    // Double operations on a boxed single: just a 64-bit quiet NaN
    TEST_BEGIN(54)
    LOAD_RAW(fa0, 0xffffffff3f800000)
    LOAD_RAW(fa1, 0x3ff0000000000000)
    fsflags x0
    fadd.d fa3, fa0, fa1, rne
    NB_CHECK(0, 0x7ff8000000000000)
    TEST_BEGIN(55)
    LOAD_RAW(fa0, 0xffffffff3f800000)
    fclass.d a4, fa0
    CHECK(a4, 1 << 9)
    LOAD_RAW(fa0, 0xffffffff3f800000)
    fmv.x.d a4, fa0
    CHECK(a4, 0xffffffff3f800000)

RVTEST_CODE_END
