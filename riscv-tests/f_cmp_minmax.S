// F: FEQ.S, FLT.S, FLE.S, FMIN.S, FMAX.S
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

    // FEQ.S: quiet compare (NV only for signaling NaN inputs)
    TEST_FP_CMP(1, s, feq.s, 0, 1, 0x3f800000, 0x3f800000)  // 1 == 1
    TEST_FP_CMP(2, s, feq.s, 0, 0, 0x3f800000, 0x40000000)  // 1 == 2
    TEST_FP_CMP(3, s, feq.s, 0, 0, 0xbf800000, 0x3f800000)  // -1 == 1
    TEST_FP_CMP(4, s, feq.s, 0, 1, 0x00000000, 0x80000000)  // +0 == -0; +0 == -0
    TEST_FP_CMP(5, s, feq.s, 0, 1, 0x80000000, 0x00000000)  // -0 == +0
    TEST_FP_CMP(6, s, feq.s, 0, 1, 0x7f800000, 0x7f800000)  // inf == inf
    TEST_FP_CMP(7, s, feq.s, 0, 0, 0xff800000, 0x7f800000)  // -inf == inf
    TEST_FP_CMP(8, s, feq.s, 0, 1, 0x00000001, 0x00000001)  // minsub == minsub
    TEST_FP_CMP(9, s, feq.s, 0, 0, 0x00000001, 0x80000001)  // minsub == -minsub
    TEST_FP_CMP(10, s, feq.s, 0, 0, 0x7f7fffff, 0x7f800000)  // max == inf
    TEST_FP_CMP(11, s, feq.s, 0, 0, 0x7fc00000, 0x7fc00000)  // qnan == qnan; NaN != NaN, no flag
    TEST_FP_CMP(12, s, feq.s, 0, 0, 0x7fc00000, 0x3f800000)  // qnan == 1
    TEST_FP_CMP(13, s, feq.s, 0, 0, 0x3f800000, 0x7fc12345)  // 1 == qnanp
    TEST_FP_CMP(14, s, feq.s, FF_NV, 0, 0x7f800001, 0x3f800000)  // snan == 1; NV
    TEST_FP_CMP(15, s, feq.s, FF_NV, 0, 0x3f800000, 0xff800001)  // 1 == -snan
    TEST_FP_CMP(16, s, feq.s, FF_NV, 0, 0x7f800001, 0x7f800001)  // snan == snan
    // FLT.S: signaling compare (NV for any NaN input)
    TEST_FP_CMP(17, s, flt.s, 0, 1, 0x3f800000, 0x40000000)  // 1 < 2
    TEST_FP_CMP(18, s, flt.s, 0, 0, 0x40000000, 0x3f800000)  // 2 < 1
    TEST_FP_CMP(19, s, flt.s, 0, 0, 0x3f800000, 0x3f800000)  // 1 < 1
    TEST_FP_CMP(20, s, flt.s, 0, 1, 0xc0000000, 0xbf800000)  // -2 < -1
    TEST_FP_CMP(21, s, flt.s, 0, 0, 0xbf800000, 0xc0000000)  // -1 < -2
    TEST_FP_CMP(22, s, flt.s, 0, 0, 0x80000000, 0x00000000)  // -0 < +0; equal: not less
    TEST_FP_CMP(23, s, flt.s, 0, 0, 0x00000000, 0x80000000)  // +0 < -0
    TEST_FP_CMP(24, s, flt.s, 0, 1, 0x80000001, 0x00000000)  // -minsub < +0
    TEST_FP_CMP(25, s, flt.s, 0, 1, 0x00000001, 0x00800000)  // minsub < minnorm
    TEST_FP_CMP(26, s, flt.s, 0, 1, 0xff800000, 0xff7fffff)  // -inf < -max
    TEST_FP_CMP(27, s, flt.s, 0, 1, 0x7f7fffff, 0x7f800000)  // max < inf
    TEST_FP_CMP(28, s, flt.s, 0, 0, 0x7f800000, 0x7f800000)  // inf < inf
    TEST_FP_CMP(29, s, flt.s, FF_NV, 0, 0x7fc00000, 0x3f800000)  // qnan < 1; NV
    TEST_FP_CMP(30, s, flt.s, FF_NV, 0, 0x3f800000, 0x7fc00000)  // 1 < qnan
    TEST_FP_CMP(31, s, flt.s, FF_NV, 0, 0xff800000, 0x7fc00000)  // -inf < qnan
    TEST_FP_CMP(32, s, flt.s, FF_NV, 0, 0x7f800001, 0x3f800000)  // snan < 1
    TEST_FP_CMP(33, s, flt.s, FF_NV, 0, 0x7fc00000, 0x7fc00000)  // qnan < qnan
    // FLE.S: signaling compare (NV for any NaN input)
    TEST_FP_CMP(34, s, fle.s, 0, 1, 0x3f800000, 0x40000000)  // 1 <= 2
    TEST_FP_CMP(35, s, fle.s, 0, 0, 0x40000000, 0x3f800000)  // 2 <= 1
    TEST_FP_CMP(36, s, fle.s, 0, 1, 0x3f800000, 0x3f800000)  // 1 <= 1
    TEST_FP_CMP(37, s, fle.s, 0, 0, 0xbf800000, 0xc0000000)  // -1 <= -2
    TEST_FP_CMP(38, s, fle.s, 0, 1, 0x80000000, 0x00000000)  // -0 <= +0
    TEST_FP_CMP(39, s, fle.s, 0, 1, 0x00000000, 0x80000000)  // +0 <= -0
    TEST_FP_CMP(40, s, fle.s, 0, 1, 0xff800000, 0xff800000)  // -inf <= -inf
    TEST_FP_CMP(41, s, fle.s, 0, 0, 0x7f800000, 0xff800000)  // inf <= -inf
    TEST_FP_CMP(42, s, fle.s, 0, 1, 0x007fffff, 0x00800000)  // maxsub <= minnorm
    TEST_FP_CMP(43, s, fle.s, 0, 1, 0x80800000, 0x807fffff)  // -minnorm <= -maxsub
    TEST_FP_CMP(44, s, fle.s, FF_NV, 0, 0x7fc00000, 0x3f800000)  // qnan <= 1; NV
    TEST_FP_CMP(45, s, fle.s, FF_NV, 0, 0x3f800000, 0x7fc00000)  // 1 <= qnan
    TEST_FP_CMP(46, s, fle.s, FF_NV, 0, 0x7fc00000, 0x7fc00000)  // qnan <= qnan
    TEST_FP_CMP(47, s, fle.s, FF_NV, 0, 0x3f800000, 0x7f800001)  // 1 <= snan
    // FMIN.S: -0 < +0; one NaN operand -> the other operand; two NaNs -> canonical NaN;
    // NV iff an input is a signaling NaN (even if the result is the other operand)
    TEST_FP_OP2_NORM(48, s, fmin.s, 0, 0x3f800000, 0x3f800000, 0x40000000)  // min(1, 2)
    TEST_FP_OP2_NORM(49, s, fmin.s, 0, 0x3f800000, 0x40000000, 0x3f800000)  // min(2, 1)
    TEST_FP_OP2_NORM(50, s, fmin.s, 0, 0xbf800000, 0xbf800000, 0x3f800000)  // min(-1, 1)
    TEST_FP_OP2_NORM(51, s, fmin.s, 0, 0xc0000000, 0xbf800000, 0xc0000000)  // min(-1, -2)
    TEST_FP_OP2_NORM(52, s, fmin.s, 0, 0x80000000, 0x80000000, 0x00000000)  // min(-0, +0)
    TEST_FP_OP2_NORM(53, s, fmin.s, 0, 0x80000000, 0x00000000, 0x80000000)  // min(+0, -0)
    TEST_FP_OP2_NORM(54, s, fmin.s, 0, 0x80000000, 0x80000000, 0x80000000)  // min(-0, -0)
    TEST_FP_OP2_NORM(55, s, fmin.s, 0, 0xff800000, 0xff800000, 0x7f7fffff)  // min(-inf, max)
    TEST_FP_OP2_NORM(56, s, fmin.s, 0, 0xff7fffff, 0x7f800000, 0xff7fffff)  // min(inf, -max)
    TEST_FP_OP2_NORM(57, s, fmin.s, 0, 0x80000001, 0x00000001, 0x80000001)  // min(minsub, -minsub)
    TEST_FP_OP2_NORM(58, s, fmin.s, 0, 0x00000001, 0x00000001, 0x007fffff)  // min(minsub, maxsub)
    TEST_FP_OP2_NORM(59, s, fmin.s, 0, 0x7f800000, 0x7f800000, 0x7f800000)  // min(inf, inf)
    TEST_FP_OP2_NORM(60, s, fmin.s, 0, 0x3f800000, 0x7fc00000, 0x3f800000)  // min(qnan, 1)
    TEST_FP_OP2_NORM(61, s, fmin.s, 0, 0x3f800000, 0x3f800000, 0x7fc00000)  // min(1, qnan)
    TEST_FP_OP2_NORM(62, s, fmin.s, 0, 0xbf800000, 0xffc12345, 0xbf800000)  // min(-qnanp, -1)
    TEST_FP_OP2_NORM(63, s, fmin.s, 0, 0xff800000, 0x7fc00000, 0xff800000)  // min(qnan, -inf)
    TEST_FP_OP2_NORM(64, s, fmin.s, FF_NV, 0x3f800000, 0x7f800001, 0x3f800000)  // min(snan, 1)
    TEST_FP_OP2_NORM(65, s, fmin.s, FF_NV, 0xbf800000, 0xbf800000, 0x7f800001)  // min(-1, snan)
    TEST_FP_OP2_NORM(66, s, fmin.s, 0, 0x7fc00000, 0x7fc00000, 0x7fc00000)  // min(qnan, qnan); canonical NaN
    TEST_FP_OP2_NORM(67, s, fmin.s, 0, 0x7fc00000, 0x7fc12345, 0xffc12345)  // min(qnanp, -qnanp); payload dropped
    TEST_FP_OP2_NORM(68, s, fmin.s, FF_NV, 0x7fc00000, 0x7f800001, 0x7fc00000)  // min(snan, qnan)
    TEST_FP_OP2_NORM(69, s, fmin.s, FF_NV, 0x7fc00000, 0xff800001, 0xff800001)  // min(-snan, -snan)
    TEST_FP_OP2_NORM(70, s, fmin.s, 0, 0x80000000, 0x7fc00000, 0x80000000)  // min(qnan, -0)
    // FMAX.S: -0 < +0; one NaN operand -> the other operand; two NaNs -> canonical NaN;
    // NV iff an input is a signaling NaN (even if the result is the other operand)
    TEST_FP_OP2_NORM(71, s, fmax.s, 0, 0x40000000, 0x3f800000, 0x40000000)  // max(1, 2)
    TEST_FP_OP2_NORM(72, s, fmax.s, 0, 0x40000000, 0x40000000, 0x3f800000)  // max(2, 1)
    TEST_FP_OP2_NORM(73, s, fmax.s, 0, 0x3f800000, 0xbf800000, 0x3f800000)  // max(-1, 1)
    TEST_FP_OP2_NORM(74, s, fmax.s, 0, 0xbf800000, 0xbf800000, 0xc0000000)  // max(-1, -2)
    TEST_FP_OP2_NORM(75, s, fmax.s, 0, 0x00000000, 0x80000000, 0x00000000)  // max(-0, +0)
    TEST_FP_OP2_NORM(76, s, fmax.s, 0, 0x00000000, 0x00000000, 0x80000000)  // max(+0, -0)
    TEST_FP_OP2_NORM(77, s, fmax.s, 0, 0x80000000, 0x80000000, 0x80000000)  // max(-0, -0)
    TEST_FP_OP2_NORM(78, s, fmax.s, 0, 0x7f7fffff, 0xff800000, 0x7f7fffff)  // max(-inf, max)
    TEST_FP_OP2_NORM(79, s, fmax.s, 0, 0x7f800000, 0x7f800000, 0xff7fffff)  // max(inf, -max)
    TEST_FP_OP2_NORM(80, s, fmax.s, 0, 0x00000001, 0x00000001, 0x80000001)  // max(minsub, -minsub)
    TEST_FP_OP2_NORM(81, s, fmax.s, 0, 0x007fffff, 0x00000001, 0x007fffff)  // max(minsub, maxsub)
    TEST_FP_OP2_NORM(82, s, fmax.s, 0, 0x7f800000, 0x7f800000, 0x7f800000)  // max(inf, inf)
    TEST_FP_OP2_NORM(83, s, fmax.s, 0, 0x3f800000, 0x7fc00000, 0x3f800000)  // max(qnan, 1)
    TEST_FP_OP2_NORM(84, s, fmax.s, 0, 0x3f800000, 0x3f800000, 0x7fc00000)  // max(1, qnan)
    TEST_FP_OP2_NORM(85, s, fmax.s, 0, 0xbf800000, 0xffc12345, 0xbf800000)  // max(-qnanp, -1)
    TEST_FP_OP2_NORM(86, s, fmax.s, 0, 0xff800000, 0x7fc00000, 0xff800000)  // max(qnan, -inf)
    TEST_FP_OP2_NORM(87, s, fmax.s, FF_NV, 0x3f800000, 0x7f800001, 0x3f800000)  // max(snan, 1)
    TEST_FP_OP2_NORM(88, s, fmax.s, FF_NV, 0xbf800000, 0xbf800000, 0x7f800001)  // max(-1, snan)
    TEST_FP_OP2_NORM(89, s, fmax.s, 0, 0x7fc00000, 0x7fc00000, 0x7fc00000)  // max(qnan, qnan); canonical NaN
    TEST_FP_OP2_NORM(90, s, fmax.s, 0, 0x7fc00000, 0x7fc12345, 0xffc12345)  // max(qnanp, -qnanp); payload dropped
    TEST_FP_OP2_NORM(91, s, fmax.s, FF_NV, 0x7fc00000, 0x7f800001, 0x7fc00000)  // max(snan, qnan)
    TEST_FP_OP2_NORM(92, s, fmax.s, FF_NV, 0x7fc00000, 0xff800001, 0xff800001)  // max(-snan, -snan)
    TEST_FP_OP2_NORM(93, s, fmax.s, 0, 0x80000000, 0x7fc00000, 0x80000000)  // max(qnan, -0)

RVTEST_CODE_END
