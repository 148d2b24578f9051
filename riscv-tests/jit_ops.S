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

// Operands come from memory, so that gcc cannot fold the operation at
// translation time: the code computes it when it runs.
#define OPERANDS(testnum, val1, val2)                                   \
    .pushsection .data; .balign 8;                                      \
    operands_ ## testnum: .dword val1, val2;                            \
    .popsection;                                                        \
    la t0, operands_ ## testnum; ld a1, 0(t0); ld a2, 8(t0)
#define TEST_RR_M(testnum, inst, result, val1, val2)                    \
    TEST_CASE(testnum, a4, result, OPERANDS(testnum, val1, val2); inst a4, a1, a2)
#define TEST_R_M(testnum, inst, result, val1)                           \
    TEST_CASE(testnum, a4, result, OPERANDS(testnum, val1, 0); inst a4, a1)
#define TEST_IMM_M(testnum, inst, result, val1, imm)                    \
    TEST_CASE(testnum, a4, result, OPERANDS(testnum, val1, 0); inst a4, a1, imm)

// The next group starts a new page (entered by a jump from the last one).
#define NEW_PAGE(n) j page_ ## n; .balign 4096; page_ ## n:

RVTEST_CODE_BEGIN
    NEW_PAGE(1)
    // 64-bit division
    TEST_RR_M(1, div, -1, 5, 0)
    TEST_RR_M(2, div, 0x8000000000000000, 0x8000000000000000, -1)
    TEST_RR_M(3, div, -3, 7, -2)
    TEST_RR_M(4, rem, 5, 5, 0)
    TEST_RR_M(5, rem, 0, 0x8000000000000000, -1)
    TEST_RR_M(6, rem, 1, 7, -2)
    TEST_RR_M(7, rem, -1, -7, 2)
    TEST_RR_M(8, divu, -1, 5, 0)
    TEST_RR_M(9, divu, 0x7fffffffffffffff, -1, 2)
    TEST_RR_M(10, remu, 5, 5, 0)
    TEST_RR_M(11, remu, 1, -1, 2)
    TEST_RR_M(12, div, 0x8000000000000000, 0x8000000000000000, 1)
    // 32-bit division: operands are the low words, results sign-extended
    TEST_RR_M(13, divw, -1, 5, 0)
    TEST_RR_M(14, divw, 0xffffffff80000000, 0x80000000, -1)
    TEST_RR_M(15, divw, -3, 0x100000007, -2)
    TEST_RR_M(16, divw, -1, 7, 0x100000000)
    TEST_RR_M(17, remw, 5, 0x100000005, 0)
    TEST_RR_M(18, remw, 0, 0x80000000, -1)
    TEST_RR_M(19, remw, -1, 0xfffffff9, 2)
    TEST_RR_M(20, remw, 0xffffffff80000000, 0x80000000, 0)
    TEST_RR_M(21, divuw, -1, 5, 0)
    TEST_RR_M(22, divuw, 0x7fffffff, -1, 2)
    TEST_RR_M(23, divuw, -2, 0xfffffffe, 1)
    TEST_RR_M(24, remuw, -7, 0x1fffffff9, 0)
    TEST_RR_M(25, remuw, 1, 0xffffffff, 2)
    TEST_RR_M(26, remuw, 3, 0xffffffff00000003, 0xffffffff00000000)

    NEW_PAGE(2)
    // High halves of 128-bit products
    TEST_RR_M(30, mulh, -1, -1, 1)
    TEST_RR_M(31, mulh, 0, -1, -1)
    TEST_RR_M(32, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
    TEST_RR_M(33, mulh, -1, 0x8000000000000000, 1)
    TEST_RR_M(34, mulh, -1, -4, 0x4000000000000000)
    TEST_RR_M(35, mulhu, 0xfffffffffffffffe, -1, -1)
    TEST_RR_M(36, mulhu, 0, -1, 1)
    TEST_RR_M(37, mulhu, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
    TEST_RR_M(38, mulhsu, -1, -1, 1)
    TEST_RR_M(39, mulhsu, -1, -1, -1)
    TEST_RR_M(40, mulhsu, 1, 2, -1)
    TEST_RR_M(41, mulhsu, -2, -4, 0x8000000000000000)
    TEST_RR_M(42, mulhsu, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x8000000000000000)
    // min/max
    TEST_RR_M(43, min, -5, -5, 3)
    TEST_RR_M(44, max, 3, -5, 3)
    TEST_RR_M(45, minu, 3, -5, 3)
    TEST_RR_M(46, maxu, -5, -5, 3)
    TEST_RR_M(47, min, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR_M(48, max, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)

    NEW_PAGE(3)
    // Rotates: amounts 0 and XLEN-1, and amounts above (only the low bits count)
    TEST_RR_M(50, rol, 0x8000000000000001, 0x8000000000000001, 0)
    TEST_RR_M(51, rol, 0xc000000000000000, 0x8000000000000001, 63)
    TEST_RR_M(52, rol, 3, 0x8000000000000001, 65)
    TEST_RR_M(53, ror, 0x8000000000000001, 0x8000000000000001, 0)
    TEST_RR_M(54, ror, 3, 0x8000000000000001, 63)
    TEST_RR_M(55, ror, 0xc000000000000000, 0x8000000000000001, 129)
    TEST_IMM_M(56, rori, 3, 0x8000000000000001, 63)
    TEST_IMM_M(57, rori, 0x8000000000000001, 0x8000000000000001, 0)
    TEST_RR_M(58, rolw, 0xffffffff80000001, 0x80000001, 0)
    TEST_RR_M(59, rolw, 0xffffffffc0000000, 0x80000001, 31)
    TEST_RR_M(60, rolw, 0xffffffff80000001, 0x1234567880000001, 32)
    TEST_RR_M(61, rorw, 3, 0x80000001, 31)
    TEST_RR_M(62, rorw, 0x12345678, 0xabcdef0012345678, 0)
    TEST_IMM_M(63, roriw, 3, 0x80000001, 31)
    TEST_IMM_M(64, roriw, 0xfffffffff0000000, 0xf0000000, 0)
    // Counts
    TEST_R_M(65, clz, 64, 0)
    TEST_R_M(66, clz, 63, 1)
    TEST_R_M(67, clz, 0, -1)
    TEST_R_M(68, clzw, 32, 0x100000000)
    TEST_R_M(69, clzw, 31, 0xffffffff00000001)
    TEST_R_M(70, ctz, 64, 0)
    TEST_R_M(71, ctz, 63, 0x8000000000000000)
    TEST_R_M(72, ctzw, 32, 0xffffffff00000000)
    TEST_R_M(73, ctzw, 31, 0x80000000)

    NEW_PAGE(4)
    TEST_R_M(80, cpop, 0, 0)
    TEST_R_M(81, cpop, 64, -1)
    TEST_R_M(82, cpopw, 4, 0xffffffff0000000f)
    TEST_R_M(83, orc.b, 0x00ff00ff0000ff00, 0x0001008000000100)
    TEST_R_M(84, orc.b, 0, 0)
    TEST_R_M(85, orc.b, -1, -1)
    TEST_R_M(86, orc.b, 0xff000000000000ff, 0x8000000000000001)
    TEST_R_M(87, rev8, 0x0807060504030201, 0x0102030405060708)
    TEST_R_M(88, rev8, 0x80, 0x8000000000000000)
    // Single bits: the index is the low 6 bits
    TEST_RR_M(89, bset, 0x8000000000000000, 0, 63)
    TEST_RR_M(90, bset, 8, 0, 67)
    TEST_IMM_M(91, bseti, 0x8000000000000001, 1, 63)
    TEST_RR_M(92, bclr, 0x7fffffffffffffff, -1, 63)
    TEST_IMM_M(93, bclri, -2, -1, 0)
    TEST_RR_M(94, binv, 0, 0x8000000000000000, 63)
    TEST_IMM_M(95, binvi, 0x100000000, 0, 32)
    TEST_RR_M(96, bext, 1, 0x8000000000000000, 63)
    TEST_RR_M(97, bext, 1, 0x8000000000000000, 127)
    TEST_IMM_M(98, bexti, 0, 2, 0)
    TEST_IMM_M(99, bexti, 1, 2, 1)
    TEST_RR_M(100, bset, -1, -1, 5)
    TEST_IMM_M(101, binvi, -1, 0x7fffffffffffffff, 63)

RVTEST_CODE_END
