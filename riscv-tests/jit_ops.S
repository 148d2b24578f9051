// Edge cases of the M, Zbb and Zbs instructions the translation tier emits
// itself (src/core/jit_gen.c), placed so that they run translated under
// `--engine jit --jit-threshold 1 --jit-sync` (isa-jit-jit_ops): each group
// starts a page and has fewer runs (one per case) than a region holds (32),
// so the whole group is one translated function. Expected values are by hand
// from the ISA manual (division: "The quotient of division by zero has all
// bits set, and the remainder of division by zero equals the dividend";
// signed overflow: quotient = dividend, remainder = 0); qemu checks them too.

#include "test_macros.h"

.option norvc

// The next group starts a new page (entered by a jump from the last one).
#define NEW_PAGE(n) j page_ ## n; .balign 4096; page_ ## n:

RVTEST_CODE_BEGIN
    NEW_PAGE(1)
    // 64-bit division
    TEST_RR_OP(1, div, -1, 5, 0)
    TEST_RR_OP(2, div, 0x8000000000000000, 0x8000000000000000, -1)
    TEST_RR_OP(3, div, -3, 7, -2)
    TEST_RR_OP(4, rem, 5, 5, 0)
    TEST_RR_OP(5, rem, 0, 0x8000000000000000, -1)
    TEST_RR_OP(6, rem, 1, 7, -2)
    TEST_RR_OP(7, rem, -1, -7, 2)
    TEST_RR_OP(8, divu, -1, 5, 0)
    TEST_RR_OP(9, divu, 0x7fffffffffffffff, -1, 2)
    TEST_RR_OP(10, remu, 5, 5, 0)
    TEST_RR_OP(11, remu, 1, -1, 2)
    TEST_RR_OP(12, div, 0x8000000000000000, 0x8000000000000000, 1)
    // 32-bit division: operands are the low words, results sign-extended
    TEST_RR_OP(13, divw, -1, 5, 0)
    TEST_RR_OP(14, divw, 0xffffffff80000000, 0x80000000, -1)
    TEST_RR_OP(15, divw, -3, 0x100000007, -2)
    TEST_RR_OP(16, divw, -1, 7, 0x100000000)
    TEST_RR_OP(17, remw, 5, 0x100000005, 0)
    TEST_RR_OP(18, remw, 0, 0x80000000, -1)
    TEST_RR_OP(19, remw, -1, 0xfffffff9, 2)
    TEST_RR_OP(20, remw, 0xffffffff80000000, 0x80000000, 0)
    TEST_RR_OP(21, divuw, -1, 5, 0)
    TEST_RR_OP(22, divuw, 0x7fffffff, -1, 2)
    TEST_RR_OP(23, divuw, -2, 0xfffffffe, 1)
    TEST_RR_OP(24, remuw, -7, 0x1fffffff9, 0)
    TEST_RR_OP(25, remuw, 1, 0xffffffff, 2)
    TEST_RR_OP(26, remuw, 3, 0xffffffff00000003, 0xffffffff00000000)

    NEW_PAGE(2)
    // High halves of 128-bit products
    TEST_RR_OP(30, mulh, -1, -1, 1)
    TEST_RR_OP(31, mulh, 0, -1, -1)
    TEST_RR_OP(32, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
    TEST_RR_OP(33, mulh, -1, 0x8000000000000000, 1)
    TEST_RR_OP(34, mulh, -1, -4, 0x4000000000000000)
    TEST_RR_OP(35, mulhu, 0xfffffffffffffffe, -1, -1)
    TEST_RR_OP(36, mulhu, 0, -1, 1)
    TEST_RR_OP(37, mulhu, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
    TEST_RR_OP(38, mulhsu, -1, -1, 1)
    TEST_RR_OP(39, mulhsu, -1, -1, -1)
    TEST_RR_OP(40, mulhsu, 1, 2, -1)
    TEST_RR_OP(41, mulhsu, -2, -4, 0x8000000000000000)
    TEST_RR_OP(42, mulhsu, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x8000000000000000)
    // min/max
    TEST_RR_OP(43, min, -5, -5, 3)
    TEST_RR_OP(44, max, 3, -5, 3)
    TEST_RR_OP(45, minu, 3, -5, 3)
    TEST_RR_OP(46, maxu, -5, -5, 3)
    TEST_RR_OP(47, min, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR_OP(48, max, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)

    NEW_PAGE(3)
    // Rotates: amounts 0 and XLEN-1, and amounts above (only the low bits count)
    TEST_RR_OP(50, rol, 0x8000000000000001, 0x8000000000000001, 0)
    TEST_RR_OP(51, rol, 0xc000000000000000, 0x8000000000000001, 63)
    TEST_RR_OP(52, rol, 3, 0x8000000000000001, 65)
    TEST_RR_OP(53, ror, 0x8000000000000001, 0x8000000000000001, 0)
    TEST_RR_OP(54, ror, 3, 0x8000000000000001, 63)
    TEST_RR_OP(55, ror, 0xc000000000000000, 0x8000000000000001, 129)
    TEST_IMM_OP(56, rori, 3, 0x8000000000000001, 63)
    TEST_IMM_OP(57, rori, 0x8000000000000001, 0x8000000000000001, 0)
    TEST_RR_OP(58, rolw, 0xffffffff80000001, 0x80000001, 0)
    TEST_RR_OP(59, rolw, 0xffffffffc0000000, 0x80000001, 31)
    TEST_RR_OP(60, rolw, 0xffffffff80000001, 0x1234567880000001, 32)
    TEST_RR_OP(61, rorw, 3, 0x80000001, 31)
    TEST_RR_OP(62, rorw, 0x12345678, 0xabcdef0012345678, 0)
    TEST_IMM_OP(63, roriw, 3, 0x80000001, 31)
    TEST_IMM_OP(64, roriw, 0xfffffffff0000000, 0xf0000000, 0)
    // Counts
    TEST_R_OP(65, clz, 64, 0)
    TEST_R_OP(66, clz, 63, 1)
    TEST_R_OP(67, clz, 0, -1)
    TEST_R_OP(68, clzw, 32, 0x100000000)
    TEST_R_OP(69, clzw, 31, 0xffffffff00000001)
    TEST_R_OP(70, ctz, 64, 0)
    TEST_R_OP(71, ctz, 63, 0x8000000000000000)
    TEST_R_OP(72, ctzw, 32, 0xffffffff00000000)
    TEST_R_OP(73, ctzw, 31, 0x80000000)

    NEW_PAGE(4)
    TEST_R_OP(80, cpop, 0, 0)
    TEST_R_OP(81, cpop, 64, -1)
    TEST_R_OP(82, cpopw, 4, 0xffffffff0000000f)
    TEST_R_OP(83, orc.b, 0x00ff00ff0000ff00, 0x0001008000000100)
    TEST_R_OP(84, orc.b, 0, 0)
    TEST_R_OP(85, orc.b, -1, -1)
    TEST_R_OP(86, orc.b, 0xff000000000000ff, 0x8000000000000001)
    TEST_R_OP(87, rev8, 0x0807060504030201, 0x0102030405060708)
    TEST_R_OP(88, rev8, 0x80, 0x8000000000000000)
    // Single bits: the index is the low 6 bits
    TEST_RR_OP(89, bset, 0x8000000000000000, 0, 63)
    TEST_RR_OP(90, bset, 8, 0, 67)
    TEST_IMM_OP(91, bseti, 0x8000000000000001, 1, 63)
    TEST_RR_OP(92, bclr, 0x7fffffffffffffff, -1, 63)
    TEST_IMM_OP(93, bclri, -2, -1, 0)
    TEST_RR_OP(94, binv, 0, 0x8000000000000000, 63)
    TEST_IMM_OP(95, binvi, 0x100000000, 0, 32)
    TEST_RR_OP(96, bext, 1, 0x8000000000000000, 63)
    TEST_RR_OP(97, bext, 1, 0x8000000000000000, 127)
    TEST_IMM_OP(98, bexti, 0, 2, 0)
    TEST_IMM_OP(99, bexti, 1, 2, 1)
    TEST_RR_OP(100, bset, -1, -1, 5)
    TEST_IMM_OP(101, binvi, -1, 0x7fffffffffffffff, 63)

RVTEST_CODE_END
