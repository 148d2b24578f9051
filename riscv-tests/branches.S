// BEQ, BNE, BLT, BGE, BLTU, BGEU
// "BLT and BLTU take the branch if rs1 is less than rs2, using signed and
// unsigned comparison respectively. BGE and BGEU take the branch if rs1 is
// greater than or equal to rs2." Comparisons use all 64 bits.
// Each TEST_BR2_* case branches both forward and backward.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // BEQ
    TEST_BR2_OP_TAKEN(   1, beq, 0, 0)
    TEST_BR2_OP_TAKEN(   2, beq, 1, 1)
    TEST_BR2_OP_TAKEN(   3, beq, -1, -1)
    TEST_BR2_OP_TAKEN(   4, beq, 0x8000000000000000, 0x8000000000000000)
    TEST_BR2_OP_NOTTAKEN(5, beq, 0, 1)
    TEST_BR2_OP_NOTTAKEN(6, beq, 1, 0)
    TEST_BR2_OP_NOTTAKEN(7, beq, -1, 1)
    TEST_BR2_OP_NOTTAKEN(8, beq, 0x100000000, 0)            // differ above bit 31
    TEST_BR2_OP_NOTTAKEN(9, beq, 0x8000000000000000, 0)

    // BNE
    TEST_BR2_OP_TAKEN(   10, bne, 0, 1)
    TEST_BR2_OP_TAKEN(   11, bne, 1, 0)
    TEST_BR2_OP_TAKEN(   12, bne, -1, 1)
    TEST_BR2_OP_TAKEN(   13, bne, 0x100000000, 0)
    TEST_BR2_OP_TAKEN(   14, bne, 0x8000000000000000, 0)
    TEST_BR2_OP_NOTTAKEN(15, bne, 0, 0)
    TEST_BR2_OP_NOTTAKEN(16, bne, 1, 1)
    TEST_BR2_OP_NOTTAKEN(17, bne, -1, -1)
    TEST_BR2_OP_NOTTAKEN(18, bne, 0x123456789abcdef0, 0x123456789abcdef0)

    // BLT (signed)
    TEST_BR2_OP_TAKEN(   20, blt, 0, 1)
    TEST_BR2_OP_TAKEN(   21, blt, -1, 1)
    TEST_BR2_OP_TAKEN(   22, blt, -2, -1)
    TEST_BR2_OP_TAKEN(   23, blt, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR2_OP_TAKEN(   24, blt, 0x8000000000000000, 0)
    TEST_BR2_OP_TAKEN(   25, blt, 0xffffffff, 0x100000000)
    TEST_BR2_OP_NOTTAKEN(26, blt, 1, 0)
    TEST_BR2_OP_NOTTAKEN(27, blt, 1, -1)
    TEST_BR2_OP_NOTTAKEN(28, blt, -1, -2)
    TEST_BR2_OP_NOTTAKEN(29, blt, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR2_OP_NOTTAKEN(30, blt, 0, 0)
    TEST_BR2_OP_NOTTAKEN(31, blt, -1, -1)
    TEST_BR2_OP_NOTTAKEN(32, blt, 0x80000000, 0xffffffff80000000)  // not a 32-bit compare

    // BGE (signed)
    TEST_BR2_OP_TAKEN(   40, bge, 0, 0)
    TEST_BR2_OP_TAKEN(   41, bge, 1, 0)
    TEST_BR2_OP_TAKEN(   42, bge, 1, -1)
    TEST_BR2_OP_TAKEN(   43, bge, -1, -2)
    TEST_BR2_OP_TAKEN(   44, bge, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR2_OP_TAKEN(   45, bge, -1, -1)
    TEST_BR2_OP_TAKEN(   46, bge, 0x80000000, 0xffffffff80000000)
    TEST_BR2_OP_NOTTAKEN(47, bge, 0, 1)
    TEST_BR2_OP_NOTTAKEN(48, bge, -1, 1)
    TEST_BR2_OP_NOTTAKEN(49, bge, -2, -1)
    TEST_BR2_OP_NOTTAKEN(50, bge, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR2_OP_NOTTAKEN(51, bge, 0x8000000000000000, 0)

    // BLTU (unsigned)
    TEST_BR2_OP_TAKEN(   60, bltu, 0, 1)
    TEST_BR2_OP_TAKEN(   61, bltu, 1, -1)
    TEST_BR2_OP_TAKEN(   62, bltu, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR2_OP_TAKEN(   63, bltu, 0, 0x8000000000000000)
    TEST_BR2_OP_TAKEN(   64, bltu, 0xffffffff, 0x100000000)
    TEST_BR2_OP_TAKEN(   65, bltu, -2, -1)
    TEST_BR2_OP_NOTTAKEN(66, bltu, 1, 0)
    TEST_BR2_OP_NOTTAKEN(67, bltu, -1, 1)
    TEST_BR2_OP_NOTTAKEN(68, bltu, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR2_OP_NOTTAKEN(69, bltu, -1, -1)
    TEST_BR2_OP_NOTTAKEN(70, bltu, 0, 0)

    // BGEU (unsigned)
    TEST_BR2_OP_TAKEN(   80, bgeu, 0, 0)
    TEST_BR2_OP_TAKEN(   81, bgeu, 1, 0)
    TEST_BR2_OP_TAKEN(   82, bgeu, -1, 1)
    TEST_BR2_OP_TAKEN(   83, bgeu, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR2_OP_TAKEN(   84, bgeu, -1, -1)
    TEST_BR2_OP_TAKEN(   85, bgeu, 0x100000000, 0xffffffff)
    TEST_BR2_OP_NOTTAKEN(86, bgeu, 0, 1)
    TEST_BR2_OP_NOTTAKEN(87, bgeu, 1, -1)
    TEST_BR2_OP_NOTTAKEN(88, bgeu, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR2_OP_NOTTAKEN(89, bgeu, -2, -1)

    // x0 and identical register operands
    TEST_BEGIN(100)
    beq x0, x0, 1f
    j fail
1:  bne x0, x0, fail
    li a1, 1
    bge x0, a1, fail            // 0 >= 1 false
    blt a1, x0, fail            // 1 < 0 false
    blt x0, a1, 2f              // 0 < 1
    j fail
2:  bltu x0, x0, fail
    bgeu x0, x0, 3f
    j fail
3:  li a1, -1
    blt x0, a1, fail            // 0 < -1 false (signed)
    bltu x0, a1, 4f             // 0 < 2^64-1 (unsigned)
    j fail
4:  blt a1, a1, fail
    bltu a1, a1, fail
    bne a1, a1, fail
    bge a1, a1, 5f
    j fail
5:  bgeu a1, a1, 6f
    j fail
6:  beq a1, a1, 7f
    j fail
7:

    // High registers as operands
    TEST_BEGIN(101)
    li t6, -5
    li s11, 3
    blt t6, s11, 1f
    j fail
1:  bltu t6, s11, fail
    bge s11, t6, 2f
    j fail
2:  bgeu s11, t6, fail

    // Branches must not write any register (check a1/a2 survive)
    TEST_BEGIN(102)
    li a1, 0x1234
    li a2, 0x1234
    beq a1, a2, 1f
    j fail
1:  CHECK(a1, 0x1234)
    CHECK(a2, 0x1234)

    // Maximum forward offset for 4-byte aligned code: +4092
    TEST_BEGIN(103)
    beq x0, x0, far_fwd_103
    .rept 1022
    j fail
    .endr
far_fwd_103:

    // Most negative offset: -4096
    TEST_BEGIN(104)
    j 2f
far_back_104:
    j 3f
    .rept 1022
    j fail
    .endr
2:  nop
    bge x0, x0, far_back_104    // exactly 4096 bytes back
    j fail
3:

    // Loop: count down with bne, backward taken 10 times
    TEST_BEGIN(105)
    li a1, 10
    li a4, 0
1:  addi a4, a4, 3
    addi a1, a1, -1
    bne a1, x0, 1b
    CHECK(a4, 30)

RVTEST_CODE_END
