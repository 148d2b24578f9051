// D: FCLASS.D, FSGNJ.D, FSGNJN.D, FSGNJX.D (and fmv/fneg/fabs.d), FMV.X.D, FMV.D.X
// Sign injection "produce[s] a result that takes all bits except the sign
// bit from rs1"; the sign comes from rs2 (FSGNJ), its inverse (FSGNJN) or
// the xor of both signs (FSGNJX). These, fclass and the fmv moves are
// bit manipulations: no NaN canonicalization and no exception flags
// (not even for signaling NaNs).
// Flags: FF_NV 0x10, FF_DZ 0x08, FF_OF 0x04, FF_UF 0x02, FF_NX 0x01.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // FCLASS.D: one-hot 10-bit mask, upper bits of rd zero, no flags:
    // 0 -inf, 1 -normal, 2 -subnormal, 3 -0, 4 +0, 5 +subnormal, 6 +normal,
    // 7 +inf, 8 signaling NaN, 9 quiet NaN
    TEST_FP_CLASS(1, d, fclass.d, 1 << 0, 0xfff0000000000000)  // -inf
    TEST_FP_CLASS(2, d, fclass.d, 1 << 1, 0xffefffffffffffff)  // -max
    TEST_FP_CLASS(3, d, fclass.d, 1 << 1, 0xbff0000000000000)  // -1
    TEST_FP_CLASS(4, d, fclass.d, 1 << 1, 0x8010000000000000)  // -minnorm
    TEST_FP_CLASS(5, d, fclass.d, 1 << 2, 0x800fffffffffffff)  // -maxsub
    TEST_FP_CLASS(6, d, fclass.d, 1 << 2, 0x8000000000000001)  // -minsub
    TEST_FP_CLASS(7, d, fclass.d, 1 << 3, 0x8000000000000000)  // -0
    TEST_FP_CLASS(8, d, fclass.d, 1 << 4, 0x0000000000000000)  // +0
    TEST_FP_CLASS(9, d, fclass.d, 1 << 5, 0x0000000000000001)  // minsub
    TEST_FP_CLASS(10, d, fclass.d, 1 << 5, 0x000fffffffffffff)  // maxsub
    TEST_FP_CLASS(11, d, fclass.d, 1 << 6, 0x0010000000000000)  // minnorm
    TEST_FP_CLASS(12, d, fclass.d, 1 << 6, 0x3ff0000000000000)  // 1
    TEST_FP_CLASS(13, d, fclass.d, 1 << 6, 0x7fefffffffffffff)  // max
    TEST_FP_CLASS(14, d, fclass.d, 1 << 7, 0x7ff0000000000000)  // inf
    TEST_FP_CLASS(15, d, fclass.d, 1 << 8, 0x7ff0000000000001)  // snan
    TEST_FP_CLASS(16, d, fclass.d, 1 << 8, 0x7ff4000000000345)  // snanp
    TEST_FP_CLASS(17, d, fclass.d, 1 << 8, 0xfff0000000000001)  // -snan
    TEST_FP_CLASS(18, d, fclass.d, 1 << 8, 0x7ff7ffffffffffff)  // 0x7ff7ffffffffffff
    TEST_FP_CLASS(19, d, fclass.d, 1 << 9, 0x7ff8000000000000)  // qnan
    TEST_FP_CLASS(20, d, fclass.d, 1 << 9, 0x7ff8000000012345)  // qnanp
    TEST_FP_CLASS(21, d, fclass.d, 1 << 9, 0xfff8000000000000)  // -qnan
    TEST_FP_CLASS(22, d, fclass.d, 1 << 9, 0x7fffffffffffffff)  // 0x7fffffffffffffff

    // FSGNJ.D: sign = sign(rs2); other bits from rs1, NaNs untouched, no flags
    TEST_FP_OP2_NORM(23, d, fsgnj.d, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0x4000000000000000)  // fsgnj(1, 2)
    TEST_FP_OP2_NORM(24, d, fsgnj.d, 0, 0xbff0000000000000, 0x3ff0000000000000, 0xc000000000000000)  // fsgnj(1, -2)
    TEST_FP_OP2_NORM(25, d, fsgnj.d, 0, 0x3ff0000000000000, 0xbff0000000000000, 0x4000000000000000)  // fsgnj(-1, 2)
    TEST_FP_OP2_NORM(26, d, fsgnj.d, 0, 0xbff0000000000000, 0xbff0000000000000, 0xc000000000000000)  // fsgnj(-1, -2)
    TEST_FP_OP2_NORM(27, d, fsgnj.d, 0, 0x8000000000000000, 0x0000000000000000, 0x8000000000000000)  // fsgnj(+0, -0)
    TEST_FP_OP2_NORM(28, d, fsgnj.d, 0, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000)  // fsgnj(-0, -0)
    TEST_FP_OP2_NORM(29, d, fsgnj.d, 0, 0xfff0000000000000, 0x7ff0000000000000, 0xbff0000000000000)  // fsgnj(inf, -1)
    TEST_FP_OP2_NORM(30, d, fsgnj.d, 0, 0x7fefffffffffffff, 0xffefffffffffffff, 0x0000000000000001)  // fsgnj(-max, minsub)
    TEST_FP_OP2_NORM(31, d, fsgnj.d, 0, 0x8000000000000001, 0x8000000000000001, 0xfff8000000000000)  // fsgnj(-minsub, -qnan)
    TEST_FP_OP2_NORM(32, d, fsgnj.d, 0, 0xfff8000000012345, 0x7ff8000000012345, 0xbff0000000000000)  // fsgnj(qnanp, -1)
    TEST_FP_OP2_NORM(33, d, fsgnj.d, 0, 0xfff0000000000001, 0x7ff0000000000001, 0xbff0000000000000)  // fsgnj(snan, -1)
    TEST_FP_OP2_NORM(34, d, fsgnj.d, 0, 0x7ff4000000000345, 0xfff4000000000345, 0x3ff0000000000000)  // fsgnj(-snanp, 1)
    TEST_FP_OP2_NORM(35, d, fsgnj.d, 0, 0x7ff8000000000000, 0x7ff8000000000000, 0x7ff0000000000001)  // fsgnj(qnan, snan)

    // FSGNJN.D: sign = !sign(rs2); other bits from rs1, NaNs untouched, no flags
    TEST_FP_OP2_NORM(36, d, fsgnjn.d, 0, 0xbff0000000000000, 0x3ff0000000000000, 0x4000000000000000)  // fsgnjn(1, 2)
    TEST_FP_OP2_NORM(37, d, fsgnjn.d, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0xc000000000000000)  // fsgnjn(1, -2)
    TEST_FP_OP2_NORM(38, d, fsgnjn.d, 0, 0xbff0000000000000, 0xbff0000000000000, 0x4000000000000000)  // fsgnjn(-1, 2)
    TEST_FP_OP2_NORM(39, d, fsgnjn.d, 0, 0x3ff0000000000000, 0xbff0000000000000, 0xc000000000000000)  // fsgnjn(-1, -2)
    TEST_FP_OP2_NORM(40, d, fsgnjn.d, 0, 0x0000000000000000, 0x0000000000000000, 0x8000000000000000)  // fsgnjn(+0, -0)
    TEST_FP_OP2_NORM(41, d, fsgnjn.d, 0, 0x0000000000000000, 0x8000000000000000, 0x8000000000000000)  // fsgnjn(-0, -0)
    TEST_FP_OP2_NORM(42, d, fsgnjn.d, 0, 0x7ff0000000000000, 0x7ff0000000000000, 0xbff0000000000000)  // fsgnjn(inf, -1)
    TEST_FP_OP2_NORM(43, d, fsgnjn.d, 0, 0xffefffffffffffff, 0xffefffffffffffff, 0x0000000000000001)  // fsgnjn(-max, minsub)
    TEST_FP_OP2_NORM(44, d, fsgnjn.d, 0, 0x0000000000000001, 0x8000000000000001, 0xfff8000000000000)  // fsgnjn(-minsub, -qnan)
    TEST_FP_OP2_NORM(45, d, fsgnjn.d, 0, 0x7ff8000000012345, 0x7ff8000000012345, 0xbff0000000000000)  // fsgnjn(qnanp, -1)
    TEST_FP_OP2_NORM(46, d, fsgnjn.d, 0, 0x7ff0000000000001, 0x7ff0000000000001, 0xbff0000000000000)  // fsgnjn(snan, -1)
    TEST_FP_OP2_NORM(47, d, fsgnjn.d, 0, 0xfff4000000000345, 0xfff4000000000345, 0x3ff0000000000000)  // fsgnjn(-snanp, 1)
    TEST_FP_OP2_NORM(48, d, fsgnjn.d, 0, 0xfff8000000000000, 0x7ff8000000000000, 0x7ff0000000000001)  // fsgnjn(qnan, snan)

    // FSGNJX.D: sign = sign(rs1) ^ sign(rs2); other bits from rs1, NaNs untouched, no flags
    TEST_FP_OP2_NORM(49, d, fsgnjx.d, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0x4000000000000000)  // fsgnjx(1, 2)
    TEST_FP_OP2_NORM(50, d, fsgnjx.d, 0, 0xbff0000000000000, 0x3ff0000000000000, 0xc000000000000000)  // fsgnjx(1, -2)
    TEST_FP_OP2_NORM(51, d, fsgnjx.d, 0, 0xbff0000000000000, 0xbff0000000000000, 0x4000000000000000)  // fsgnjx(-1, 2)
    TEST_FP_OP2_NORM(52, d, fsgnjx.d, 0, 0x3ff0000000000000, 0xbff0000000000000, 0xc000000000000000)  // fsgnjx(-1, -2)
    TEST_FP_OP2_NORM(53, d, fsgnjx.d, 0, 0x8000000000000000, 0x0000000000000000, 0x8000000000000000)  // fsgnjx(+0, -0)
    TEST_FP_OP2_NORM(54, d, fsgnjx.d, 0, 0x0000000000000000, 0x8000000000000000, 0x8000000000000000)  // fsgnjx(-0, -0)
    TEST_FP_OP2_NORM(55, d, fsgnjx.d, 0, 0xfff0000000000000, 0x7ff0000000000000, 0xbff0000000000000)  // fsgnjx(inf, -1)
    TEST_FP_OP2_NORM(56, d, fsgnjx.d, 0, 0xffefffffffffffff, 0xffefffffffffffff, 0x0000000000000001)  // fsgnjx(-max, minsub)
    TEST_FP_OP2_NORM(57, d, fsgnjx.d, 0, 0x0000000000000001, 0x8000000000000001, 0xfff8000000000000)  // fsgnjx(-minsub, -qnan)
    TEST_FP_OP2_NORM(58, d, fsgnjx.d, 0, 0xfff8000000012345, 0x7ff8000000012345, 0xbff0000000000000)  // fsgnjx(qnanp, -1)
    TEST_FP_OP2_NORM(59, d, fsgnjx.d, 0, 0xfff0000000000001, 0x7ff0000000000001, 0xbff0000000000000)  // fsgnjx(snan, -1)
    TEST_FP_OP2_NORM(60, d, fsgnjx.d, 0, 0xfff4000000000345, 0xfff4000000000345, 0x3ff0000000000000)  // fsgnjx(-snanp, 1)
    TEST_FP_OP2_NORM(61, d, fsgnjx.d, 0, 0x7ff8000000000000, 0x7ff8000000000000, 0x7ff0000000000001)  // fsgnjx(qnan, snan)

    // Pseudo-instructions with rs1 = rs2: fmv (fsgnj), fneg (fsgnjn), fabs (fsgnjx)
    TEST_FP_OP1_NORM(62, d, fmv.d, 0, 0xbff0000000000000, 0xbff0000000000000)  // fmv(-1)
    TEST_FP_OP1_NORM(63, d, fmv.d, 0, 0x7ff4000000000345, 0x7ff4000000000345)  // fmv(snanp)
    TEST_FP_OP1_NORM(64, d, fneg.d, 0, 0xbff0000000000000, 0x3ff0000000000000)  // fneg(1)
    TEST_FP_OP1_NORM(65, d, fneg.d, 0, 0x0000000000000000, 0x8000000000000000)  // fneg(-0)
    TEST_FP_OP1_NORM(66, d, fneg.d, 0, 0xfff8000000000000, 0x7ff8000000000000)  // fneg(qnan)
    TEST_FP_OP1_NORM(67, d, fneg.d, 0, 0x7ff0000000000001, 0xfff0000000000001)  // fneg(-snan)
    TEST_FP_OP1_NORM(68, d, fabs.d, 0, 0x3ff0000000000000, 0xbff0000000000000)  // fabs(-1)
    TEST_FP_OP1_NORM(69, d, fabs.d, 0, 0x0000000000000000, 0x8000000000000000)  // fabs(-0)
    TEST_FP_OP1_NORM(70, d, fabs.d, 0, 0x7ff8000000012345, 0xfff8000000012345)  // fabs(-qnanp)
    TEST_FP_OP1_NORM(71, d, fabs.d, 0, 0x7ff0000000000000, 0x7ff0000000000000)  // fabs(inf)

    // fsgnj with rd = rs1 / rd = rs2
    TEST_BEGIN(72)
    FP_LOAD_d(fa3, 0x4008000000000000)
    FP_LOAD_d(fa1, 0x8000000000000000)
    fsgnj.d fa3, fa3, fa1
    FP_CHECK_RESULT(d, 0, 0xc008000000000000)
    FP_LOAD_d(fa0, 0x4014000000000000)
    fsgnjx.d fa1, fa0, fa1
    CHECK_FREG(d, fa1, 0xc014000000000000)

    // FMV.X.D / FMV.D.X: 64-bit bit-exact moves, no flags
    TEST_BEGIN(73)  // fmv.d.x / fmv.x.d of 0x3ff0000000000000
    li a1, 0x3ff0000000000000
    li a4, 0x5a5a
    fsflags x0
    fmv.d.x fa0, a1
    fmv.x.d a4, fa0
    frflags a5
    CHECK(a4, 0x3ff0000000000000)
    CHECK(a5, 0)
    TEST_BEGIN(74)  // fmv.d.x / fmv.x.d of 0x8000000000000000
    li a1, 0x8000000000000000
    li a4, 0x5a5a
    fsflags x0
    fmv.d.x fa0, a1
    fmv.x.d a4, fa0
    frflags a5
    CHECK(a4, 0x8000000000000000)
    CHECK(a5, 0)
    TEST_BEGIN(75)  // fmv.d.x / fmv.x.d of 0x7ff0000000000001
    li a1, 0x7ff0000000000001
    li a4, 0x5a5a
    fsflags x0
    fmv.d.x fa0, a1
    fmv.x.d a4, fa0
    frflags a5
    CHECK(a4, 0x7ff0000000000001)
    CHECK(a5, 0)
    TEST_BEGIN(76)  // fmv.d.x / fmv.x.d of 0xfff0000000012345
    li a1, 0xfff0000000012345
    li a4, 0x5a5a
    fsflags x0
    fmv.d.x fa0, a1
    fmv.x.d a4, fa0
    frflags a5
    CHECK(a4, 0xfff0000000012345)
    CHECK(a5, 0)
    TEST_BEGIN(77)  // fmv.d.x / fmv.x.d of 0x7ff8000000000000
    li a1, 0x7ff8000000000000
    li a4, 0x5a5a
    fsflags x0
    fmv.d.x fa0, a1
    fmv.x.d a4, fa0
    frflags a5
    CHECK(a4, 0x7ff8000000000000)
    CHECK(a5, 0)
    TEST_BEGIN(78)  // fmv.d.x / fmv.x.d of 1
    li a1, 1
    li a4, 0x5a5a
    fsflags x0
    fmv.d.x fa0, a1
    fmv.x.d a4, fa0
    frflags a5
    CHECK(a4, 1)
    CHECK(a5, 0)
    TEST_BEGIN(79)  // fmv.d.x / fmv.x.d of 0xffffffff3f800000
    li a1, 0xffffffff3f800000
    li a4, 0x5a5a
    fsflags x0
    fmv.d.x fa0, a1
    fmv.x.d a4, fa0
    frflags a5
    CHECK(a4, 0xffffffff3f800000)
    CHECK(a5, 0)
    TEST_BEGIN(80)  // fmv.d.x / fmv.x.d of 0x123456789abcdef0
    li a1, 0x123456789abcdef0
    li a4, 0x5a5a
    fsflags x0
    fmv.d.x fa0, a1
    fmv.x.d a4, fa0
    frflags a5
    CHECK(a4, 0x123456789abcdef0)
    CHECK(a5, 0)

    // fmv.x.d of an arithmetic result (the canonical NaN)
    TEST_BEGIN(81)
    FP_LOAD_d(fa0, 0xfff0000000000000)
    FP_LOAD_d(fa1, 0x7ff0000000000000)
    fadd.d fa2, fa0, fa1
    fmv.x.d a4, fa2
    CHECK(a4, 0x7ff8000000000000)
    CHECK_FFLAGS(FF_NV)

RVTEST_CODE_END
