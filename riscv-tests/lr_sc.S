// LR.W, SC.W, LR.D, SC.D (single hart)
// "LR.W loads a word from the address in rs1, places the sign-extended value
// in rd, and registers a reservation set." "SC.W conditionally writes a word
// in rs2 to the address in rs1: the SC.W succeeds only if the reservation is
// still valid and the reservation set contains the bytes being written. If
// the SC.W succeeds, the instruction writes the word in rs2 to memory, and it
// writes zero to rd. If the SC.W fails, the instruction does not write to
// memory, and it writes a nonzero value to rd." "The failure code with value
// 1 encodes an unspecified failure."
// "Regardless of success or failure, executing an SC.W instruction
// invalidates any reservation held by this hart."
// "The SC must fail if the address is not within the reservation set of the
// most recent LR in program order."
// lr_a and lr_b are 4 KiB apart so they are in different reservation sets.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // SC.W without any reservation fails (rd = 1), memory unchanged.
    // Must be the first LR/SC activity in the program.
    TEST_BEGIN(1)
    la a1, lr_a
    li a2, 0x1111
    sw a2, 0(a1)
    li a3, 0x2222
    sc.w a4, a3, (a1)
    CHECK(a4, 1)
    lw a5, 0(a1)
    CHECK(a5, 0x1111)

    // SC.D without reservation fails as well
    TEST_BEGIN(2)
    la a1, lr_a
    li a2, 0x1111222233334444
    sd a2, 0(a1)
    li a3, -1
    sc.d a4, a3, (a1)
    CHECK(a4, 1)
    ld a5, 0(a1)
    CHECK(a5, 0x1111222233334444)

    // LR.W then SC.W to the same address succeeds (rd = 0), memory written
    TEST_BEGIN(3)
    la a1, lr_a
    li a2, 0x1234
    sw a2, 0(a1)
    lr.w a4, (a1)
    CHECK(a4, 0x1234)
    li a3, 0x5678
    sc.w a4, a3, (a1)
    CHECK(a4, 0)
    lw a5, 0(a1)
    CHECK(a5, 0x5678)

    // A second SC after a successful one fails: reservation consumed
    TEST_BEGIN(4)
    la a1, lr_a
    li a3, 0x9999
    sc.w a4, a3, (a1)
    CHECK(a4, 1)
    lw a5, 0(a1)
    CHECK(a5, 0x5678)

    // LR.W sign-extends; SC.W stores only the low 32 bits of rs2
    TEST_BEGIN(5)
    la a1, lr_a
    li a2, 0x7777777780000000
    sd a2, 0(a1)
    lr.w a4, (a1)
    CHECK(a4, 0xffffffff80000000)
    li a3, 0xdeadbeef0000abcd
    sc.w a4, a3, (a1)
    CHECK(a4, 0)
    ld a5, 0(a1)
    CHECK(a5, 0x777777770000abcd)

    // LR to A, SC to B fails and writes nothing
    TEST_BEGIN(6)
    la a1, lr_a
    la a2, lr_b
    li a3, 0x42
    sd a3, 0(a1)
    sd a3, 0(a2)
    lr.d a4, (a1)
    CHECK(a4, 0x42)
    li a3, 0x43
    sc.d a4, a3, (a2)
    CHECK(a4, 1)
    ld a5, 0(a2)
    CHECK(a5, 0x42)
    // ...and that failed SC also killed the reservation on A
    sc.d a4, a3, (a1)
    CHECK(a4, 1)
    ld a5, 0(a1)
    CHECK(a5, 0x42)

    // The most recent LR wins: LR A; LR B; SC A fails, SC B then also fails
    TEST_BEGIN(7)
    la a1, lr_a
    la a2, lr_b
    lr.w a4, (a1)
    lr.w a5, (a2)
    li a3, 0x55
    sc.w a4, a3, (a1)
    CHECK(a4, 1)
    lw a5, 0(a1)
    CHECK(a5, 0x42)
    sc.w a4, a3, (a2)
    CHECK(a4, 1)

    // LR A; LR B; SC B succeeds
    TEST_BEGIN(8)
    la a1, lr_a
    la a2, lr_b
    lr.w a4, (a1)
    lr.w a5, (a2)
    li a3, 0x66
    sc.w a4, a3, (a2)
    CHECK(a4, 0)
    lw a5, 0(a2)
    CHECK(a5, 0x66)
    lw a5, 0(a1)
    CHECK(a5, 0x42)

    // LR.D / SC.D full 64-bit
    TEST_BEGIN(9)
    la a1, lr_a
    li a2, 0x8000000000000001
    sd a2, 0(a1)
    lr.d a4, (a1)
    CHECK(a4, 0x8000000000000001)
    li a3, 0xfedcba9876543210
    sc.d a4, a3, (a1)
    CHECK(a4, 0)
    ld a5, 0(a1)
    CHECK(a5, 0xfedcba9876543210)
    sc.d a4, a3, (a1)           // consumed
    CHECK(a4, 1)

    // SC.W only writes its word: neighbour word unchanged
    TEST_BEGIN(10)
    la a1, lr_a
    li a2, 0x5a5a5a5aa5a5a5a5
    sd a2, 0(a1)
    addi a1, a1, 4
    lr.w a4, (a1)
    CHECK(a4, 0x5a5a5a5a)
    li a3, -1
    sc.w a4, a3, (a1)
    CHECK(a4, 0)
    la a1, lr_a
    ld a5, 0(a1)
    CHECK(a5, 0xffffffffa5a5a5a5)

    // Ordering bits do not change the result
    TEST_BEGIN(11)
    la a1, lr_a
    li a2, 10
    sd a2, 0(a1)
    lr.d.aq a4, (a1)
    addi a4, a4, 1
    sc.d.rl a5, a4, (a1)
    CHECK(a5, 0)
    lr.w.aqrl a4, (a1)
    addi a4, a4, 1
    sc.w.aqrl a5, a4, (a1)
    CHECK(a5, 0)
    lr.w.rl a4, (a1)
    addi a4, a4, 1
    sc.w.aq a5, a4, (a1)
    CHECK(a5, 0)
    ld a4, 0(a1)
    CHECK(a4, 13)

    // rd == rs2 for SC: the value is read before the status is written
    TEST_BEGIN(12)
    la a1, lr_a
    lr.d a4, (a1)
    li a3, 0x777
    sc.d a3, a3, (a1)
    CHECK(a3, 0)
    ld a5, 0(a1)
    CHECK(a5, 0x777)

    // rd == rs1 for LR: the address is used before rd is written
    TEST_BEGIN(13)
    la a1, lr_a
    lr.d a1, (a1)
    CHECK(a1, 0x777)
    la a1, lr_a
    li a3, 0x778
    sc.d a4, a3, (a1)
    CHECK(a4, 0)

    // Other registers
    TEST_BEGIN(14)
    la s11, lr_b
    li t6, 31
    sw t6, 0(s11)
    lr.w ra, (s11)
    CHECK(ra, 31)
    addi ra, ra, 1
    sc.w t6, ra, (s11)
    CHECK(t6, 0)
    lw tp, 0(s11)
    CHECK(tp, 32)

    // A typical LR/SC retry loop: atomic increment, 100 times
    TEST_BEGIN(15)
    la a1, lr_a
    sd x0, 0(a1)
    li a5, 100
1:  lr.d a4, (a1)
    addi a4, a4, 1
    sc.d a2, a4, (a1)
    bnez a2, 1b
    addi a5, a5, -1
    bnez a5, 1b
    ld a4, 0(a1)
    CHECK(a4, 100)

    // Compare-and-swap built from LR/SC: success and failure paths
    TEST_BEGIN(16)
    la a1, lr_a
    li a2, 5
    sw a2, 0(a1)
    li a2, 5                    // expected
    li a3, 6                    // new
    lr.w a4, (a1)
    bne a4, a2, fail
    sc.w a4, a3, (a1)
    CHECK(a4, 0)
    lr.w a4, (a1)
    beq a4, a2, fail            // now 6: would not store
    sc.w a4, a3, (a1)           // still valid reservation: succeeds
    CHECK(a4, 0)
    sc.w a4, a3, (a1)
    CHECK(a4, 1)

    // SC with rd = x0: memory is still written on success
    TEST_BEGIN(17)
    la a1, lr_a
    lr.w a4, (a1)
    li a3, 0x1357
    sc.w x0, a3, (a1)
    CHECK(x0, 0)
    lw a5, 0(a1)
    CHECK(a5, 0x1357)

RVTEST_CODE_END

RVTEST_DATA_BEGIN
    .balign 4096
lr_a: .dword 0, 0
    .balign 4096
lr_b: .dword 0, 0
RVTEST_DATA_END
