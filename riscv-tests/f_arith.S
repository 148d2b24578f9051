// F: FADD.S, FSUB.S, FMUL.S, FDIV.S, FSQRT.S (32-bit IEEE 754 binary32).
// Exact reference results (rational arithmetic) checked against qemu-riscv64.
// Rules exercised (ISA manual, F/D chapters):
// - any NaN result is the canonical NaN 0x7fc00000; payloads are not propagated;
//   NV is raised only by signaling NaN inputs or invalid operations
//   (inf - inf, 0 * inf, 0/0, inf/inf, sqrt of a negative number);
// - x + (-x) = +0 except in RDN (-0); sign of a zero product/quotient = xor;
// - x/0 (x finite, non-zero) = signed inf with DZ; inf/0 = inf without DZ;
// - overflow gives inf (RNE, RMM, away-from-zero directed modes) or the
//   largest finite number (RTZ, directed towards zero), with OF|NX;
// - UF is raised when the result is tiny after rounding AND inexact
//   ("tininess is detected after rounding"): an exact subnormal result raises
//   nothing.
// Operand names: max = largest finite, minnorm = 2^-126, minsub = 2^-149,
// maxsub = largest subnormal, qnanp/snanp = NaNs with a payload.
// Flags: FF_NV 0x10, FF_DZ 0x08, FF_OF 0x04, FF_UF 0x02, FF_NX 0x01.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // FADD
    TEST_FP_OP2(1, s, fadd.s, rne, 0, 0x40400000, 0x3f800000, 0x40000000)  // 1 + 2
    TEST_FP_OP2(2, s, fadd.s, rne, 0, 0xc0400000, 0xbf800000, 0xc0000000)  // -1 + -2
    TEST_FP_OP2(3, s, fadd.s, rne, 0, 0x3fa00000, 0x40200000, 0xbfa00000)  // 2.5 + -1.25
    TEST_FP_OP2(4, s, fadd.s, rne, 0, 0x00000000, 0x3f800000, 0xbf800000)  // 1 + -1; exact zero is +0 in RNE
    TEST_FP_OP2(5, s, fadd.s, rdn, 0, 0x80000000, 0x3f800000, 0xbf800000)  // 1 + -1; ... and -0 in RDN
    TEST_FP_OP2(6, s, fadd.s, rne, 0, 0x80000000, 0x80000000, 0x80000000)  // -0 + -0
    TEST_FP_OP2(7, s, fadd.s, rne, 0, 0x00000000, 0x00000000, 0x80000000)  // +0 + -0
    TEST_FP_OP2(8, s, fadd.s, rdn, 0, 0x80000000, 0x80000000, 0x00000000)  // -0 + +0
    TEST_FP_OP2(9, s, fadd.s, rne, 0, 0x40400000, 0x80000000, 0x40400000)  // -0 + 3; zero operand
    TEST_FP_OP2(10, s, fadd.s, rne, FF_NX, 0x3e99999a, 0x3dcccccd, 0x3e4ccccd)  // 0.1 + 0.2; inexact
    TEST_FP_OP2(11, s, fadd.s, rne, FF_NX, 0x3f800000, 0x3f800000, 0x33800000)  // 1 + 2^-24; tie: to even (1)
    TEST_FP_OP2(12, s, fadd.s, rne, FF_NX, 0x3f800002, 0x3f800001, 0x33800000)  // (1+2^-23) + 2^-24; tie: to even (1+2ulp)
    TEST_FP_OP2(13, s, fadd.s, rne, FF_OF|FF_NX, 0x7f800000, 0x7f7fffff, 0x7f7fffff)  // max + max; overflow
    TEST_FP_OP2(14, s, fadd.s, rne, FF_OF|FF_NX, 0xff800000, 0xff7fffff, 0xff7fffff)  // -max + -max
    TEST_FP_OP2(15, s, fadd.s, rne, FF_NX, 0x7f7fffff, 0x7f7fffff, 0x3f800000)  // max + 1; absorbed: inexact, no overflow
    TEST_FP_OP2(16, s, fadd.s, rne, FF_OF|FF_NX, 0x7f800000, 0x7f7fffff, 0x73000000)  // max + 2^103; tie at max: to even = +inf
    TEST_FP_OP2(17, s, fadd.s, rne, 0, 0x7f800000, 0x7f800000, 0x3f800000)  // inf + 1
    TEST_FP_OP2(18, s, fadd.s, rne, 0, 0x7f800000, 0x7f800000, 0x7f800000)  // inf + inf
    TEST_FP_OP2(19, s, fadd.s, rne, 0, 0x7f800000, 0xff7fffff, 0x7f800000)  // -max + inf
    TEST_FP_OP2(20, s, fadd.s, rne, FF_NV, 0x7fc00000, 0x7f800000, 0xff800000)  // inf + -inf; invalid
    TEST_FP_OP2(21, s, fadd.s, rne, 0, 0x7fc00000, 0x7fc00000, 0x3f800000)  // qnan + 1; quiet NaN: no flag
    TEST_FP_OP2(22, s, fadd.s, rne, FF_NV, 0x7fc00000, 0x3f800000, 0x7f800001)  // 1 + snan; signaling NaN: NV
    TEST_FP_OP2(23, s, fadd.s, rne, 0, 0x7fc00000, 0x7fc12345, 0x3f800000)  // qnanp + 1; payload not propagated
    TEST_FP_OP2(24, s, fadd.s, rne, 0, 0x7fc00000, 0xffc00000, 0xbf800000)  // -qnan + -1; result NaN is canonical (positive)
    TEST_FP_OP2(25, s, fadd.s, rne, FF_NV, 0x7fc00000, 0x7f800001, 0x7fc00000)  // snan + qnan
    TEST_FP_OP2(26, s, fadd.s, rne, 0, 0x7fc00000, 0x7fc00000, 0x7f800000)  // qnan + inf
    TEST_FP_OP2(27, s, fadd.s, rne, 0, 0x00000002, 0x00000001, 0x00000001)  // minsub + minsub; subnormal result, exact: no UF
    TEST_FP_OP2(28, s, fadd.s, rne, 0, 0x00800000, 0x007fffff, 0x00000001)  // maxsub + minsub; = min normal
    TEST_FP_OP2(29, s, fadd.s, rne, 0, 0x007fffff, 0x00800000, 0x80000001)  // minnorm + -minsub; = max subnormal
    TEST_FP_OP2(30, s, fadd.s, rne, 0, 0x00000000, 0x007fffff, 0x807fffff)  // maxsub + -maxsub
    TEST_FP_OP2(31, s, fadd.s, rne, 0, 0x34000000, 0x3f800001, 0xbf800000)  // (1+2^-23) + -1; exact cancellation

    // FSUB
    TEST_FP_OP2(32, s, fsub.s, rne, 0, 0x40000000, 0x40400000, 0x3f800000)  // 3 - 1
    TEST_FP_OP2(33, s, fsub.s, rne, 0, 0xc0000000, 0x3f800000, 0x40400000)  // 1 - 3
    TEST_FP_OP2(34, s, fsub.s, rne, 0, 0x00000000, 0xbf800000, 0xbf800000)  // -1 - -1
    TEST_FP_OP2(35, s, fsub.s, rdn, 0, 0x80000000, 0xbf800000, 0xbf800000)  // -1 - -1
    TEST_FP_OP2(36, s, fsub.s, rne, 0, 0x80000000, 0x80000000, 0x00000000)  // -0 - +0
    TEST_FP_OP2(37, s, fsub.s, rne, 0, 0x00000000, 0x00000000, 0x80000000)  // +0 - -0
    TEST_FP_OP2(38, s, fsub.s, rne, 0, 0x00000000, 0x00000000, 0x00000000)  // +0 - +0
    TEST_FP_OP2(39, s, fsub.s, rdn, 0, 0x80000000, 0x00000000, 0x00000000)  // +0 - +0
    TEST_FP_OP2(40, s, fsub.s, rne, 0, 0x00000000, 0x80000000, 0x80000000)  // -0 - -0
    TEST_FP_OP2(41, s, fsub.s, rne, FF_NV, 0x7fc00000, 0x7f800000, 0x7f800000)  // inf - inf; invalid
    TEST_FP_OP2(42, s, fsub.s, rne, 0, 0x7f800000, 0x7f800000, 0xff800000)  // inf - -inf
    TEST_FP_OP2(43, s, fsub.s, rne, 0, 0xff800000, 0xff800000, 0x7f7fffff)  // -inf - max
    TEST_FP_OP2(44, s, fsub.s, rne, FF_OF|FF_NX, 0xff800000, 0xff7fffff, 0x7f7fffff)  // -max - max; overflow
    TEST_FP_OP2(45, s, fsub.s, rtz, FF_OF|FF_NX, 0xff7fffff, 0xff7fffff, 0x7f7fffff)  // -max - max; overflow, RTZ: -max
    TEST_FP_OP2(46, s, fsub.s, rne, 0, 0x00000001, 0x00800000, 0x007fffff)  // minnorm - maxsub
    TEST_FP_OP2(47, s, fsub.s, rne, FF_NX, 0x3f800000, 0x3f800000, 0x33000000)  // 1 - 2^-25; tie below 1: to even (1)
    TEST_FP_OP2(48, s, fsub.s, rne, FF_NX, 0x3e4cccce, 0x3e99999a, 0x3dcccccd)  // 0.3 - 0.1
    TEST_FP_OP2(49, s, fsub.s, rne, 0, 0x7fc00000, 0x3f800000, 0x7fc00000)  // 1 - qnan
    TEST_FP_OP2(50, s, fsub.s, rne, FF_NV, 0x7fc00000, 0x7f800001, 0x3f800000)  // snan - 1
    TEST_FP_OP2(51, s, fsub.s, rne, FF_NV, 0x7fc00000, 0xff800001, 0xff800000)  // -snan - -inf

    // FMUL
    TEST_FP_OP2(52, s, fmul.s, rne, 0, 0x40c00000, 0x40000000, 0x40400000)  // 2 * 3
    TEST_FP_OP2(53, s, fmul.s, rne, 0, 0xc0c00000, 0xc0000000, 0x40400000)  // -2 * 3
    TEST_FP_OP2(54, s, fmul.s, rne, 0, 0x40c00000, 0xc0000000, 0xc0400000)  // -2 * -3
    TEST_FP_OP2(55, s, fmul.s, rne, 0, 0x80000000, 0x00000000, 0xc0a00000)  // 0 * -5; zero sign = xor
    TEST_FP_OP2(56, s, fmul.s, rne, 0, 0x00000000, 0x80000000, 0x80000000)  // -0 * -0
    TEST_FP_OP2(57, s, fmul.s, rne, 0, 0x80000000, 0x80000000, 0x7f7fffff)  // -0 * max
    TEST_FP_OP2(58, s, fmul.s, rne, FF_NV, 0x7fc00000, 0x7f800000, 0x00000000)  // inf * 0; invalid
    TEST_FP_OP2(59, s, fmul.s, rne, FF_NV, 0x7fc00000, 0x80000000, 0x7f800000)  // -0 * inf; invalid
    TEST_FP_OP2(60, s, fmul.s, rne, 0, 0xff800000, 0x7f800000, 0xc0000000)  // inf * -2
    TEST_FP_OP2(61, s, fmul.s, rne, 0, 0x7f800000, 0xff800000, 0xff800000)  // -inf * -inf
    TEST_FP_OP2(62, s, fmul.s, rne, FF_OF|FF_NX, 0x7f800000, 0x7f7fffff, 0x40000000)  // max * 2; overflow
    TEST_FP_OP2(63, s, fmul.s, rne, FF_OF|FF_NX, 0xff800000, 0x7f7fffff, 0xc0000000)  // max * -2
    TEST_FP_OP2(64, s, fmul.s, rtz, FF_OF|FF_NX, 0x7f7fffff, 0x7f7fffff, 0x40000000)  // max * 2
    TEST_FP_OP2(65, s, fmul.s, rne, FF_OF|FF_NX, 0x7f800000, 0x5f800000, 0x5f800000)  // 2^64 * 2^64; = 2^128 overflows
    TEST_FP_OP2(66, s, fmul.s, rne, 0, 0x00400000, 0x00800000, 0x3f000000)  // 2^-126 * 0.5; exact subnormal: no UF
    TEST_FP_OP2(67, s, fmul.s, rne, 0, 0x00fffffe, 0x007fffff, 0x40000000)  // maxsub * 2; subnormal input, normal result
    TEST_FP_OP2(68, s, fmul.s, rne, FF_UF|FF_NX, 0x00000000, 0x00000001, 0x3f000000)  // minsub * 0.5; tie to even 0: UF|NX
    TEST_FP_OP2(69, s, fmul.s, rne, FF_UF|FF_NX, 0x00000001, 0x00000001, 0x3f400000)  // minsub * 0.75; rounds up to minsub
    TEST_FP_OP2(70, s, fmul.s, rne, FF_UF|FF_NX, 0x80000000, 0x80000001, 0x3e800000)  // -minsub * 0.25; -0
    TEST_FP_OP2(71, s, fmul.s, rne, FF_UF|FF_NX, 0x00800000, 0x00800000, 0x3f7fffff)  // 2^-126 * (1-2^-24); tiny p-bit product rounds up to min normal: UF|NX
    TEST_FP_OP2(72, s, fmul.s, rne, FF_NX, 0x00800000, 0x00800001, 0x3f7ffffe)  // (2^-126*(1+2^-23)) * (1-2^-23); 2^emin*(1-2^(2-2p)): tiny before rounding only: NX, no UF
    TEST_FP_OP2(73, s, fmul.s, rne, 0, 0x00200000, 0x20000000, 0x1f000000)  // 2^-63 * 2^-65; exact subnormal 2^(emin-2)
    TEST_FP_OP2(74, s, fmul.s, rne, FF_NX, 0x3e99999a, 0x40400000, 0x3dcccccd)  // 3 * 0.1
    TEST_FP_OP2(75, s, fmul.s, rne, FF_NX, 0x3fc00002, 0x3fc00000, 0x3f800001)  // 1.5 * (1+2^-23); tie: to even, up
    TEST_FP_OP2(76, s, fmul.s, rne, FF_NX, 0x3f800002, 0x3f800001, 0x3f800001)  // (1+2^-23) * (1+2^-23)
    TEST_FP_OP2(77, s, fmul.s, rne, 0, 0x7fc00000, 0x7fc00000, 0x00000000)  // qnan * 0; NaN wins over 0
    TEST_FP_OP2(78, s, fmul.s, rne, FF_NV, 0x7fc00000, 0x7f800000, 0x7f800001)  // inf * snan
    TEST_FP_OP2(79, s, fmul.s, rne, 0, 0x7fc00000, 0xffc12345, 0xbf800000)  // -qnanp * -1

    // FDIV
    TEST_FP_OP2(80, s, fdiv.s, rne, 0, 0x40000000, 0x40c00000, 0x40400000)  // 6 / 3
    TEST_FP_OP2(81, s, fdiv.s, rne, 0, 0x40200000, 0x41200000, 0x40800000)  // 10 / 4
    TEST_FP_OP2(82, s, fdiv.s, rne, FF_NX, 0x3eaaaaab, 0x3f800000, 0x40400000)  // 1 / 3; inexact
    TEST_FP_OP2(83, s, fdiv.s, rne, FF_NX, 0xbeaaaaab, 0xbf800000, 0x40400000)  // -1 / 3
    TEST_FP_OP2(84, s, fdiv.s, rne, FF_DZ, 0x7f800000, 0x3f800000, 0x00000000)  // 1 / 0; divide by zero
    TEST_FP_OP2(85, s, fdiv.s, rne, FF_DZ, 0xff800000, 0xbf800000, 0x00000000)  // -1 / 0
    TEST_FP_OP2(86, s, fdiv.s, rne, FF_DZ, 0xff800000, 0x3f800000, 0x80000000)  // 1 / -0
    TEST_FP_OP2(87, s, fdiv.s, rne, FF_DZ, 0xff800000, 0x00000001, 0x80000000)  // minsub / -0
    TEST_FP_OP2(88, s, fdiv.s, rne, FF_NV, 0x7fc00000, 0x00000000, 0x00000000)  // 0 / 0; invalid
    TEST_FP_OP2(89, s, fdiv.s, rne, FF_NV, 0x7fc00000, 0x80000000, 0x80000000)  // -0 / -0
    TEST_FP_OP2(90, s, fdiv.s, rne, FF_NV, 0x7fc00000, 0x7f800000, 0x7f800000)  // inf / inf; invalid
    TEST_FP_OP2(91, s, fdiv.s, rne, FF_NV, 0x7fc00000, 0xff800000, 0x7f800000)  // -inf / inf
    TEST_FP_OP2(92, s, fdiv.s, rne, 0, 0x7f800000, 0x7f800000, 0x00000000)  // inf / 0; no DZ for an infinite dividend
    TEST_FP_OP2(93, s, fdiv.s, rne, 0, 0xff800000, 0xff800000, 0x40000000)  // -inf / 2
    TEST_FP_OP2(94, s, fdiv.s, rne, 0, 0x00000000, 0x00000000, 0x7f800000)  // 0 / inf
    TEST_FP_OP2(95, s, fdiv.s, rne, 0, 0x80000000, 0xc0000000, 0x7f800000)  // -2 / inf
    TEST_FP_OP2(96, s, fdiv.s, rne, 0, 0x80000000, 0x00000000, 0xc0a00000)  // 0 / -5
    TEST_FP_OP2(97, s, fdiv.s, rne, FF_OF|FF_NX, 0x7f800000, 0x7f7fffff, 0x3f000000)  // max / 0.5; overflow
    TEST_FP_OP2(98, s, fdiv.s, rtz, FF_OF|FF_NX, 0x7f7fffff, 0x7f7fffff, 0x3f000000)  // max / 0.5
    TEST_FP_OP2(99, s, fdiv.s, rne, FF_UF|FF_NX, 0x00200000, 0x3f800000, 0x7f7fffff)  // 1 / max; tiny inexact
    TEST_FP_OP2(100, s, fdiv.s, rne, 0, 0x00400000, 0x00800000, 0x40000000)  // 2^-126 / 2; exact subnormal
    TEST_FP_OP2(101, s, fdiv.s, rne, FF_UF|FF_NX, 0x00000000, 0x00000001, 0x40000000)  // minsub / 2; tie to 0
    TEST_FP_OP2(102, s, fdiv.s, rne, FF_UF|FF_NX, 0x00000000, 0x00000001, 0x40400000)  // minsub / 3
    TEST_FP_OP2(103, s, fdiv.s, rne, FF_UF|FF_NX, 0x00000001, 0x00000002, 0x40400000)  // 2^-148 / 3; 2/3 minsub rounds up to minsub
    TEST_FP_OP2(104, s, fdiv.s, rne, 0, 0x00fffffe, 0x007fffff, 0x3f000000)  // maxsub / 0.5; subnormal / 0.5: normal, exact
    TEST_FP_OP2(105, s, fdiv.s, rne, 0, 0x7fc00000, 0x7fc00000, 0x00000000)  // qnan / 0; no DZ with a NaN
    TEST_FP_OP2(106, s, fdiv.s, rne, FF_NV, 0x7fc00000, 0x7f800001, 0x3f800000)  // snan / 1
    TEST_FP_OP2(107, s, fdiv.s, rne, 0, 0x7fc00000, 0x00000000, 0x7fc00000)  // 0 / qnan

    // FSQRT
    TEST_FP_OP1(108, s, fsqrt.s, rne, 0, 0x40000000, 0x40800000)  // sqrt(4)
    TEST_FP_OP1(109, s, fsqrt.s, rne, 0, 0x40400000, 0x41100000)  // sqrt(9)
    TEST_FP_OP1(110, s, fsqrt.s, rne, 0, 0x3f000000, 0x3e800000)  // sqrt(0.25)
    TEST_FP_OP1(111, s, fsqrt.s, rne, FF_NX, 0x3fb504f3, 0x40000000)  // sqrt(2); inexact
    TEST_FP_OP1(112, s, fsqrt.s, rne, 0, 0x00000000, 0x00000000)  // sqrt(+0)
    TEST_FP_OP1(113, s, fsqrt.s, rne, 0, 0x80000000, 0x80000000)  // sqrt(-0); -0, no flag
    TEST_FP_OP1(114, s, fsqrt.s, rne, 0, 0x7f800000, 0x7f800000)  // sqrt(inf)
    TEST_FP_OP1(115, s, fsqrt.s, rne, FF_NV, 0x7fc00000, 0xff800000)  // sqrt(-inf); invalid
    TEST_FP_OP1(116, s, fsqrt.s, rne, FF_NV, 0x7fc00000, 0xbf800000)  // sqrt(-1); invalid
    TEST_FP_OP1(117, s, fsqrt.s, rne, FF_NV, 0x7fc00000, 0x80000001)  // sqrt(-minsub); invalid
    TEST_FP_OP1(118, s, fsqrt.s, rne, 0, 0x7fc00000, 0x7fc00000)  // sqrt(qnan)
    TEST_FP_OP1(119, s, fsqrt.s, rne, 0, 0x7fc00000, 0xffc00000)  // sqrt(-qnan)
    TEST_FP_OP1(120, s, fsqrt.s, rne, FF_NV, 0x7fc00000, 0x7f800001)  // sqrt(snan)
    TEST_FP_OP1(121, s, fsqrt.s, rne, FF_NX, 0x1a3504f3, 0x00000001)  // sqrt(minsub); subnormal input
    TEST_FP_OP1(122, s, fsqrt.s, rne, 0, 0x1a800000, 0x00000002)  // sqrt(2^-148)
    TEST_FP_OP1(123, s, fsqrt.s, rne, FF_NX, 0x5f7fffff, 0x7f7fffff)  // sqrt(max)
    TEST_FP_OP1(124, s, fsqrt.s, rne, FF_NX, 0x3f800000, 0x3f800001)  // sqrt((1+2^-23))

RVTEST_CODE_END
