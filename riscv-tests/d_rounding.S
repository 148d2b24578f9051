// D rounding modes: every static mode (rne=0, rtz=1, rdn=2, rup=3, rmm=4) on
// halfway and near-halfway results of fadd, fsub, fmul, fdiv, fsqrt, fmadd, fcvt.w.d, fcvt.l.d,
// fcvt.d.l, fcvt.d.lu and fcvt.s.d,
// then the same operations with rm = dyn (111) and each mode written to frm.
// RNE: nearest, ties to even; RTZ: towards zero; RDN: towards -inf; RUP:
// towards +inf; RMM: nearest, ties away from zero. Inexact results raise NX.
// u below is the ulp of 1 (2^-52).
// Flags: FF_NV 0x10, FF_DZ 0x08, FF_OF 0x04, FF_UF 0x02, FF_NX 0x01.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // FADD.D in each static mode
    TEST_FP_OP2(1, d, fadd.d, rne, FF_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000)  // 1 + 2^-53; tie, even neighbour below
    TEST_FP_OP2(2, d, fadd.d, rtz, FF_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000)  // 1 + 2^-53
    TEST_FP_OP2(3, d, fadd.d, rdn, FF_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000)  // 1 + 2^-53
    TEST_FP_OP2(4, d, fadd.d, rup, FF_NX, 0x3ff0000000000001, 0x3ff0000000000000, 0x3ca0000000000000)  // 1 + 2^-53
    TEST_FP_OP2(5, d, fadd.d, rmm, FF_NX, 0x3ff0000000000001, 0x3ff0000000000000, 0x3ca0000000000000)  // 1 + 2^-53
    TEST_FP_OP2(6, d, fadd.d, rne, FF_NX, 0xbff0000000000002, 0xbff0000000000001, 0xbca0000000000000)  // (-(1+2^-52)) + -2^-53; negative tie, even neighbour above
    TEST_FP_OP2(7, d, fadd.d, rtz, FF_NX, 0xbff0000000000001, 0xbff0000000000001, 0xbca0000000000000)  // (-(1+2^-52)) + -2^-53
    TEST_FP_OP2(8, d, fadd.d, rdn, FF_NX, 0xbff0000000000002, 0xbff0000000000001, 0xbca0000000000000)  // (-(1+2^-52)) + -2^-53
    TEST_FP_OP2(9, d, fadd.d, rup, FF_NX, 0xbff0000000000001, 0xbff0000000000001, 0xbca0000000000000)  // (-(1+2^-52)) + -2^-53
    TEST_FP_OP2(10, d, fadd.d, rmm, FF_NX, 0xbff0000000000002, 0xbff0000000000001, 0xbca0000000000000)  // (-(1+2^-52)) + -2^-53
    TEST_FP_OP2(11, d, fadd.d, rne, FF_NX, 0x3ff0000000000001, 0x3ff0000000000000, 0x3ca0400000000000)  // 1 + (2^-53+2^-59); just above the midpoint
    TEST_FP_OP2(12, d, fadd.d, rtz, FF_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0400000000000)  // 1 + (2^-53+2^-59)
    TEST_FP_OP2(13, d, fadd.d, rdn, FF_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0400000000000)  // 1 + (2^-53+2^-59)
    TEST_FP_OP2(14, d, fadd.d, rup, FF_NX, 0x3ff0000000000001, 0x3ff0000000000000, 0x3ca0400000000000)  // 1 + (2^-53+2^-59)
    TEST_FP_OP2(15, d, fadd.d, rmm, FF_NX, 0x3ff0000000000001, 0x3ff0000000000000, 0x3ca0400000000000)  // 1 + (2^-53+2^-59)
    TEST_FP_OP2(16, d, fadd.d, rne, FF_NX, 0xbff0000000000000, 0xbff0000000000000, 0xbc9f800000000000)  // -1 + (-(2^-53-2^-59)); just below the midpoint (negative)
    TEST_FP_OP2(17, d, fadd.d, rtz, FF_NX, 0xbff0000000000000, 0xbff0000000000000, 0xbc9f800000000000)  // -1 + (-(2^-53-2^-59))
    TEST_FP_OP2(18, d, fadd.d, rdn, FF_NX, 0xbff0000000000001, 0xbff0000000000000, 0xbc9f800000000000)  // -1 + (-(2^-53-2^-59))
    TEST_FP_OP2(19, d, fadd.d, rup, FF_NX, 0xbff0000000000000, 0xbff0000000000000, 0xbc9f800000000000)  // -1 + (-(2^-53-2^-59))
    TEST_FP_OP2(20, d, fadd.d, rmm, FF_NX, 0xbff0000000000000, 0xbff0000000000000, 0xbc9f800000000000)  // -1 + (-(2^-53-2^-59))

    // FSUB.D
    TEST_FP_OP2(21, d, fsub.d, rne, FF_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3c90000000000000)  // 1 - (2^-53/2); below 1: tie at 1-2^-54, even neighbour above
    TEST_FP_OP2(22, d, fsub.d, rtz, FF_NX, 0x3fefffffffffffff, 0x3ff0000000000000, 0x3c90000000000000)  // 1 - (2^-53/2)
    TEST_FP_OP2(23, d, fsub.d, rdn, FF_NX, 0x3fefffffffffffff, 0x3ff0000000000000, 0x3c90000000000000)  // 1 - (2^-53/2)
    TEST_FP_OP2(24, d, fsub.d, rup, FF_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3c90000000000000)  // 1 - (2^-53/2)
    TEST_FP_OP2(25, d, fsub.d, rmm, FF_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3c90000000000000)  // 1 - (2^-53/2)
    TEST_FP_OP2(26, d, fsub.d, rne, FF_NX, 0xbfefffffffffffff, 0xbff0000000000000, 0xbc98000000000000)  // -1 - (-(3*2^-55)); -(1-0.75*2^-53): below 1 the ulp is 2^-53
    TEST_FP_OP2(27, d, fsub.d, rtz, FF_NX, 0xbfefffffffffffff, 0xbff0000000000000, 0xbc98000000000000)  // -1 - (-(3*2^-55))
    TEST_FP_OP2(28, d, fsub.d, rdn, FF_NX, 0xbff0000000000000, 0xbff0000000000000, 0xbc98000000000000)  // -1 - (-(3*2^-55))
    TEST_FP_OP2(29, d, fsub.d, rup, FF_NX, 0xbfefffffffffffff, 0xbff0000000000000, 0xbc98000000000000)  // -1 - (-(3*2^-55))
    TEST_FP_OP2(30, d, fsub.d, rmm, FF_NX, 0xbfefffffffffffff, 0xbff0000000000000, 0xbc98000000000000)  // -1 - (-(3*2^-55))

    // FMUL.D
    TEST_FP_OP2(31, d, fmul.d, rne, FF_NX, 0x3ff8000000000002, 0x3ff8000000000000, 0x3ff0000000000001)  // 1.5 * (1+2^-52); tie, even neighbour above
    TEST_FP_OP2(32, d, fmul.d, rtz, FF_NX, 0x3ff8000000000001, 0x3ff8000000000000, 0x3ff0000000000001)  // 1.5 * (1+2^-52)
    TEST_FP_OP2(33, d, fmul.d, rdn, FF_NX, 0x3ff8000000000001, 0x3ff8000000000000, 0x3ff0000000000001)  // 1.5 * (1+2^-52)
    TEST_FP_OP2(34, d, fmul.d, rup, FF_NX, 0x3ff8000000000002, 0x3ff8000000000000, 0x3ff0000000000001)  // 1.5 * (1+2^-52)
    TEST_FP_OP2(35, d, fmul.d, rmm, FF_NX, 0x3ff8000000000002, 0x3ff8000000000000, 0x3ff0000000000001)  // 1.5 * (1+2^-52)
    TEST_FP_OP2(36, d, fmul.d, rne, FF_NX, 0xbff8000000000004, 0xbff8000000000000, 0x3ff0000000000003)  // -1.5 * (1+3*2^-52); negative tie, even neighbour below
    TEST_FP_OP2(37, d, fmul.d, rtz, FF_NX, 0xbff8000000000004, 0xbff8000000000000, 0x3ff0000000000003)  // -1.5 * (1+3*2^-52)
    TEST_FP_OP2(38, d, fmul.d, rdn, FF_NX, 0xbff8000000000005, 0xbff8000000000000, 0x3ff0000000000003)  // -1.5 * (1+3*2^-52)
    TEST_FP_OP2(39, d, fmul.d, rup, FF_NX, 0xbff8000000000004, 0xbff8000000000000, 0x3ff0000000000003)  // -1.5 * (1+3*2^-52)
    TEST_FP_OP2(40, d, fmul.d, rmm, FF_NX, 0xbff8000000000005, 0xbff8000000000000, 0x3ff0000000000003)  // -1.5 * (1+3*2^-52)
    TEST_FP_OP2(41, d, fmul.d, rne, FF_NX, 0x3ff0000000000002, 0x3ff0000000000001, 0x3ff0000000000001)  // (1+2^-52) * (1+2^-52); just above a representable value
    TEST_FP_OP2(42, d, fmul.d, rtz, FF_NX, 0x3ff0000000000002, 0x3ff0000000000001, 0x3ff0000000000001)  // (1+2^-52) * (1+2^-52)
    TEST_FP_OP2(43, d, fmul.d, rdn, FF_NX, 0x3ff0000000000002, 0x3ff0000000000001, 0x3ff0000000000001)  // (1+2^-52) * (1+2^-52)
    TEST_FP_OP2(44, d, fmul.d, rup, FF_NX, 0x3ff0000000000003, 0x3ff0000000000001, 0x3ff0000000000001)  // (1+2^-52) * (1+2^-52)
    TEST_FP_OP2(45, d, fmul.d, rmm, FF_NX, 0x3ff0000000000002, 0x3ff0000000000001, 0x3ff0000000000001)  // (1+2^-52) * (1+2^-52)
    TEST_FP_OP2(46, d, fmul.d, rne, FF_NX, 0xbff0000000000000, 0xbff0000000000001, 0x3feffffffffffffe)  // (-(1+2^-52)) * (1-2^-52); -(1-u^2): just inside -1
    TEST_FP_OP2(47, d, fmul.d, rtz, FF_NX, 0xbfefffffffffffff, 0xbff0000000000001, 0x3feffffffffffffe)  // (-(1+2^-52)) * (1-2^-52)
    TEST_FP_OP2(48, d, fmul.d, rdn, FF_NX, 0xbff0000000000000, 0xbff0000000000001, 0x3feffffffffffffe)  // (-(1+2^-52)) * (1-2^-52)
    TEST_FP_OP2(49, d, fmul.d, rup, FF_NX, 0xbfefffffffffffff, 0xbff0000000000001, 0x3feffffffffffffe)  // (-(1+2^-52)) * (1-2^-52)
    TEST_FP_OP2(50, d, fmul.d, rmm, FF_NX, 0xbff0000000000000, 0xbff0000000000001, 0x3feffffffffffffe)  // (-(1+2^-52)) * (1-2^-52)

    // FDIV.D (quotients are never exact midpoints)
    TEST_FP_OP2(51, d, fdiv.d, rne, FF_NX, 0x3fd5555555555555, 0x3ff0000000000000, 0x4008000000000000)  // 1 / 3
    TEST_FP_OP2(52, d, fdiv.d, rtz, FF_NX, 0x3fd5555555555555, 0x3ff0000000000000, 0x4008000000000000)  // 1 / 3
    TEST_FP_OP2(53, d, fdiv.d, rdn, FF_NX, 0x3fd5555555555555, 0x3ff0000000000000, 0x4008000000000000)  // 1 / 3
    TEST_FP_OP2(54, d, fdiv.d, rup, FF_NX, 0x3fd5555555555556, 0x3ff0000000000000, 0x4008000000000000)  // 1 / 3
    TEST_FP_OP2(55, d, fdiv.d, rmm, FF_NX, 0x3fd5555555555555, 0x3ff0000000000000, 0x4008000000000000)  // 1 / 3
    TEST_FP_OP2(56, d, fdiv.d, rne, FF_NX, 0xbfe5555555555555, 0xc000000000000000, 0x4008000000000000)  // -2 / 3
    TEST_FP_OP2(57, d, fdiv.d, rtz, FF_NX, 0xbfe5555555555555, 0xc000000000000000, 0x4008000000000000)  // -2 / 3
    TEST_FP_OP2(58, d, fdiv.d, rdn, FF_NX, 0xbfe5555555555556, 0xc000000000000000, 0x4008000000000000)  // -2 / 3
    TEST_FP_OP2(59, d, fdiv.d, rup, FF_NX, 0xbfe5555555555555, 0xc000000000000000, 0x4008000000000000)  // -2 / 3
    TEST_FP_OP2(60, d, fdiv.d, rmm, FF_NX, 0xbfe5555555555555, 0xc000000000000000, 0x4008000000000000)  // -2 / 3
    TEST_FP_OP2(61, d, fdiv.d, rne, FF_NX, 0x3feffffffffffffe, 0x3ff0000000000000, 0x3ff0000000000001)  // 1 / (1+2^-52); 1 - u + u^2 - ...: just above 1-u
    TEST_FP_OP2(62, d, fdiv.d, rtz, FF_NX, 0x3feffffffffffffe, 0x3ff0000000000000, 0x3ff0000000000001)  // 1 / (1+2^-52)
    TEST_FP_OP2(63, d, fdiv.d, rdn, FF_NX, 0x3feffffffffffffe, 0x3ff0000000000000, 0x3ff0000000000001)  // 1 / (1+2^-52)
    TEST_FP_OP2(64, d, fdiv.d, rup, FF_NX, 0x3fefffffffffffff, 0x3ff0000000000000, 0x3ff0000000000001)  // 1 / (1+2^-52)
    TEST_FP_OP2(65, d, fdiv.d, rmm, FF_NX, 0x3feffffffffffffe, 0x3ff0000000000000, 0x3ff0000000000001)  // 1 / (1+2^-52)

    // FSQRT.D (never an exact midpoint)
    TEST_FP_OP1(66, d, fsqrt.d, rne, FF_NX, 0x3ff6a09e667f3bcd, 0x4000000000000000)  // sqrt(2)
    TEST_FP_OP1(67, d, fsqrt.d, rtz, FF_NX, 0x3ff6a09e667f3bcc, 0x4000000000000000)  // sqrt(2)
    TEST_FP_OP1(68, d, fsqrt.d, rdn, FF_NX, 0x3ff6a09e667f3bcc, 0x4000000000000000)  // sqrt(2)
    TEST_FP_OP1(69, d, fsqrt.d, rup, FF_NX, 0x3ff6a09e667f3bcd, 0x4000000000000000)  // sqrt(2)
    TEST_FP_OP1(70, d, fsqrt.d, rmm, FF_NX, 0x3ff6a09e667f3bcd, 0x4000000000000000)  // sqrt(2)
    TEST_FP_OP1(71, d, fsqrt.d, rne, FF_NX, 0x3ff0000000000000, 0x3ff0000000000001)  // sqrt((1+2^-52)); 1 + u/2 - u^2/8: just below the midpoint
    TEST_FP_OP1(72, d, fsqrt.d, rtz, FF_NX, 0x3ff0000000000000, 0x3ff0000000000001)  // sqrt((1+2^-52))
    TEST_FP_OP1(73, d, fsqrt.d, rdn, FF_NX, 0x3ff0000000000000, 0x3ff0000000000001)  // sqrt((1+2^-52))
    TEST_FP_OP1(74, d, fsqrt.d, rup, FF_NX, 0x3ff0000000000001, 0x3ff0000000000001)  // sqrt((1+2^-52))
    TEST_FP_OP1(75, d, fsqrt.d, rmm, FF_NX, 0x3ff0000000000000, 0x3ff0000000000001)  // sqrt((1+2^-52))
    TEST_FP_OP1(76, d, fsqrt.d, rne, FF_NX, 0x3ff0000000000001, 0x3ff0000000000003)  // sqrt((1+3*2^-52)); just below the midpoint 1+1.5u
    TEST_FP_OP1(77, d, fsqrt.d, rtz, FF_NX, 0x3ff0000000000001, 0x3ff0000000000003)  // sqrt((1+3*2^-52))
    TEST_FP_OP1(78, d, fsqrt.d, rdn, FF_NX, 0x3ff0000000000001, 0x3ff0000000000003)  // sqrt((1+3*2^-52))
    TEST_FP_OP1(79, d, fsqrt.d, rup, FF_NX, 0x3ff0000000000002, 0x3ff0000000000003)  // sqrt((1+3*2^-52))
    TEST_FP_OP1(80, d, fsqrt.d, rmm, FF_NX, 0x3ff0000000000001, 0x3ff0000000000003)  // sqrt((1+3*2^-52))

    // FMADD.D: one rounding of the exact a*b+c
    TEST_FP_OP3(81, d, fmadd.d, rne, FF_NX, 0x3ff0000006000000, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)  // (1+2^-26)*(1+2^-27) + 0; exact product is a tie
    TEST_FP_OP3(82, d, fmadd.d, rtz, FF_NX, 0x3ff0000006000000, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)  // (1+2^-26)*(1+2^-27) + 0
    TEST_FP_OP3(83, d, fmadd.d, rdn, FF_NX, 0x3ff0000006000000, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)  // (1+2^-26)*(1+2^-27) + 0
    TEST_FP_OP3(84, d, fmadd.d, rup, FF_NX, 0x3ff0000006000001, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)  // (1+2^-26)*(1+2^-27) + 0
    TEST_FP_OP3(85, d, fmadd.d, rmm, FF_NX, 0x3ff0000006000001, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)  // (1+2^-26)*(1+2^-27) + 0
    TEST_FP_OP3(86, d, fmadd.d, rne, FF_NX, 0xbff0000006000001, 0xbff0000004000000, 0x3ff0000002000000, 0xbc40000000000000)  // (-(1+2^-26))*(1+2^-27) + -2^-59; negative, just beyond the tie
    TEST_FP_OP3(87, d, fmadd.d, rtz, FF_NX, 0xbff0000006000000, 0xbff0000004000000, 0x3ff0000002000000, 0xbc40000000000000)  // (-(1+2^-26))*(1+2^-27) + -2^-59
    TEST_FP_OP3(88, d, fmadd.d, rdn, FF_NX, 0xbff0000006000001, 0xbff0000004000000, 0x3ff0000002000000, 0xbc40000000000000)  // (-(1+2^-26))*(1+2^-27) + -2^-59
    TEST_FP_OP3(89, d, fmadd.d, rup, FF_NX, 0xbff0000006000000, 0xbff0000004000000, 0x3ff0000002000000, 0xbc40000000000000)  // (-(1+2^-26))*(1+2^-27) + -2^-59
    TEST_FP_OP3(90, d, fmadd.d, rmm, FF_NX, 0xbff0000006000001, 0xbff0000004000000, 0x3ff0000002000000, 0xbc40000000000000)  // (-(1+2^-26))*(1+2^-27) + -2^-59

    // FCVT.W.D / FCVT.L.D
    TEST_FP_TO_INT(91, d, fcvt.w.d, rne, FF_NX, 2, 0x4004000000000000)  // 2.5; tie, even neighbour below
    TEST_FP_TO_INT(92, d, fcvt.w.d, rtz, FF_NX, 2, 0x4004000000000000)  // 2.5
    TEST_FP_TO_INT(93, d, fcvt.w.d, rdn, FF_NX, 2, 0x4004000000000000)  // 2.5
    TEST_FP_TO_INT(94, d, fcvt.w.d, rup, FF_NX, 3, 0x4004000000000000)  // 2.5
    TEST_FP_TO_INT(95, d, fcvt.w.d, rmm, FF_NX, 3, 0x4004000000000000)  // 2.5
    TEST_FP_TO_INT(96, d, fcvt.w.d, rne, FF_NX, 0xfffffffffffffffe, 0xbff8000000000000)  // -1.5; tie, even neighbour away from 0
    TEST_FP_TO_INT(97, d, fcvt.w.d, rtz, FF_NX, 0xffffffffffffffff, 0xbff8000000000000)  // -1.5
    TEST_FP_TO_INT(98, d, fcvt.w.d, rdn, FF_NX, 0xfffffffffffffffe, 0xbff8000000000000)  // -1.5
    TEST_FP_TO_INT(99, d, fcvt.w.d, rup, FF_NX, 0xffffffffffffffff, 0xbff8000000000000)  // -1.5
    TEST_FP_TO_INT(100, d, fcvt.w.d, rmm, FF_NX, 0xfffffffffffffffe, 0xbff8000000000000)  // -1.5
    TEST_FP_TO_INT(101, d, fcvt.w.d, rne, FF_NX, 3, 0x4006000000000000)  // 2.75
    TEST_FP_TO_INT(102, d, fcvt.w.d, rtz, FF_NX, 2, 0x4006000000000000)  // 2.75
    TEST_FP_TO_INT(103, d, fcvt.w.d, rdn, FF_NX, 2, 0x4006000000000000)  // 2.75
    TEST_FP_TO_INT(104, d, fcvt.w.d, rup, FF_NX, 3, 0x4006000000000000)  // 2.75
    TEST_FP_TO_INT(105, d, fcvt.w.d, rmm, FF_NX, 3, 0x4006000000000000)  // 2.75
    TEST_FP_TO_INT(106, d, fcvt.w.d, rne, FF_NX, 0, 0xbfd0000000000000)  // -0.25
    TEST_FP_TO_INT(107, d, fcvt.w.d, rtz, FF_NX, 0, 0xbfd0000000000000)  // -0.25
    TEST_FP_TO_INT(108, d, fcvt.w.d, rdn, FF_NX, 0xffffffffffffffff, 0xbfd0000000000000)  // -0.25
    TEST_FP_TO_INT(109, d, fcvt.w.d, rup, FF_NX, 0, 0xbfd0000000000000)  // -0.25
    TEST_FP_TO_INT(110, d, fcvt.w.d, rmm, FF_NX, 0, 0xbfd0000000000000)  // -0.25
    TEST_FP_TO_INT(111, d, fcvt.l.d, rne, FF_NX, 0xfff8000000000000, 0xc320000000000001)  // (-2^51-0.5); large negative tie
    TEST_FP_TO_INT(112, d, fcvt.l.d, rtz, FF_NX, 0xfff8000000000000, 0xc320000000000001)  // (-2^51-0.5)
    TEST_FP_TO_INT(113, d, fcvt.l.d, rdn, FF_NX, 0xfff7ffffffffffff, 0xc320000000000001)  // (-2^51-0.5)
    TEST_FP_TO_INT(114, d, fcvt.l.d, rup, FF_NX, 0xfff8000000000000, 0xc320000000000001)  // (-2^51-0.5)
    TEST_FP_TO_INT(115, d, fcvt.l.d, rmm, FF_NX, 0xfff7ffffffffffff, 0xc320000000000001)  // (-2^51-0.5)

    // FCVT.D.L / FCVT.D.LU
    TEST_INT_TO_FP(116, d, fcvt.d.l, rne, FF_NX, 0x4340000000000000, 0x20000000000001)  // 9007199254740993; 2^53+1: tie, even below
    TEST_INT_TO_FP(117, d, fcvt.d.l, rtz, FF_NX, 0x4340000000000000, 0x20000000000001)  // 9007199254740993
    TEST_INT_TO_FP(118, d, fcvt.d.l, rdn, FF_NX, 0x4340000000000000, 0x20000000000001)  // 9007199254740993
    TEST_INT_TO_FP(119, d, fcvt.d.l, rup, FF_NX, 0x4340000000000001, 0x20000000000001)  // 9007199254740993
    TEST_INT_TO_FP(120, d, fcvt.d.l, rmm, FF_NX, 0x4340000000000001, 0x20000000000001)  // 9007199254740993
    TEST_INT_TO_FP(121, d, fcvt.d.l, rne, FF_NX, 0xc340000000000002, 0xffdffffffffffffd)  // -9007199254740995; -(2^53+3): tie, even away from 0
    TEST_INT_TO_FP(122, d, fcvt.d.l, rtz, FF_NX, 0xc340000000000001, 0xffdffffffffffffd)  // -9007199254740995
    TEST_INT_TO_FP(123, d, fcvt.d.l, rdn, FF_NX, 0xc340000000000002, 0xffdffffffffffffd)  // -9007199254740995
    TEST_INT_TO_FP(124, d, fcvt.d.l, rup, FF_NX, 0xc340000000000001, 0xffdffffffffffffd)  // -9007199254740995
    TEST_INT_TO_FP(125, d, fcvt.d.l, rmm, FF_NX, 0xc340000000000002, 0xffdffffffffffffd)  // -9007199254740995
    TEST_INT_TO_FP(126, d, fcvt.d.lu, rne, FF_NX, 0x4350000000000001, 0x40000000000003)  // 18014398509481987; 2^54+3: above the midpoint
    TEST_INT_TO_FP(127, d, fcvt.d.lu, rtz, FF_NX, 0x4350000000000000, 0x40000000000003)  // 18014398509481987
    TEST_INT_TO_FP(128, d, fcvt.d.lu, rdn, FF_NX, 0x4350000000000000, 0x40000000000003)  // 18014398509481987
    TEST_INT_TO_FP(129, d, fcvt.d.lu, rup, FF_NX, 0x4350000000000001, 0x40000000000003)  // 18014398509481987
    TEST_INT_TO_FP(130, d, fcvt.d.lu, rmm, FF_NX, 0x4350000000000001, 0x40000000000003)  // 18014398509481987
    TEST_INT_TO_FP(131, d, fcvt.d.l, rne, FF_NX, 0xc350000000000000, 0xffbfffffffffffff)  // -18014398509481985; -(2^54+1): below the midpoint
    TEST_INT_TO_FP(132, d, fcvt.d.l, rtz, FF_NX, 0xc350000000000000, 0xffbfffffffffffff)  // -18014398509481985
    TEST_INT_TO_FP(133, d, fcvt.d.l, rdn, FF_NX, 0xc350000000000001, 0xffbfffffffffffff)  // -18014398509481985
    TEST_INT_TO_FP(134, d, fcvt.d.l, rup, FF_NX, 0xc350000000000000, 0xffbfffffffffffff)  // -18014398509481985
    TEST_INT_TO_FP(135, d, fcvt.d.l, rmm, FF_NX, 0xc350000000000000, 0xffbfffffffffffff)  // -18014398509481985

    // FCVT.S.D
    TEST_FP_CVT(136, s, d, fcvt.s.d, rne, FF_NX, 0x3f800000, 0x3ff0000010000000)  // (1+2^-24); tie, even below
    TEST_FP_CVT(137, s, d, fcvt.s.d, rtz, FF_NX, 0x3f800000, 0x3ff0000010000000)  // (1+2^-24)
    TEST_FP_CVT(138, s, d, fcvt.s.d, rdn, FF_NX, 0x3f800000, 0x3ff0000010000000)  // (1+2^-24)
    TEST_FP_CVT(139, s, d, fcvt.s.d, rup, FF_NX, 0x3f800001, 0x3ff0000010000000)  // (1+2^-24)
    TEST_FP_CVT(140, s, d, fcvt.s.d, rmm, FF_NX, 0x3f800001, 0x3ff0000010000000)  // (1+2^-24)
    TEST_FP_CVT(141, s, d, fcvt.s.d, rne, FF_NX, 0xbf800002, 0xbff0000030000000)  // (-(1+3*2^-24)); negative tie, even away
    TEST_FP_CVT(142, s, d, fcvt.s.d, rtz, FF_NX, 0xbf800001, 0xbff0000030000000)  // (-(1+3*2^-24))
    TEST_FP_CVT(143, s, d, fcvt.s.d, rdn, FF_NX, 0xbf800002, 0xbff0000030000000)  // (-(1+3*2^-24))
    TEST_FP_CVT(144, s, d, fcvt.s.d, rup, FF_NX, 0xbf800001, 0xbff0000030000000)  // (-(1+3*2^-24))
    TEST_FP_CVT(145, s, d, fcvt.s.d, rmm, FF_NX, 0xbf800002, 0xbff0000030000000)  // (-(1+3*2^-24))
    TEST_FP_CVT(146, s, d, fcvt.s.d, rne, FF_NX, 0x3f800001, 0x3ff0000010000004)  // (1+2^-24+2^-50); just above the midpoint
    TEST_FP_CVT(147, s, d, fcvt.s.d, rtz, FF_NX, 0x3f800000, 0x3ff0000010000004)  // (1+2^-24+2^-50)
    TEST_FP_CVT(148, s, d, fcvt.s.d, rdn, FF_NX, 0x3f800000, 0x3ff0000010000004)  // (1+2^-24+2^-50)
    TEST_FP_CVT(149, s, d, fcvt.s.d, rup, FF_NX, 0x3f800001, 0x3ff0000010000004)  // (1+2^-24+2^-50)
    TEST_FP_CVT(150, s, d, fcvt.s.d, rmm, FF_NX, 0x3f800001, 0x3ff0000010000004)  // (1+2^-24+2^-50)
    TEST_FP_CVT(151, s, d, fcvt.s.d, rne, FF_NX, 0xbf800000, 0xbff000000ffffffc)  // (-(1+2^-24-2^-50)); just below the midpoint
    TEST_FP_CVT(152, s, d, fcvt.s.d, rtz, FF_NX, 0xbf800000, 0xbff000000ffffffc)  // (-(1+2^-24-2^-50))
    TEST_FP_CVT(153, s, d, fcvt.s.d, rdn, FF_NX, 0xbf800001, 0xbff000000ffffffc)  // (-(1+2^-24-2^-50))
    TEST_FP_CVT(154, s, d, fcvt.s.d, rup, FF_NX, 0xbf800000, 0xbff000000ffffffc)  // (-(1+2^-24-2^-50))
    TEST_FP_CVT(155, s, d, fcvt.s.d, rmm, FF_NX, 0xbf800000, 0xbff000000ffffffc)  // (-(1+2^-24-2^-50))

    // Overflow: inf or max depending on mode and sign
    TEST_FP_OP2(156, d, fadd.d, rne, FF_OF|FF_NX, 0x7ff0000000000000, 0x7fefffffffffffff, 0x7fefffffffffffff)  // max + max
    TEST_FP_OP2(157, d, fadd.d, rtz, FF_OF|FF_NX, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x7fefffffffffffff)  // max + max
    TEST_FP_OP2(158, d, fadd.d, rdn, FF_OF|FF_NX, 0x7fefffffffffffff, 0x7fefffffffffffff, 0x7fefffffffffffff)  // max + max
    TEST_FP_OP2(159, d, fadd.d, rup, FF_OF|FF_NX, 0x7ff0000000000000, 0x7fefffffffffffff, 0x7fefffffffffffff)  // max + max
    TEST_FP_OP2(160, d, fadd.d, rmm, FF_OF|FF_NX, 0x7ff0000000000000, 0x7fefffffffffffff, 0x7fefffffffffffff)  // max + max
    TEST_FP_OP2(161, d, fmul.d, rne, FF_OF|FF_NX, 0xfff0000000000000, 0xffefffffffffffff, 0x4000000000000000)  // -max * 2
    TEST_FP_OP2(162, d, fmul.d, rtz, FF_OF|FF_NX, 0xffefffffffffffff, 0xffefffffffffffff, 0x4000000000000000)  // -max * 2
    TEST_FP_OP2(163, d, fmul.d, rdn, FF_OF|FF_NX, 0xfff0000000000000, 0xffefffffffffffff, 0x4000000000000000)  // -max * 2
    TEST_FP_OP2(164, d, fmul.d, rup, FF_OF|FF_NX, 0xffefffffffffffff, 0xffefffffffffffff, 0x4000000000000000)  // -max * 2
    TEST_FP_OP2(165, d, fmul.d, rmm, FF_OF|FF_NX, 0xfff0000000000000, 0xffefffffffffffff, 0x4000000000000000)  // -max * 2

    // Underflow: 0 or the smallest subnormal depending on mode and sign
    TEST_FP_OP2(166, d, fmul.d, rne, FF_UF|FF_NX, 0x0000000000000000, 0x0000000000000001, 0x3fe0000000000000)  // minsub * 0.5
    TEST_FP_OP2(167, d, fmul.d, rtz, FF_UF|FF_NX, 0x0000000000000000, 0x0000000000000001, 0x3fe0000000000000)  // minsub * 0.5
    TEST_FP_OP2(168, d, fmul.d, rdn, FF_UF|FF_NX, 0x0000000000000000, 0x0000000000000001, 0x3fe0000000000000)  // minsub * 0.5
    TEST_FP_OP2(169, d, fmul.d, rup, FF_UF|FF_NX, 0x0000000000000001, 0x0000000000000001, 0x3fe0000000000000)  // minsub * 0.5
    TEST_FP_OP2(170, d, fmul.d, rmm, FF_UF|FF_NX, 0x0000000000000001, 0x0000000000000001, 0x3fe0000000000000)  // minsub * 0.5
    TEST_FP_OP2(171, d, fmul.d, rne, FF_UF|FF_NX, 0x8000000000000000, 0x8000000000000001, 0x3fd0000000000000)  // -minsub * 0.25
    TEST_FP_OP2(172, d, fmul.d, rtz, FF_UF|FF_NX, 0x8000000000000000, 0x8000000000000001, 0x3fd0000000000000)  // -minsub * 0.25
    TEST_FP_OP2(173, d, fmul.d, rdn, FF_UF|FF_NX, 0x8000000000000001, 0x8000000000000001, 0x3fd0000000000000)  // -minsub * 0.25
    TEST_FP_OP2(174, d, fmul.d, rup, FF_UF|FF_NX, 0x8000000000000000, 0x8000000000000001, 0x3fd0000000000000)  // -minsub * 0.25
    TEST_FP_OP2(175, d, fmul.d, rmm, FF_UF|FF_NX, 0x8000000000000000, 0x8000000000000001, 0x3fd0000000000000)  // -minsub * 0.25
    TEST_FP_OP2(176, d, fmul.d, rne, FF_NX, 0x0010000000000000, 0x0010000000000001, 0x3feffffffffffffe)  // (2^-1022*(1+2^-52)) * (1-2^-52); 2^emin*(1-2^(2-2p)): tiny after rounding only in RTZ/RDN
    TEST_FP_OP2(177, d, fmul.d, rtz, FF_UF|FF_NX, 0x000fffffffffffff, 0x0010000000000001, 0x3feffffffffffffe)  // (2^-1022*(1+2^-52)) * (1-2^-52)
    TEST_FP_OP2(178, d, fmul.d, rdn, FF_UF|FF_NX, 0x000fffffffffffff, 0x0010000000000001, 0x3feffffffffffffe)  // (2^-1022*(1+2^-52)) * (1-2^-52)
    TEST_FP_OP2(179, d, fmul.d, rup, FF_NX, 0x0010000000000000, 0x0010000000000001, 0x3feffffffffffffe)  // (2^-1022*(1+2^-52)) * (1-2^-52)
    TEST_FP_OP2(180, d, fmul.d, rmm, FF_NX, 0x0010000000000000, 0x0010000000000001, 0x3feffffffffffffe)  // (2^-1022*(1+2^-52)) * (1-2^-52)

    // Dynamic rounding: rm = dyn uses frm, set with fsrmi before each case
    fsrmi 0  // frm = RNE
    TEST_FP_OP2(181, d, fadd.d, dyn, FF_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000)  // 1 + 2^-53
    TEST_FP_OP2(182, d, fmul.d, dyn, FF_NX, 0xbff8000000000004, 0xbff8000000000000, 0x3ff0000000000003)  // -1.5 * (1+3*2^-52)
    TEST_FP_OP2(183, d, fdiv.d, dyn, FF_NX, 0xbfe5555555555555, 0xc000000000000000, 0x4008000000000000)  // -2 / 3
    TEST_FP_OP1(184, d, fsqrt.d, dyn, FF_NX, 0x3ff0000000000000, 0x3ff0000000000001)  // sqrt((1+2^-52))
    TEST_FP_OP3(185, d, fmadd.d, dyn, FF_NX, 0x3ff0000006000000, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)  // (1+2^-26)*(1+2^-27) + 0
    TEST_FP_TO_INT(186, d, fcvt.w.d, dyn, FF_NX, 0xfffffffffffffffe, 0xbff8000000000000)  // -1.5
    TEST_INT_TO_FP(187, d, fcvt.d.l, dyn, FF_NX, 0x4340000000000000, 0x20000000000001)  // 9007199254740993
    TEST_FP_CVT(188, s, d, fcvt.s.d, dyn, FF_NX, 0x3f800000, 0x3ff0000010000000)  // (1+2^-24)
    TEST_BEGIN(189)  // frm still 0 after the instructions
    frrm a4
    CHECK(a4, 0)
    fsrmi 1  // frm = RTZ
    TEST_FP_OP2(190, d, fadd.d, dyn, FF_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000)  // 1 + 2^-53
    TEST_FP_OP2(191, d, fmul.d, dyn, FF_NX, 0xbff8000000000004, 0xbff8000000000000, 0x3ff0000000000003)  // -1.5 * (1+3*2^-52)
    TEST_FP_OP2(192, d, fdiv.d, dyn, FF_NX, 0xbfe5555555555555, 0xc000000000000000, 0x4008000000000000)  // -2 / 3
    TEST_FP_OP1(193, d, fsqrt.d, dyn, FF_NX, 0x3ff0000000000000, 0x3ff0000000000001)  // sqrt((1+2^-52))
    TEST_FP_OP3(194, d, fmadd.d, dyn, FF_NX, 0x3ff0000006000000, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)  // (1+2^-26)*(1+2^-27) + 0
    TEST_FP_TO_INT(195, d, fcvt.w.d, dyn, FF_NX, 0xffffffffffffffff, 0xbff8000000000000)  // -1.5
    TEST_INT_TO_FP(196, d, fcvt.d.l, dyn, FF_NX, 0x4340000000000000, 0x20000000000001)  // 9007199254740993
    TEST_FP_CVT(197, s, d, fcvt.s.d, dyn, FF_NX, 0x3f800000, 0x3ff0000010000000)  // (1+2^-24)
    TEST_BEGIN(198)  // frm still 1 after the instructions
    frrm a4
    CHECK(a4, 1)
    fsrmi 2  // frm = RDN
    TEST_FP_OP2(199, d, fadd.d, dyn, FF_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000)  // 1 + 2^-53
    TEST_FP_OP2(200, d, fmul.d, dyn, FF_NX, 0xbff8000000000005, 0xbff8000000000000, 0x3ff0000000000003)  // -1.5 * (1+3*2^-52)
    TEST_FP_OP2(201, d, fdiv.d, dyn, FF_NX, 0xbfe5555555555556, 0xc000000000000000, 0x4008000000000000)  // -2 / 3
    TEST_FP_OP1(202, d, fsqrt.d, dyn, FF_NX, 0x3ff0000000000000, 0x3ff0000000000001)  // sqrt((1+2^-52))
    TEST_FP_OP3(203, d, fmadd.d, dyn, FF_NX, 0x3ff0000006000000, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)  // (1+2^-26)*(1+2^-27) + 0
    TEST_FP_TO_INT(204, d, fcvt.w.d, dyn, FF_NX, 0xfffffffffffffffe, 0xbff8000000000000)  // -1.5
    TEST_INT_TO_FP(205, d, fcvt.d.l, dyn, FF_NX, 0x4340000000000000, 0x20000000000001)  // 9007199254740993
    TEST_FP_CVT(206, s, d, fcvt.s.d, dyn, FF_NX, 0x3f800000, 0x3ff0000010000000)  // (1+2^-24)
    TEST_BEGIN(207)  // frm still 2 after the instructions
    frrm a4
    CHECK(a4, 2)
    fsrmi 3  // frm = RUP
    TEST_FP_OP2(208, d, fadd.d, dyn, FF_NX, 0x3ff0000000000001, 0x3ff0000000000000, 0x3ca0000000000000)  // 1 + 2^-53
    TEST_FP_OP2(209, d, fmul.d, dyn, FF_NX, 0xbff8000000000004, 0xbff8000000000000, 0x3ff0000000000003)  // -1.5 * (1+3*2^-52)
    TEST_FP_OP2(210, d, fdiv.d, dyn, FF_NX, 0xbfe5555555555555, 0xc000000000000000, 0x4008000000000000)  // -2 / 3
    TEST_FP_OP1(211, d, fsqrt.d, dyn, FF_NX, 0x3ff0000000000001, 0x3ff0000000000001)  // sqrt((1+2^-52))
    TEST_FP_OP3(212, d, fmadd.d, dyn, FF_NX, 0x3ff0000006000001, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)  // (1+2^-26)*(1+2^-27) + 0
    TEST_FP_TO_INT(213, d, fcvt.w.d, dyn, FF_NX, 0xffffffffffffffff, 0xbff8000000000000)  // -1.5
    TEST_INT_TO_FP(214, d, fcvt.d.l, dyn, FF_NX, 0x4340000000000001, 0x20000000000001)  // 9007199254740993
    TEST_FP_CVT(215, s, d, fcvt.s.d, dyn, FF_NX, 0x3f800001, 0x3ff0000010000000)  // (1+2^-24)
    TEST_BEGIN(216)  // frm still 3 after the instructions
    frrm a4
    CHECK(a4, 3)
    fsrmi 4  // frm = RMM
    TEST_FP_OP2(217, d, fadd.d, dyn, FF_NX, 0x3ff0000000000001, 0x3ff0000000000000, 0x3ca0000000000000)  // 1 + 2^-53
    TEST_FP_OP2(218, d, fmul.d, dyn, FF_NX, 0xbff8000000000005, 0xbff8000000000000, 0x3ff0000000000003)  // -1.5 * (1+3*2^-52)
    TEST_FP_OP2(219, d, fdiv.d, dyn, FF_NX, 0xbfe5555555555555, 0xc000000000000000, 0x4008000000000000)  // -2 / 3
    TEST_FP_OP1(220, d, fsqrt.d, dyn, FF_NX, 0x3ff0000000000000, 0x3ff0000000000001)  // sqrt((1+2^-52))
    TEST_FP_OP3(221, d, fmadd.d, dyn, FF_NX, 0x3ff0000006000001, 0x3ff0000004000000, 0x3ff0000002000000, 0x0000000000000000)  // (1+2^-26)*(1+2^-27) + 0
    TEST_FP_TO_INT(222, d, fcvt.w.d, dyn, FF_NX, 0xfffffffffffffffe, 0xbff8000000000000)  // -1.5
    TEST_INT_TO_FP(223, d, fcvt.d.l, dyn, FF_NX, 0x4340000000000001, 0x20000000000001)  // 9007199254740993
    TEST_FP_CVT(224, s, d, fcvt.s.d, dyn, FF_NX, 0x3f800001, 0x3ff0000010000000)  // (1+2^-24)
    TEST_BEGIN(225)  // frm still 4 after the instructions
    frrm a4
    CHECK(a4, 4)

    // A static rm overrides frm
    fsrmi 3  // frm = RUP
    TEST_FP_OP2(226, d, fadd.d, rtz, FF_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0400000000000)  // 1 + (2^-53+2^-59)
    TEST_FP_OP2(227, d, fadd.d, rne, FF_NX, 0x3ff0000000000001, 0x3ff0000000000000, 0x3ca0400000000000)  // 1 + (2^-53+2^-59)
    fsrmi 1  // frm = RTZ
    TEST_FP_OP2(228, d, fmul.d, rup, FF_NX, 0x3ff8000000000002, 0x3ff8000000000000, 0x3ff0000000000001)  // 1.5 * (1+2^-52)
    TEST_FP_TO_INT(229, d, fcvt.w.d, rmm, FF_NX, 3, 0x4004000000000000)  // 2.5
    fsrmi 0

RVTEST_CODE_END
