// F conversions: FCVT.W.S, FCVT.WU.S, FCVT.L.S, FCVT.LU.S,
// FCVT.S.W, FCVT.S.WU, FCVT.S.L, FCVT.S.LU
// fcvt to integer: "If the rounded result is not representable in the
// destination format, it is clipped to the nearest value and the invalid flag
// is set." Saturation table (ISA manual):
//                        fcvt.w       fcvt.wu      fcvt.l       fcvt.lu
//   min/-inf             -2^31        0            -2^63        0
//   max/+inf, NaN        2^31-1       2^32-1       2^63-1       2^64-1
// NV replaces NX for out-of-range inputs; in-range inexact results raise NX.
// A negative input that rounds to 0 is valid for the unsigned forms (NX).
// "For XLEN > 32, FCVT.W[U].S sign-extends the 32-bit result to the
// destination register width" (so fcvt.wu of 2^32-1 gives -1 in rd).
// fcvt from integer: the W forms use the low 32 bits of rs1 only.
// Flags: FF_NV 0x10, FF_DZ 0x08, FF_OF 0x04, FF_UF 0x02, FF_NX 0x01.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // FCVT.W.S: 32-bit signed, result sign-extended to 64 bits
    TEST_FP_TO_INT(1, s, fcvt.w.s, rne, 0, 0, 0x00000000)  // 0
    TEST_FP_TO_INT(2, s, fcvt.w.s, rne, 0, 0, 0x80000000)  // -0
    TEST_FP_TO_INT(3, s, fcvt.w.s, rne, 0, 1, 0x3f800000)  // 1
    TEST_FP_TO_INT(4, s, fcvt.w.s, rne, 0, 0xffffffffffffffff, 0xbf800000)  // -1; sign-extended
    TEST_FP_TO_INT(5, s, fcvt.w.s, rne, FF_NX, 2, 0x3fc00000)  // 1.5; tie: to even
    TEST_FP_TO_INT(6, s, fcvt.w.s, rne, FF_NX, 2, 0x40200000)  // 2.5; tie: to even
    TEST_FP_TO_INT(7, s, fcvt.w.s, rne, FF_NX, 0xfffffffffffffffe, 0xc0200000)  // -2.5
    TEST_FP_TO_INT(8, s, fcvt.w.s, rne, FF_NX, 0, 0x3f000000)  // 0.5
    TEST_FP_TO_INT(9, s, fcvt.w.s, rtz, FF_NX, 1, 0x3ff33333)  // 1.9
    TEST_FP_TO_INT(10, s, fcvt.w.s, rdn, FF_NX, 0xfffffffffffffffe, 0xbf8ccccd)  // -1.1
    TEST_FP_TO_INT(11, s, fcvt.w.s, rup, FF_NX, 2, 0x3f8ccccd)  // 1.1
    TEST_FP_TO_INT(12, s, fcvt.w.s, rmm, FF_NX, 3, 0x40200000)  // 2.5; tie: away
    TEST_FP_TO_INT(13, s, fcvt.w.s, rmm, FF_NX, 0xfffffffffffffffd, 0xc0200000)  // -2.5
    TEST_FP_TO_INT(14, s, fcvt.w.s, rtz, FF_NX, 0xffffffffffffffff, 0xbff33333)  // -1.9
    TEST_FP_TO_INT(15, s, fcvt.w.s, rne, FF_NX, 0x1e241, 0x47f12060)  // 123456.75
    TEST_FP_TO_INT(16, s, fcvt.w.s, rne, 0, 0x7fffff80, 0x4effffff)  // (2^31-128); largest in range
    TEST_FP_TO_INT(17, s, fcvt.w.s, rne, FF_NV, 0x7fffffff, 0x4f000000)  // 2^31; out of range: saturate, NV (not NX)
    TEST_FP_TO_INT(18, s, fcvt.w.s, rne, 0, 0xffffffff80000000, 0xcf000000)  // -2^31; most negative: exact
    TEST_FP_TO_INT(19, s, fcvt.w.s, rne, FF_NV, 0xffffffff80000000, 0xcf000001)  // (-2^31-256); below range
    TEST_FP_TO_INT(20, s, fcvt.w.s, rtz, FF_NV, 0x7fffffff, 0x53800000)  // 2^40
    TEST_FP_TO_INT(21, s, fcvt.w.s, rne, FF_NV, 0xffffffff80000000, 0xff7fffff)  // -max
    TEST_FP_TO_INT(22, s, fcvt.w.s, rne, FF_NV, 0x7fffffff, 0x7f800000)  // inf
    TEST_FP_TO_INT(23, s, fcvt.w.s, rne, FF_NV, 0xffffffff80000000, 0xff800000)  // -inf
    TEST_FP_TO_INT(24, s, fcvt.w.s, rne, FF_NV, 0x7fffffff, 0x7fc00000)  // qnan; NaN -> 2^31-1
    TEST_FP_TO_INT(25, s, fcvt.w.s, rne, FF_NV, 0x7fffffff, 0xffc00000)  // -qnan; NaN sign ignored
    TEST_FP_TO_INT(26, s, fcvt.w.s, rne, FF_NV, 0x7fffffff, 0x7f800001)  // snan
    TEST_FP_TO_INT(27, s, fcvt.w.s, rne, FF_NX, 0, 0x00000001)  // minsub
    TEST_FP_TO_INT(28, s, fcvt.w.s, rne, FF_NX, 0, 0x80000001)  // -minsub; -0 -> 0, NX
    TEST_FP_TO_INT(29, s, fcvt.w.s, rdn, FF_NX, 0xffffffffffffffff, 0x80000001)  // -minsub
    TEST_FP_TO_INT(30, s, fcvt.w.s, rup, FF_NX, 1, 0x00000001)  // minsub
    // FCVT.WU.S: 32-bit unsigned, result (also) sign-extended from bit 31
    TEST_FP_TO_INT(31, s, fcvt.wu.s, rne, 0, 0, 0x00000000)  // 0
    TEST_FP_TO_INT(32, s, fcvt.wu.s, rne, 0, 1, 0x3f800000)  // 1
    TEST_FP_TO_INT(33, s, fcvt.wu.s, rne, 0, 0xffffffffb2d05e00, 0x4f32d05e)  // 3000000000; bit 31 set: sign-extended
    TEST_FP_TO_INT(34, s, fcvt.wu.s, rne, 0, 0xffffffff80000000, 0x4f000000)  // 2^31
    TEST_FP_TO_INT(35, s, fcvt.wu.s, rne, 0, 0xffffffffffffff00, 0x4f7fffff)  // (2^32-256); largest in range
    TEST_FP_TO_INT(36, s, fcvt.wu.s, rne, FF_NV, 0xffffffffffffffff, 0x4f800000)  // 2^32; saturate to 2^32-1 (rd = -1)
    TEST_FP_TO_INT(37, s, fcvt.wu.s, rne, FF_NV, 0, 0xbf800000)  // -1; negative: 0, NV
    TEST_FP_TO_INT(38, s, fcvt.wu.s, rne, 0, 0, 0x80000000)  // -0
    TEST_FP_TO_INT(39, s, fcvt.wu.s, rne, FF_NX, 0, 0xbecccccd)  // -0.4; rounds to -0: 0, NX only
    TEST_FP_TO_INT(40, s, fcvt.wu.s, rne, FF_NX, 0, 0xbf000000)  // -0.5; tie to -0: NX only
    TEST_FP_TO_INT(41, s, fcvt.wu.s, rne, FF_NV, 0, 0xbf19999a)  // -0.6; rounds to -1: NV
    TEST_FP_TO_INT(42, s, fcvt.wu.s, rtz, FF_NX, 0, 0xbf666666)  // -0.9
    TEST_FP_TO_INT(43, s, fcvt.wu.s, rdn, FF_NV, 0, 0xbdcccccd)  // -0.1
    TEST_FP_TO_INT(44, s, fcvt.wu.s, rup, FF_NX, 0, 0xbf666666)  // -0.9
    TEST_FP_TO_INT(45, s, fcvt.wu.s, rmm, FF_NV, 0, 0xbf000000)  // -0.5; away: -1, NV
    TEST_FP_TO_INT(46, s, fcvt.wu.s, rne, FF_NX, 2, 0x40200000)  // 2.5
    TEST_FP_TO_INT(47, s, fcvt.wu.s, rne, FF_NV, 0xffffffffffffffff, 0x7f800000)  // inf
    TEST_FP_TO_INT(48, s, fcvt.wu.s, rne, FF_NV, 0, 0xff800000)  // -inf
    TEST_FP_TO_INT(49, s, fcvt.wu.s, rne, FF_NV, 0xffffffffffffffff, 0x7fc00000)  // qnan
    TEST_FP_TO_INT(50, s, fcvt.wu.s, rne, FF_NV, 0xffffffffffffffff, 0xff800001)  // -snan
    // FCVT.L.S: 64-bit signed
    TEST_FP_TO_INT(51, s, fcvt.l.s, rne, 0, 1, 0x3f800000)  // 1
    TEST_FP_TO_INT(52, s, fcvt.l.s, rne, 0, 0xffffffffffffffff, 0xbf800000)  // -1
    TEST_FP_TO_INT(53, s, fcvt.l.s, rne, 0, 0x80000000, 0x4f000000)  // 2^31; no 32-bit wrap
    TEST_FP_TO_INT(54, s, fcvt.l.s, rne, 0, 0xffffffff4d2fa200, 0xcf32d05e)  // -3000000000
    TEST_FP_TO_INT(55, s, fcvt.l.s, rmm, FF_NX, 2, 0x3fc00000)  // 1.5
    TEST_FP_TO_INT(56, s, fcvt.l.s, rtz, FF_NX, 0xffffffffffffffff, 0xbfc00000)  // -1.5
    TEST_FP_TO_INT(57, s, fcvt.l.s, rne, FF_NX, 0xfffffffffffffffe, 0xbfc00000)  // -1.5
    TEST_FP_TO_INT(58, s, fcvt.l.s, rup, FF_NX, 1, 0x3e99999a)  // 0.3
    TEST_FP_TO_INT(59, s, fcvt.l.s, rne, 0, 0x7fffff8000000000, 0x5effffff)  // (2^63-2^39); largest in range
    TEST_FP_TO_INT(60, s, fcvt.l.s, rne, FF_NV, 0x7fffffffffffffff, 0x5f000000)  // 2^63; out of range
    TEST_FP_TO_INT(61, s, fcvt.l.s, rne, 0, 0x8000000000000000, 0xdf000000)  // -2^63; most negative: exact
    TEST_FP_TO_INT(62, s, fcvt.l.s, rne, FF_NV, 0x8000000000000000, 0xdf000001)  // (-2^63-2^40); below range
    TEST_FP_TO_INT(63, s, fcvt.l.s, rne, FF_NV, 0x7fffffffffffffff, 0x7f800000)  // inf
    TEST_FP_TO_INT(64, s, fcvt.l.s, rne, FF_NV, 0x8000000000000000, 0xff800000)  // -inf
    TEST_FP_TO_INT(65, s, fcvt.l.s, rne, FF_NV, 0x7fffffffffffffff, 0x7fc12345)  // qnanp
    TEST_FP_TO_INT(66, s, fcvt.l.s, rne, FF_NX, 0, 0x80000001)  // -minsub
    TEST_FP_TO_INT(67, s, fcvt.l.s, rtz, FF_NV, 0x7fffffffffffffff, 0x7f7fffff)  // max
    // FCVT.LU.S: 64-bit unsigned
    TEST_FP_TO_INT(68, s, fcvt.lu.s, rne, 0, 1, 0x3f800000)  // 1
    TEST_FP_TO_INT(69, s, fcvt.lu.s, rne, 0, 0x8000000000000000, 0x5f000000)  // 2^63; bit 63 set
    TEST_FP_TO_INT(70, s, fcvt.lu.s, rne, 0, 0xffffff0000000000, 0x5f7fffff)  // (2^64-2^40); largest in range
    TEST_FP_TO_INT(71, s, fcvt.lu.s, rne, FF_NV, 0xffffffffffffffff, 0x5f800000)  // 2^64; saturate
    TEST_FP_TO_INT(72, s, fcvt.lu.s, rne, FF_NV, 0, 0xbf800000)  // -1; negative: 0, NV
    TEST_FP_TO_INT(73, s, fcvt.lu.s, rup, FF_NX, 0, 0xbf000000)  // -0.5; rounds to -0: NX
    TEST_FP_TO_INT(74, s, fcvt.lu.s, rdn, FF_NV, 0, 0xbf000000)  // -0.5
    TEST_FP_TO_INT(75, s, fcvt.lu.s, rne, FF_NX, 4, 0x40900000)  // 4.5
    TEST_FP_TO_INT(76, s, fcvt.lu.s, rmm, FF_NX, 5, 0x40900000)  // 4.5
    TEST_FP_TO_INT(77, s, fcvt.lu.s, rne, FF_NV, 0xffffffffffffffff, 0x7f800000)  // inf
    TEST_FP_TO_INT(78, s, fcvt.lu.s, rne, FF_NV, 0, 0xff800000)  // -inf
    TEST_FP_TO_INT(79, s, fcvt.lu.s, rne, FF_NV, 0xffffffffffffffff, 0x7fc00000)  // qnan
    TEST_FP_TO_INT(80, s, fcvt.lu.s, rne, FF_NV, 0xffffffffffffffff, 0x7f800001)  // snan
    TEST_FP_TO_INT(81, s, fcvt.lu.s, rne, FF_NV, 0, 0xff7fffff)  // -max

    // FCVT.S.W: low 32 bits of rs1 as a signed integer
    TEST_INT_TO_FP(82, s, fcvt.s.w, rne, 0, 0x00000000, 0)  // 0; +0
    TEST_INT_TO_FP(83, s, fcvt.s.w, rne, 0, 0x3f800000, 1)  // 1
    TEST_INT_TO_FP(84, s, fcvt.s.w, rne, 0, 0xbf800000, 0xffffffffffffffff)  // -1
    TEST_INT_TO_FP(85, s, fcvt.s.w, rne, FF_NX, 0x4f000000, 0x7fffffff)  // 2147483647
    TEST_INT_TO_FP(86, s, fcvt.s.w, rtz, FF_NX, 0x4effffff, 0x7fffffff)  // 2147483647
    TEST_INT_TO_FP(87, s, fcvt.s.w, rne, 0, 0xcf000000, 0xffffffff80000000)  // -2147483648
    TEST_INT_TO_FP(88, s, fcvt.s.w, rne, 0, 0xcf000000, 0x80000000)  // -2147483648; bit 31 of a non-sign-extended value: -2^31
    TEST_INT_TO_FP(89, s, fcvt.s.w, rne, 0, 0x40400000, 0x1234567800000003)  // 3; upper 32 bits ignored
    TEST_INT_TO_FP(90, s, fcvt.s.w, rne, FF_NX, 0x4b800000, 0x1000001)  // 16777217
    TEST_INT_TO_FP(91, s, fcvt.s.w, rup, FF_NX, 0x4b800001, 0x1000001)  // 16777217
    TEST_INT_TO_FP(92, s, fcvt.s.w, rne, FF_NX, 0x4b800002, 0x1000003)  // 16777219
    TEST_INT_TO_FP(93, s, fcvt.s.w, rdn, FF_NX, 0xcb800001, 0xfffffffffeffffff)  // -16777217
    TEST_INT_TO_FP(94, s, fcvt.s.w, rmm, FF_NX, 0xcb800001, 0xfffffffffeffffff)  // -16777217
    TEST_INT_TO_FP(95, s, fcvt.s.w, rne, FF_NX, 0x4ceb79a3, 0x75bcd15)  // 123456789
    // FCVT.S.WU: low 32 bits of rs1 as an unsigned integer
    TEST_INT_TO_FP(96, s, fcvt.s.wu, rne, 0, 0x00000000, 0)  // 0
    TEST_INT_TO_FP(97, s, fcvt.s.wu, rne, 0, 0x3f800000, 1)  // 1
    TEST_INT_TO_FP(98, s, fcvt.s.wu, rne, FF_NX, 0x4f800000, 0xffffffff)  // 4294967295
    TEST_INT_TO_FP(99, s, fcvt.s.wu, rtz, FF_NX, 0x4f7fffff, 0xffffffff)  // 4294967295
    TEST_INT_TO_FP(100, s, fcvt.s.wu, rne, FF_NX, 0x4f800000, 0xffffffffffffffff)  // 4294967295; upper 32 bits ignored: 2^32-1
    TEST_INT_TO_FP(101, s, fcvt.s.wu, rne, 0, 0x4f000000, 0x80000000)  // 2147483648
    TEST_INT_TO_FP(102, s, fcvt.s.wu, rne, 0, 0x40000000, 0xffffffff00000002)  // 2; upper 32 bits ignored
    TEST_INT_TO_FP(103, s, fcvt.s.wu, rmm, FF_NX, 0x4b800001, 0x1000001)  // 16777217
    // FCVT.S.L
    TEST_INT_TO_FP(104, s, fcvt.s.l, rne, 0, 0x00000000, 0)  // 0
    TEST_INT_TO_FP(105, s, fcvt.s.l, rne, 0, 0xbf800000, 0xffffffffffffffff)  // -1
    TEST_INT_TO_FP(106, s, fcvt.s.l, rne, FF_NX, 0x5f000000, 0x7fffffffffffffff)  // 9223372036854775807
    TEST_INT_TO_FP(107, s, fcvt.s.l, rtz, FF_NX, 0x5effffff, 0x7fffffffffffffff)  // 9223372036854775807
    TEST_INT_TO_FP(108, s, fcvt.s.l, rne, 0, 0xdf000000, 0x8000000000000000)  // -9223372036854775808
    TEST_INT_TO_FP(109, s, fcvt.s.l, rne, FF_NX, 0x4b800000, 0x1000001)  // 16777217; tie: to even
    TEST_INT_TO_FP(110, s, fcvt.s.l, rup, FF_NX, 0x4b800001, 0x1000001)  // 16777217
    TEST_INT_TO_FP(111, s, fcvt.s.l, rdn, FF_NX, 0xcb800001, 0xfffffffffeffffff)  // -16777217
    TEST_INT_TO_FP(112, s, fcvt.s.l, rmm, FF_NX, 0xcb800001, 0xfffffffffeffffff)  // -16777217
    TEST_INT_TO_FP(113, s, fcvt.s.l, rne, FF_NX, 0x4b800002, 0x1000003)  // 16777219
    TEST_INT_TO_FP(114, s, fcvt.s.l, rne, FF_NX, 0x5d91a2b4, 0x123456789abcdef0)  // 1311768467463790320
    TEST_INT_TO_FP(115, s, fcvt.s.l, rtz, FF_NX, 0x5d91a2b3, 0x123456789abcdef0)  // 1311768467463790320
    TEST_INT_TO_FP(116, s, fcvt.s.l, rup, FF_NX, 0xdd91a2b3, 0xedcba98765432110)  // -1311768467463790320
    TEST_INT_TO_FP(117, s, fcvt.s.l, rne, 0, 0x4f000000, 0x80000000)  // 2147483648; not a W conversion: +2^31
    // FCVT.S.LU
    TEST_INT_TO_FP(118, s, fcvt.s.lu, rne, 0, 0x00000000, 0)  // 0
    TEST_INT_TO_FP(119, s, fcvt.s.lu, rne, 0, 0x3f800000, 1)  // 1
    TEST_INT_TO_FP(120, s, fcvt.s.lu, rne, FF_NX, 0x5f800000, 0xffffffffffffffff)  // 18446744073709551615; 2^64-1 rounds to 2^64
    TEST_INT_TO_FP(121, s, fcvt.s.lu, rtz, FF_NX, 0x5f7fffff, 0xffffffffffffffff)  // 18446744073709551615
    TEST_INT_TO_FP(122, s, fcvt.s.lu, rne, 0, 0x5f000000, 0x8000000000000000)  // 9223372036854775808
    TEST_INT_TO_FP(123, s, fcvt.s.lu, rne, FF_NX, 0x5f7edcbb, 0xfedcba9876543210)  // 18364758544493064720
    TEST_INT_TO_FP(124, s, fcvt.s.lu, rdn, FF_NX, 0x5f7edcba, 0xfedcba9876543210)  // 18364758544493064720
    TEST_INT_TO_FP(125, s, fcvt.s.lu, rmm, FF_NX, 0x4b800001, 0x1000001)  // 16777217

RVTEST_CODE_END
