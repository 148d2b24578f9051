// F rounding modes: every static mode (rne=0, rtz=1, rdn=2, rup=3, rmm=4) on
// halfway and near-halfway results of fadd, fsub, fmul, fdiv, fsqrt, fmadd, fcvt.w.s, fcvt.l.s,
// fcvt.s.w and fcvt.s.l,
// then the same operations with rm = dyn (111) and each mode written to frm.
// RNE: nearest, ties to even; RTZ: towards zero; RDN: towards -inf; RUP:
// towards +inf; RMM: nearest, ties away from zero. Inexact results raise NX.
// u below is the ulp of 1 (2^-23).
// Flags: FF_NV 0x10, FF_DZ 0x08, FF_OF 0x04, FF_UF 0x02, FF_NX 0x01.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // FADD.S in each static mode
    TEST_FP_OP2(1, s, fadd.s, rne, FF_NX, 0x3f800000, 0x3f800000, 0x33800000)  // 1 + 2^-24; tie, even neighbour below
    TEST_FP_OP2(2, s, fadd.s, rtz, FF_NX, 0x3f800000, 0x3f800000, 0x33800000)  // 1 + 2^-24
    TEST_FP_OP2(3, s, fadd.s, rdn, FF_NX, 0x3f800000, 0x3f800000, 0x33800000)  // 1 + 2^-24
    TEST_FP_OP2(4, s, fadd.s, rup, FF_NX, 0x3f800001, 0x3f800000, 0x33800000)  // 1 + 2^-24
    TEST_FP_OP2(5, s, fadd.s, rmm, FF_NX, 0x3f800001, 0x3f800000, 0x33800000)  // 1 + 2^-24
    TEST_FP_OP2(6, s, fadd.s, rne, FF_NX, 0xbf800002, 0xbf800001, 0xb3800000)  // (-(1+2^-23)) + -2^-24; negative tie, even neighbour above
    TEST_FP_OP2(7, s, fadd.s, rtz, FF_NX, 0xbf800001, 0xbf800001, 0xb3800000)  // (-(1+2^-23)) + -2^-24
    TEST_FP_OP2(8, s, fadd.s, rdn, FF_NX, 0xbf800002, 0xbf800001, 0xb3800000)  // (-(1+2^-23)) + -2^-24
    TEST_FP_OP2(9, s, fadd.s, rup, FF_NX, 0xbf800001, 0xbf800001, 0xb3800000)  // (-(1+2^-23)) + -2^-24
    TEST_FP_OP2(10, s, fadd.s, rmm, FF_NX, 0xbf800002, 0xbf800001, 0xb3800000)  // (-(1+2^-23)) + -2^-24
    TEST_FP_OP2(11, s, fadd.s, rne, FF_NX, 0x3f800001, 0x3f800000, 0x33820000)  // 1 + (2^-24+2^-30); just above the midpoint
    TEST_FP_OP2(12, s, fadd.s, rtz, FF_NX, 0x3f800000, 0x3f800000, 0x33820000)  // 1 + (2^-24+2^-30)
    TEST_FP_OP2(13, s, fadd.s, rdn, FF_NX, 0x3f800000, 0x3f800000, 0x33820000)  // 1 + (2^-24+2^-30)
    TEST_FP_OP2(14, s, fadd.s, rup, FF_NX, 0x3f800001, 0x3f800000, 0x33820000)  // 1 + (2^-24+2^-30)
    TEST_FP_OP2(15, s, fadd.s, rmm, FF_NX, 0x3f800001, 0x3f800000, 0x33820000)  // 1 + (2^-24+2^-30)
    TEST_FP_OP2(16, s, fadd.s, rne, FF_NX, 0xbf800000, 0xbf800000, 0xb37c0000)  // -1 + (-(2^-24-2^-30)); just below the midpoint (negative)
    TEST_FP_OP2(17, s, fadd.s, rtz, FF_NX, 0xbf800000, 0xbf800000, 0xb37c0000)  // -1 + (-(2^-24-2^-30))
    TEST_FP_OP2(18, s, fadd.s, rdn, FF_NX, 0xbf800001, 0xbf800000, 0xb37c0000)  // -1 + (-(2^-24-2^-30))
    TEST_FP_OP2(19, s, fadd.s, rup, FF_NX, 0xbf800000, 0xbf800000, 0xb37c0000)  // -1 + (-(2^-24-2^-30))
    TEST_FP_OP2(20, s, fadd.s, rmm, FF_NX, 0xbf800000, 0xbf800000, 0xb37c0000)  // -1 + (-(2^-24-2^-30))

    // FSUB.S
    TEST_FP_OP2(21, s, fsub.s, rne, FF_NX, 0x3f800000, 0x3f800000, 0x33000000)  // 1 - (2^-24/2); below 1: tie at 1-2^-25, even neighbour above
    TEST_FP_OP2(22, s, fsub.s, rtz, FF_NX, 0x3f7fffff, 0x3f800000, 0x33000000)  // 1 - (2^-24/2)
    TEST_FP_OP2(23, s, fsub.s, rdn, FF_NX, 0x3f7fffff, 0x3f800000, 0x33000000)  // 1 - (2^-24/2)
    TEST_FP_OP2(24, s, fsub.s, rup, FF_NX, 0x3f800000, 0x3f800000, 0x33000000)  // 1 - (2^-24/2)
    TEST_FP_OP2(25, s, fsub.s, rmm, FF_NX, 0x3f800000, 0x3f800000, 0x33000000)  // 1 - (2^-24/2)
    TEST_FP_OP2(26, s, fsub.s, rne, FF_NX, 0xbf7fffff, 0xbf800000, 0xb3400000)  // -1 - (-(3*2^-26)); -(1-0.75*2^-24): below 1 the ulp is 2^-24
    TEST_FP_OP2(27, s, fsub.s, rtz, FF_NX, 0xbf7fffff, 0xbf800000, 0xb3400000)  // -1 - (-(3*2^-26))
    TEST_FP_OP2(28, s, fsub.s, rdn, FF_NX, 0xbf800000, 0xbf800000, 0xb3400000)  // -1 - (-(3*2^-26))
    TEST_FP_OP2(29, s, fsub.s, rup, FF_NX, 0xbf7fffff, 0xbf800000, 0xb3400000)  // -1 - (-(3*2^-26))
    TEST_FP_OP2(30, s, fsub.s, rmm, FF_NX, 0xbf7fffff, 0xbf800000, 0xb3400000)  // -1 - (-(3*2^-26))

    // FMUL.S
    TEST_FP_OP2(31, s, fmul.s, rne, FF_NX, 0x3fc00002, 0x3fc00000, 0x3f800001)  // 1.5 * (1+2^-23); tie, even neighbour above
    TEST_FP_OP2(32, s, fmul.s, rtz, FF_NX, 0x3fc00001, 0x3fc00000, 0x3f800001)  // 1.5 * (1+2^-23)
    TEST_FP_OP2(33, s, fmul.s, rdn, FF_NX, 0x3fc00001, 0x3fc00000, 0x3f800001)  // 1.5 * (1+2^-23)
    TEST_FP_OP2(34, s, fmul.s, rup, FF_NX, 0x3fc00002, 0x3fc00000, 0x3f800001)  // 1.5 * (1+2^-23)
    TEST_FP_OP2(35, s, fmul.s, rmm, FF_NX, 0x3fc00002, 0x3fc00000, 0x3f800001)  // 1.5 * (1+2^-23)
    TEST_FP_OP2(36, s, fmul.s, rne, FF_NX, 0xbfc00004, 0xbfc00000, 0x3f800003)  // -1.5 * (1+3*2^-23); negative tie, even neighbour below
    TEST_FP_OP2(37, s, fmul.s, rtz, FF_NX, 0xbfc00004, 0xbfc00000, 0x3f800003)  // -1.5 * (1+3*2^-23)
    TEST_FP_OP2(38, s, fmul.s, rdn, FF_NX, 0xbfc00005, 0xbfc00000, 0x3f800003)  // -1.5 * (1+3*2^-23)
    TEST_FP_OP2(39, s, fmul.s, rup, FF_NX, 0xbfc00004, 0xbfc00000, 0x3f800003)  // -1.5 * (1+3*2^-23)
    TEST_FP_OP2(40, s, fmul.s, rmm, FF_NX, 0xbfc00005, 0xbfc00000, 0x3f800003)  // -1.5 * (1+3*2^-23)
    TEST_FP_OP2(41, s, fmul.s, rne, FF_NX, 0x3f800002, 0x3f800001, 0x3f800001)  // (1+2^-23) * (1+2^-23); just above a representable value
    TEST_FP_OP2(42, s, fmul.s, rtz, FF_NX, 0x3f800002, 0x3f800001, 0x3f800001)  // (1+2^-23) * (1+2^-23)
    TEST_FP_OP2(43, s, fmul.s, rdn, FF_NX, 0x3f800002, 0x3f800001, 0x3f800001)  // (1+2^-23) * (1+2^-23)
    TEST_FP_OP2(44, s, fmul.s, rup, FF_NX, 0x3f800003, 0x3f800001, 0x3f800001)  // (1+2^-23) * (1+2^-23)
    TEST_FP_OP2(45, s, fmul.s, rmm, FF_NX, 0x3f800002, 0x3f800001, 0x3f800001)  // (1+2^-23) * (1+2^-23)
    TEST_FP_OP2(46, s, fmul.s, rne, FF_NX, 0xbf800000, 0xbf800001, 0x3f7ffffe)  // (-(1+2^-23)) * (1-2^-23); -(1-u^2): just inside -1
    TEST_FP_OP2(47, s, fmul.s, rtz, FF_NX, 0xbf7fffff, 0xbf800001, 0x3f7ffffe)  // (-(1+2^-23)) * (1-2^-23)
    TEST_FP_OP2(48, s, fmul.s, rdn, FF_NX, 0xbf800000, 0xbf800001, 0x3f7ffffe)  // (-(1+2^-23)) * (1-2^-23)
    TEST_FP_OP2(49, s, fmul.s, rup, FF_NX, 0xbf7fffff, 0xbf800001, 0x3f7ffffe)  // (-(1+2^-23)) * (1-2^-23)
    TEST_FP_OP2(50, s, fmul.s, rmm, FF_NX, 0xbf800000, 0xbf800001, 0x3f7ffffe)  // (-(1+2^-23)) * (1-2^-23)

    // FDIV.S (quotients are never exact midpoints)
    TEST_FP_OP2(51, s, fdiv.s, rne, FF_NX, 0x3eaaaaab, 0x3f800000, 0x40400000)  // 1 / 3
    TEST_FP_OP2(52, s, fdiv.s, rtz, FF_NX, 0x3eaaaaaa, 0x3f800000, 0x40400000)  // 1 / 3
    TEST_FP_OP2(53, s, fdiv.s, rdn, FF_NX, 0x3eaaaaaa, 0x3f800000, 0x40400000)  // 1 / 3
    TEST_FP_OP2(54, s, fdiv.s, rup, FF_NX, 0x3eaaaaab, 0x3f800000, 0x40400000)  // 1 / 3
    TEST_FP_OP2(55, s, fdiv.s, rmm, FF_NX, 0x3eaaaaab, 0x3f800000, 0x40400000)  // 1 / 3
    TEST_FP_OP2(56, s, fdiv.s, rne, FF_NX, 0xbf2aaaab, 0xc0000000, 0x40400000)  // -2 / 3
    TEST_FP_OP2(57, s, fdiv.s, rtz, FF_NX, 0xbf2aaaaa, 0xc0000000, 0x40400000)  // -2 / 3
    TEST_FP_OP2(58, s, fdiv.s, rdn, FF_NX, 0xbf2aaaab, 0xc0000000, 0x40400000)  // -2 / 3
    TEST_FP_OP2(59, s, fdiv.s, rup, FF_NX, 0xbf2aaaaa, 0xc0000000, 0x40400000)  // -2 / 3
    TEST_FP_OP2(60, s, fdiv.s, rmm, FF_NX, 0xbf2aaaab, 0xc0000000, 0x40400000)  // -2 / 3
    TEST_FP_OP2(61, s, fdiv.s, rne, FF_NX, 0x3f7ffffe, 0x3f800000, 0x3f800001)  // 1 / (1+2^-23); 1 - u + u^2 - ...: just above 1-u
    TEST_FP_OP2(62, s, fdiv.s, rtz, FF_NX, 0x3f7ffffe, 0x3f800000, 0x3f800001)  // 1 / (1+2^-23)
    TEST_FP_OP2(63, s, fdiv.s, rdn, FF_NX, 0x3f7ffffe, 0x3f800000, 0x3f800001)  // 1 / (1+2^-23)
    TEST_FP_OP2(64, s, fdiv.s, rup, FF_NX, 0x3f7fffff, 0x3f800000, 0x3f800001)  // 1 / (1+2^-23)
    TEST_FP_OP2(65, s, fdiv.s, rmm, FF_NX, 0x3f7ffffe, 0x3f800000, 0x3f800001)  // 1 / (1+2^-23)

    // FSQRT.S (never an exact midpoint)
    TEST_FP_OP1(66, s, fsqrt.s, rne, FF_NX, 0x3fb504f3, 0x40000000)  // sqrt(2)
    TEST_FP_OP1(67, s, fsqrt.s, rtz, FF_NX, 0x3fb504f3, 0x40000000)  // sqrt(2)
    TEST_FP_OP1(68, s, fsqrt.s, rdn, FF_NX, 0x3fb504f3, 0x40000000)  // sqrt(2)
    TEST_FP_OP1(69, s, fsqrt.s, rup, FF_NX, 0x3fb504f4, 0x40000000)  // sqrt(2)
    TEST_FP_OP1(70, s, fsqrt.s, rmm, FF_NX, 0x3fb504f3, 0x40000000)  // sqrt(2)
    TEST_FP_OP1(71, s, fsqrt.s, rne, FF_NX, 0x3f800000, 0x3f800001)  // sqrt((1+2^-23)); 1 + u/2 - u^2/8: just below the midpoint
    TEST_FP_OP1(72, s, fsqrt.s, rtz, FF_NX, 0x3f800000, 0x3f800001)  // sqrt((1+2^-23))
    TEST_FP_OP1(73, s, fsqrt.s, rdn, FF_NX, 0x3f800000, 0x3f800001)  // sqrt((1+2^-23))
    TEST_FP_OP1(74, s, fsqrt.s, rup, FF_NX, 0x3f800001, 0x3f800001)  // sqrt((1+2^-23))
    TEST_FP_OP1(75, s, fsqrt.s, rmm, FF_NX, 0x3f800000, 0x3f800001)  // sqrt((1+2^-23))
    TEST_FP_OP1(76, s, fsqrt.s, rne, FF_NX, 0x3f800001, 0x3f800003)  // sqrt((1+3*2^-23)); just below the midpoint 1+1.5u
    TEST_FP_OP1(77, s, fsqrt.s, rtz, FF_NX, 0x3f800001, 0x3f800003)  // sqrt((1+3*2^-23))
    TEST_FP_OP1(78, s, fsqrt.s, rdn, FF_NX, 0x3f800001, 0x3f800003)  // sqrt((1+3*2^-23))
    TEST_FP_OP1(79, s, fsqrt.s, rup, FF_NX, 0x3f800002, 0x3f800003)  // sqrt((1+3*2^-23))
    TEST_FP_OP1(80, s, fsqrt.s, rmm, FF_NX, 0x3f800001, 0x3f800003)  // sqrt((1+3*2^-23))

    // FMADD.S: one rounding of the exact a*b+c
    TEST_FP_OP3(81, s, fmadd.s, rne, FF_NX, 0x3f801000, 0x3f800800, 0x3f800800, 0x00000000)  // (1+2^-12)*(1+2^-12) + 0; exact product is a tie
    TEST_FP_OP3(82, s, fmadd.s, rtz, FF_NX, 0x3f801000, 0x3f800800, 0x3f800800, 0x00000000)  // (1+2^-12)*(1+2^-12) + 0
    TEST_FP_OP3(83, s, fmadd.s, rdn, FF_NX, 0x3f801000, 0x3f800800, 0x3f800800, 0x00000000)  // (1+2^-12)*(1+2^-12) + 0
    TEST_FP_OP3(84, s, fmadd.s, rup, FF_NX, 0x3f801001, 0x3f800800, 0x3f800800, 0x00000000)  // (1+2^-12)*(1+2^-12) + 0
    TEST_FP_OP3(85, s, fmadd.s, rmm, FF_NX, 0x3f801001, 0x3f800800, 0x3f800800, 0x00000000)  // (1+2^-12)*(1+2^-12) + 0
    TEST_FP_OP3(86, s, fmadd.s, rne, FF_NX, 0xbf801001, 0xbf800800, 0x3f800800, 0xb0800000)  // (-(1+2^-12))*(1+2^-12) + -2^-30; negative, just beyond the tie
    TEST_FP_OP3(87, s, fmadd.s, rtz, FF_NX, 0xbf801000, 0xbf800800, 0x3f800800, 0xb0800000)  // (-(1+2^-12))*(1+2^-12) + -2^-30
    TEST_FP_OP3(88, s, fmadd.s, rdn, FF_NX, 0xbf801001, 0xbf800800, 0x3f800800, 0xb0800000)  // (-(1+2^-12))*(1+2^-12) + -2^-30
    TEST_FP_OP3(89, s, fmadd.s, rup, FF_NX, 0xbf801000, 0xbf800800, 0x3f800800, 0xb0800000)  // (-(1+2^-12))*(1+2^-12) + -2^-30
    TEST_FP_OP3(90, s, fmadd.s, rmm, FF_NX, 0xbf801001, 0xbf800800, 0x3f800800, 0xb0800000)  // (-(1+2^-12))*(1+2^-12) + -2^-30

    // FCVT.W.S / FCVT.L.S
    TEST_FP_TO_INT(91, s, fcvt.w.s, rne, FF_NX, 2, 0x40200000)  // 2.5; tie, even neighbour below
    TEST_FP_TO_INT(92, s, fcvt.w.s, rtz, FF_NX, 2, 0x40200000)  // 2.5
    TEST_FP_TO_INT(93, s, fcvt.w.s, rdn, FF_NX, 2, 0x40200000)  // 2.5
    TEST_FP_TO_INT(94, s, fcvt.w.s, rup, FF_NX, 3, 0x40200000)  // 2.5
    TEST_FP_TO_INT(95, s, fcvt.w.s, rmm, FF_NX, 3, 0x40200000)  // 2.5
    TEST_FP_TO_INT(96, s, fcvt.w.s, rne, FF_NX, 0xfffffffffffffffe, 0xbfc00000)  // -1.5; tie, even neighbour away from 0
    TEST_FP_TO_INT(97, s, fcvt.w.s, rtz, FF_NX, 0xffffffffffffffff, 0xbfc00000)  // -1.5
    TEST_FP_TO_INT(98, s, fcvt.w.s, rdn, FF_NX, 0xfffffffffffffffe, 0xbfc00000)  // -1.5
    TEST_FP_TO_INT(99, s, fcvt.w.s, rup, FF_NX, 0xffffffffffffffff, 0xbfc00000)  // -1.5
    TEST_FP_TO_INT(100, s, fcvt.w.s, rmm, FF_NX, 0xfffffffffffffffe, 0xbfc00000)  // -1.5
    TEST_FP_TO_INT(101, s, fcvt.w.s, rne, FF_NX, 3, 0x40300000)  // 2.75
    TEST_FP_TO_INT(102, s, fcvt.w.s, rtz, FF_NX, 2, 0x40300000)  // 2.75
    TEST_FP_TO_INT(103, s, fcvt.w.s, rdn, FF_NX, 2, 0x40300000)  // 2.75
    TEST_FP_TO_INT(104, s, fcvt.w.s, rup, FF_NX, 3, 0x40300000)  // 2.75
    TEST_FP_TO_INT(105, s, fcvt.w.s, rmm, FF_NX, 3, 0x40300000)  // 2.75
    TEST_FP_TO_INT(106, s, fcvt.w.s, rne, FF_NX, 0, 0xbe800000)  // -0.25
    TEST_FP_TO_INT(107, s, fcvt.w.s, rtz, FF_NX, 0, 0xbe800000)  // -0.25
    TEST_FP_TO_INT(108, s, fcvt.w.s, rdn, FF_NX, 0xffffffffffffffff, 0xbe800000)  // -0.25
    TEST_FP_TO_INT(109, s, fcvt.w.s, rup, FF_NX, 0, 0xbe800000)  // -0.25
    TEST_FP_TO_INT(110, s, fcvt.w.s, rmm, FF_NX, 0, 0xbe800000)  // -0.25
    TEST_FP_TO_INT(111, s, fcvt.l.s, rne, FF_NX, 0xffffffffffc00000, 0xca800001)  // (-2^22-0.5); large negative tie
    TEST_FP_TO_INT(112, s, fcvt.l.s, rtz, FF_NX, 0xffffffffffc00000, 0xca800001)  // (-2^22-0.5)
    TEST_FP_TO_INT(113, s, fcvt.l.s, rdn, FF_NX, 0xffffffffffbfffff, 0xca800001)  // (-2^22-0.5)
    TEST_FP_TO_INT(114, s, fcvt.l.s, rup, FF_NX, 0xffffffffffc00000, 0xca800001)  // (-2^22-0.5)
    TEST_FP_TO_INT(115, s, fcvt.l.s, rmm, FF_NX, 0xffffffffffbfffff, 0xca800001)  // (-2^22-0.5)

    // FCVT.S.W / FCVT.S.L
    TEST_INT_TO_FP(116, s, fcvt.s.w, rne, FF_NX, 0x4b800000, 0x1000001)  // 16777217; 2^24+1: tie, even below
    TEST_INT_TO_FP(117, s, fcvt.s.w, rtz, FF_NX, 0x4b800000, 0x1000001)  // 16777217
    TEST_INT_TO_FP(118, s, fcvt.s.w, rdn, FF_NX, 0x4b800000, 0x1000001)  // 16777217
    TEST_INT_TO_FP(119, s, fcvt.s.w, rup, FF_NX, 0x4b800001, 0x1000001)  // 16777217
    TEST_INT_TO_FP(120, s, fcvt.s.w, rmm, FF_NX, 0x4b800001, 0x1000001)  // 16777217
    TEST_INT_TO_FP(121, s, fcvt.s.w, rne, FF_NX, 0xcb800002, 0xfffffffffefffffd)  // -16777219; -(2^24+3): tie, even away from 0
    TEST_INT_TO_FP(122, s, fcvt.s.w, rtz, FF_NX, 0xcb800001, 0xfffffffffefffffd)  // -16777219
    TEST_INT_TO_FP(123, s, fcvt.s.w, rdn, FF_NX, 0xcb800002, 0xfffffffffefffffd)  // -16777219
    TEST_INT_TO_FP(124, s, fcvt.s.w, rup, FF_NX, 0xcb800001, 0xfffffffffefffffd)  // -16777219
    TEST_INT_TO_FP(125, s, fcvt.s.w, rmm, FF_NX, 0xcb800002, 0xfffffffffefffffd)  // -16777219
    TEST_INT_TO_FP(126, s, fcvt.s.w, rne, FF_NX, 0x4c000001, 0x2000003)  // 33554435; 2^25+3: above the midpoint
    TEST_INT_TO_FP(127, s, fcvt.s.w, rtz, FF_NX, 0x4c000000, 0x2000003)  // 33554435
    TEST_INT_TO_FP(128, s, fcvt.s.w, rdn, FF_NX, 0x4c000000, 0x2000003)  // 33554435
    TEST_INT_TO_FP(129, s, fcvt.s.w, rup, FF_NX, 0x4c000001, 0x2000003)  // 33554435
    TEST_INT_TO_FP(130, s, fcvt.s.w, rmm, FF_NX, 0x4c000001, 0x2000003)  // 33554435
    TEST_INT_TO_FP(131, s, fcvt.s.l, rne, FF_NX, 0xcc000000, 0xfffffffffdffffff)  // -33554433; -(2^25+1): below the midpoint
    TEST_INT_TO_FP(132, s, fcvt.s.l, rtz, FF_NX, 0xcc000000, 0xfffffffffdffffff)  // -33554433
    TEST_INT_TO_FP(133, s, fcvt.s.l, rdn, FF_NX, 0xcc000001, 0xfffffffffdffffff)  // -33554433
    TEST_INT_TO_FP(134, s, fcvt.s.l, rup, FF_NX, 0xcc000000, 0xfffffffffdffffff)  // -33554433
    TEST_INT_TO_FP(135, s, fcvt.s.l, rmm, FF_NX, 0xcc000000, 0xfffffffffdffffff)  // -33554433

    // Overflow: inf or max depending on mode and sign
    TEST_FP_OP2(136, s, fadd.s, rne, FF_OF|FF_NX, 0x7f800000, 0x7f7fffff, 0x7f7fffff)  // max + max
    TEST_FP_OP2(137, s, fadd.s, rtz, FF_OF|FF_NX, 0x7f7fffff, 0x7f7fffff, 0x7f7fffff)  // max + max
    TEST_FP_OP2(138, s, fadd.s, rdn, FF_OF|FF_NX, 0x7f7fffff, 0x7f7fffff, 0x7f7fffff)  // max + max
    TEST_FP_OP2(139, s, fadd.s, rup, FF_OF|FF_NX, 0x7f800000, 0x7f7fffff, 0x7f7fffff)  // max + max
    TEST_FP_OP2(140, s, fadd.s, rmm, FF_OF|FF_NX, 0x7f800000, 0x7f7fffff, 0x7f7fffff)  // max + max
    TEST_FP_OP2(141, s, fmul.s, rne, FF_OF|FF_NX, 0xff800000, 0xff7fffff, 0x40000000)  // -max * 2
    TEST_FP_OP2(142, s, fmul.s, rtz, FF_OF|FF_NX, 0xff7fffff, 0xff7fffff, 0x40000000)  // -max * 2
    TEST_FP_OP2(143, s, fmul.s, rdn, FF_OF|FF_NX, 0xff800000, 0xff7fffff, 0x40000000)  // -max * 2
    TEST_FP_OP2(144, s, fmul.s, rup, FF_OF|FF_NX, 0xff7fffff, 0xff7fffff, 0x40000000)  // -max * 2
    TEST_FP_OP2(145, s, fmul.s, rmm, FF_OF|FF_NX, 0xff800000, 0xff7fffff, 0x40000000)  // -max * 2

    // Underflow: 0 or the smallest subnormal depending on mode and sign
    TEST_FP_OP2(146, s, fmul.s, rne, FF_UF|FF_NX, 0x00000000, 0x00000001, 0x3f000000)  // minsub * 0.5
    TEST_FP_OP2(147, s, fmul.s, rtz, FF_UF|FF_NX, 0x00000000, 0x00000001, 0x3f000000)  // minsub * 0.5
    TEST_FP_OP2(148, s, fmul.s, rdn, FF_UF|FF_NX, 0x00000000, 0x00000001, 0x3f000000)  // minsub * 0.5
    TEST_FP_OP2(149, s, fmul.s, rup, FF_UF|FF_NX, 0x00000001, 0x00000001, 0x3f000000)  // minsub * 0.5
    TEST_FP_OP2(150, s, fmul.s, rmm, FF_UF|FF_NX, 0x00000001, 0x00000001, 0x3f000000)  // minsub * 0.5
    TEST_FP_OP2(151, s, fmul.s, rne, FF_UF|FF_NX, 0x80000000, 0x80000001, 0x3e800000)  // -minsub * 0.25
    TEST_FP_OP2(152, s, fmul.s, rtz, FF_UF|FF_NX, 0x80000000, 0x80000001, 0x3e800000)  // -minsub * 0.25
    TEST_FP_OP2(153, s, fmul.s, rdn, FF_UF|FF_NX, 0x80000001, 0x80000001, 0x3e800000)  // -minsub * 0.25
    TEST_FP_OP2(154, s, fmul.s, rup, FF_UF|FF_NX, 0x80000000, 0x80000001, 0x3e800000)  // -minsub * 0.25
    TEST_FP_OP2(155, s, fmul.s, rmm, FF_UF|FF_NX, 0x80000000, 0x80000001, 0x3e800000)  // -minsub * 0.25
    TEST_FP_OP2(156, s, fmul.s, rne, FF_NX, 0x00800000, 0x00800001, 0x3f7ffffe)  // (2^-126*(1+2^-23)) * (1-2^-23); 2^emin*(1-2^(2-2p)): tiny after rounding only in RTZ/RDN
    TEST_FP_OP2(157, s, fmul.s, rtz, FF_UF|FF_NX, 0x007fffff, 0x00800001, 0x3f7ffffe)  // (2^-126*(1+2^-23)) * (1-2^-23)
    TEST_FP_OP2(158, s, fmul.s, rdn, FF_UF|FF_NX, 0x007fffff, 0x00800001, 0x3f7ffffe)  // (2^-126*(1+2^-23)) * (1-2^-23)
    TEST_FP_OP2(159, s, fmul.s, rup, FF_NX, 0x00800000, 0x00800001, 0x3f7ffffe)  // (2^-126*(1+2^-23)) * (1-2^-23)
    TEST_FP_OP2(160, s, fmul.s, rmm, FF_NX, 0x00800000, 0x00800001, 0x3f7ffffe)  // (2^-126*(1+2^-23)) * (1-2^-23)

    // Dynamic rounding: rm = dyn uses frm, set with fsrmi before each case
    fsrmi 0  // frm = RNE
    TEST_FP_OP2(161, s, fadd.s, dyn, FF_NX, 0x3f800000, 0x3f800000, 0x33800000)  // 1 + 2^-24
    TEST_FP_OP2(162, s, fmul.s, dyn, FF_NX, 0xbfc00004, 0xbfc00000, 0x3f800003)  // -1.5 * (1+3*2^-23)
    TEST_FP_OP2(163, s, fdiv.s, dyn, FF_NX, 0xbf2aaaab, 0xc0000000, 0x40400000)  // -2 / 3
    TEST_FP_OP1(164, s, fsqrt.s, dyn, FF_NX, 0x3f800000, 0x3f800001)  // sqrt((1+2^-23))
    TEST_FP_OP3(165, s, fmadd.s, dyn, FF_NX, 0x3f801000, 0x3f800800, 0x3f800800, 0x00000000)  // (1+2^-12)*(1+2^-12) + 0
    TEST_FP_TO_INT(166, s, fcvt.w.s, dyn, FF_NX, 0xfffffffffffffffe, 0xbfc00000)  // -1.5
    TEST_INT_TO_FP(167, s, fcvt.s.w, dyn, FF_NX, 0x4b800000, 0x1000001)  // 16777217
    TEST_BEGIN(168)  // frm still 0 after the instructions
    frrm a4
    CHECK(a4, 0)
    fsrmi 1  // frm = RTZ
    TEST_FP_OP2(169, s, fadd.s, dyn, FF_NX, 0x3f800000, 0x3f800000, 0x33800000)  // 1 + 2^-24
    TEST_FP_OP2(170, s, fmul.s, dyn, FF_NX, 0xbfc00004, 0xbfc00000, 0x3f800003)  // -1.5 * (1+3*2^-23)
    TEST_FP_OP2(171, s, fdiv.s, dyn, FF_NX, 0xbf2aaaaa, 0xc0000000, 0x40400000)  // -2 / 3
    TEST_FP_OP1(172, s, fsqrt.s, dyn, FF_NX, 0x3f800000, 0x3f800001)  // sqrt((1+2^-23))
    TEST_FP_OP3(173, s, fmadd.s, dyn, FF_NX, 0x3f801000, 0x3f800800, 0x3f800800, 0x00000000)  // (1+2^-12)*(1+2^-12) + 0
    TEST_FP_TO_INT(174, s, fcvt.w.s, dyn, FF_NX, 0xffffffffffffffff, 0xbfc00000)  // -1.5
    TEST_INT_TO_FP(175, s, fcvt.s.w, dyn, FF_NX, 0x4b800000, 0x1000001)  // 16777217
    TEST_BEGIN(176)  // frm still 1 after the instructions
    frrm a4
    CHECK(a4, 1)
    fsrmi 2  // frm = RDN
    TEST_FP_OP2(177, s, fadd.s, dyn, FF_NX, 0x3f800000, 0x3f800000, 0x33800000)  // 1 + 2^-24
    TEST_FP_OP2(178, s, fmul.s, dyn, FF_NX, 0xbfc00005, 0xbfc00000, 0x3f800003)  // -1.5 * (1+3*2^-23)
    TEST_FP_OP2(179, s, fdiv.s, dyn, FF_NX, 0xbf2aaaab, 0xc0000000, 0x40400000)  // -2 / 3
    TEST_FP_OP1(180, s, fsqrt.s, dyn, FF_NX, 0x3f800000, 0x3f800001)  // sqrt((1+2^-23))
    TEST_FP_OP3(181, s, fmadd.s, dyn, FF_NX, 0x3f801000, 0x3f800800, 0x3f800800, 0x00000000)  // (1+2^-12)*(1+2^-12) + 0
    TEST_FP_TO_INT(182, s, fcvt.w.s, dyn, FF_NX, 0xfffffffffffffffe, 0xbfc00000)  // -1.5
    TEST_INT_TO_FP(183, s, fcvt.s.w, dyn, FF_NX, 0x4b800000, 0x1000001)  // 16777217
    TEST_BEGIN(184)  // frm still 2 after the instructions
    frrm a4
    CHECK(a4, 2)
    fsrmi 3  // frm = RUP
    TEST_FP_OP2(185, s, fadd.s, dyn, FF_NX, 0x3f800001, 0x3f800000, 0x33800000)  // 1 + 2^-24
    TEST_FP_OP2(186, s, fmul.s, dyn, FF_NX, 0xbfc00004, 0xbfc00000, 0x3f800003)  // -1.5 * (1+3*2^-23)
    TEST_FP_OP2(187, s, fdiv.s, dyn, FF_NX, 0xbf2aaaaa, 0xc0000000, 0x40400000)  // -2 / 3
    TEST_FP_OP1(188, s, fsqrt.s, dyn, FF_NX, 0x3f800001, 0x3f800001)  // sqrt((1+2^-23))
    TEST_FP_OP3(189, s, fmadd.s, dyn, FF_NX, 0x3f801001, 0x3f800800, 0x3f800800, 0x00000000)  // (1+2^-12)*(1+2^-12) + 0
    TEST_FP_TO_INT(190, s, fcvt.w.s, dyn, FF_NX, 0xffffffffffffffff, 0xbfc00000)  // -1.5
    TEST_INT_TO_FP(191, s, fcvt.s.w, dyn, FF_NX, 0x4b800001, 0x1000001)  // 16777217
    TEST_BEGIN(192)  // frm still 3 after the instructions
    frrm a4
    CHECK(a4, 3)
    fsrmi 4  // frm = RMM
    TEST_FP_OP2(193, s, fadd.s, dyn, FF_NX, 0x3f800001, 0x3f800000, 0x33800000)  // 1 + 2^-24
    TEST_FP_OP2(194, s, fmul.s, dyn, FF_NX, 0xbfc00005, 0xbfc00000, 0x3f800003)  // -1.5 * (1+3*2^-23)
    TEST_FP_OP2(195, s, fdiv.s, dyn, FF_NX, 0xbf2aaaab, 0xc0000000, 0x40400000)  // -2 / 3
    TEST_FP_OP1(196, s, fsqrt.s, dyn, FF_NX, 0x3f800000, 0x3f800001)  // sqrt((1+2^-23))
    TEST_FP_OP3(197, s, fmadd.s, dyn, FF_NX, 0x3f801001, 0x3f800800, 0x3f800800, 0x00000000)  // (1+2^-12)*(1+2^-12) + 0
    TEST_FP_TO_INT(198, s, fcvt.w.s, dyn, FF_NX, 0xfffffffffffffffe, 0xbfc00000)  // -1.5
    TEST_INT_TO_FP(199, s, fcvt.s.w, dyn, FF_NX, 0x4b800001, 0x1000001)  // 16777217
    TEST_BEGIN(200)  // frm still 4 after the instructions
    frrm a4
    CHECK(a4, 4)

    // A static rm overrides frm
    fsrmi 3  // frm = RUP
    TEST_FP_OP2(201, s, fadd.s, rtz, FF_NX, 0x3f800000, 0x3f800000, 0x33820000)  // 1 + (2^-24+2^-30)
    TEST_FP_OP2(202, s, fadd.s, rne, FF_NX, 0x3f800001, 0x3f800000, 0x33820000)  // 1 + (2^-24+2^-30)
    fsrmi 1  // frm = RTZ
    TEST_FP_OP2(203, s, fmul.s, rup, FF_NX, 0x3fc00002, 0x3fc00000, 0x3f800001)  // 1.5 * (1+2^-23)
    TEST_FP_TO_INT(204, s, fcvt.w.s, rmm, FF_NX, 3, 0x40200000)  // 2.5
    fsrmi 0

RVTEST_CODE_END
