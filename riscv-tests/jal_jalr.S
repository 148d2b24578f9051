// JAL, JALR
// "JAL ... stores the address of the instruction following the jump
// ('pc+4') into register rd."
// "JALR: The target address is obtained by adding the sign-extended 12-bit
// I-immediate to the register rs1, then setting the least-significant bit
// of the result to zero. The address of the instruction following the jump
// (pc+4) is written to register rd."  rd == rs1 uses the old rs1 value.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // JAL ra: link = pc+4, forward
    TEST_BEGIN(1)
    li ra, 0
    jal ra, 1f
2:  j fail
1:  la a1, 2b
    bne ra, a1, fail

    // JAL t0 (alternate link register), backward target
    TEST_BEGIN(2)
    j 3f
1:  la a1, 2f
    bne t0, a1, fail
    j 4f
3:  jal t0, 1b
2:  j fail
4:

    // JAL x0 (j): nothing written
    TEST_BEGIN(3)
    li a4, 7
    j 1f
    li a4, 8
1:  jal x0, 2f
    li a4, 9
2:  CHECK(a4, 7)
    CHECK(x0, 0)

    // JAL with a high register
    TEST_BEGIN(4)
    jal t6, 1f
2:  j fail
1:  la a1, 2b
    bne t6, a1, fail

    // JAL: large offsets (exercise the scrambled J-immediate bits)
    TEST_BEGIN(5)
    jal ra, 1f              // +0x800: imm[11]
2:  .skip 0x800 - 4
1:  la a1, 2b
    bne ra, a1, fail

    TEST_BEGIN(6)
    jal ra, 1f              // +0xffc: imm[11:2]
2:  .skip 0xffc - 4
1:  la a1, 2b
    bne ra, a1, fail

    TEST_BEGIN(7)
    jal ra, 1f              // +0x10000: imm[16] (imm[19:12] field)
2:  .skip 0x10000 - 4
1:  la a1, 2b
    bne ra, a1, fail

    TEST_BEGIN(8)           // -0x1004 backward
    j 3f
1:  la a1, 2f
    bne ra, a1, fail
    j 4f
    .skip 0x1004 - 12
3:  jal ra, 1b
2:  j fail
4:

    // JALR: plain call through a register
    TEST_BEGIN(10)
    la t0, 1f
    jalr ra, 0(t0)
2:  j fail
1:  la a1, 2b
    bne ra, a1, fail

    // JALR: positive and negative offsets
    TEST_BEGIN(11)
    la t0, 1f - 8
    jalr ra, 8(t0)
2:  j fail
1:  la a1, 2b
    bne ra, a1, fail

    TEST_BEGIN(12)
    la t0, 1f + 16
    jalr ra, -16(t0)
2:  j fail
1:  la a1, 2b
    bne ra, a1, fail

    // JALR: extreme immediates
    TEST_BEGIN(13)
    la t0, 1f + 2048
    jalr ra, -2048(t0)
    j fail
1:

    TEST_BEGIN(14)
    la t0, 1f - 2047        // odd base, even sum
    jalr ra, 2047(t0)
    j fail
1:

    // JALR: least-significant bit of the target is cleared
    TEST_BEGIN(15)
    la t0, 1f
    addi t0, t0, 1
    jalr ra, 0(t0)
    j fail
1:

    TEST_BEGIN(16)
    la t0, 1f
    jalr ra, 1(t0)
    j fail
1:

    TEST_BEGIN(17)
    la t0, 1f + 1
    jalr ra, 0(t0)
2:  j fail
1:  la a1, 2b
    bne ra, a1, fail        // link is still pc+4

    // JALR rd == rs1: target from old value, then link written
    TEST_BEGIN(18)
    la a1, 1f
    jalr a1, 0(a1)
2:  j fail
1:  la a2, 2b
    bne a1, a2, fail

    TEST_BEGIN(19)
    la ra, 1f
    jalr ra, 0(ra)
2:  j fail
1:  la a2, 2b
    bne ra, a2, fail

    // JALR x0 (jr): nothing written
    TEST_BEGIN(20)
    li a4, 5
    la t1, 1f
    jalr x0, 0(t1)
    li a4, 6
1:  CHECK(a4, 5)
    CHECK(x0, 0)

    // call / ret through a function, and nested with alternate link t0
    TEST_BEGIN(21)
    li a0, 3
    jal ra, func_double
    CHECK(a0, 6)
    jal ra, func_nested
    CHECK(a0, 13)

    // jalr to a function: ret returns to the right place in a loop
    TEST_BEGIN(22)
    li a0, 1
    li a5, 5
    la t3, func_double
1:  jalr ra, 0(t3)
    addi a5, a5, -1
    bnez a5, 1b
    CHECK(a0, 32)

    // jalr with a high link register
    TEST_BEGIN(23)
    la s11, 1f
    jalr t6, 0(s11)
2:  j fail
1:  la a1, 2b
    bne t6, a1, fail

    j pass

// a0 *= 2
func_double:
    add a0, a0, a0
    jalr x0, 0(ra)

// a0 = 2*a0 + 1, using t0 as link for the inner call
func_nested:
    jal t0, func_double_t0
    addi a0, a0, 1
    ret
func_double_t0:
    add a0, a0, a0
    jr t0

RVTEST_CODE_END
