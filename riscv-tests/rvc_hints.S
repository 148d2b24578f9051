// RV64C HINT encodings. "HINT instructions ... do not change any
// architecturally visible state, except for advancing the pc"; they must
// execute as no-ops (they are not reserved/illegal encodings).
// Written as .hword since the assembler rejects most of these operands.

#include "test_macros.h"

.option rvc

#define SET_REGS                          \
    li a0, 0x0a0a0a0a0a0a0a0a;            \
    li a5, 0x0505050505050505;            \
    li s0, 0x0808080808080808;            \
    li t6, 0x1f1f1f1f1f1f1f1f;            \
    li ra, 0x0101010101010101;            \
    li s1, 0x0909090909090909;

#define CHECK_REGS                        \
    CHECK(a0, 0x0a0a0a0a0a0a0a0a)         \
    CHECK(a5, 0x0505050505050505)         \
    CHECK(s0, 0x0808080808080808)         \
    CHECK(t6, 0x1f1f1f1f1f1f1f1f)         \
    CHECK(ra, 0x0101010101010101)         \
    CHECK(s1, 0x0909090909090909)         \
    CHECK(x0, 0)

// Run one 16-bit HINT and check that nothing changed.
#define TEST_HINT(n, enc)                 \
    TEST_BEGIN(n)                         \
    SET_REGS                              \
    .hword enc;                           \
    CHECK_REGS

RVTEST_CODE_BEGIN

    TEST_HINT( 1, 0x0005)       // c.nop with nzimm = 1
    TEST_HINT( 2, 0x107d)       // c.nop with nzimm = -1
    TEST_HINT( 3, 0x0501)       // c.addi a0, 0 (rd != 0, nzimm = 0)
    TEST_HINT( 4, 0x0f81)       // c.addi t6, 0
    TEST_HINT( 5, 0x4005)       // c.li x0, 1
    TEST_HINT( 6, 0x507d)       // c.li x0, -1
    TEST_HINT( 7, 0x6005)       // c.lui x0, 1
    TEST_HINT( 8, 0x707d)       // c.lui x0, 0xfffff
    TEST_HINT( 9, 0x802a)       // c.mv x0, a0
    TEST_HINT(10, 0x807e)       // c.mv x0, t6
    TEST_HINT(11, 0x902a)       // c.add x0, a0
    TEST_HINT(12, 0x907e)       // c.add x0, t6
    TEST_HINT(13, 0x0006)       // c.slli x0, 1
    TEST_HINT(14, 0x107e)       // c.slli x0, 63
    TEST_HINT(15, 0x0502)       // c.slli a0, 0   (c.slli64)
    TEST_HINT(16, 0x0f82)       // c.slli t6, 0
    TEST_HINT(17, 0x8001)       // c.srli s0, 0   (c.srli64)
    TEST_HINT(18, 0x8381)       // c.srli a5, 0
    TEST_HINT(19, 0x8401)       // c.srai s0, 0   (c.srai64)
    TEST_HINT(20, 0x8781)       // c.srai a5, 0

    // Sanity: the non-HINT neighbours of these encodings do work
    TEST_CASE(30, a0, 0x0a0a0a0a0a0a0a0b, SET_REGS; .hword 0x0505)   // c.addi a0, 1
    TEST_CASE(31, a0, 1, SET_REGS; .hword 0x4505)                    // c.li a0, 1
    TEST_CASE(32, a0, 0x0505050505050505, SET_REGS; .hword 0x853e)   // c.mv a0, a5
    TEST_CASE(33, s0, 0x0404040404040404, SET_REGS; .hword 0x8005)   // c.srli s0, 1

RVTEST_CODE_END
