// D conversions: FCVT.W.D, FCVT.WU.D, FCVT.L.D, FCVT.LU.D,
// FCVT.D.W, FCVT.D.WU, FCVT.D.L, FCVT.D.LU, FCVT.S.D, FCVT.D.S
// fcvt to integer: "If the rounded result is not representable in the
// destination format, it is clipped to the nearest value and the invalid flag
// is set." Saturation table (ISA manual):
//                        fcvt.w       fcvt.wu      fcvt.l       fcvt.lu
//   min/-inf             -2^31        0            -2^63        0
//   max/+inf, NaN        2^31-1       2^32-1       2^63-1       2^64-1
// NV replaces NX for out-of-range inputs; in-range inexact results raise NX.
// A negative input that rounds to 0 is valid for the unsigned forms (NX).
// "For XLEN > 32, FCVT.W[U].D sign-extends the 32-bit result to the
// destination register width" (so fcvt.wu of 2^32-1 gives -1 in rd).
// fcvt from integer: the W forms use the low 32 bits of rs1 only.
// Flags: FF_NV 0x10, FF_DZ 0x08, FF_OF 0x04, FF_UF 0x02, FF_NX 0x01.
// fcvt.d.w and fcvt.d.wu are always exact (no rm operand in the assembler).
// fcvt.s.d rounds (UF uses tininess after rounding); fcvt.d.s is exact.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // FCVT.W.D: 32-bit signed, result sign-extended to 64 bits
    TEST_FP_TO_INT(1, d, fcvt.w.d, rne, 0, 0, 0x0000000000000000)  // 0
    TEST_FP_TO_INT(2, d, fcvt.w.d, rne, 0, 0, 0x8000000000000000)  // -0
    TEST_FP_TO_INT(3, d, fcvt.w.d, rne, 0, 1, 0x3ff0000000000000)  // 1
    TEST_FP_TO_INT(4, d, fcvt.w.d, rne, 0, 0xffffffffffffffff, 0xbff0000000000000)  // -1; sign-extended
    TEST_FP_TO_INT(5, d, fcvt.w.d, rne, FF_NX, 2, 0x3ff8000000000000)  // 1.5; tie: to even
    TEST_FP_TO_INT(6, d, fcvt.w.d, rne, FF_NX, 2, 0x4004000000000000)  // 2.5; tie: to even
    TEST_FP_TO_INT(7, d, fcvt.w.d, rne, FF_NX, 0xfffffffffffffffe, 0xc004000000000000)  // -2.5
    TEST_FP_TO_INT(8, d, fcvt.w.d, rne, FF_NX, 0, 0x3fe0000000000000)  // 0.5
    TEST_FP_TO_INT(9, d, fcvt.w.d, rtz, FF_NX, 1, 0x3ffe666666666666)  // 1.9
    TEST_FP_TO_INT(10, d, fcvt.w.d, rdn, FF_NX, 0xfffffffffffffffe, 0xbff199999999999a)  // -1.1
    TEST_FP_TO_INT(11, d, fcvt.w.d, rup, FF_NX, 2, 0x3ff199999999999a)  // 1.1
    TEST_FP_TO_INT(12, d, fcvt.w.d, rmm, FF_NX, 3, 0x4004000000000000)  // 2.5; tie: away
    TEST_FP_TO_INT(13, d, fcvt.w.d, rmm, FF_NX, 0xfffffffffffffffd, 0xc004000000000000)  // -2.5
    TEST_FP_TO_INT(14, d, fcvt.w.d, rtz, FF_NX, 0xffffffffffffffff, 0xbffe666666666666)  // -1.9
    TEST_FP_TO_INT(15, d, fcvt.w.d, rne, FF_NX, 0x1e241, 0x40fe240c00000000)  // 123456.75
    TEST_FP_TO_INT(16, d, fcvt.w.d, rne, 0, 0x7fffffff, 0x41dfffffffc00000)  // (2^31-1); largest in range
    TEST_FP_TO_INT(17, d, fcvt.w.d, rne, FF_NV, 0x7fffffff, 0x41e0000000000000)  // 2^31; out of range: saturate, NV (not NX)
    TEST_FP_TO_INT(18, d, fcvt.w.d, rne, 0, 0xffffffff80000000, 0xc1e0000000000000)  // -2^31; most negative: exact
    TEST_FP_TO_INT(19, d, fcvt.w.d, rne, FF_NV, 0xffffffff80000000, 0xc1e0000000200000)  // (-2^31-1); below range
    TEST_FP_TO_INT(20, d, fcvt.w.d, rtz, FF_NV, 0x7fffffff, 0x4270000000000000)  // 2^40
    TEST_FP_TO_INT(21, d, fcvt.w.d, rne, FF_NV, 0xffffffff80000000, 0xffefffffffffffff)  // -max
    TEST_FP_TO_INT(22, d, fcvt.w.d, rne, FF_NV, 0x7fffffff, 0x7ff0000000000000)  // inf
    TEST_FP_TO_INT(23, d, fcvt.w.d, rne, FF_NV, 0xffffffff80000000, 0xfff0000000000000)  // -inf
    TEST_FP_TO_INT(24, d, fcvt.w.d, rne, FF_NV, 0x7fffffff, 0x7ff8000000000000)  // qnan; NaN -> 2^31-1
    TEST_FP_TO_INT(25, d, fcvt.w.d, rne, FF_NV, 0x7fffffff, 0xfff8000000000000)  // -qnan; NaN sign ignored
    TEST_FP_TO_INT(26, d, fcvt.w.d, rne, FF_NV, 0x7fffffff, 0x7ff0000000000001)  // snan
    TEST_FP_TO_INT(27, d, fcvt.w.d, rne, FF_NX, 0, 0x0000000000000001)  // minsub
    TEST_FP_TO_INT(28, d, fcvt.w.d, rne, FF_NX, 0, 0x8000000000000001)  // -minsub; -0 -> 0, NX
    TEST_FP_TO_INT(29, d, fcvt.w.d, rdn, FF_NX, 0xffffffffffffffff, 0x8000000000000001)  // -minsub
    TEST_FP_TO_INT(30, d, fcvt.w.d, rup, FF_NX, 1, 0x0000000000000001)  // minsub
    TEST_FP_TO_INT(31, d, fcvt.w.d, rne, FF_NV, 0x7fffffff, 0x41dfffffffe00000)  // (2^31-0.5); rounds out of range: NV only
    TEST_FP_TO_INT(32, d, fcvt.w.d, rtz, FF_NX, 0x7fffffff, 0x41dfffffffe00000)  // (2^31-0.5); rounds into range: NX
    TEST_FP_TO_INT(33, d, fcvt.w.d, rne, FF_NX, 0xffffffff80000000, 0xc1e0000000100000)  // (-2^31-0.5); tie: to even -2^31
    TEST_FP_TO_INT(34, d, fcvt.w.d, rdn, FF_NV, 0xffffffff80000000, 0xc1e0000000100000)  // (-2^31-0.5)
    // FCVT.WU.D: 32-bit unsigned, result (also) sign-extended from bit 31
    TEST_FP_TO_INT(35, d, fcvt.wu.d, rne, 0, 0, 0x0000000000000000)  // 0
    TEST_FP_TO_INT(36, d, fcvt.wu.d, rne, 0, 1, 0x3ff0000000000000)  // 1
    TEST_FP_TO_INT(37, d, fcvt.wu.d, rne, 0, 0xffffffffb2d05e00, 0x41e65a0bc0000000)  // 3000000000; bit 31 set: sign-extended
    TEST_FP_TO_INT(38, d, fcvt.wu.d, rne, 0, 0xffffffff80000000, 0x41e0000000000000)  // 2^31
    TEST_FP_TO_INT(39, d, fcvt.wu.d, rne, 0, 0xffffffffffffffff, 0x41efffffffe00000)  // (2^32-1); largest in range
    TEST_FP_TO_INT(40, d, fcvt.wu.d, rne, FF_NV, 0xffffffffffffffff, 0x41f0000000000000)  // 2^32; saturate to 2^32-1 (rd = -1)
    TEST_FP_TO_INT(41, d, fcvt.wu.d, rne, FF_NV, 0, 0xbff0000000000000)  // -1; negative: 0, NV
    TEST_FP_TO_INT(42, d, fcvt.wu.d, rne, 0, 0, 0x8000000000000000)  // -0
    TEST_FP_TO_INT(43, d, fcvt.wu.d, rne, FF_NX, 0, 0xbfd999999999999a)  // -0.4; rounds to -0: 0, NX only
    TEST_FP_TO_INT(44, d, fcvt.wu.d, rne, FF_NX, 0, 0xbfe0000000000000)  // -0.5; tie to -0: NX only
    TEST_FP_TO_INT(45, d, fcvt.wu.d, rne, FF_NV, 0, 0xbfe3333333333333)  // -0.6; rounds to -1: NV
    TEST_FP_TO_INT(46, d, fcvt.wu.d, rtz, FF_NX, 0, 0xbfeccccccccccccd)  // -0.9
    TEST_FP_TO_INT(47, d, fcvt.wu.d, rdn, FF_NV, 0, 0xbfb999999999999a)  // -0.1
    TEST_FP_TO_INT(48, d, fcvt.wu.d, rup, FF_NX, 0, 0xbfeccccccccccccd)  // -0.9
    TEST_FP_TO_INT(49, d, fcvt.wu.d, rmm, FF_NV, 0, 0xbfe0000000000000)  // -0.5; away: -1, NV
    TEST_FP_TO_INT(50, d, fcvt.wu.d, rne, FF_NX, 2, 0x4004000000000000)  // 2.5
    TEST_FP_TO_INT(51, d, fcvt.wu.d, rne, FF_NV, 0xffffffffffffffff, 0x7ff0000000000000)  // inf
    TEST_FP_TO_INT(52, d, fcvt.wu.d, rne, FF_NV, 0, 0xfff0000000000000)  // -inf
    TEST_FP_TO_INT(53, d, fcvt.wu.d, rne, FF_NV, 0xffffffffffffffff, 0x7ff8000000000000)  // qnan
    TEST_FP_TO_INT(54, d, fcvt.wu.d, rne, FF_NV, 0xffffffffffffffff, 0xfff0000000000001)  // -snan
    TEST_FP_TO_INT(55, d, fcvt.wu.d, rtz, FF_NX, 0xffffffffffffffff, 0x41effffffff00000)  // (2^32-0.5)
    TEST_FP_TO_INT(56, d, fcvt.wu.d, rne, FF_NV, 0xffffffffffffffff, 0x41effffffff00000)  // (2^32-0.5)
    // FCVT.L.D: 64-bit signed
    TEST_FP_TO_INT(57, d, fcvt.l.d, rne, 0, 1, 0x3ff0000000000000)  // 1
    TEST_FP_TO_INT(58, d, fcvt.l.d, rne, 0, 0xffffffffffffffff, 0xbff0000000000000)  // -1
    TEST_FP_TO_INT(59, d, fcvt.l.d, rne, 0, 0x80000000, 0x41e0000000000000)  // 2^31; no 32-bit wrap
    TEST_FP_TO_INT(60, d, fcvt.l.d, rne, 0, 0xffffffff4d2fa200, 0xc1e65a0bc0000000)  // -3000000000
    TEST_FP_TO_INT(61, d, fcvt.l.d, rmm, FF_NX, 2, 0x3ff8000000000000)  // 1.5
    TEST_FP_TO_INT(62, d, fcvt.l.d, rtz, FF_NX, 0xffffffffffffffff, 0xbff8000000000000)  // -1.5
    TEST_FP_TO_INT(63, d, fcvt.l.d, rne, FF_NX, 0xfffffffffffffffe, 0xbff8000000000000)  // -1.5
    TEST_FP_TO_INT(64, d, fcvt.l.d, rup, FF_NX, 1, 0x3fd3333333333333)  // 0.3
    TEST_FP_TO_INT(65, d, fcvt.l.d, rne, 0, 0x7ffffffffffffc00, 0x43dfffffffffffff)  // (2^63-2^10); largest in range
    TEST_FP_TO_INT(66, d, fcvt.l.d, rne, FF_NV, 0x7fffffffffffffff, 0x43e0000000000000)  // 2^63; out of range
    TEST_FP_TO_INT(67, d, fcvt.l.d, rne, 0, 0x8000000000000000, 0xc3e0000000000000)  // -2^63; most negative: exact
    TEST_FP_TO_INT(68, d, fcvt.l.d, rne, FF_NV, 0x8000000000000000, 0xc3e0000000000001)  // (-2^63-2^11); below range
    TEST_FP_TO_INT(69, d, fcvt.l.d, rne, FF_NV, 0x7fffffffffffffff, 0x7ff0000000000000)  // inf
    TEST_FP_TO_INT(70, d, fcvt.l.d, rne, FF_NV, 0x8000000000000000, 0xfff0000000000000)  // -inf
    TEST_FP_TO_INT(71, d, fcvt.l.d, rne, FF_NV, 0x7fffffffffffffff, 0x7ff8000000012345)  // qnanp
    TEST_FP_TO_INT(72, d, fcvt.l.d, rne, FF_NX, 0, 0x8000000000000001)  // -minsub
    TEST_FP_TO_INT(73, d, fcvt.l.d, rtz, FF_NV, 0x7fffffffffffffff, 0x7fefffffffffffff)  // max
    // FCVT.LU.D: 64-bit unsigned
    TEST_FP_TO_INT(74, d, fcvt.lu.d, rne, 0, 1, 0x3ff0000000000000)  // 1
    TEST_FP_TO_INT(75, d, fcvt.lu.d, rne, 0, 0x8000000000000000, 0x43e0000000000000)  // 2^63; bit 63 set
    TEST_FP_TO_INT(76, d, fcvt.lu.d, rne, 0, 0xfffffffffffff800, 0x43efffffffffffff)  // (2^64-2^11); largest in range
    TEST_FP_TO_INT(77, d, fcvt.lu.d, rne, FF_NV, 0xffffffffffffffff, 0x43f0000000000000)  // 2^64; saturate
    TEST_FP_TO_INT(78, d, fcvt.lu.d, rne, FF_NV, 0, 0xbff0000000000000)  // -1; negative: 0, NV
    TEST_FP_TO_INT(79, d, fcvt.lu.d, rup, FF_NX, 0, 0xbfe0000000000000)  // -0.5; rounds to -0: NX
    TEST_FP_TO_INT(80, d, fcvt.lu.d, rdn, FF_NV, 0, 0xbfe0000000000000)  // -0.5
    TEST_FP_TO_INT(81, d, fcvt.lu.d, rne, FF_NX, 4, 0x4012000000000000)  // 4.5
    TEST_FP_TO_INT(82, d, fcvt.lu.d, rmm, FF_NX, 5, 0x4012000000000000)  // 4.5
    TEST_FP_TO_INT(83, d, fcvt.lu.d, rne, FF_NV, 0xffffffffffffffff, 0x7ff0000000000000)  // inf
    TEST_FP_TO_INT(84, d, fcvt.lu.d, rne, FF_NV, 0, 0xfff0000000000000)  // -inf
    TEST_FP_TO_INT(85, d, fcvt.lu.d, rne, FF_NV, 0xffffffffffffffff, 0x7ff8000000000000)  // qnan
    TEST_FP_TO_INT(86, d, fcvt.lu.d, rne, FF_NV, 0xffffffffffffffff, 0x7ff0000000000001)  // snan
    TEST_FP_TO_INT(87, d, fcvt.lu.d, rne, FF_NV, 0, 0xffefffffffffffff)  // -max

    // FCVT.D.W: low 32 bits of rs1 as a signed integer
    TEST_INT_TO_FP_NORM(88, d, fcvt.d.w, 0, 0x0000000000000000, 0)  // 0; +0
    TEST_INT_TO_FP_NORM(89, d, fcvt.d.w, 0, 0x3ff0000000000000, 1)  // 1
    TEST_INT_TO_FP_NORM(90, d, fcvt.d.w, 0, 0xbff0000000000000, 0xffffffffffffffff)  // -1
    TEST_INT_TO_FP_NORM(91, d, fcvt.d.w, 0, 0x41dfffffffc00000, 0x7fffffff)  // 2147483647
    TEST_INT_TO_FP_NORM(92, d, fcvt.d.w, 0, 0xc1e0000000000000, 0xffffffff80000000)  // -2147483648
    TEST_INT_TO_FP_NORM(93, d, fcvt.d.w, 0, 0xc1e0000000000000, 0x80000000)  // -2147483648; bit 31 of a non-sign-extended value: -2^31
    TEST_INT_TO_FP_NORM(94, d, fcvt.d.w, 0, 0x4008000000000000, 0x1234567800000003)  // 3; upper 32 bits ignored
    TEST_INT_TO_FP_NORM(95, d, fcvt.d.w, 0, 0x4170000010000000, 0x1000001)  // 16777217
    TEST_INT_TO_FP_NORM(96, d, fcvt.d.w, 0, 0x4170000030000000, 0x1000003)  // 16777219
    TEST_INT_TO_FP_NORM(97, d, fcvt.d.w, 0, 0x419d6f3454000000, 0x75bcd15)  // 123456789
    // FCVT.D.WU: low 32 bits of rs1 as an unsigned integer
    TEST_INT_TO_FP_NORM(98, d, fcvt.d.wu, 0, 0x0000000000000000, 0)  // 0
    TEST_INT_TO_FP_NORM(99, d, fcvt.d.wu, 0, 0x3ff0000000000000, 1)  // 1
    TEST_INT_TO_FP_NORM(100, d, fcvt.d.wu, 0, 0x41efffffffe00000, 0xffffffff)  // 4294967295
    TEST_INT_TO_FP_NORM(101, d, fcvt.d.wu, 0, 0x41efffffffe00000, 0xffffffffffffffff)  // 4294967295; upper 32 bits ignored: 2^32-1
    TEST_INT_TO_FP_NORM(102, d, fcvt.d.wu, 0, 0x41e0000000000000, 0x80000000)  // 2147483648
    TEST_INT_TO_FP_NORM(103, d, fcvt.d.wu, 0, 0x4000000000000000, 0xffffffff00000002)  // 2; upper 32 bits ignored
    // FCVT.D.L
    TEST_INT_TO_FP(104, d, fcvt.d.l, rne, 0, 0x0000000000000000, 0)  // 0
    TEST_INT_TO_FP(105, d, fcvt.d.l, rne, 0, 0xbff0000000000000, 0xffffffffffffffff)  // -1
    TEST_INT_TO_FP(106, d, fcvt.d.l, rne, FF_NX, 0x43e0000000000000, 0x7fffffffffffffff)  // 9223372036854775807
    TEST_INT_TO_FP(107, d, fcvt.d.l, rtz, FF_NX, 0x43dfffffffffffff, 0x7fffffffffffffff)  // 9223372036854775807
    TEST_INT_TO_FP(108, d, fcvt.d.l, rne, 0, 0xc3e0000000000000, 0x8000000000000000)  // -9223372036854775808
    TEST_INT_TO_FP(109, d, fcvt.d.l, rne, FF_NX, 0x4340000000000000, 0x20000000000001)  // 9007199254740993; tie: to even
    TEST_INT_TO_FP(110, d, fcvt.d.l, rup, FF_NX, 0x4340000000000001, 0x20000000000001)  // 9007199254740993
    TEST_INT_TO_FP(111, d, fcvt.d.l, rdn, FF_NX, 0xc340000000000001, 0xffdfffffffffffff)  // -9007199254740993
    TEST_INT_TO_FP(112, d, fcvt.d.l, rmm, FF_NX, 0xc340000000000001, 0xffdfffffffffffff)  // -9007199254740993
    TEST_INT_TO_FP(113, d, fcvt.d.l, rne, FF_NX, 0x4340000000000002, 0x20000000000003)  // 9007199254740995
    TEST_INT_TO_FP(114, d, fcvt.d.l, rne, FF_NX, 0x43b23456789abcdf, 0x123456789abcdef0)  // 1311768467463790320
    TEST_INT_TO_FP(115, d, fcvt.d.l, rtz, FF_NX, 0x43b23456789abcde, 0x123456789abcdef0)  // 1311768467463790320
    TEST_INT_TO_FP(116, d, fcvt.d.l, rup, FF_NX, 0xc3b23456789abcde, 0xedcba98765432110)  // -1311768467463790320
    TEST_INT_TO_FP(117, d, fcvt.d.l, rne, 0, 0x41e0000000000000, 0x80000000)  // 2147483648; not a W conversion: +2^31
    // FCVT.D.LU
    TEST_INT_TO_FP(118, d, fcvt.d.lu, rne, 0, 0x0000000000000000, 0)  // 0
    TEST_INT_TO_FP(119, d, fcvt.d.lu, rne, 0, 0x3ff0000000000000, 1)  // 1
    TEST_INT_TO_FP(120, d, fcvt.d.lu, rne, FF_NX, 0x43f0000000000000, 0xffffffffffffffff)  // 18446744073709551615; 2^64-1 rounds to 2^64
    TEST_INT_TO_FP(121, d, fcvt.d.lu, rtz, FF_NX, 0x43efffffffffffff, 0xffffffffffffffff)  // 18446744073709551615
    TEST_INT_TO_FP(122, d, fcvt.d.lu, rne, 0, 0x43e0000000000000, 0x8000000000000000)  // 9223372036854775808
    TEST_INT_TO_FP(123, d, fcvt.d.lu, rne, FF_NX, 0x43efdb97530eca86, 0xfedcba9876543210)  // 18364758544493064720
    TEST_INT_TO_FP(124, d, fcvt.d.lu, rdn, FF_NX, 0x43efdb97530eca86, 0xfedcba9876543210)  // 18364758544493064720
    TEST_INT_TO_FP(125, d, fcvt.d.lu, rmm, FF_NX, 0x4340000000000001, 0x20000000000001)  // 9007199254740993

    // FCVT.S.D: rounds; NaN -> canonical single NaN
    TEST_FP_CVT(126, s, d, fcvt.s.d, rne, 0, 0x3f800000, 0x3ff0000000000000)  // 1
    TEST_FP_CVT(127, s, d, fcvt.s.d, rne, 0, 0x80000000, 0x8000000000000000)  // -0
    TEST_FP_CVT(128, s, d, fcvt.s.d, rne, FF_NX, 0x3dcccccd, 0x3fb999999999999a)  // 0.1
    TEST_FP_CVT(129, s, d, fcvt.s.d, rtz, FF_NX, 0x3dcccccc, 0x3fb999999999999a)  // 0.1
    TEST_FP_CVT(130, s, d, fcvt.s.d, rup, FF_NX, 0x3dcccccd, 0x3fb999999999999a)  // 0.1
    TEST_FP_CVT(131, s, d, fcvt.s.d, rdn, FF_NX, 0xbdcccccd, 0xbfb999999999999a)  // -0.1
    TEST_FP_CVT(132, s, d, fcvt.s.d, rtz, FF_NX, 0xbdcccccc, 0xbfb999999999999a)  // -0.1
    TEST_FP_CVT(133, s, d, fcvt.s.d, rne, FF_NX, 0x3f800000, 0x3ff0000010000000)  // (1+2^-24); tie: to even 1
    TEST_FP_CVT(134, s, d, fcvt.s.d, rmm, FF_NX, 0x3f800001, 0x3ff0000010000000)  // (1+2^-24); tie: away
    TEST_FP_CVT(135, s, d, fcvt.s.d, rne, FF_NX, 0x3f800002, 0x3ff0000030000000)  // (1+3*2^-24)
    TEST_FP_CVT(136, s, d, fcvt.s.d, rne, FF_OF|FF_NX, 0x7f800000, 0x7e37e43c8800759c)  // 1e300; overflow
    TEST_FP_CVT(137, s, d, fcvt.s.d, rtz, FF_OF|FF_NX, 0x7f7fffff, 0x7e37e43c8800759c)  // 1e300
    TEST_FP_CVT(138, s, d, fcvt.s.d, rup, FF_OF|FF_NX, 0xff7fffff, 0xfe37e43c8800759c)  // -1e300
    TEST_FP_CVT(139, s, d, fcvt.s.d, rdn, FF_OF|FF_NX, 0xff800000, 0xfe37e43c8800759c)  // -1e300
    TEST_FP_CVT(140, s, d, fcvt.s.d, rne, FF_OF|FF_NX, 0x7f800000, 0x47effffff0000000)  // (2^128-2^103); tie between max and 2^128: overflow
    TEST_FP_CVT(141, s, d, fcvt.s.d, rne, 0, 0x7f7fffff, 0x47efffffe0000000)  // (2^128-2^104); exactly max
    TEST_FP_CVT(142, s, d, fcvt.s.d, rne, FF_UF|FF_NX, 0x00000000, 0x01a56e1fc2f8f359)  // (1e-300); underflow to 0
    TEST_FP_CVT(143, s, d, fcvt.s.d, rup, FF_UF|FF_NX, 0x00000001, 0x01a56e1fc2f8f359)  // (1e-300)
    TEST_FP_CVT(144, s, d, fcvt.s.d, rdn, FF_UF|FF_NX, 0x80000001, 0x81a56e1fc2f8f359)  // (-1e-300)
    TEST_FP_CVT(145, s, d, fcvt.s.d, rne, 0, 0x00000001, 0x36a0000000000000)  // 2^-149; exact minsub: no UF
    TEST_FP_CVT(146, s, d, fcvt.s.d, rne, FF_UF|FF_NX, 0x00000000, 0x3690000000000000)  // 2^-150; tie: to 0
    TEST_FP_CVT(147, s, d, fcvt.s.d, rne, FF_UF|FF_NX, 0x00000001, 0x3690000000000004)  // (2^-150+2^-200)
    TEST_FP_CVT(148, s, d, fcvt.s.d, rne, FF_UF|FF_NX, 0x00000002, 0x36a8000000000000)  // (3*2^-150); tie: to even 2*minsub
    TEST_FP_CVT(149, s, d, fcvt.s.d, rne, FF_NX, 0x00800000, 0x380ffffff8000000)  // (2^-126*(1-2^-26)); rounds to min normal: not tiny after rounding, NX only
    TEST_FP_CVT(150, s, d, fcvt.s.d, rtz, FF_UF|FF_NX, 0x007fffff, 0x380ffffff8000000)  // (2^-126*(1-2^-26)); max subnormal: UF|NX
    TEST_FP_CVT(151, s, d, fcvt.s.d, rne, FF_NX, 0x00800000, 0x380ffffff0000000)  // (2^-126*(1-2^-25)); tie at 24 bits: not tiny
    TEST_FP_CVT(152, s, d, fcvt.s.d, rne, 0, 0x7f800000, 0x7ff0000000000000)  // inf
    TEST_FP_CVT(153, s, d, fcvt.s.d, rne, 0, 0xff800000, 0xfff0000000000000)  // -inf
    TEST_FP_CVT(154, s, d, fcvt.s.d, rne, 0, 0x7fc00000, 0x7ff8000000000000)  // qnan
    TEST_FP_CVT(155, s, d, fcvt.s.d, rne, 0, 0x7fc00000, 0xfff8000000012345)  // -qnanp; canonical
    TEST_FP_CVT(156, s, d, fcvt.s.d, rne, FF_NV, 0x7fc00000, 0x7ff0000000000001)  // snan; NV
    TEST_FP_CVT(157, s, d, fcvt.s.d, rne, FF_NV, 0x7fc00000, 0x7ff0000020000000)  // 0x7ff0000020000000; sNaN whose payload would fit a single
    // FCVT.D.S: exact; NaN -> canonical double NaN
    TEST_FP_CVT_NORM(158, d, s, fcvt.d.s, 0, 0x3ff0000000000000, 0x3f800000)  // 1
    TEST_FP_CVT_NORM(159, d, s, fcvt.d.s, 0, 0x8000000000000000, 0x80000000)  // -0
    TEST_FP_CVT_NORM(160, d, s, fcvt.d.s, 0, 0x3fb99999a0000000, 0x3dcccccd)  // 0.1; exact widening
    TEST_FP_CVT_NORM(161, d, s, fcvt.d.s, 0, 0x47efffffe0000000, 0x7f7fffff)  // max
    TEST_FP_CVT_NORM(162, d, s, fcvt.d.s, 0, 0xb6a0000000000000, 0x80000001)  // -minsub; subnormal single -> normal double
    TEST_FP_CVT_NORM(163, d, s, fcvt.d.s, 0, 0x380fffffc0000000, 0x007fffff)  // maxsub
    TEST_FP_CVT_NORM(164, d, s, fcvt.d.s, 0, 0x7ff0000000000000, 0x7f800000)  // inf
    TEST_FP_CVT_NORM(165, d, s, fcvt.d.s, 0, 0xfff0000000000000, 0xff800000)  // -inf
    TEST_FP_CVT_NORM(166, d, s, fcvt.d.s, 0, 0x7ff8000000000000, 0x7fc00000)  // qnan
    TEST_FP_CVT_NORM(167, d, s, fcvt.d.s, 0, 0x7ff8000000000000, 0xffc12345)  // -qnanp; payload dropped
    TEST_FP_CVT_NORM(168, d, s, fcvt.d.s, FF_NV, 0x7ff8000000000000, 0x7f800001)  // snan; NV

RVTEST_CODE_END
