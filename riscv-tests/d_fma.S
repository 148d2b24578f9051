// D: FMADD.D, FMSUB.D, FNMSUB.D, FNMADD.D (fused multiply-add, one rounding)
// "FMADD computes (rs1 x rs2) + rs3; FMSUB computes (rs1 x rs2) - rs3;
// FNMSUB computes -(rs1 x rs2) + rs3; FNMADD computes -(rs1 x rs2) - rs3."
// The exact result is rounded once: a*b = (1+2^-26)*(1+2^-27) = 1 + 2^-26 + 2^-27 + 2^-53
// is a tie in binary64, so a*b - (1+2^-26+2^-27) is 2^-53 fused but 0 as mul
// then add, and a*b + 2^-59 rounds up fused but down as mul then add.
// "The fused multiply-add instructions must set the invalid operation
// exception flag when the multiplicands are inf and zero, even when the
// addend is a quiet NaN." NaN results are the canonical NaN (never negated).
// An exact zero sum of opposite-signed terms is +0 (-0 in RDN).
// Flags: FF_NV 0x10, FF_DZ 0x08, FF_OF 0x04, FF_UF 0x02, FF_NX 0x01.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // FMADD: rs1*rs2 + rs3
    TEST_FP_OP3(1, d, fmadd.d, rne, 0, 0x401c000000000000, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000)  // 2*3 + 1
    TEST_FP_OP3(2, d, fmadd.d, rne, 0, 0xc014000000000000, 0xc000000000000000, 0x4008000000000000, 0x3ff0000000000000)  // -2*3 + 1
    TEST_FP_OP3(3, d, fmadd.d, rne, 0, 0x4014000000000000, 0x4000000000000000, 0x4008000000000000, 0xbff0000000000000)  // 2*3 + -1
    TEST_FP_OP3(4, d, fmadd.d, rne, 0, 0xc016000000000000, 0x3ff8000000000000, 0xc010000000000000, 0x3fe0000000000000)  // 1.5*-4 + 0.5
    TEST_FP_OP3(5, d, fmadd.d, rne, 0, 0x0000000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0xbff0000000000000)  // 1*1 + -1; exact zero
    TEST_FP_OP3(6, d, fmadd.d, rdn, 0, 0x8000000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0xbff0000000000000)  // 1*1 + -1; exact zero in RDN
    TEST_FP_OP3(7, d, fmadd.d, rne, 0, 0x0000000000000000, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000)  // +0*1 + +0; zero product + zero addend
    TEST_FP_OP3(8, d, fmadd.d, rne, 0, 0x0000000000000000, 0x0000000000000000, 0x3ff0000000000000, 0x8000000000000000)  // +0*1 + -0
    TEST_FP_OP3(9, d, fmadd.d, rne, 0, 0x8000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0x8000000000000000)  // -0*1 + -0
    TEST_FP_OP3(10, d, fmadd.d, rdn, 0, 0x8000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0x0000000000000000)  // -0*1 + +0
    TEST_FP_OP3(11, d, fmadd.d, rne, 0, 0x3ca0000000000000, 0x3ff0000004000000, 0x3ff0000002000000, 0xbff0000006000000)  // (1+2^-26)*(1+2^-27) + (-(1+2^-26+2^-27)); single rounding: exact 2^-53 (mul then add: 0)
    TEST_FP_OP3(12, d, fmadd.d, rne, FF_NX, 0x3ff0000006000001, 0x3ff0000004000000, 0x3ff0000002000000, 0x3c40000000000000)  // (1+2^-26)*(1+2^-27) + 2^-59; single rounding: rounds away from the mul-rounded result
    TEST_FP_OP3(13, d, fmadd.d, rne, 0, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x4000000000000000, 0xffefffffffffffff)  // max*2 + -max; no intermediate overflow
    TEST_FP_OP3(14, d, fmadd.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000000, 0x0000000000000000, 0x7ff8000000000000)  // inf*0 + qnan; inf*0 is invalid even with a quiet NaN addend
    TEST_FP_OP3(15, d, fmadd.d, rne, FF_NV, 0x7ff8000000000000, 0x0000000000000000, 0xfff0000000000000, 0x3ff0000000000000)  // 0*-inf + 1; invalid
    TEST_FP_OP3(16, d, fmadd.d, rne, 0, 0x7ff0000000000000, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000)  // inf*1 + inf; invalid iff the signs clash
    TEST_FP_OP3(17, d, fmadd.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000000, 0xbff0000000000000, 0x7ff0000000000000)  // inf*-1 + inf
    TEST_FP_OP3(18, d, fmadd.d, rne, 0, 0xfff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000)  // 1*1 + -inf
    TEST_FP_OP3(19, d, fmadd.d, rne, 0, 0x7ff8000000000000, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000)  // qnan*1 + 1; canonical NaN, not negated
    TEST_FP_OP3(20, d, fmadd.d, rne, FF_NV, 0x7ff8000000000000, 0x3ff0000000000000, 0x7ff0000000000001, 0x3ff0000000000000)  // 1*snan + 1
    TEST_FP_OP3(21, d, fmadd.d, rne, FF_NV, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff4000000000345)  // 1*1 + snanp
    TEST_FP_OP3(22, d, fmadd.d, rne, 0, 0x7ff8000000000000, 0xfff8000000012345, 0x7ff0000000000000, 0x0000000000000000)  // -qnanp*inf + 0
    TEST_FP_OP3(23, d, fmadd.d, rne, FF_OF|FF_NX, 0x7ff0000000000000, 0x7fefffffffffffff, 0x4000000000000000, 0x0000000000000000)  // max*2 + 0; overflow
    TEST_FP_OP3(24, d, fmadd.d, rtz, FF_OF|FF_NX, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x4000000000000000, 0x0000000000000000)  // max*2 + 0
    TEST_FP_OP3(25, d, fmadd.d, rne, FF_UF|FF_NX, 0x0000000000000000, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000)  // minsub*0.5 + 0; tiny inexact
    TEST_FP_OP3(26, d, fmadd.d, rne, FF_UF|FF_NX, 0x0000000000000002, 0x0000000000000001, 0x3ff8000000000000, 0x0000000000000000)  // minsub*1.5 + 0; tie: to even 2*minsub, UF|NX
    TEST_FP_OP3(27, d, fmadd.d, rne, 0, 0x0010000000000000, 0x0010000000000000, 0x3fe0000000000000, 0x0008000000000000)  // 2^-1022*0.5 + 2^-1023; exact: no UF

    // FMSUB: rs1*rs2 - rs3
    TEST_FP_OP3(28, d, fmsub.d, rne, 0, 0x4014000000000000, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000)  // 2*3 - 1
    TEST_FP_OP3(29, d, fmsub.d, rne, 0, 0xc01c000000000000, 0xc000000000000000, 0x4008000000000000, 0x3ff0000000000000)  // -2*3 - 1
    TEST_FP_OP3(30, d, fmsub.d, rne, 0, 0x401c000000000000, 0x4000000000000000, 0x4008000000000000, 0xbff0000000000000)  // 2*3 - -1
    TEST_FP_OP3(31, d, fmsub.d, rne, 0, 0xc01a000000000000, 0x3ff8000000000000, 0xc010000000000000, 0x3fe0000000000000)  // 1.5*-4 - 0.5
    TEST_FP_OP3(32, d, fmsub.d, rne, 0, 0x0000000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000)  // 1*1 - 1; exact zero
    TEST_FP_OP3(33, d, fmsub.d, rdn, 0, 0x8000000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000)  // 1*1 - 1; exact zero in RDN
    TEST_FP_OP3(34, d, fmsub.d, rne, 0, 0x0000000000000000, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000)  // +0*1 - +0; zero product + zero addend
    TEST_FP_OP3(35, d, fmsub.d, rne, 0, 0x0000000000000000, 0x0000000000000000, 0x3ff0000000000000, 0x8000000000000000)  // +0*1 - -0
    TEST_FP_OP3(36, d, fmsub.d, rne, 0, 0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0x8000000000000000)  // -0*1 - -0
    TEST_FP_OP3(37, d, fmsub.d, rdn, 0, 0x8000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0x0000000000000000)  // -0*1 - +0
    TEST_FP_OP3(38, d, fmsub.d, rne, 0, 0x3ca0000000000000, 0x3ff0000004000000, 0x3ff0000002000000, 0x3ff0000006000000)  // (1+2^-26)*(1+2^-27) - (1+2^-26+2^-27); single rounding: exact 2^-53 (mul then add: 0)
    TEST_FP_OP3(39, d, fmsub.d, rne, FF_NX, 0x3ff0000006000001, 0x3ff0000004000000, 0x3ff0000002000000, 0xbc40000000000000)  // (1+2^-26)*(1+2^-27) - -2^-59; single rounding: rounds away from the mul-rounded result
    TEST_FP_OP3(40, d, fmsub.d, rne, 0, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x4000000000000000, 0x7fefffffffffffff)  // max*2 - max; no intermediate overflow
    TEST_FP_OP3(41, d, fmsub.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000000, 0x0000000000000000, 0x7ff8000000000000)  // inf*0 - qnan; inf*0 is invalid even with a quiet NaN addend
    TEST_FP_OP3(42, d, fmsub.d, rne, FF_NV, 0x7ff8000000000000, 0x0000000000000000, 0xfff0000000000000, 0x3ff0000000000000)  // 0*-inf - 1; invalid
    TEST_FP_OP3(43, d, fmsub.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000)  // inf*1 - inf; invalid iff the signs clash
    TEST_FP_OP3(44, d, fmsub.d, rne, 0, 0xfff0000000000000, 0x7ff0000000000000, 0xbff0000000000000, 0x7ff0000000000000)  // inf*-1 - inf
    TEST_FP_OP3(45, d, fmsub.d, rne, 0, 0x7ff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000)  // 1*1 - -inf
    TEST_FP_OP3(46, d, fmsub.d, rne, 0, 0x7ff8000000000000, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000)  // qnan*1 - 1; canonical NaN, not negated
    TEST_FP_OP3(47, d, fmsub.d, rne, FF_NV, 0x7ff8000000000000, 0x3ff0000000000000, 0x7ff0000000000001, 0x3ff0000000000000)  // 1*snan - 1
    TEST_FP_OP3(48, d, fmsub.d, rne, FF_NV, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff4000000000345)  // 1*1 - snanp
    TEST_FP_OP3(49, d, fmsub.d, rne, 0, 0x7ff8000000000000, 0xfff8000000012345, 0x7ff0000000000000, 0x0000000000000000)  // -qnanp*inf - 0
    TEST_FP_OP3(50, d, fmsub.d, rne, FF_OF|FF_NX, 0x7ff0000000000000, 0x7fefffffffffffff, 0x4000000000000000, 0x0000000000000000)  // max*2 - 0; overflow
    TEST_FP_OP3(51, d, fmsub.d, rtz, FF_OF|FF_NX, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x4000000000000000, 0x0000000000000000)  // max*2 - 0
    TEST_FP_OP3(52, d, fmsub.d, rne, FF_UF|FF_NX, 0x0000000000000000, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000)  // minsub*0.5 - 0; tiny inexact
    TEST_FP_OP3(53, d, fmsub.d, rne, FF_UF|FF_NX, 0x0000000000000002, 0x0000000000000001, 0x3ff8000000000000, 0x0000000000000000)  // minsub*1.5 - 0; tie: to even 2*minsub, UF|NX
    TEST_FP_OP3(54, d, fmsub.d, rne, 0, 0x0000000000000000, 0x0010000000000000, 0x3fe0000000000000, 0x0008000000000000)  // 2^-1022*0.5 - 2^-1023; exact: no UF

    // FNMSUB: -(rs1*rs2) + rs3
    TEST_FP_OP3(55, d, fnmsub.d, rne, 0, 0xc014000000000000, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000)  // -(2*3) + 1
    TEST_FP_OP3(56, d, fnmsub.d, rne, 0, 0x401c000000000000, 0xc000000000000000, 0x4008000000000000, 0x3ff0000000000000)  // -(-2*3) + 1
    TEST_FP_OP3(57, d, fnmsub.d, rne, 0, 0xc01c000000000000, 0x4000000000000000, 0x4008000000000000, 0xbff0000000000000)  // -(2*3) + -1
    TEST_FP_OP3(58, d, fnmsub.d, rne, 0, 0x401a000000000000, 0x3ff8000000000000, 0xc010000000000000, 0x3fe0000000000000)  // -(1.5*-4) + 0.5
    TEST_FP_OP3(59, d, fnmsub.d, rne, 0, 0x0000000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000)  // -(1*1) + 1; exact zero
    TEST_FP_OP3(60, d, fnmsub.d, rdn, 0, 0x8000000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000)  // -(1*1) + 1; exact zero in RDN
    TEST_FP_OP3(61, d, fnmsub.d, rne, 0, 0x0000000000000000, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000)  // -(+0*1) + +0; zero product + zero addend
    TEST_FP_OP3(62, d, fnmsub.d, rne, 0, 0x8000000000000000, 0x0000000000000000, 0x3ff0000000000000, 0x8000000000000000)  // -(+0*1) + -0
    TEST_FP_OP3(63, d, fnmsub.d, rne, 0, 0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0x8000000000000000)  // -(-0*1) + -0
    TEST_FP_OP3(64, d, fnmsub.d, rdn, 0, 0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0x0000000000000000)  // -(-0*1) + +0
    TEST_FP_OP3(65, d, fnmsub.d, rne, 0, 0xbca0000000000000, 0x3ff0000004000000, 0x3ff0000002000000, 0x3ff0000006000000)  // -((1+2^-26)*(1+2^-27)) + (1+2^-26+2^-27); single rounding: exact 2^-53 (mul then add: 0)
    TEST_FP_OP3(66, d, fnmsub.d, rne, FF_NX, 0xbff0000006000001, 0x3ff0000004000000, 0x3ff0000002000000, 0xbc40000000000000)  // -((1+2^-26)*(1+2^-27)) + -2^-59; single rounding: rounds away from the mul-rounded result
    TEST_FP_OP3(67, d, fnmsub.d, rne, 0, 0xffefffffffffffff, 0x7fefffffffffffff, 0x4000000000000000, 0x7fefffffffffffff)  // -(max*2) + max; no intermediate overflow
    TEST_FP_OP3(68, d, fnmsub.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000000, 0x0000000000000000, 0x7ff8000000000000)  // -(inf*0) + qnan; inf*0 is invalid even with a quiet NaN addend
    TEST_FP_OP3(69, d, fnmsub.d, rne, FF_NV, 0x7ff8000000000000, 0x0000000000000000, 0xfff0000000000000, 0x3ff0000000000000)  // -(0*-inf) + 1; invalid
    TEST_FP_OP3(70, d, fnmsub.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000)  // -(inf*1) + inf; invalid iff the signs clash
    TEST_FP_OP3(71, d, fnmsub.d, rne, 0, 0x7ff0000000000000, 0x7ff0000000000000, 0xbff0000000000000, 0x7ff0000000000000)  // -(inf*-1) + inf
    TEST_FP_OP3(72, d, fnmsub.d, rne, 0, 0xfff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000)  // -(1*1) + -inf
    TEST_FP_OP3(73, d, fnmsub.d, rne, 0, 0x7ff8000000000000, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000)  // -(qnan*1) + 1; canonical NaN, not negated
    TEST_FP_OP3(74, d, fnmsub.d, rne, FF_NV, 0x7ff8000000000000, 0x3ff0000000000000, 0x7ff0000000000001, 0x3ff0000000000000)  // -(1*snan) + 1
    TEST_FP_OP3(75, d, fnmsub.d, rne, FF_NV, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff4000000000345)  // -(1*1) + snanp
    TEST_FP_OP3(76, d, fnmsub.d, rne, 0, 0x7ff8000000000000, 0xfff8000000012345, 0x7ff0000000000000, 0x0000000000000000)  // -(-qnanp*inf) + 0
    TEST_FP_OP3(77, d, fnmsub.d, rne, FF_OF|FF_NX, 0xfff0000000000000, 0x7fefffffffffffff, 0x4000000000000000, 0x0000000000000000)  // -(max*2) + 0; overflow
    TEST_FP_OP3(78, d, fnmsub.d, rtz, FF_OF|FF_NX, 0xffefffffffffffff, 0x7fefffffffffffff, 0x4000000000000000, 0x0000000000000000)  // -(max*2) + 0
    TEST_FP_OP3(79, d, fnmsub.d, rne, FF_UF|FF_NX, 0x8000000000000000, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000)  // -(minsub*0.5) + 0; tiny inexact
    TEST_FP_OP3(80, d, fnmsub.d, rne, FF_UF|FF_NX, 0x8000000000000002, 0x0000000000000001, 0x3ff8000000000000, 0x0000000000000000)  // -(minsub*1.5) + 0; tie: to even 2*minsub, UF|NX
    TEST_FP_OP3(81, d, fnmsub.d, rne, 0, 0x0000000000000000, 0x0010000000000000, 0x3fe0000000000000, 0x0008000000000000)  // -(2^-1022*0.5) + 2^-1023; exact: no UF

    // FNMADD: -(rs1*rs2) - rs3
    TEST_FP_OP3(82, d, fnmadd.d, rne, 0, 0xc01c000000000000, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000)  // -(2*3) - 1
    TEST_FP_OP3(83, d, fnmadd.d, rne, 0, 0x4014000000000000, 0xc000000000000000, 0x4008000000000000, 0x3ff0000000000000)  // -(-2*3) - 1
    TEST_FP_OP3(84, d, fnmadd.d, rne, 0, 0xc014000000000000, 0x4000000000000000, 0x4008000000000000, 0xbff0000000000000)  // -(2*3) - -1
    TEST_FP_OP3(85, d, fnmadd.d, rne, 0, 0x4016000000000000, 0x3ff8000000000000, 0xc010000000000000, 0x3fe0000000000000)  // -(1.5*-4) - 0.5
    TEST_FP_OP3(86, d, fnmadd.d, rne, 0, 0x0000000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0xbff0000000000000)  // -(1*1) - -1; exact zero
    TEST_FP_OP3(87, d, fnmadd.d, rdn, 0, 0x8000000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0xbff0000000000000)  // -(1*1) - -1; exact zero in RDN
    TEST_FP_OP3(88, d, fnmadd.d, rne, 0, 0x8000000000000000, 0x0000000000000000, 0x3ff0000000000000, 0x0000000000000000)  // -(+0*1) - +0; zero product + zero addend
    TEST_FP_OP3(89, d, fnmadd.d, rne, 0, 0x0000000000000000, 0x0000000000000000, 0x3ff0000000000000, 0x8000000000000000)  // -(+0*1) - -0
    TEST_FP_OP3(90, d, fnmadd.d, rne, 0, 0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0x8000000000000000)  // -(-0*1) - -0
    TEST_FP_OP3(91, d, fnmadd.d, rdn, 0, 0x8000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0x0000000000000000)  // -(-0*1) - +0
    TEST_FP_OP3(92, d, fnmadd.d, rne, 0, 0xbca0000000000000, 0x3ff0000004000000, 0x3ff0000002000000, 0xbff0000006000000)  // -((1+2^-26)*(1+2^-27)) - (-(1+2^-26+2^-27)); single rounding: exact 2^-53 (mul then add: 0)
    TEST_FP_OP3(93, d, fnmadd.d, rne, FF_NX, 0xbff0000006000001, 0x3ff0000004000000, 0x3ff0000002000000, 0x3c40000000000000)  // -((1+2^-26)*(1+2^-27)) - 2^-59; single rounding: rounds away from the mul-rounded result
    TEST_FP_OP3(94, d, fnmadd.d, rne, 0, 0xffefffffffffffff, 0x7fefffffffffffff, 0x4000000000000000, 0xffefffffffffffff)  // -(max*2) - -max; no intermediate overflow
    TEST_FP_OP3(95, d, fnmadd.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000000, 0x0000000000000000, 0x7ff8000000000000)  // -(inf*0) - qnan; inf*0 is invalid even with a quiet NaN addend
    TEST_FP_OP3(96, d, fnmadd.d, rne, FF_NV, 0x7ff8000000000000, 0x0000000000000000, 0xfff0000000000000, 0x3ff0000000000000)  // -(0*-inf) - 1; invalid
    TEST_FP_OP3(97, d, fnmadd.d, rne, 0, 0xfff0000000000000, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000)  // -(inf*1) - inf; invalid iff the signs clash
    TEST_FP_OP3(98, d, fnmadd.d, rne, FF_NV, 0x7ff8000000000000, 0x7ff0000000000000, 0xbff0000000000000, 0x7ff0000000000000)  // -(inf*-1) - inf
    TEST_FP_OP3(99, d, fnmadd.d, rne, 0, 0x7ff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000)  // -(1*1) - -inf
    TEST_FP_OP3(100, d, fnmadd.d, rne, 0, 0x7ff8000000000000, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000)  // -(qnan*1) - 1; canonical NaN, not negated
    TEST_FP_OP3(101, d, fnmadd.d, rne, FF_NV, 0x7ff8000000000000, 0x3ff0000000000000, 0x7ff0000000000001, 0x3ff0000000000000)  // -(1*snan) - 1
    TEST_FP_OP3(102, d, fnmadd.d, rne, FF_NV, 0x7ff8000000000000, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff4000000000345)  // -(1*1) - snanp
    TEST_FP_OP3(103, d, fnmadd.d, rne, 0, 0x7ff8000000000000, 0xfff8000000012345, 0x7ff0000000000000, 0x0000000000000000)  // -(-qnanp*inf) - 0
    TEST_FP_OP3(104, d, fnmadd.d, rne, FF_OF|FF_NX, 0xfff0000000000000, 0x7fefffffffffffff, 0x4000000000000000, 0x0000000000000000)  // -(max*2) - 0; overflow
    TEST_FP_OP3(105, d, fnmadd.d, rtz, FF_OF|FF_NX, 0xffefffffffffffff, 0x7fefffffffffffff, 0x4000000000000000, 0x0000000000000000)  // -(max*2) - 0
    TEST_FP_OP3(106, d, fnmadd.d, rne, FF_UF|FF_NX, 0x8000000000000000, 0x0000000000000001, 0x3fe0000000000000, 0x0000000000000000)  // -(minsub*0.5) - 0; tiny inexact
    TEST_FP_OP3(107, d, fnmadd.d, rne, FF_UF|FF_NX, 0x8000000000000002, 0x0000000000000001, 0x3ff8000000000000, 0x0000000000000000)  // -(minsub*1.5) - 0; tie: to even 2*minsub, UF|NX
    TEST_FP_OP3(108, d, fnmadd.d, rne, 0, 0x8010000000000000, 0x0010000000000000, 0x3fe0000000000000, 0x0008000000000000)  // -(2^-1022*0.5) - 2^-1023; exact: no UF

RVTEST_CODE_END
