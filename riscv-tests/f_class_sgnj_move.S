// F: FCLASS.S, FSGNJ.S, FSGNJN.S, FSGNJX.S (and fmv/fneg/fabs.s), FMV.X.W, FMV.W.X
// Sign injection "produce[s] a result that takes all bits except the sign
// bit from rs1"; the sign comes from rs2 (FSGNJ), its inverse (FSGNJN) or
// the xor of both signs (FSGNJX). These, fclass and the fmv moves are
// bit manipulations: no NaN canonicalization and no exception flags
// (not even for signaling NaNs).
// Flags: FF_NV 0x10, FF_DZ 0x08, FF_OF 0x04, FF_UF 0x02, FF_NX 0x01.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // FCLASS.S: one-hot 10-bit mask, upper bits of rd zero, no flags:
    // 0 -inf, 1 -normal, 2 -subnormal, 3 -0, 4 +0, 5 +subnormal, 6 +normal,
    // 7 +inf, 8 signaling NaN, 9 quiet NaN
    TEST_FP_CLASS(1, s, fclass.s, 1 << 0, 0xff800000)  // -inf
    TEST_FP_CLASS(2, s, fclass.s, 1 << 1, 0xff7fffff)  // -max
    TEST_FP_CLASS(3, s, fclass.s, 1 << 1, 0xbf800000)  // -1
    TEST_FP_CLASS(4, s, fclass.s, 1 << 1, 0x80800000)  // -minnorm
    TEST_FP_CLASS(5, s, fclass.s, 1 << 2, 0x807fffff)  // -maxsub
    TEST_FP_CLASS(6, s, fclass.s, 1 << 2, 0x80000001)  // -minsub
    TEST_FP_CLASS(7, s, fclass.s, 1 << 3, 0x80000000)  // -0
    TEST_FP_CLASS(8, s, fclass.s, 1 << 4, 0x00000000)  // +0
    TEST_FP_CLASS(9, s, fclass.s, 1 << 5, 0x00000001)  // minsub
    TEST_FP_CLASS(10, s, fclass.s, 1 << 5, 0x007fffff)  // maxsub
    TEST_FP_CLASS(11, s, fclass.s, 1 << 6, 0x00800000)  // minnorm
    TEST_FP_CLASS(12, s, fclass.s, 1 << 6, 0x3f800000)  // 1
    TEST_FP_CLASS(13, s, fclass.s, 1 << 6, 0x7f7fffff)  // max
    TEST_FP_CLASS(14, s, fclass.s, 1 << 7, 0x7f800000)  // inf
    TEST_FP_CLASS(15, s, fclass.s, 1 << 8, 0x7f800001)  // snan
    TEST_FP_CLASS(16, s, fclass.s, 1 << 8, 0x7fa00345)  // snanp
    TEST_FP_CLASS(17, s, fclass.s, 1 << 8, 0xff800001)  // -snan
    TEST_FP_CLASS(18, s, fclass.s, 1 << 8, 0x7fbfffff)  // 0x7fbfffff
    TEST_FP_CLASS(19, s, fclass.s, 1 << 9, 0x7fc00000)  // qnan
    TEST_FP_CLASS(20, s, fclass.s, 1 << 9, 0x7fc12345)  // qnanp
    TEST_FP_CLASS(21, s, fclass.s, 1 << 9, 0xffc00000)  // -qnan
    TEST_FP_CLASS(22, s, fclass.s, 1 << 9, 0x7fffffff)  // 0x7fffffff

    // FSGNJ.S: sign = sign(rs2); other bits from rs1, NaNs untouched, no flags
    TEST_FP_OP2_NORM(23, s, fsgnj.s, 0, 0x3f800000, 0x3f800000, 0x40000000)  // fsgnj(1, 2)
    TEST_FP_OP2_NORM(24, s, fsgnj.s, 0, 0xbf800000, 0x3f800000, 0xc0000000)  // fsgnj(1, -2)
    TEST_FP_OP2_NORM(25, s, fsgnj.s, 0, 0x3f800000, 0xbf800000, 0x40000000)  // fsgnj(-1, 2)
    TEST_FP_OP2_NORM(26, s, fsgnj.s, 0, 0xbf800000, 0xbf800000, 0xc0000000)  // fsgnj(-1, -2)
    TEST_FP_OP2_NORM(27, s, fsgnj.s, 0, 0x80000000, 0x00000000, 0x80000000)  // fsgnj(+0, -0)
    TEST_FP_OP2_NORM(28, s, fsgnj.s, 0, 0x80000000, 0x80000000, 0x80000000)  // fsgnj(-0, -0)
    TEST_FP_OP2_NORM(29, s, fsgnj.s, 0, 0xff800000, 0x7f800000, 0xbf800000)  // fsgnj(inf, -1)
    TEST_FP_OP2_NORM(30, s, fsgnj.s, 0, 0x7f7fffff, 0xff7fffff, 0x00000001)  // fsgnj(-max, minsub)
    TEST_FP_OP2_NORM(31, s, fsgnj.s, 0, 0x80000001, 0x80000001, 0xffc00000)  // fsgnj(-minsub, -qnan)
    TEST_FP_OP2_NORM(32, s, fsgnj.s, 0, 0xffc12345, 0x7fc12345, 0xbf800000)  // fsgnj(qnanp, -1)
    TEST_FP_OP2_NORM(33, s, fsgnj.s, 0, 0xff800001, 0x7f800001, 0xbf800000)  // fsgnj(snan, -1)
    TEST_FP_OP2_NORM(34, s, fsgnj.s, 0, 0x7fa00345, 0xffa00345, 0x3f800000)  // fsgnj(-snanp, 1)
    TEST_FP_OP2_NORM(35, s, fsgnj.s, 0, 0x7fc00000, 0x7fc00000, 0x7f800001)  // fsgnj(qnan, snan)

    // FSGNJN.S: sign = !sign(rs2); other bits from rs1, NaNs untouched, no flags
    TEST_FP_OP2_NORM(36, s, fsgnjn.s, 0, 0xbf800000, 0x3f800000, 0x40000000)  // fsgnjn(1, 2)
    TEST_FP_OP2_NORM(37, s, fsgnjn.s, 0, 0x3f800000, 0x3f800000, 0xc0000000)  // fsgnjn(1, -2)
    TEST_FP_OP2_NORM(38, s, fsgnjn.s, 0, 0xbf800000, 0xbf800000, 0x40000000)  // fsgnjn(-1, 2)
    TEST_FP_OP2_NORM(39, s, fsgnjn.s, 0, 0x3f800000, 0xbf800000, 0xc0000000)  // fsgnjn(-1, -2)
    TEST_FP_OP2_NORM(40, s, fsgnjn.s, 0, 0x00000000, 0x00000000, 0x80000000)  // fsgnjn(+0, -0)
    TEST_FP_OP2_NORM(41, s, fsgnjn.s, 0, 0x00000000, 0x80000000, 0x80000000)  // fsgnjn(-0, -0)
    TEST_FP_OP2_NORM(42, s, fsgnjn.s, 0, 0x7f800000, 0x7f800000, 0xbf800000)  // fsgnjn(inf, -1)
    TEST_FP_OP2_NORM(43, s, fsgnjn.s, 0, 0xff7fffff, 0xff7fffff, 0x00000001)  // fsgnjn(-max, minsub)
    TEST_FP_OP2_NORM(44, s, fsgnjn.s, 0, 0x00000001, 0x80000001, 0xffc00000)  // fsgnjn(-minsub, -qnan)
    TEST_FP_OP2_NORM(45, s, fsgnjn.s, 0, 0x7fc12345, 0x7fc12345, 0xbf800000)  // fsgnjn(qnanp, -1)
    TEST_FP_OP2_NORM(46, s, fsgnjn.s, 0, 0x7f800001, 0x7f800001, 0xbf800000)  // fsgnjn(snan, -1)
    TEST_FP_OP2_NORM(47, s, fsgnjn.s, 0, 0xffa00345, 0xffa00345, 0x3f800000)  // fsgnjn(-snanp, 1)
    TEST_FP_OP2_NORM(48, s, fsgnjn.s, 0, 0xffc00000, 0x7fc00000, 0x7f800001)  // fsgnjn(qnan, snan)

    // FSGNJX.S: sign = sign(rs1) ^ sign(rs2); other bits from rs1, NaNs untouched, no flags
    TEST_FP_OP2_NORM(49, s, fsgnjx.s, 0, 0x3f800000, 0x3f800000, 0x40000000)  // fsgnjx(1, 2)
    TEST_FP_OP2_NORM(50, s, fsgnjx.s, 0, 0xbf800000, 0x3f800000, 0xc0000000)  // fsgnjx(1, -2)
    TEST_FP_OP2_NORM(51, s, fsgnjx.s, 0, 0xbf800000, 0xbf800000, 0x40000000)  // fsgnjx(-1, 2)
    TEST_FP_OP2_NORM(52, s, fsgnjx.s, 0, 0x3f800000, 0xbf800000, 0xc0000000)  // fsgnjx(-1, -2)
    TEST_FP_OP2_NORM(53, s, fsgnjx.s, 0, 0x80000000, 0x00000000, 0x80000000)  // fsgnjx(+0, -0)
    TEST_FP_OP2_NORM(54, s, fsgnjx.s, 0, 0x00000000, 0x80000000, 0x80000000)  // fsgnjx(-0, -0)
    TEST_FP_OP2_NORM(55, s, fsgnjx.s, 0, 0xff800000, 0x7f800000, 0xbf800000)  // fsgnjx(inf, -1)
    TEST_FP_OP2_NORM(56, s, fsgnjx.s, 0, 0xff7fffff, 0xff7fffff, 0x00000001)  // fsgnjx(-max, minsub)
    TEST_FP_OP2_NORM(57, s, fsgnjx.s, 0, 0x00000001, 0x80000001, 0xffc00000)  // fsgnjx(-minsub, -qnan)
    TEST_FP_OP2_NORM(58, s, fsgnjx.s, 0, 0xffc12345, 0x7fc12345, 0xbf800000)  // fsgnjx(qnanp, -1)
    TEST_FP_OP2_NORM(59, s, fsgnjx.s, 0, 0xff800001, 0x7f800001, 0xbf800000)  // fsgnjx(snan, -1)
    TEST_FP_OP2_NORM(60, s, fsgnjx.s, 0, 0xffa00345, 0xffa00345, 0x3f800000)  // fsgnjx(-snanp, 1)
    TEST_FP_OP2_NORM(61, s, fsgnjx.s, 0, 0x7fc00000, 0x7fc00000, 0x7f800001)  // fsgnjx(qnan, snan)

    // Pseudo-instructions with rs1 = rs2: fmv (fsgnj), fneg (fsgnjn), fabs (fsgnjx)
    TEST_FP_OP1_NORM(62, s, fmv.s, 0, 0xbf800000, 0xbf800000)  // fmv(-1)
    TEST_FP_OP1_NORM(63, s, fmv.s, 0, 0x7fa00345, 0x7fa00345)  // fmv(snanp)
    TEST_FP_OP1_NORM(64, s, fneg.s, 0, 0xbf800000, 0x3f800000)  // fneg(1)
    TEST_FP_OP1_NORM(65, s, fneg.s, 0, 0x00000000, 0x80000000)  // fneg(-0)
    TEST_FP_OP1_NORM(66, s, fneg.s, 0, 0xffc00000, 0x7fc00000)  // fneg(qnan)
    TEST_FP_OP1_NORM(67, s, fneg.s, 0, 0x7f800001, 0xff800001)  // fneg(-snan)
    TEST_FP_OP1_NORM(68, s, fabs.s, 0, 0x3f800000, 0xbf800000)  // fabs(-1)
    TEST_FP_OP1_NORM(69, s, fabs.s, 0, 0x00000000, 0x80000000)  // fabs(-0)
    TEST_FP_OP1_NORM(70, s, fabs.s, 0, 0x7fc12345, 0xffc12345)  // fabs(-qnanp)
    TEST_FP_OP1_NORM(71, s, fabs.s, 0, 0x7f800000, 0x7f800000)  // fabs(inf)

    // fsgnj with rd = rs1 / rd = rs2
    TEST_BEGIN(72)
    FP_LOAD_s(fa3, 0x40400000)
    FP_LOAD_s(fa1, 0x80000000)
    fsgnj.s fa3, fa3, fa1
    FP_CHECK_RESULT(s, 0, 0xc0400000)
    FP_LOAD_s(fa0, 0x40a00000)
    fsgnjx.s fa1, fa0, fa1
    CHECK_FREG(s, fa1, 0xc0a00000)

    // FMV.X.W: low 32 bits, sign-extended, bit pattern untouched (no NaN
    // canonicalization, no flags). FMV.W.X: low 32 bits of rs1, NaN-boxed.
    TEST_BEGIN(73)  // fmv.w.x / fmv.x.w of 0x3f800000
    li a1, 0x3f800000
    li a4, 0x5a5a
    fsflags x0
    fmv.w.x fa0, a1
    fmv.x.w a4, fa0
    frflags a5
    CHECK(a4, 0x3f800000)
    CHECK(a5, 0)
    TEST_BEGIN(74)  // fmv.w.x / fmv.x.w of 0x80000000
    li a1, 0x80000000
    li a4, 0x5a5a
    fsflags x0
    fmv.w.x fa0, a1
    fmv.x.w a4, fa0
    frflags a5
    CHECK(a4, 0xffffffff80000000)
    CHECK(a5, 0)
    TEST_BEGIN(75)  // fmv.w.x / fmv.x.w of 0xbf800000
    li a1, 0xbf800000
    li a4, 0x5a5a
    fsflags x0
    fmv.w.x fa0, a1
    fmv.x.w a4, fa0
    frflags a5
    CHECK(a4, 0xffffffffbf800000)
    CHECK(a5, 0)
    TEST_BEGIN(76)  // fmv.w.x / fmv.x.w of 0x7f800001
    li a1, 0x7f800001
    li a4, 0x5a5a
    fsflags x0
    fmv.w.x fa0, a1
    fmv.x.w a4, fa0
    frflags a5
    CHECK(a4, 0x7f800001)
    CHECK(a5, 0)
    TEST_BEGIN(77)  // fmv.w.x / fmv.x.w of 0xff812345
    li a1, 0xff812345
    li a4, 0x5a5a
    fsflags x0
    fmv.w.x fa0, a1
    fmv.x.w a4, fa0
    frflags a5
    CHECK(a4, 0xffffffffff812345)
    CHECK(a5, 0)
    TEST_BEGIN(78)  // fmv.w.x / fmv.x.w of 0x7fc12345
    li a1, 0x7fc12345
    li a4, 0x5a5a
    fsflags x0
    fmv.w.x fa0, a1
    fmv.x.w a4, fa0
    frflags a5
    CHECK(a4, 0x7fc12345)
    CHECK(a5, 0)
    TEST_BEGIN(79)  // fmv.w.x / fmv.x.w of 0x12345678c0490fdb
    li a1, 0x12345678c0490fdb
    li a4, 0x5a5a
    fsflags x0
    fmv.w.x fa0, a1
    fmv.x.w a4, fa0
    frflags a5
    CHECK(a4, 0xffffffffc0490fdb)
    CHECK(a5, 0)
    TEST_BEGIN(80)  // fmv.w.x / fmv.x.w of 0xffffffff00000000
    li a1, 0xffffffff00000000
    li a4, 0x5a5a
    fsflags x0
    fmv.w.x fa0, a1
    fmv.x.w a4, fa0
    frflags a5
    CHECK(a4, 0)
    CHECK(a5, 0)

    // fmv.x.w of an arithmetic result (the canonical NaN)
    TEST_BEGIN(81)
    FP_LOAD_s(fa0, 0xff800000)
    FP_LOAD_s(fa1, 0x7f800000)
    fadd.s fa2, fa0, fa1
    fmv.x.w a4, fa2
    CHECK(a4, 0x7fc00000)
    CHECK_FFLAGS(FF_NV)

RVTEST_CODE_END
