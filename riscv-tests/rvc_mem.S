// RV64C loads and stores: C.LW, C.LD, C.SW, C.SD, C.LWSP, C.LDSP, C.SWSP,
// C.SDSP (explicit c. mnemonics).
// Offsets are zero-extended and scaled: c.lw/c.sw 0..124 (x4),
// c.ld/c.sd 0..248 (x8), c.lwsp/c.swsp 0..252 (x4), c.ldsp/c.sdsp 0..504 (x8).
// C.LW / C.LWSP sign-extend the loaded word.
// The sp-based cases point sp at rvc_buf and restore it from s11.

#include "test_macros.h"

.option rvc

RVTEST_CODE_BEGIN

    // C.LW
    TEST_CASE( 1, a0, 0xffffffff89abcdef, la s0, rvc_buf; c.lw a0, 0(s0))
    TEST_CASE( 2, s1, 0x01234567, la a5, rvc_buf; c.lw s1, 4(a5))
    TEST_CASE( 3, a5, 0xffffffff80000000, la a1, rvc_buf; c.lw a5, 12(a1))
    TEST_CASE( 4, a2, 0x7ffffff0, la a3, rvc_buf; c.lw a2, 124(a3))
    TEST_CASE( 5, a4, 0xffffffff89abcdef, la a4, rvc_buf; c.lw a4, 0(a4))   // rd' == rs1'

    // C.LD
    TEST_CASE(10, a0, 0x0123456789abcdef, la s1, rvc_buf; c.ld a0, 0(s1))
    TEST_CASE(11, s0, 0x8000000076543210, la a2, rvc_buf; c.ld s0, 8(a2))
    TEST_CASE(12, a1, 0x55aa55aaa5a5a5a5, la a0, rvc_buf; c.ld a1, 248(a0))
    TEST_CASE(13, a3, 0x0123456789abcdef, la a3, rvc_buf; c.ld a3, 0(a3))

    // C.SW: stores the low 32 bits only
    TEST_BEGIN(20)
    la s0, rvc_st
    li a0, -1
    sd a0, 0(s0)
    sd a0, 8(s0)
    li a1, 0x1234567800000000
    c.sw a1, 4(s0)
    ld a2, 0(s0)
    CHECK(a2, 0x00000000ffffffff)
    ld a2, 8(s0)
    CHECK(a2, -1)
    TEST_BEGIN(21)
    la a5, rvc_st
    li s1, 0x80000001
    c.sw s1, 124(a5)
    lw a0, 124(a5)
    CHECK(a0, 0xffffffff80000001)

    // C.SD
    TEST_BEGIN(22)
    la a4, rvc_st
    sd x0, 0(a4)
    sd x0, 8(a4)
    li a3, 0x8877665544332211
    c.sd a3, 8(a4)
    ld a2, 8(a4)
    CHECK(a2, 0x8877665544332211)
    ld a2, 0(a4)
    CHECK(a2, 0)
    TEST_BEGIN(23)
    la s1, rvc_st
    li a0, 0xfedcba9876543210
    c.sd a0, 248(s1)
    ld a1, 248(s1)
    CHECK(a1, 0xfedcba9876543210)
    TEST_BEGIN(24)              // rs2' == rs1': stores the address
    la a2, rvc_st
    c.sd a2, 16(a2)
    ld a3, 16(a2)
    bne a3, a2, fail

    // C.LWSP / C.LDSP (rd may be any x1-x31)
    TEST_BEGIN(30)
    mv s11, sp
    la sp, rvc_buf
    c.lwsp t6, 0(sp)
    c.lwsp ra, 252(sp)
    c.lwsp a0, 12(sp)
    c.ldsp t5, 8(sp)
    c.ldsp tp, 504(sp)
    c.ldsp s0, 248(sp)
    mv sp, s11
    CHECK(t6, 0xffffffff89abcdef)
    CHECK(ra, 0x0000000055aa55aa)
    CHECK(a0, 0xffffffff80000000)
    CHECK(t5, 0x8000000076543210)
    CHECK(tp, 0x1122334455667788)
    CHECK(s0, 0x55aa55aaa5a5a5a5)

    // C.SWSP / C.SDSP (rs2 may be any x0-x31)
    TEST_BEGIN(31)
    mv s11, sp
    la sp, rvc_st
    li t6, -1
    sd t6, 0(sp)
    sd t6, 8(sp)
    li ra, 0xdeadbeefcafef00d
    c.swsp ra, 4(sp)
    c.swsp x0, 8(sp)
    c.sdsp t6, 504(sp)
    c.swsp ra, 252(sp)
    ld a0, 0(sp)
    ld a1, 8(sp)
    ld a2, 504(sp)
    lwu a3, 252(sp)
    c.sdsp x0, 504(sp)
    ld a4, 504(sp)
    mv sp, s11
    CHECK(a0, 0xcafef00dffffffff)
    CHECK(a1, 0xffffffff00000000)
    CHECK(a2, -1)
    CHECK(a3, 0xcafef00d)
    CHECK(a4, 0)

    // Round trip through the real stack: c.sdsp then c.ldsp
    TEST_BEGIN(32)
    c.addi16sp sp, -32
    li a0, 0x0102030405060708
    li a1, 0x1112131415161718
    c.sdsp a0, 0(sp)
    c.sdsp a1, 24(sp)
    c.ldsp t6, 24(sp)
    c.ldsp s11, 0(sp)
    c.swsp a0, 16(sp)
    c.lwsp t5, 16(sp)
    c.addi16sp sp, 32
    CHECK(t6, 0x1112131415161718)
    CHECK(s11, 0x0102030405060708)
    CHECK(t5, 0x05060708)

    // Every x8-x15 register as base of c.lw / data of c.sw
    TEST_BEGIN(33)
    la s0, rvc_st
    la s1, rvc_st
    la a0, rvc_st
    la a1, rvc_st
    la a2, rvc_st
    la a3, rvc_st
    la a4, rvc_st
    la a5, rvc_st
    c.li t6, 0
    c.sw s0, 0(s1)              // store pattern via each register pair
    c.sw a0, 4(a0)
    c.sw s1, 8(a2)
    c.sw a1, 12(a3)
    c.sw a2, 16(a4)
    c.sw a3, 20(a5)
    c.sw a4, 24(s0)
    c.sw a5, 28(a1)
    c.lw s0, 0(s0)
    c.lw s1, 4(s1)
    c.lw a0, 8(a0)
    c.lw a1, 12(a1)
    c.lw a2, 16(a2)
    c.lw a3, 20(a3)
    c.lw a4, 24(a4)
    c.lw a5, 28(a5)
    la t5, rvc_st
    sext.w t5, t5               // low 32 bits of the address, sign-extended
    bne s0, t5, fail
    bne s1, t5, fail
    bne a0, t5, fail
    bne a1, t5, fail
    bne a2, t5, fail
    bne a3, t5, fail
    bne a4, t5, fail
    bne a5, t5, fail

RVTEST_CODE_END

RVTEST_DATA_BEGIN
rvc_buf:
    .dword 0x0123456789abcdef       // +0
    .dword 0x8000000076543210       // +8
    .skip rvc_buf + 124 - .
    .word 0x7ffffff0                // +124
    .skip rvc_buf + 248 - .
    .dword 0x55aa55aaa5a5a5a5       // +248 (c.lwsp 252 reads 0x55aa55aa)
    .skip rvc_buf + 504 - .
    .dword 0x1122334455667788       // +504
rvc_st:
    .skip 512
RVTEST_DATA_END
