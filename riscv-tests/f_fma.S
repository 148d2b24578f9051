// F: FMADD.S, FMSUB.S, FNMSUB.S, FNMADD.S (fused multiply-add, one rounding)
// "FMADD computes (rs1 x rs2) + rs3; FMSUB computes (rs1 x rs2) - rs3;
// FNMSUB computes -(rs1 x rs2) + rs3; FNMADD computes -(rs1 x rs2) - rs3."
// The exact result is rounded once: a*b = (1+2^-12)*(1+2^-12) = 1 + 2^-12 + 2^-12 + 2^-24
// is a tie in binary32, so a*b - (1+2^-11) is 2^-24 fused but 0 as mul
// then add, and a*b + 2^-30 rounds up fused but down as mul then add.
// "The fused multiply-add instructions must set the invalid operation
// exception flag when the multiplicands are inf and zero, even when the
// addend is a quiet NaN." NaN results are the canonical NaN (never negated).
// An exact zero sum of opposite-signed terms is +0 (-0 in RDN).
// Flags: FF_NV 0x10, FF_DZ 0x08, FF_OF 0x04, FF_UF 0x02, FF_NX 0x01.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // FMADD: rs1*rs2 + rs3
    TEST_FP_OP3(1, s, fmadd.s, rne, 0, 0x40e00000, 0x40000000, 0x40400000, 0x3f800000)  // 2*3 + 1
    TEST_FP_OP3(2, s, fmadd.s, rne, 0, 0xc0a00000, 0xc0000000, 0x40400000, 0x3f800000)  // -2*3 + 1
    TEST_FP_OP3(3, s, fmadd.s, rne, 0, 0x40a00000, 0x40000000, 0x40400000, 0xbf800000)  // 2*3 + -1
    TEST_FP_OP3(4, s, fmadd.s, rne, 0, 0xc0b00000, 0x3fc00000, 0xc0800000, 0x3f000000)  // 1.5*-4 + 0.5
    TEST_FP_OP3(5, s, fmadd.s, rne, 0, 0x00000000, 0x3f800000, 0x3f800000, 0xbf800000)  // 1*1 + -1; exact zero
    TEST_FP_OP3(6, s, fmadd.s, rdn, 0, 0x80000000, 0x3f800000, 0x3f800000, 0xbf800000)  // 1*1 + -1; exact zero in RDN
    TEST_FP_OP3(7, s, fmadd.s, rne, 0, 0x00000000, 0x00000000, 0x3f800000, 0x00000000)  // +0*1 + +0; zero product + zero addend
    TEST_FP_OP3(8, s, fmadd.s, rne, 0, 0x00000000, 0x00000000, 0x3f800000, 0x80000000)  // +0*1 + -0
    TEST_FP_OP3(9, s, fmadd.s, rne, 0, 0x80000000, 0x80000000, 0x3f800000, 0x80000000)  // -0*1 + -0
    TEST_FP_OP3(10, s, fmadd.s, rdn, 0, 0x80000000, 0x80000000, 0x3f800000, 0x00000000)  // -0*1 + +0
    TEST_FP_OP3(11, s, fmadd.s, rne, 0, 0x33800000, 0x3f800800, 0x3f800800, 0xbf801000)  // (1+2^-12)*(1+2^-12) + (-(1+2^-11)); single rounding: exact 2^-24 (mul then add: 0)
    TEST_FP_OP3(12, s, fmadd.s, rne, FF_NX, 0x3f801001, 0x3f800800, 0x3f800800, 0x30800000)  // (1+2^-12)*(1+2^-12) + 2^-30; single rounding: rounds away from the mul-rounded result
    TEST_FP_OP3(13, s, fmadd.s, rne, 0, 0x7f7fffff, 0x7f7fffff, 0x40000000, 0xff7fffff)  // max*2 + -max; no intermediate overflow
    TEST_FP_OP3(14, s, fmadd.s, rne, FF_NV, 0x7fc00000, 0x7f800000, 0x00000000, 0x7fc00000)  // inf*0 + qnan; inf*0 is invalid even with a quiet NaN addend
    TEST_FP_OP3(15, s, fmadd.s, rne, FF_NV, 0x7fc00000, 0x00000000, 0xff800000, 0x3f800000)  // 0*-inf + 1; invalid
    TEST_FP_OP3(16, s, fmadd.s, rne, 0, 0x7f800000, 0x7f800000, 0x3f800000, 0x7f800000)  // inf*1 + inf; invalid iff the signs clash
    TEST_FP_OP3(17, s, fmadd.s, rne, FF_NV, 0x7fc00000, 0x7f800000, 0xbf800000, 0x7f800000)  // inf*-1 + inf
    TEST_FP_OP3(18, s, fmadd.s, rne, 0, 0xff800000, 0x3f800000, 0x3f800000, 0xff800000)  // 1*1 + -inf
    TEST_FP_OP3(19, s, fmadd.s, rne, 0, 0x7fc00000, 0x7fc00000, 0x3f800000, 0x3f800000)  // qnan*1 + 1; canonical NaN, not negated
    TEST_FP_OP3(20, s, fmadd.s, rne, FF_NV, 0x7fc00000, 0x3f800000, 0x7f800001, 0x3f800000)  // 1*snan + 1
    TEST_FP_OP3(21, s, fmadd.s, rne, FF_NV, 0x7fc00000, 0x3f800000, 0x3f800000, 0x7fa00345)  // 1*1 + snanp
    TEST_FP_OP3(22, s, fmadd.s, rne, 0, 0x7fc00000, 0xffc12345, 0x7f800000, 0x00000000)  // -qnanp*inf + 0
    TEST_FP_OP3(23, s, fmadd.s, rne, FF_OF|FF_NX, 0x7f800000, 0x7f7fffff, 0x40000000, 0x00000000)  // max*2 + 0; overflow
    TEST_FP_OP3(24, s, fmadd.s, rtz, FF_OF|FF_NX, 0x7f7fffff, 0x7f7fffff, 0x40000000, 0x00000000)  // max*2 + 0
    TEST_FP_OP3(25, s, fmadd.s, rne, FF_UF|FF_NX, 0x00000000, 0x00000001, 0x3f000000, 0x00000000)  // minsub*0.5 + 0; tiny inexact
    TEST_FP_OP3(26, s, fmadd.s, rne, FF_UF|FF_NX, 0x00000002, 0x00000001, 0x3fc00000, 0x00000000)  // minsub*1.5 + 0; tie: to even 2*minsub, UF|NX
    TEST_FP_OP3(27, s, fmadd.s, rne, 0, 0x00800000, 0x00800000, 0x3f000000, 0x00400000)  // 2^-126*0.5 + 2^-127; exact: no UF

    // FMSUB: rs1*rs2 - rs3
    TEST_FP_OP3(28, s, fmsub.s, rne, 0, 0x40a00000, 0x40000000, 0x40400000, 0x3f800000)  // 2*3 - 1
    TEST_FP_OP3(29, s, fmsub.s, rne, 0, 0xc0e00000, 0xc0000000, 0x40400000, 0x3f800000)  // -2*3 - 1
    TEST_FP_OP3(30, s, fmsub.s, rne, 0, 0x40e00000, 0x40000000, 0x40400000, 0xbf800000)  // 2*3 - -1
    TEST_FP_OP3(31, s, fmsub.s, rne, 0, 0xc0d00000, 0x3fc00000, 0xc0800000, 0x3f000000)  // 1.5*-4 - 0.5
    TEST_FP_OP3(32, s, fmsub.s, rne, 0, 0x00000000, 0x3f800000, 0x3f800000, 0x3f800000)  // 1*1 - 1; exact zero
    TEST_FP_OP3(33, s, fmsub.s, rdn, 0, 0x80000000, 0x3f800000, 0x3f800000, 0x3f800000)  // 1*1 - 1; exact zero in RDN
    TEST_FP_OP3(34, s, fmsub.s, rne, 0, 0x00000000, 0x00000000, 0x3f800000, 0x00000000)  // +0*1 - +0; zero product + zero addend
    TEST_FP_OP3(35, s, fmsub.s, rne, 0, 0x00000000, 0x00000000, 0x3f800000, 0x80000000)  // +0*1 - -0
    TEST_FP_OP3(36, s, fmsub.s, rne, 0, 0x00000000, 0x80000000, 0x3f800000, 0x80000000)  // -0*1 - -0
    TEST_FP_OP3(37, s, fmsub.s, rdn, 0, 0x80000000, 0x80000000, 0x3f800000, 0x00000000)  // -0*1 - +0
    TEST_FP_OP3(38, s, fmsub.s, rne, 0, 0x33800000, 0x3f800800, 0x3f800800, 0x3f801000)  // (1+2^-12)*(1+2^-12) - (1+2^-11); single rounding: exact 2^-24 (mul then add: 0)
    TEST_FP_OP3(39, s, fmsub.s, rne, FF_NX, 0x3f801001, 0x3f800800, 0x3f800800, 0xb0800000)  // (1+2^-12)*(1+2^-12) - -2^-30; single rounding: rounds away from the mul-rounded result
    TEST_FP_OP3(40, s, fmsub.s, rne, 0, 0x7f7fffff, 0x7f7fffff, 0x40000000, 0x7f7fffff)  // max*2 - max; no intermediate overflow
    TEST_FP_OP3(41, s, fmsub.s, rne, FF_NV, 0x7fc00000, 0x7f800000, 0x00000000, 0x7fc00000)  // inf*0 - qnan; inf*0 is invalid even with a quiet NaN addend
    TEST_FP_OP3(42, s, fmsub.s, rne, FF_NV, 0x7fc00000, 0x00000000, 0xff800000, 0x3f800000)  // 0*-inf - 1; invalid
    TEST_FP_OP3(43, s, fmsub.s, rne, FF_NV, 0x7fc00000, 0x7f800000, 0x3f800000, 0x7f800000)  // inf*1 - inf; invalid iff the signs clash
    TEST_FP_OP3(44, s, fmsub.s, rne, 0, 0xff800000, 0x7f800000, 0xbf800000, 0x7f800000)  // inf*-1 - inf
    TEST_FP_OP3(45, s, fmsub.s, rne, 0, 0x7f800000, 0x3f800000, 0x3f800000, 0xff800000)  // 1*1 - -inf
    TEST_FP_OP3(46, s, fmsub.s, rne, 0, 0x7fc00000, 0x7fc00000, 0x3f800000, 0x3f800000)  // qnan*1 - 1; canonical NaN, not negated
    TEST_FP_OP3(47, s, fmsub.s, rne, FF_NV, 0x7fc00000, 0x3f800000, 0x7f800001, 0x3f800000)  // 1*snan - 1
    TEST_FP_OP3(48, s, fmsub.s, rne, FF_NV, 0x7fc00000, 0x3f800000, 0x3f800000, 0x7fa00345)  // 1*1 - snanp
    TEST_FP_OP3(49, s, fmsub.s, rne, 0, 0x7fc00000, 0xffc12345, 0x7f800000, 0x00000000)  // -qnanp*inf - 0
    TEST_FP_OP3(50, s, fmsub.s, rne, FF_OF|FF_NX, 0x7f800000, 0x7f7fffff, 0x40000000, 0x00000000)  // max*2 - 0; overflow
    TEST_FP_OP3(51, s, fmsub.s, rtz, FF_OF|FF_NX, 0x7f7fffff, 0x7f7fffff, 0x40000000, 0x00000000)  // max*2 - 0
    TEST_FP_OP3(52, s, fmsub.s, rne, FF_UF|FF_NX, 0x00000000, 0x00000001, 0x3f000000, 0x00000000)  // minsub*0.5 - 0; tiny inexact
    TEST_FP_OP3(53, s, fmsub.s, rne, FF_UF|FF_NX, 0x00000002, 0x00000001, 0x3fc00000, 0x00000000)  // minsub*1.5 - 0; tie: to even 2*minsub, UF|NX
    TEST_FP_OP3(54, s, fmsub.s, rne, 0, 0x00000000, 0x00800000, 0x3f000000, 0x00400000)  // 2^-126*0.5 - 2^-127; exact: no UF

    // FNMSUB: -(rs1*rs2) + rs3
    TEST_FP_OP3(55, s, fnmsub.s, rne, 0, 0xc0a00000, 0x40000000, 0x40400000, 0x3f800000)  // -(2*3) + 1
    TEST_FP_OP3(56, s, fnmsub.s, rne, 0, 0x40e00000, 0xc0000000, 0x40400000, 0x3f800000)  // -(-2*3) + 1
    TEST_FP_OP3(57, s, fnmsub.s, rne, 0, 0xc0e00000, 0x40000000, 0x40400000, 0xbf800000)  // -(2*3) + -1
    TEST_FP_OP3(58, s, fnmsub.s, rne, 0, 0x40d00000, 0x3fc00000, 0xc0800000, 0x3f000000)  // -(1.5*-4) + 0.5
    TEST_FP_OP3(59, s, fnmsub.s, rne, 0, 0x00000000, 0x3f800000, 0x3f800000, 0x3f800000)  // -(1*1) + 1; exact zero
    TEST_FP_OP3(60, s, fnmsub.s, rdn, 0, 0x80000000, 0x3f800000, 0x3f800000, 0x3f800000)  // -(1*1) + 1; exact zero in RDN
    TEST_FP_OP3(61, s, fnmsub.s, rne, 0, 0x00000000, 0x00000000, 0x3f800000, 0x00000000)  // -(+0*1) + +0; zero product + zero addend
    TEST_FP_OP3(62, s, fnmsub.s, rne, 0, 0x80000000, 0x00000000, 0x3f800000, 0x80000000)  // -(+0*1) + -0
    TEST_FP_OP3(63, s, fnmsub.s, rne, 0, 0x00000000, 0x80000000, 0x3f800000, 0x80000000)  // -(-0*1) + -0
    TEST_FP_OP3(64, s, fnmsub.s, rdn, 0, 0x00000000, 0x80000000, 0x3f800000, 0x00000000)  // -(-0*1) + +0
    TEST_FP_OP3(65, s, fnmsub.s, rne, 0, 0xb3800000, 0x3f800800, 0x3f800800, 0x3f801000)  // -((1+2^-12)*(1+2^-12)) + (1+2^-11); single rounding: exact 2^-24 (mul then add: 0)
    TEST_FP_OP3(66, s, fnmsub.s, rne, FF_NX, 0xbf801001, 0x3f800800, 0x3f800800, 0xb0800000)  // -((1+2^-12)*(1+2^-12)) + -2^-30; single rounding: rounds away from the mul-rounded result
    TEST_FP_OP3(67, s, fnmsub.s, rne, 0, 0xff7fffff, 0x7f7fffff, 0x40000000, 0x7f7fffff)  // -(max*2) + max; no intermediate overflow
    TEST_FP_OP3(68, s, fnmsub.s, rne, FF_NV, 0x7fc00000, 0x7f800000, 0x00000000, 0x7fc00000)  // -(inf*0) + qnan; inf*0 is invalid even with a quiet NaN addend
    TEST_FP_OP3(69, s, fnmsub.s, rne, FF_NV, 0x7fc00000, 0x00000000, 0xff800000, 0x3f800000)  // -(0*-inf) + 1; invalid
    TEST_FP_OP3(70, s, fnmsub.s, rne, FF_NV, 0x7fc00000, 0x7f800000, 0x3f800000, 0x7f800000)  // -(inf*1) + inf; invalid iff the signs clash
    TEST_FP_OP3(71, s, fnmsub.s, rne, 0, 0x7f800000, 0x7f800000, 0xbf800000, 0x7f800000)  // -(inf*-1) + inf
    TEST_FP_OP3(72, s, fnmsub.s, rne, 0, 0xff800000, 0x3f800000, 0x3f800000, 0xff800000)  // -(1*1) + -inf
    TEST_FP_OP3(73, s, fnmsub.s, rne, 0, 0x7fc00000, 0x7fc00000, 0x3f800000, 0x3f800000)  // -(qnan*1) + 1; canonical NaN, not negated
    TEST_FP_OP3(74, s, fnmsub.s, rne, FF_NV, 0x7fc00000, 0x3f800000, 0x7f800001, 0x3f800000)  // -(1*snan) + 1
    TEST_FP_OP3(75, s, fnmsub.s, rne, FF_NV, 0x7fc00000, 0x3f800000, 0x3f800000, 0x7fa00345)  // -(1*1) + snanp
    TEST_FP_OP3(76, s, fnmsub.s, rne, 0, 0x7fc00000, 0xffc12345, 0x7f800000, 0x00000000)  // -(-qnanp*inf) + 0
    TEST_FP_OP3(77, s, fnmsub.s, rne, FF_OF|FF_NX, 0xff800000, 0x7f7fffff, 0x40000000, 0x00000000)  // -(max*2) + 0; overflow
    TEST_FP_OP3(78, s, fnmsub.s, rtz, FF_OF|FF_NX, 0xff7fffff, 0x7f7fffff, 0x40000000, 0x00000000)  // -(max*2) + 0
    TEST_FP_OP3(79, s, fnmsub.s, rne, FF_UF|FF_NX, 0x80000000, 0x00000001, 0x3f000000, 0x00000000)  // -(minsub*0.5) + 0; tiny inexact
    TEST_FP_OP3(80, s, fnmsub.s, rne, FF_UF|FF_NX, 0x80000002, 0x00000001, 0x3fc00000, 0x00000000)  // -(minsub*1.5) + 0; tie: to even 2*minsub, UF|NX
    TEST_FP_OP3(81, s, fnmsub.s, rne, 0, 0x00000000, 0x00800000, 0x3f000000, 0x00400000)  // -(2^-126*0.5) + 2^-127; exact: no UF

    // FNMADD: -(rs1*rs2) - rs3
    TEST_FP_OP3(82, s, fnmadd.s, rne, 0, 0xc0e00000, 0x40000000, 0x40400000, 0x3f800000)  // -(2*3) - 1
    TEST_FP_OP3(83, s, fnmadd.s, rne, 0, 0x40a00000, 0xc0000000, 0x40400000, 0x3f800000)  // -(-2*3) - 1
    TEST_FP_OP3(84, s, fnmadd.s, rne, 0, 0xc0a00000, 0x40000000, 0x40400000, 0xbf800000)  // -(2*3) - -1
    TEST_FP_OP3(85, s, fnmadd.s, rne, 0, 0x40b00000, 0x3fc00000, 0xc0800000, 0x3f000000)  // -(1.5*-4) - 0.5
    TEST_FP_OP3(86, s, fnmadd.s, rne, 0, 0x00000000, 0x3f800000, 0x3f800000, 0xbf800000)  // -(1*1) - -1; exact zero
    TEST_FP_OP3(87, s, fnmadd.s, rdn, 0, 0x80000000, 0x3f800000, 0x3f800000, 0xbf800000)  // -(1*1) - -1; exact zero in RDN
    TEST_FP_OP3(88, s, fnmadd.s, rne, 0, 0x80000000, 0x00000000, 0x3f800000, 0x00000000)  // -(+0*1) - +0; zero product + zero addend
    TEST_FP_OP3(89, s, fnmadd.s, rne, 0, 0x00000000, 0x00000000, 0x3f800000, 0x80000000)  // -(+0*1) - -0
    TEST_FP_OP3(90, s, fnmadd.s, rne, 0, 0x00000000, 0x80000000, 0x3f800000, 0x80000000)  // -(-0*1) - -0
    TEST_FP_OP3(91, s, fnmadd.s, rdn, 0, 0x80000000, 0x80000000, 0x3f800000, 0x00000000)  // -(-0*1) - +0
    TEST_FP_OP3(92, s, fnmadd.s, rne, 0, 0xb3800000, 0x3f800800, 0x3f800800, 0xbf801000)  // -((1+2^-12)*(1+2^-12)) - (-(1+2^-11)); single rounding: exact 2^-24 (mul then add: 0)
    TEST_FP_OP3(93, s, fnmadd.s, rne, FF_NX, 0xbf801001, 0x3f800800, 0x3f800800, 0x30800000)  // -((1+2^-12)*(1+2^-12)) - 2^-30; single rounding: rounds away from the mul-rounded result
    TEST_FP_OP3(94, s, fnmadd.s, rne, 0, 0xff7fffff, 0x7f7fffff, 0x40000000, 0xff7fffff)  // -(max*2) - -max; no intermediate overflow
    TEST_FP_OP3(95, s, fnmadd.s, rne, FF_NV, 0x7fc00000, 0x7f800000, 0x00000000, 0x7fc00000)  // -(inf*0) - qnan; inf*0 is invalid even with a quiet NaN addend
    TEST_FP_OP3(96, s, fnmadd.s, rne, FF_NV, 0x7fc00000, 0x00000000, 0xff800000, 0x3f800000)  // -(0*-inf) - 1; invalid
    TEST_FP_OP3(97, s, fnmadd.s, rne, 0, 0xff800000, 0x7f800000, 0x3f800000, 0x7f800000)  // -(inf*1) - inf; invalid iff the signs clash
    TEST_FP_OP3(98, s, fnmadd.s, rne, FF_NV, 0x7fc00000, 0x7f800000, 0xbf800000, 0x7f800000)  // -(inf*-1) - inf
    TEST_FP_OP3(99, s, fnmadd.s, rne, 0, 0x7f800000, 0x3f800000, 0x3f800000, 0xff800000)  // -(1*1) - -inf
    TEST_FP_OP3(100, s, fnmadd.s, rne, 0, 0x7fc00000, 0x7fc00000, 0x3f800000, 0x3f800000)  // -(qnan*1) - 1; canonical NaN, not negated
    TEST_FP_OP3(101, s, fnmadd.s, rne, FF_NV, 0x7fc00000, 0x3f800000, 0x7f800001, 0x3f800000)  // -(1*snan) - 1
    TEST_FP_OP3(102, s, fnmadd.s, rne, FF_NV, 0x7fc00000, 0x3f800000, 0x3f800000, 0x7fa00345)  // -(1*1) - snanp
    TEST_FP_OP3(103, s, fnmadd.s, rne, 0, 0x7fc00000, 0xffc12345, 0x7f800000, 0x00000000)  // -(-qnanp*inf) - 0
    TEST_FP_OP3(104, s, fnmadd.s, rne, FF_OF|FF_NX, 0xff800000, 0x7f7fffff, 0x40000000, 0x00000000)  // -(max*2) - 0; overflow
    TEST_FP_OP3(105, s, fnmadd.s, rtz, FF_OF|FF_NX, 0xff7fffff, 0x7f7fffff, 0x40000000, 0x00000000)  // -(max*2) - 0
    TEST_FP_OP3(106, s, fnmadd.s, rne, FF_UF|FF_NX, 0x80000000, 0x00000001, 0x3f000000, 0x00000000)  // -(minsub*0.5) - 0; tiny inexact
    TEST_FP_OP3(107, s, fnmadd.s, rne, FF_UF|FF_NX, 0x80000002, 0x00000001, 0x3fc00000, 0x00000000)  // -(minsub*1.5) - 0; tie: to even 2*minsub, UF|NX
    TEST_FP_OP3(108, s, fnmadd.s, rne, 0, 0x80800000, 0x00800000, 0x3f000000, 0x00400000)  // -(2^-126*0.5) - 2^-127; exact: no UF

RVTEST_CODE_END
