// fcsr, frm, fflags with the F and D extensions present (csr.S covers the
// plain CSR read/write semantics).
// "The accrued exception flags indicate the exception conditions that have
// arisen on any floating-point arithmetic instruction since the field was
// last reset by software": instructions only OR flags in, never clear them.
// "Floating-point operations use either a static rounding mode encoded in the
// instruction, or a dynamic rounding mode held in frm ... A value of 111 in
// the instruction's rm field selects the dynamic rounding mode held in frm.
// If frm is set to an invalid value (101-111), any subsequent attempt to
// execute a floating-point operation with a dynamic rounding mode will raise
// an illegal instruction exception." Instructions with a static rm (or no rm)
// are unaffected by an invalid frm (case 9).
// A write to rd = x0 is discarded but the flags are still raised (case 10).
//
// Not tested (they raise illegal-instruction, which a Linux user test cannot
// survive): rm = 101/110 in an instruction, rm = 111 (dyn) while frm is 5, 6
// or 7. mstatus.FS is not visible from user mode.
// Flags: FF_NV 0x10, FF_DZ 0x08, FF_OF 0x04, FF_UF 0x02, FF_NX 0x01.

#include "test_macros.h"

.option norvc

#define LOAD_S(freg, val) li t0, val; fmv.w.x freg, t0
#define LOAD_D(freg, val) li t0, val; fmv.d.x freg, t0

RVTEST_CODE_BEGIN

    // A new process starts with fcsr = 0 (RNE, no flags)
    TEST_BEGIN(1)
    frcsr a4
    CHECK(a4, 0)

    // Flags accrue across instructions (single and double alike)
    TEST_BEGIN(2)
    fsflags x0
    LOAD_S(fa0, 0x3f800000)             // 1.0f
    LOAD_S(fa1, 0x40400000)             // 3.0f
    fdiv.s fa2, fa0, fa1, rne           // 1/3: NX
    frflags a4
    CHECK(a4, FF_NX)
    fmv.w.x fa3, x0
    fdiv.s fa2, fa0, fa3, rne           // 1/0: DZ
    frflags a4
    CHECK(a4, FF_NX|FF_DZ)
    fadd.s fa2, fa0, fa0, rne           // exact: no change
    frflags a4
    CHECK(a4, FF_NX|FF_DZ)
    LOAD_D(ft0, 0xbff0000000000000)     // -1.0
    fsqrt.d ft1, ft0, rne               // NV
    frflags a4
    CHECK(a4, FF_NV|FF_NX|FF_DZ)
    LOAD_D(ft0, 0x7fefffffffffffff)
    fadd.d ft1, ft0, ft0, rne           // OF|NX
    frflags a4
    CHECK(a4, FF_NV|FF_DZ|FF_OF|FF_NX)
    LOAD_S(fa0, 0x00000001)
    LOAD_S(fa1, 0x3f000000)
    fmul.s fa2, fa0, fa1, rne           // UF|NX
    frflags a4
    CHECK(a4, 0x1f)

    // fcsr = frm << 5 | fflags; writing frm leaves the flags alone
    TEST_BEGIN(3)
    fsrmi 2
    frcsr a4
    CHECK(a4, 0x5f)
    fsrmi a4, 4                         // returns the old frm
    CHECK(a4, 2)
    frflags a4
    CHECK(a4, 0x1f)
    frcsr a4
    CHECK(a4, 0x9f)

    // Flags written by software are kept and added to
    TEST_BEGIN(4)
    fscsr x0
    fsflagsi FF_NV
    LOAD_S(fa0, 0x3f800000)
    fadd.s fa2, fa0, fa0, rne           // exact
    frflags a4
    CHECK(a4, FF_NV)
    LOAD_S(fa1, 0x40400000)
    fdiv.s fa2, fa0, fa1, rne           // NX
    frcsr a4
    CHECK(a4, FF_NV|FF_NX)
    csrrci a4, CSR_FFLAGS, FF_NV        // clear one flag, keep the other
    CHECK(a4, FF_NV|FF_NX)
    frflags a4
    CHECK(a4, FF_NX)

    // fsrm / fsflags / fscsr swap forms return the old value
    TEST_BEGIN(5)
    fscsr x0
    li a1, 3
    fsrm a4, a1
    CHECK(a4, 0)
    li a1, 1
    fsrm a4, a1
    CHECK(a4, 3)
    li a1, 0x15
    fsflags a4, a1
    CHECK(a4, 0)
    li a1, 0x82                         // frm 4, flags UF
    fscsr a4, a1
    CHECK(a4, 0x35)
    frrm a4
    CHECK(a4, 4)
    frflags a4
    CHECK(a4, FF_UF)

    // rm = dyn follows frm, however frm was written (fsrm, fscsr, csrrs, csrrw)
    // fadd.s 1 + 2^-24: RNE 1, RUP 1+2^-23; fcvt.w.s -2.5: RNE -2, RMM -3, RDN -3
    TEST_BEGIN(6)
    LOAD_S(fa0, 0x3f800000)
    LOAD_S(fa1, 0x33800000)
    LOAD_S(fa2, 0xc0200000)             // -2.5
    fscsr x0
    fadd.s fa3, fa0, fa1, dyn
    fmv.x.w a4, fa3
    CHECK(a4, 0x3f800000)
    fcvt.w.s a4, fa2, dyn
    CHECK(a4, -2)
    li a1, 0x60                         // fcsr: frm = RUP
    fscsr a1
    fadd.s fa3, fa0, fa1, dyn
    fmv.x.w a4, fa3
    CHECK(a4, 0x3f800001)
    fcvt.w.s a4, fa2, dyn
    CHECK(a4, -2)
    csrrci x0, CSR_FRM, 3               // frm = 0 (RNE)
    csrrsi x0, CSR_FRM, 4               // frm = 4 (RMM)
    fadd.s fa3, fa0, fa1, dyn
    fmv.x.w a4, fa3
    CHECK(a4, 0x3f800001)
    fcvt.w.s a4, fa2, dyn
    CHECK(a4, -3)
    li a1, 2
    csrrw x0, CSR_FRM, a1               // RDN
    fcvt.w.s a4, fa2, dyn
    CHECK(a4, -3)
    fadd.s fa3, fa0, fa1, dyn
    fmv.x.w a4, fa3
    CHECK(a4, 0x3f800000)
    fsrmi 1                             // RTZ
    fcvt.w.s a4, fa2, dyn
    CHECK(a4, -2)
    frflags a4
    CHECK(a4, FF_NX)
    frrm a4
    CHECK(a4, 1)

    // dyn for double operations and conversions as well
    TEST_BEGIN(7)
    LOAD_D(ft0, 0x3ff0000000000000)     // 1.0
    LOAD_D(ft1, 0x3ca0000000000000)     // 2^-53
    fsrmi 3                             // RUP
    fadd.d ft2, ft0, ft1, dyn
    fmv.x.d a4, ft2
    CHECK(a4, 0x3ff0000000000001)
    LOAD_D(ft3, 0x3fb999999999999a)     // 0.1
    fcvt.s.d fa0, ft3, dyn
    fmv.x.w a4, fa0
    CHECK(a4, 0x3dcccccd)
    fsrmi 1                             // RTZ
    fcvt.s.d fa0, ft3, dyn
    fmv.x.w a4, fa0
    CHECK(a4, 0x3dcccccc)
    li a1, 0x20000001                   // 2^29+1
    fcvt.s.l fa0, a1, dyn
    fmv.x.w a4, fa0
    CHECK(a4, 0x4e000000)
    fsrmi 3
    fcvt.s.l fa0, a1, dyn
    fmv.x.w a4, fa0
    CHECK(a4, 0x4e000001)

    // A static rm wins over frm
    TEST_BEGIN(8)
    LOAD_S(fa0, 0x3f800000)
    LOAD_S(fa1, 0x33800000)
    fsrmi 3                             // RUP
    fadd.s fa3, fa0, fa1, rne
    fmv.x.w a4, fa3
    CHECK(a4, 0x3f800000)
    fsrmi 0
    fadd.s fa3, fa0, fa1, rup
    fmv.x.w a4, fa3
    CHECK(a4, 0x3f800001)

    // An invalid frm (5, 6, 7) is harmless for instructions that do not use it
    TEST_BEGIN(9)
    fscsr x0
    fsrmi 5
    LOAD_S(fa0, 0x3f800000)
    LOAD_S(fa1, 0x33800000)
    fadd.s fa3, fa0, fa1, rup
    fmv.x.w a4, fa3
    CHECK(a4, 0x3f800001)
    fsrmi 6
    fmin.s fa3, fa0, fa1
    fmv.x.w a4, fa3
    CHECK(a4, 0x33800000)
    fsgnjn.s fa3, fa0, fa0
    fmv.x.w a4, fa3
    CHECK(a4, 0xffffffffbf800000)
    fsrmi 7
    feq.s a4, fa0, fa0
    CHECK(a4, 1)
    fclass.s a4, fa1
    CHECK(a4, 1 << 6)
    fcvt.d.s ft0, fa0                   // exact, rm field encoded 000
    fmv.x.d a4, ft0
    CHECK(a4, 0x3ff0000000000000)
    li a1, -7
    fcvt.d.w ft0, a1
    fmv.x.d a4, ft0
    CHECK(a4, 0xc01c000000000000)
    fcvt.w.s a4, fa0, rtz
    CHECK(a4, 1)
    fmadd.d ft1, ft0, ft0, ft0, rne     // 49 - 7
    fmv.x.d a4, ft1
    CHECK(a4, 0x4045000000000000)
    frrm a4
    CHECK(a4, 7)
    frflags a4
    CHECK(a4, FF_NX)
    fscsr x0

    // rd = x0: the result is dropped, the flags are not
    TEST_BEGIN(10)
    LOAD_S(fa0, 0x7f800001)             // sNaN
    LOAD_S(fa1, 0x3f800000)
    fsflags x0
    feq.s x0, fa0, fa1
    CHECK_FFLAGS(FF_NV)
    LOAD_D(ft0, 0x7ff8000000000000)     // qNaN
    flt.d x0, ft0, ft0
    CHECK_FFLAGS(FF_NV)
    fcvt.w.s x0, fa0, rtz
    CHECK_FFLAGS(FF_NV)
    LOAD_D(ft0, 0x3fe0000000000000)     // 0.5
    fcvt.l.d x0, ft0, rne
    CHECK_FFLAGS(FF_NX)
    fclass.s x0, fa0
    CHECK_FFLAGS(0)

    // Moves, sign injection, fclass, loads and stores neither set nor clear
    // flags, even on signaling NaNs
    TEST_BEGIN(11)
    fsflagsi 0x1f
    LOAD_S(fa0, 0x7f800001)
    LOAD_D(ft0, 0xfff0000000000001)
    fsgnj.s fa1, fa0, fa0
    fsgnjx.d ft1, ft0, ft0
    fmv.x.w a4, fa0
    fmv.x.d a4, ft0
    fclass.d a4, ft0
    addi sp, sp, -16
    fsd ft0, 0(sp)
    fld ft2, 0(sp)
    fsw fa0, 8(sp)
    flw fa2, 8(sp)
    addi sp, sp, 16
    frflags a4
    CHECK(a4, 0x1f)
    fsflags x0
    fsgnj.s fa1, fa0, fa0
    fsgnjx.d ft1, ft0, ft0
    fclass.d a4, ft0
    fmv.w.x fa3, x0
    frflags a4
    CHECK(a4, 0)
    fmv.x.d a4, ft2
    CHECK(a4, 0xfff0000000000001)
    fmv.x.w a4, fa2
    CHECK(a4, 0x7f800001)

    // Flags from both widths accumulate in the same field; fcsr write clears
    TEST_BEGIN(12)
    fscsr x0
    LOAD_S(fa0, 0x7f7fffff)
    fmul.s fa1, fa0, fa0, rne           // OF|NX
    LOAD_D(ft0, 0x3ff0000000000000)
    fmv.d.x ft1, x0
    fdiv.d ft2, ft0, ft1, rne           // DZ
    frcsr a4
    CHECK(a4, FF_DZ|FF_OF|FF_NX)
    fscsr x0
    frcsr a4
    CHECK(a4, 0)

RVTEST_CODE_END
