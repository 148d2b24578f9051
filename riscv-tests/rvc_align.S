// Mixed 16/32-bit code. With C, IALIGN is 16: a 32-bit instruction may start
// at any even address (2 mod 4 here), jump/branch targets may be 2 mod 4,
// and a 32-bit instruction may straddle a 4 KiB page boundary.
// Also checks link values pc+2 (c.jalr) vs pc+4 (jal/jalr).

#include "test_macros.h"

.option rvc

// Force a 32-bit encoding inside an RVC file.
#define I32(...) .option push; .option norvc; __VA_ARGS__; .option pop

RVTEST_CODE_BEGIN

    // 32-bit ALU instructions at pc = 2 mod 4
    TEST_BEGIN(1)
    .balign 4
    c.nop
1:  I32(addi a0, x0, 5)
    I32(addi a0, a0, 7)
    I32(slli a0, a0, 4)
    la a1, 1b
    andi a1, a1, 3
    CHECK(a1, 2)
    CHECK(a0, 192)

    // AUIPC at pc = 2 mod 4 agrees with jal's link; both are 2 mod 4
    TEST_BEGIN(2)
    .balign 4
    c.nop
    I32(jal a1, 1f)
1:  I32(auipc a4, 0)
    bne a4, a1, fail
    andi a4, a4, 3
    CHECK(a4, 2)
    la a2, 1b
    bne a1, a2, fail

    // JAL from pc = 2 mod 4 to a target = 0 mod 4; link = pc + 4
    TEST_BEGIN(3)
    .balign 4
    c.nop
    I32(jal ra, 1f)
2:  j fail
    .balign 4
1:  la a1, 2b
    bne ra, a1, fail

    // JALR to a target = 2 mod 4 holding a 32-bit instruction
    TEST_BEGIN(4)
    la t0, 1f
    jalr ra, 0(t0)
2:  j fail
    .balign 4
    c.unimp
1:  I32(addi a0, x0, 33)
    CHECK(a0, 33)
    la a1, 2b
    bne ra, a1, fail
    andi t0, t0, 3
    CHECK(t0, 2)

    // 32-bit BEQ/BNE with offsets of 6 and -6 (not multiples of 4)
    TEST_BEGIN(5)
    .balign 4
    I32(beq x0, x0, 1f)         // +6
    c.unimp
1:  li a0, 1
    I32(bne x0, a0, 3f)
2:  I32(j 4f)                   // 4 bytes
3:  I32(beq x0, x0, 2b)         // -4 back to the 32-bit j
4:
    TEST_BEGIN(6)
    .balign 4
    c.nop
    I32(j 2f)
1:  I32(j 3f)                   // at 2 mod 4
    c.unimp
2:  I32(bge x0, x0, 1b)         // -6
    j fail
3:

    // C.JALR link = pc + 2 (a 2 mod 4 address when c.jalr is at 0 mod 4)
    TEST_BEGIN(7)
    la t1, 1f
    .balign 4
    c.jalr t1
2:  j fail
1:  la a1, 2b
    bne ra, a1, fail
    andi a1, a1, 3
    CHECK(a1, 2)

    // C.JR to a 2 mod 4 target
    TEST_BEGIN(8)
    la t1, 1f
    c.jr t1
    j fail
    .balign 4
    c.unimp
1:  I32(addi a0, x0, 44)
    CHECK(a0, 44)

    // Loop mixing sizes, body starting at 2 mod 4
    TEST_BEGIN(9)
    li a0, 0
    li a1, 6
    .balign 4
    c.nop
1:  I32(addi a0, a0, 3)
    c.addi a1, -1
    I32(bne a1, x0, 1b)
    c.slli a0, 1
    CHECK(a0, 36)

    // A 32-bit instruction straddling a page boundary (P1), then a 16-bit
    // one in the last halfword of the next page and a 32-bit one starting
    // exactly at the following boundary (P2).
    TEST_BEGIN(10)
    li a0, 0
    la t0, page_cross_1
    jr t0
page_cross_back:
    CHECK(a0, 0x635)
    CHECK(a1, 0x1000)
    j 1f

    .balign 4096
    .skip 4096 - 4              // zero fill = c.unimp
page_cross_1:                   // P1 - 4
    c.addi a0, 4                // P1-4 .. P1-2
    I32(addi a0, a0, 0x230)     // P1-2 .. P1+2: straddles P1
    I32(lui a1, 1)
    I32(j 2f)
    .org page_cross_1 + 4 + 4096 - 2    // zero fill = c.unimp
2:  c.addi a0, 1                // P2-2: last halfword of the page
    I32(xori a0, a0, 0x400)     // starts at P2
    I32(j page_cross_back)
1:

RVTEST_CODE_END
