// D: FADD.D, FSUB.D, FMUL.D, FDIV.D, FSQRT.D (64-bit IEEE 754 binary64).
// Exact reference results (rational arithmetic) checked against qemu-riscv64.
// Rules exercised (ISA manual, F/D chapters):
// - any NaN result is the canonical NaN 0x7ff8000000000000; payloads are not propagated;
//   NV is raised only by signaling NaN inputs or invalid operations
//   (inf - inf, 0 * inf, 0/0, inf/inf, sqrt of a negative number);
// - x + (-x) = +0 except in RDN (-0); sign of a zero product/quotient = xor;
// - x/0 (x finite, non-zero) = signed inf with DZ; inf/0 = inf without DZ;
// - overflow gives inf (RNE, RMM, away-from-zero directed modes) or the
//   largest finite number (RTZ, directed towards zero), with OF|NX;
// - UF is raised when the result is tiny after rounding AND inexact
//   ("tininess is detected after rounding"): an exact subnormal result raises
//   nothing.
// Operand names: max = largest finite, minnorm = 2^-1022, minsub = 2^-1074,
// maxsub = largest subnormal, qnanp/snanp = NaNs with a payload.
// Flags: FF_NV 0x10, FF_DZ 0x08, FF_OF 0x04, FF_UF 0x02, FF_NX 0x01.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // FADD
    TEST_FP_OP2(1, d, fadd.d, rne, 0, 0x4008000000000000, 0x3ff0000000000000, 0x4000000000000000)  // 1 + 2
    TEST_FP_OP2(2, d, fadd.d, rne, 0, 0xc008000000000000, 0xbff0000000000000, 0xc000000000000000)  // -1 + -2
    TEST_FP_OP2(3, d, fadd.d, rne, 0, 0x3ff4000000000000, 0x4004000000000000, 0xbff4000000000000)  // 2.5 + -1.25
    TEST_FP_OP2(4, d, fadd.d, rne, 0, 0x0000000000000000, 0x3ff0000000000000, 0xbff0000000000000)  // 1 + -1; exact zero is +0 in RNE
    TEST_FP_OP2(5, d, fadd.d, rdn, 0, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000)  // 1 + -1; ... and -0 in RDN
    TEST_FP_OP2(6, d, fadd.d, rne, 0, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000)  // -0 + -0
    TEST_FP_OP2(7, d, fadd.d, rne, 0, 0x0000000000000000, 0x0000000000000000, 0x8000000000000000)  // +0 + -0
    TEST_FP_OP2(8, d, fadd.d, rdn, 0, 0x8000000000000000, 0x8000000000000000, 0x0000000000000000)  // -0 + +0
    TEST_FP_OP2(9, d, fadd.d, rne, 0, 0x4008000000000000, 0x8000000000000000, 0x4008000000000000)  // -0 + 3; zero operand
    TEST_FP_OP2(10, d, fadd.d, rne, FF_NX, 0x3fd3333333333334, 0x3fb999999999999a, 0x3fc999999999999a)  // 0.1 + 0.2; inexact
    TEST_FP_OP2(11, d, fadd.d, rne, FF_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000)  // 1 + 2^-53; tie: to even (1)
    TEST_FP_OP2(12, d, fadd.d, rne, FF_NX, 0x3ff0000000000002, 0x3ff0000000000001, 0x3ca0000000000000)  // (1+2^-52) + 2^-53; tie: to even (1+2ulp)
    TEST_FP_OP2(13, d, fadd.d, rne, FF_OF|FF_NX, 0x7ff0000000000000, 0x7fefffffffffffff, 0x7fefffffffffffff)  // max + max; overflow
    TEST_FP_OP2(14, d, fadd.d, rne, FF_OF|FF_NX, 0xfff0000000000000, 0xffefffffffffffff, 0xffefffffffffffff)  // -max + -max
    TEST_FP_OP2(15, d, fadd.d, rne, FF_NX, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x3ff0000000000000)  // max + 1; absorbed: inexact, no overflow
    TEST_FP_OP2(16, d, fadd.d, rne, FF_OF|FF_NX, 0x7ff0000000000000, 0x7fefffffffffffff, 0x7c90000000000000)  // max + 2^970; tie at max: to even = +inf
    TEST_FP_OP2(17, d, fadd.d, rne, 0, 0x7ff0000000000000, 0x7ff0000000000000, 0x3ff0000000000000)  // inf + 1
    TEST_FP_OP2(18, d, fadd.d, rne, 0, 0x7ff0000000000000, 0x7ff0000000000000, 0x7ff0000000000000)  // inf + inf
    TEST_FP_OP2(19, d, fadd.d, rne, 0, 0x7ff0000000000000, 0xffefffffffffffff, 0x7ff0000000000000)  // -max + inf
    TEST_FP_OP2(20, d, fadd.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000000, 0xfff0000000000000)  // inf + -inf; invalid
    TEST_FP_OP2(21, d, fadd.d, rne, 0, 0x7ff8000000000000, 0x7ff8000000000000, 0x3ff0000000000000)  // qnan + 1; quiet NaN: no flag
    TEST_FP_OP2(22, d, fadd.d, rne, FF_NV, 0x7ff8000000000000, 0x3ff0000000000000, 0x7ff0000000000001)  // 1 + snan; signaling NaN: NV
    TEST_FP_OP2(23, d, fadd.d, rne, 0, 0x7ff8000000000000, 0x7ff8000000012345, 0x3ff0000000000000)  // qnanp + 1; payload not propagated
    TEST_FP_OP2(24, d, fadd.d, rne, 0, 0x7ff8000000000000, 0xfff8000000000000, 0xbff0000000000000)  // -qnan + -1; result NaN is canonical (positive)
    TEST_FP_OP2(25, d, fadd.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000001, 0x7ff8000000000000)  // snan + qnan
    TEST_FP_OP2(26, d, fadd.d, rne, 0, 0x7ff8000000000000, 0x7ff8000000000000, 0x7ff0000000000000)  // qnan + inf
    TEST_FP_OP2(27, d, fadd.d, rne, 0, 0x0000000000000002, 0x0000000000000001, 0x0000000000000001)  // minsub + minsub; subnormal result, exact: no UF
    TEST_FP_OP2(28, d, fadd.d, rne, 0, 0x0010000000000000, 0x000fffffffffffff, 0x0000000000000001)  // maxsub + minsub; = min normal
    TEST_FP_OP2(29, d, fadd.d, rne, 0, 0x000fffffffffffff, 0x0010000000000000, 0x8000000000000001)  // minnorm + -minsub; = max subnormal
    TEST_FP_OP2(30, d, fadd.d, rne, 0, 0x0000000000000000, 0x000fffffffffffff, 0x800fffffffffffff)  // maxsub + -maxsub
    TEST_FP_OP2(31, d, fadd.d, rne, 0, 0x3cb0000000000000, 0x3ff0000000000001, 0xbff0000000000000)  // (1+2^-52) + -1; exact cancellation

    // FSUB
    TEST_FP_OP2(32, d, fsub.d, rne, 0, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000)  // 3 - 1
    TEST_FP_OP2(33, d, fsub.d, rne, 0, 0xc000000000000000, 0x3ff0000000000000, 0x4008000000000000)  // 1 - 3
    TEST_FP_OP2(34, d, fsub.d, rne, 0, 0x0000000000000000, 0xbff0000000000000, 0xbff0000000000000)  // -1 - -1
    TEST_FP_OP2(35, d, fsub.d, rdn, 0, 0x8000000000000000, 0xbff0000000000000, 0xbff0000000000000)  // -1 - -1
    TEST_FP_OP2(36, d, fsub.d, rne, 0, 0x8000000000000000, 0x8000000000000000, 0x0000000000000000)  // -0 - +0
    TEST_FP_OP2(37, d, fsub.d, rne, 0, 0x0000000000000000, 0x0000000000000000, 0x8000000000000000)  // +0 - -0
    TEST_FP_OP2(38, d, fsub.d, rne, 0, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000)  // +0 - +0
    TEST_FP_OP2(39, d, fsub.d, rdn, 0, 0x8000000000000000, 0x0000000000000000, 0x0000000000000000)  // +0 - +0
    TEST_FP_OP2(40, d, fsub.d, rne, 0, 0x0000000000000000, 0x8000000000000000, 0x8000000000000000)  // -0 - -0
    TEST_FP_OP2(41, d, fsub.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000000, 0x7ff0000000000000)  // inf - inf; invalid
    TEST_FP_OP2(42, d, fsub.d, rne, 0, 0x7ff0000000000000, 0x7ff0000000000000, 0xfff0000000000000)  // inf - -inf
    TEST_FP_OP2(43, d, fsub.d, rne, 0, 0xfff0000000000000, 0xfff0000000000000, 0x7fefffffffffffff)  // -inf - max
    TEST_FP_OP2(44, d, fsub.d, rne, FF_OF|FF_NX, 0xfff0000000000000, 0xffefffffffffffff, 0x7fefffffffffffff)  // -max - max; overflow
    TEST_FP_OP2(45, d, fsub.d, rtz, FF_OF|FF_NX, 0xffefffffffffffff, 0xffefffffffffffff, 0x7fefffffffffffff)  // -max - max; overflow, RTZ: -max
    TEST_FP_OP2(46, d, fsub.d, rne, 0, 0x0000000000000001, 0x0010000000000000, 0x000fffffffffffff)  // minnorm - maxsub
    TEST_FP_OP2(47, d, fsub.d, rne, FF_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3c90000000000000)  // 1 - 2^-54; tie below 1: to even (1)
    TEST_FP_OP2(48, d, fsub.d, rne, 0, 0x3fc9999999999999, 0x3fd3333333333333, 0x3fb999999999999a)  // 0.3 - 0.1
    TEST_FP_OP2(49, d, fsub.d, rne, 0, 0x7ff8000000000000, 0x3ff0000000000000, 0x7ff8000000000000)  // 1 - qnan
    TEST_FP_OP2(50, d, fsub.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000001, 0x3ff0000000000000)  // snan - 1
    TEST_FP_OP2(51, d, fsub.d, rne, FF_NV, 0x7ff8000000000000, 0xfff0000000000001, 0xfff0000000000000)  // -snan - -inf

    // FMUL
    TEST_FP_OP2(52, d, fmul.d, rne, 0, 0x4018000000000000, 0x4000000000000000, 0x4008000000000000)  // 2 * 3
    TEST_FP_OP2(53, d, fmul.d, rne, 0, 0xc018000000000000, 0xc000000000000000, 0x4008000000000000)  // -2 * 3
    TEST_FP_OP2(54, d, fmul.d, rne, 0, 0x4018000000000000, 0xc000000000000000, 0xc008000000000000)  // -2 * -3
    TEST_FP_OP2(55, d, fmul.d, rne, 0, 0x8000000000000000, 0x0000000000000000, 0xc014000000000000)  // 0 * -5; zero sign = xor
    TEST_FP_OP2(56, d, fmul.d, rne, 0, 0x0000000000000000, 0x8000000000000000, 0x8000000000000000)  // -0 * -0
    TEST_FP_OP2(57, d, fmul.d, rne, 0, 0x8000000000000000, 0x8000000000000000, 0x7fefffffffffffff)  // -0 * max
    TEST_FP_OP2(58, d, fmul.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000000, 0x0000000000000000)  // inf * 0; invalid
    TEST_FP_OP2(59, d, fmul.d, rne, FF_NV, 0x7ff8000000000000, 0x8000000000000000, 0x7ff0000000000000)  // -0 * inf; invalid
    TEST_FP_OP2(60, d, fmul.d, rne, 0, 0xfff0000000000000, 0x7ff0000000000000, 0xc000000000000000)  // inf * -2
    TEST_FP_OP2(61, d, fmul.d, rne, 0, 0x7ff0000000000000, 0xfff0000000000000, 0xfff0000000000000)  // -inf * -inf
    TEST_FP_OP2(62, d, fmul.d, rne, FF_OF|FF_NX, 0x7ff0000000000000, 0x7fefffffffffffff, 0x4000000000000000)  // max * 2; overflow
    TEST_FP_OP2(63, d, fmul.d, rne, FF_OF|FF_NX, 0xfff0000000000000, 0x7fefffffffffffff, 0xc000000000000000)  // max * -2
    TEST_FP_OP2(64, d, fmul.d, rtz, FF_OF|FF_NX, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x4000000000000000)  // max * 2
    TEST_FP_OP2(65, d, fmul.d, rne, FF_OF|FF_NX, 0x7ff0000000000000, 0x5ff0000000000000, 0x5ff0000000000000)  // 2^512 * 2^512; = 2^1024 overflows
    TEST_FP_OP2(66, d, fmul.d, rne, 0, 0x0008000000000000, 0x0010000000000000, 0x3fe0000000000000)  // 2^-1022 * 0.5; exact subnormal: no UF
    TEST_FP_OP2(67, d, fmul.d, rne, 0, 0x001ffffffffffffe, 0x000fffffffffffff, 0x4000000000000000)  // maxsub * 2; subnormal input, normal result
    TEST_FP_OP2(68, d, fmul.d, rne, FF_UF|FF_NX, 0x0000000000000000, 0x0000000000000001, 0x3fe0000000000000)  // minsub * 0.5; tie to even 0: UF|NX
    TEST_FP_OP2(69, d, fmul.d, rne, FF_UF|FF_NX, 0x0000000000000001, 0x0000000000000001, 0x3fe8000000000000)  // minsub * 0.75; rounds up to minsub
    TEST_FP_OP2(70, d, fmul.d, rne, FF_UF|FF_NX, 0x8000000000000000, 0x8000000000000001, 0x3fd0000000000000)  // -minsub * 0.25; -0
    TEST_FP_OP2(71, d, fmul.d, rne, FF_UF|FF_NX, 0x0010000000000000, 0x0010000000000000, 0x3fefffffffffffff)  // 2^-1022 * (1-2^-53); tiny p-bit product rounds up to min normal: UF|NX
    TEST_FP_OP2(72, d, fmul.d, rne, FF_NX, 0x0010000000000000, 0x0010000000000001, 0x3feffffffffffffe)  // (2^-1022*(1+2^-52)) * (1-2^-52); 2^emin*(1-2^(2-2p)): tiny before rounding only: NX, no UF
    TEST_FP_OP2(73, d, fmul.d, rne, 0, 0x0004000000000000, 0x2000000000000000, 0x1fe0000000000000)  // 2^-511 * 2^-513; exact subnormal 2^(emin-2)
    TEST_FP_OP2(74, d, fmul.d, rne, FF_NX, 0x3fd3333333333334, 0x4008000000000000, 0x3fb999999999999a)  // 3 * 0.1
    TEST_FP_OP2(75, d, fmul.d, rne, FF_NX, 0x3ff8000000000002, 0x3ff8000000000000, 0x3ff0000000000001)  // 1.5 * (1+2^-52); tie: to even, up
    TEST_FP_OP2(76, d, fmul.d, rne, FF_NX, 0x3ff0000000000002, 0x3ff0000000000001, 0x3ff0000000000001)  // (1+2^-52) * (1+2^-52)
    TEST_FP_OP2(77, d, fmul.d, rne, 0, 0x7ff8000000000000, 0x7ff8000000000000, 0x0000000000000000)  // qnan * 0; NaN wins over 0
    TEST_FP_OP2(78, d, fmul.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000000, 0x7ff0000000000001)  // inf * snan
    TEST_FP_OP2(79, d, fmul.d, rne, 0, 0x7ff8000000000000, 0xfff8000000012345, 0xbff0000000000000)  // -qnanp * -1

    // FDIV
    TEST_FP_OP2(80, d, fdiv.d, rne, 0, 0x4000000000000000, 0x4018000000000000, 0x4008000000000000)  // 6 / 3
    TEST_FP_OP2(81, d, fdiv.d, rne, 0, 0x4004000000000000, 0x4024000000000000, 0x4010000000000000)  // 10 / 4
    TEST_FP_OP2(82, d, fdiv.d, rne, FF_NX, 0x3fd5555555555555, 0x3ff0000000000000, 0x4008000000000000)  // 1 / 3; inexact
    TEST_FP_OP2(83, d, fdiv.d, rne, FF_NX, 0xbfd5555555555555, 0xbff0000000000000, 0x4008000000000000)  // -1 / 3
    TEST_FP_OP2(84, d, fdiv.d, rne, FF_DZ, 0x7ff0000000000000, 0x3ff0000000000000, 0x0000000000000000)  // 1 / 0; divide by zero
    TEST_FP_OP2(85, d, fdiv.d, rne, FF_DZ, 0xfff0000000000000, 0xbff0000000000000, 0x0000000000000000)  // -1 / 0
    TEST_FP_OP2(86, d, fdiv.d, rne, FF_DZ, 0xfff0000000000000, 0x3ff0000000000000, 0x8000000000000000)  // 1 / -0
    TEST_FP_OP2(87, d, fdiv.d, rne, FF_DZ, 0xfff0000000000000, 0x0000000000000001, 0x8000000000000000)  // minsub / -0
    TEST_FP_OP2(88, d, fdiv.d, rne, FF_NV, 0x7ff8000000000000, 0x0000000000000000, 0x0000000000000000)  // 0 / 0; invalid
    TEST_FP_OP2(89, d, fdiv.d, rne, FF_NV, 0x7ff8000000000000, 0x8000000000000000, 0x8000000000000000)  // -0 / -0
    TEST_FP_OP2(90, d, fdiv.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000000, 0x7ff0000000000000)  // inf / inf; invalid
    TEST_FP_OP2(91, d, fdiv.d, rne, FF_NV, 0x7ff8000000000000, 0xfff0000000000000, 0x7ff0000000000000)  // -inf / inf
    TEST_FP_OP2(92, d, fdiv.d, rne, 0, 0x7ff0000000000000, 0x7ff0000000000000, 0x0000000000000000)  // inf / 0; no DZ for an infinite dividend
    TEST_FP_OP2(93, d, fdiv.d, rne, 0, 0xfff0000000000000, 0xfff0000000000000, 0x4000000000000000)  // -inf / 2
    TEST_FP_OP2(94, d, fdiv.d, rne, 0, 0x0000000000000000, 0x0000000000000000, 0x7ff0000000000000)  // 0 / inf
    TEST_FP_OP2(95, d, fdiv.d, rne, 0, 0x8000000000000000, 0xc000000000000000, 0x7ff0000000000000)  // -2 / inf
    TEST_FP_OP2(96, d, fdiv.d, rne, 0, 0x8000000000000000, 0x0000000000000000, 0xc014000000000000)  // 0 / -5
    TEST_FP_OP2(97, d, fdiv.d, rne, FF_OF|FF_NX, 0x7ff0000000000000, 0x7fefffffffffffff, 0x3fe0000000000000)  // max / 0.5; overflow
    TEST_FP_OP2(98, d, fdiv.d, rtz, FF_OF|FF_NX, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x3fe0000000000000)  // max / 0.5
    TEST_FP_OP2(99, d, fdiv.d, rne, FF_UF|FF_NX, 0x0004000000000000, 0x3ff0000000000000, 0x7fefffffffffffff)  // 1 / max; tiny inexact
    TEST_FP_OP2(100, d, fdiv.d, rne, 0, 0x0008000000000000, 0x0010000000000000, 0x4000000000000000)  // 2^-1022 / 2; exact subnormal
    TEST_FP_OP2(101, d, fdiv.d, rne, FF_UF|FF_NX, 0x0000000000000000, 0x0000000000000001, 0x4000000000000000)  // minsub / 2; tie to 0
    TEST_FP_OP2(102, d, fdiv.d, rne, FF_UF|FF_NX, 0x0000000000000000, 0x0000000000000001, 0x4008000000000000)  // minsub / 3
    TEST_FP_OP2(103, d, fdiv.d, rne, FF_UF|FF_NX, 0x0000000000000001, 0x0000000000000002, 0x4008000000000000)  // 2^-1073 / 3; 2/3 minsub rounds up to minsub
    TEST_FP_OP2(104, d, fdiv.d, rne, 0, 0x001ffffffffffffe, 0x000fffffffffffff, 0x3fe0000000000000)  // maxsub / 0.5; subnormal / 0.5: normal, exact
    TEST_FP_OP2(105, d, fdiv.d, rne, 0, 0x7ff8000000000000, 0x7ff8000000000000, 0x0000000000000000)  // qnan / 0; no DZ with a NaN
    TEST_FP_OP2(106, d, fdiv.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000001, 0x3ff0000000000000)  // snan / 1
    TEST_FP_OP2(107, d, fdiv.d, rne, 0, 0x7ff8000000000000, 0x0000000000000000, 0x7ff8000000000000)  // 0 / qnan

    // FSQRT
    TEST_FP_OP1(108, d, fsqrt.d, rne, 0, 0x4000000000000000, 0x4010000000000000)  // sqrt(4)
    TEST_FP_OP1(109, d, fsqrt.d, rne, 0, 0x4008000000000000, 0x4022000000000000)  // sqrt(9)
    TEST_FP_OP1(110, d, fsqrt.d, rne, 0, 0x3fe0000000000000, 0x3fd0000000000000)  // sqrt(0.25)
    TEST_FP_OP1(111, d, fsqrt.d, rne, FF_NX, 0x3ff6a09e667f3bcd, 0x4000000000000000)  // sqrt(2); inexact
    TEST_FP_OP1(112, d, fsqrt.d, rne, 0, 0x0000000000000000, 0x0000000000000000)  // sqrt(+0)
    TEST_FP_OP1(113, d, fsqrt.d, rne, 0, 0x8000000000000000, 0x8000000000000000)  // sqrt(-0); -0, no flag
    TEST_FP_OP1(114, d, fsqrt.d, rne, 0, 0x7ff0000000000000, 0x7ff0000000000000)  // sqrt(inf)
    TEST_FP_OP1(115, d, fsqrt.d, rne, FF_NV, 0x7ff8000000000000, 0xfff0000000000000)  // sqrt(-inf); invalid
    TEST_FP_OP1(116, d, fsqrt.d, rne, FF_NV, 0x7ff8000000000000, 0xbff0000000000000)  // sqrt(-1); invalid
    TEST_FP_OP1(117, d, fsqrt.d, rne, FF_NV, 0x7ff8000000000000, 0x8000000000000001)  // sqrt(-minsub); invalid
    TEST_FP_OP1(118, d, fsqrt.d, rne, 0, 0x7ff8000000000000, 0x7ff8000000000000)  // sqrt(qnan)
    TEST_FP_OP1(119, d, fsqrt.d, rne, 0, 0x7ff8000000000000, 0xfff8000000000000)  // sqrt(-qnan)
    TEST_FP_OP1(120, d, fsqrt.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000001)  // sqrt(snan)
    TEST_FP_OP1(121, d, fsqrt.d, rne, 0, 0x1e60000000000000, 0x0000000000000001)  // sqrt(minsub); subnormal input
    TEST_FP_OP1(122, d, fsqrt.d, rne, 0, 0x1e70000000000000, 0x0000000000000004)  // sqrt(2^-1072)
    TEST_FP_OP1(123, d, fsqrt.d, rne, FF_NX, 0x5fefffffffffffff, 0x7fefffffffffffff)  // sqrt(max)
    TEST_FP_OP1(124, d, fsqrt.d, rne, FF_NX, 0x3ff0000000000000, 0x3ff0000000000001)  // sqrt((1+2^-52))

RVTEST_CODE_END
