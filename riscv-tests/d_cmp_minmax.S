// D: FEQ.D, FLT.D, FLE.D, FMIN.D, FMAX.D
// "FEQ performs a quiet comparison: it only sets the invalid operation
// exception flag if either input is a signaling NaN. FLT and FLE perform
// what the IEEE 754-2008 standard refers to as signaling comparisons: that
// is, they set the invalid operation exception flag if either input is a
// NaN." All three write 0 to rd when either operand is NaN; rd is 0 or 1
// (the full 64-bit register is compared; it starts as 0x5a5a).
// FMIN/FMAX: "-0.0 is considered to be less than +0.0. If both inputs are
// NaNs, the result is the canonical NaN. If only one operand is a NaN, the
// result is the non-NaN operand. Signaling NaN inputs set the invalid
// operation exception flag, even when the result is not NaN."
// Flags: FF_NV 0x10, FF_DZ 0x08, FF_OF 0x04, FF_UF 0x02, FF_NX 0x01.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // FEQ.D: quiet compare (NV only for signaling NaN inputs)
    TEST_FP_CMP(1, d, feq.d, 0, 1, 0x3ff0000000000000, 0x3ff0000000000000)  // 1 == 1
    TEST_FP_CMP(2, d, feq.d, 0, 0, 0x3ff0000000000000, 0x4000000000000000)  // 1 == 2
    TEST_FP_CMP(3, d, feq.d, 0, 0, 0xbff0000000000000, 0x3ff0000000000000)  // -1 == 1
    TEST_FP_CMP(4, d, feq.d, 0, 1, 0x0000000000000000, 0x8000000000000000)  // +0 == -0; +0 == -0
    TEST_FP_CMP(5, d, feq.d, 0, 1, 0x8000000000000000, 0x0000000000000000)  // -0 == +0
    TEST_FP_CMP(6, d, feq.d, 0, 1, 0x7ff0000000000000, 0x7ff0000000000000)  // inf == inf
    TEST_FP_CMP(7, d, feq.d, 0, 0, 0xfff0000000000000, 0x7ff0000000000000)  // -inf == inf
    TEST_FP_CMP(8, d, feq.d, 0, 1, 0x0000000000000001, 0x0000000000000001)  // minsub == minsub
    TEST_FP_CMP(9, d, feq.d, 0, 0, 0x0000000000000001, 0x8000000000000001)  // minsub == -minsub
    TEST_FP_CMP(10, d, feq.d, 0, 0, 0x7fefffffffffffff, 0x7ff0000000000000)  // max == inf
    TEST_FP_CMP(11, d, feq.d, 0, 0, 0x7ff8000000000000, 0x7ff8000000000000)  // qnan == qnan; NaN != NaN, no flag
    TEST_FP_CMP(12, d, feq.d, 0, 0, 0x7ff8000000000000, 0x3ff0000000000000)  // qnan == 1
    TEST_FP_CMP(13, d, feq.d, 0, 0, 0x3ff0000000000000, 0x7ff8000000012345)  // 1 == qnanp
    TEST_FP_CMP(14, d, feq.d, FF_NV, 0, 0x7ff0000000000001, 0x3ff0000000000000)  // snan == 1; NV
    TEST_FP_CMP(15, d, feq.d, FF_NV, 0, 0x3ff0000000000000, 0xfff0000000000001)  // 1 == -snan
    TEST_FP_CMP(16, d, feq.d, FF_NV, 0, 0x7ff0000000000001, 0x7ff0000000000001)  // snan == snan
    // FLT.D: signaling compare (NV for any NaN input)
    TEST_FP_CMP(17, d, flt.d, 0, 1, 0x3ff0000000000000, 0x4000000000000000)  // 1 < 2
    TEST_FP_CMP(18, d, flt.d, 0, 0, 0x4000000000000000, 0x3ff0000000000000)  // 2 < 1
    TEST_FP_CMP(19, d, flt.d, 0, 0, 0x3ff0000000000000, 0x3ff0000000000000)  // 1 < 1
    TEST_FP_CMP(20, d, flt.d, 0, 1, 0xc000000000000000, 0xbff0000000000000)  // -2 < -1
    TEST_FP_CMP(21, d, flt.d, 0, 0, 0xbff0000000000000, 0xc000000000000000)  // -1 < -2
    TEST_FP_CMP(22, d, flt.d, 0, 0, 0x8000000000000000, 0x0000000000000000)  // -0 < +0; equal: not less
    TEST_FP_CMP(23, d, flt.d, 0, 0, 0x0000000000000000, 0x8000000000000000)  // +0 < -0
    TEST_FP_CMP(24, d, flt.d, 0, 1, 0x8000000000000001, 0x0000000000000000)  // -minsub < +0
    TEST_FP_CMP(25, d, flt.d, 0, 1, 0x0000000000000001, 0x0010000000000000)  // minsub < minnorm
    TEST_FP_CMP(26, d, flt.d, 0, 1, 0xfff0000000000000, 0xffefffffffffffff)  // -inf < -max
    TEST_FP_CMP(27, d, flt.d, 0, 1, 0x7fefffffffffffff, 0x7ff0000000000000)  // max < inf
    TEST_FP_CMP(28, d, flt.d, 0, 0, 0x7ff0000000000000, 0x7ff0000000000000)  // inf < inf
    TEST_FP_CMP(29, d, flt.d, FF_NV, 0, 0x7ff8000000000000, 0x3ff0000000000000)  // qnan < 1; NV
    TEST_FP_CMP(30, d, flt.d, FF_NV, 0, 0x3ff0000000000000, 0x7ff8000000000000)  // 1 < qnan
    TEST_FP_CMP(31, d, flt.d, FF_NV, 0, 0xfff0000000000000, 0x7ff8000000000000)  // -inf < qnan
    TEST_FP_CMP(32, d, flt.d, FF_NV, 0, 0x7ff0000000000001, 0x3ff0000000000000)  // snan < 1
    TEST_FP_CMP(33, d, flt.d, FF_NV, 0, 0x7ff8000000000000, 0x7ff8000000000000)  // qnan < qnan
    // FLE.D: signaling compare (NV for any NaN input)
    TEST_FP_CMP(34, d, fle.d, 0, 1, 0x3ff0000000000000, 0x4000000000000000)  // 1 <= 2
    TEST_FP_CMP(35, d, fle.d, 0, 0, 0x4000000000000000, 0x3ff0000000000000)  // 2 <= 1
    TEST_FP_CMP(36, d, fle.d, 0, 1, 0x3ff0000000000000, 0x3ff0000000000000)  // 1 <= 1
    TEST_FP_CMP(37, d, fle.d, 0, 0, 0xbff0000000000000, 0xc000000000000000)  // -1 <= -2
    TEST_FP_CMP(38, d, fle.d, 0, 1, 0x8000000000000000, 0x0000000000000000)  // -0 <= +0
    TEST_FP_CMP(39, d, fle.d, 0, 1, 0x0000000000000000, 0x8000000000000000)  // +0 <= -0
    TEST_FP_CMP(40, d, fle.d, 0, 1, 0xfff0000000000000, 0xfff0000000000000)  // -inf <= -inf
    TEST_FP_CMP(41, d, fle.d, 0, 0, 0x7ff0000000000000, 0xfff0000000000000)  // inf <= -inf
    TEST_FP_CMP(42, d, fle.d, 0, 1, 0x000fffffffffffff, 0x0010000000000000)  // maxsub <= minnorm
    TEST_FP_CMP(43, d, fle.d, 0, 1, 0x8010000000000000, 0x800fffffffffffff)  // -minnorm <= -maxsub
    TEST_FP_CMP(44, d, fle.d, FF_NV, 0, 0x7ff8000000000000, 0x3ff0000000000000)  // qnan <= 1; NV
    TEST_FP_CMP(45, d, fle.d, FF_NV, 0, 0x3ff0000000000000, 0x7ff8000000000000)  // 1 <= qnan
    TEST_FP_CMP(46, d, fle.d, FF_NV, 0, 0x7ff8000000000000, 0x7ff8000000000000)  // qnan <= qnan
    TEST_FP_CMP(47, d, fle.d, FF_NV, 0, 0x3ff0000000000000, 0x7ff0000000000001)  // 1 <= snan
    // FMIN.D: -0 < +0; one NaN operand -> the other operand; two NaNs -> canonical NaN;
    // NV iff an input is a signaling NaN (even if the result is the other operand)
    TEST_FP_OP2_NORM(48, d, fmin.d, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0x4000000000000000)  // min(1, 2)
    TEST_FP_OP2_NORM(49, d, fmin.d, 0, 0x3ff0000000000000, 0x4000000000000000, 0x3ff0000000000000)  // min(2, 1)
    TEST_FP_OP2_NORM(50, d, fmin.d, 0, 0xbff0000000000000, 0xbff0000000000000, 0x3ff0000000000000)  // min(-1, 1)
    TEST_FP_OP2_NORM(51, d, fmin.d, 0, 0xc000000000000000, 0xbff0000000000000, 0xc000000000000000)  // min(-1, -2)
    TEST_FP_OP2_NORM(52, d, fmin.d, 0, 0x8000000000000000, 0x8000000000000000, 0x0000000000000000)  // min(-0, +0)
    TEST_FP_OP2_NORM(53, d, fmin.d, 0, 0x8000000000000000, 0x0000000000000000, 0x8000000000000000)  // min(+0, -0)
    TEST_FP_OP2_NORM(54, d, fmin.d, 0, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000)  // min(-0, -0)
    TEST_FP_OP2_NORM(55, d, fmin.d, 0, 0xfff0000000000000, 0xfff0000000000000, 0x7fefffffffffffff)  // min(-inf, max)
    TEST_FP_OP2_NORM(56, d, fmin.d, 0, 0xffefffffffffffff, 0x7ff0000000000000, 0xffefffffffffffff)  // min(inf, -max)
    TEST_FP_OP2_NORM(57, d, fmin.d, 0, 0x8000000000000001, 0x0000000000000001, 0x8000000000000001)  // min(minsub, -minsub)
    TEST_FP_OP2_NORM(58, d, fmin.d, 0, 0x0000000000000001, 0x0000000000000001, 0x000fffffffffffff)  // min(minsub, maxsub)
    TEST_FP_OP2_NORM(59, d, fmin.d, 0, 0x7ff0000000000000, 0x7ff0000000000000, 0x7ff0000000000000)  // min(inf, inf)
    TEST_FP_OP2_NORM(60, d, fmin.d, 0, 0x3ff0000000000000, 0x7ff8000000000000, 0x3ff0000000000000)  // min(qnan, 1)
    TEST_FP_OP2_NORM(61, d, fmin.d, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff8000000000000)  // min(1, qnan)
    TEST_FP_OP2_NORM(62, d, fmin.d, 0, 0xbff0000000000000, 0xfff8000000012345, 0xbff0000000000000)  // min(-qnanp, -1)
    TEST_FP_OP2_NORM(63, d, fmin.d, 0, 0xfff0000000000000, 0x7ff8000000000000, 0xfff0000000000000)  // min(qnan, -inf)
    TEST_FP_OP2_NORM(64, d, fmin.d, FF_NV, 0x3ff0000000000000, 0x7ff0000000000001, 0x3ff0000000000000)  // min(snan, 1)
    TEST_FP_OP2_NORM(65, d, fmin.d, FF_NV, 0xbff0000000000000, 0xbff0000000000000, 0x7ff0000000000001)  // min(-1, snan)
    TEST_FP_OP2_NORM(66, d, fmin.d, 0, 0x7ff8000000000000, 0x7ff8000000000000, 0x7ff8000000000000)  // min(qnan, qnan); canonical NaN
    TEST_FP_OP2_NORM(67, d, fmin.d, 0, 0x7ff8000000000000, 0x7ff8000000012345, 0xfff8000000012345)  // min(qnanp, -qnanp); payload dropped
    TEST_FP_OP2_NORM(68, d, fmin.d, FF_NV, 0x7ff8000000000000, 0x7ff0000000000001, 0x7ff8000000000000)  // min(snan, qnan)
    TEST_FP_OP2_NORM(69, d, fmin.d, FF_NV, 0x7ff8000000000000, 0xfff0000000000001, 0xfff0000000000001)  // min(-snan, -snan)
    TEST_FP_OP2_NORM(70, d, fmin.d, 0, 0x8000000000000000, 0x7ff8000000000000, 0x8000000000000000)  // min(qnan, -0)
    // FMAX.D: -0 < +0; one NaN operand -> the other operand; two NaNs -> canonical NaN;
    // NV iff an input is a signaling NaN (even if the result is the other operand)
    TEST_FP_OP2_NORM(71, d, fmax.d, 0, 0x4000000000000000, 0x3ff0000000000000, 0x4000000000000000)  // max(1, 2)
    TEST_FP_OP2_NORM(72, d, fmax.d, 0, 0x4000000000000000, 0x4000000000000000, 0x3ff0000000000000)  // max(2, 1)
    TEST_FP_OP2_NORM(73, d, fmax.d, 0, 0x3ff0000000000000, 0xbff0000000000000, 0x3ff0000000000000)  // max(-1, 1)
    TEST_FP_OP2_NORM(74, d, fmax.d, 0, 0xbff0000000000000, 0xbff0000000000000, 0xc000000000000000)  // max(-1, -2)
    TEST_FP_OP2_NORM(75, d, fmax.d, 0, 0x0000000000000000, 0x8000000000000000, 0x0000000000000000)  // max(-0, +0)
    TEST_FP_OP2_NORM(76, d, fmax.d, 0, 0x0000000000000000, 0x0000000000000000, 0x8000000000000000)  // max(+0, -0)
    TEST_FP_OP2_NORM(77, d, fmax.d, 0, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000)  // max(-0, -0)
    TEST_FP_OP2_NORM(78, d, fmax.d, 0, 0x7fefffffffffffff, 0xfff0000000000000, 0x7fefffffffffffff)  // max(-inf, max)
    TEST_FP_OP2_NORM(79, d, fmax.d, 0, 0x7ff0000000000000, 0x7ff0000000000000, 0xffefffffffffffff)  // max(inf, -max)
    TEST_FP_OP2_NORM(80, d, fmax.d, 0, 0x0000000000000001, 0x0000000000000001, 0x8000000000000001)  // max(minsub, -minsub)
    TEST_FP_OP2_NORM(81, d, fmax.d, 0, 0x000fffffffffffff, 0x0000000000000001, 0x000fffffffffffff)  // max(minsub, maxsub)
    TEST_FP_OP2_NORM(82, d, fmax.d, 0, 0x7ff0000000000000, 0x7ff0000000000000, 0x7ff0000000000000)  // max(inf, inf)
    TEST_FP_OP2_NORM(83, d, fmax.d, 0, 0x3ff0000000000000, 0x7ff8000000000000, 0x3ff0000000000000)  // max(qnan, 1)
    TEST_FP_OP2_NORM(84, d, fmax.d, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff8000000000000)  // max(1, qnan)
    TEST_FP_OP2_NORM(85, d, fmax.d, 0, 0xbff0000000000000, 0xfff8000000012345, 0xbff0000000000000)  // max(-qnanp, -1)
    TEST_FP_OP2_NORM(86, d, fmax.d, 0, 0xfff0000000000000, 0x7ff8000000000000, 0xfff0000000000000)  // max(qnan, -inf)
    TEST_FP_OP2_NORM(87, d, fmax.d, FF_NV, 0x3ff0000000000000, 0x7ff0000000000001, 0x3ff0000000000000)  // max(snan, 1)
    TEST_FP_OP2_NORM(88, d, fmax.d, FF_NV, 0xbff0000000000000, 0xbff0000000000000, 0x7ff0000000000001)  // max(-1, snan)
    TEST_FP_OP2_NORM(89, d, fmax.d, 0, 0x7ff8000000000000, 0x7ff8000000000000, 0x7ff8000000000000)  // max(qnan, qnan); canonical NaN
    TEST_FP_OP2_NORM(90, d, fmax.d, 0, 0x7ff8000000000000, 0x7ff8000000012345, 0xfff8000000012345)  // max(qnanp, -qnanp); payload dropped
    TEST_FP_OP2_NORM(91, d, fmax.d, FF_NV, 0x7ff8000000000000, 0x7ff0000000000001, 0x7ff8000000000000)  // max(snan, qnan)
    TEST_FP_OP2_NORM(92, d, fmax.d, FF_NV, 0x7ff8000000000000, 0xfff0000000000001, 0xfff0000000000001)  // max(-snan, -snan)
    TEST_FP_OP2_NORM(93, d, fmax.d, 0, 0x8000000000000000, 0x7ff8000000000000, 0x8000000000000000)  // max(qnan, -0)

RVTEST_CODE_END
