// RV64C integer computational instructions, written with explicit c.
// mnemonics: C.ADDI4SPN, C.NOP, C.ADDI, C.ADDIW, C.LI, C.ADDI16SP, C.LUI,
// C.SRLI, C.SRAI, C.ANDI, C.SUB, C.XOR, C.OR, C.AND, C.SUBW, C.ADDW,
// C.SLLI, C.MV, C.ADD.
// Registers x8-x15 (s0, s1, a0-a5) are the only ones encodable as rd'/rs1'/
// rs2'; CI/CR forms (c.addi, c.li, c.lui, c.slli, c.mv, c.add, ...) take any
// x1-x31.

#include "test_macros.h"

.option rvc

RVTEST_CODE_BEGIN

    // C.ADDI: addi rd, rd, nzimm[5:0] (sign-extended, 64-bit add)
    TEST_CASE( 1, a0, 12, li a0, 5; c.addi a0, 7)
    TEST_CASE( 2, a0, -27, li a0, 5; c.addi a0, -32)
    TEST_CASE( 3, a0, 36, li a0, 5; c.addi a0, 31)
    TEST_CASE( 4, a0, 0, li a0, -1; c.addi a0, 1)
    TEST_CASE( 5, a0, 0x80000000, li a0, 0x7fffffff; c.addi a0, 1)     // no sign-extension
    TEST_CASE( 6, a0, 0x8000000000000000, li a0, 0x7fffffffffffffff; c.addi a0, 1)
    TEST_CASE( 7, t6, 0xffffffffffffffff, li t6, 0; c.addi t6, -1)
    TEST_CASE( 8, ra, 0x100000000, li ra, 0xffffffff; c.addi ra, 1)
    TEST_CASE( 9, s11, 0x1000, li s11, 0x1010; c.addi s11, -16)
    TEST_BEGIN(10)              // c.addi on sp
    mv s11, sp
    c.addi sp, -16
    sub a0, s11, sp
    c.addi sp, 16
    bne sp, s11, fail
    CHECK(a0, 16)

    // C.ADDIW: addiw rd, rd, imm; result sign-extended from 32 bits
    TEST_CASE(11, a0, 0xffffffff80000000, li a0, 0x7fffffff; c.addiw a0, 1)
    TEST_CASE(12, a0, 0xffffffff9abcdef0, li a0, 0x123456789abcdef0; c.addiw a0, 0)  // sext.w
    TEST_CASE(13, a0, 0x7fffffff, li a0, 0x80000000; c.addiw a0, -1)
    TEST_CASE(14, a0, -1, li a0, 0; c.addiw a0, -1)
    TEST_CASE(15, t6, 0x1e, li t6, 0xffffffff; c.addiw t6, 31)
    TEST_CASE(16, ra, 0xffffffffffffffe0, li ra, 0x1234567800000000; c.addiw ra, -32)
    TEST_CASE(17, s1, 0x12345678, li s1, 0xabcdef0012345678; c.addiw s1, 0)

    // C.LI: addi rd, x0, imm
    TEST_CASE(20, a0, 0, li a0, -1; c.li a0, 0)
    TEST_CASE(21, a0, 31, li a0, -1; c.li a0, 31)
    TEST_CASE(22, a0, -32, li a0, 0; c.li a0, -32)
    TEST_CASE(23, a0, -1, c.li a0, -1)
    TEST_CASE(24, t6, 17, li t6, 0x123456789; c.li t6, 17)
    TEST_CASE(25, ra, -7, c.li ra, -7)
    TEST_CASE(26, tp, 1, c.li tp, 1)

    // C.LUI: lui rd, nzimm[17:12] (sign-extended from bit 17)
    TEST_CASE(30, a0, 0x1000, li a0, -1; c.lui a0, 1)
    TEST_CASE(31, a0, 0x1f000, c.lui a0, 31)
    TEST_CASE(32, a0, 0xfffffffffffe0000, c.lui a0, 0xfffe0)
    TEST_CASE(33, a0, 0xfffffffffffff000, c.lui a0, 0xfffff)
    TEST_CASE(34, t6, 0x10000, c.lui t6, 0x10)
    TEST_CASE(35, ra, 0xffffffffffff0000, c.lui ra, 0xffff0)
    TEST_CASE(36, s11, 0x1efff, c.lui s11, 0x1f; c.addi s11, -1)
    TEST_CASE(37, a5, 0xfffffffffffe1005, c.lui a5, 0xfffe1; c.addi a5, 5)

    // C.ADDI16SP: addi sp, sp, nzimm (multiple of 16, -512..496)
    TEST_BEGIN(40)
    mv s11, sp
    c.addi16sp sp, -512
    sub a0, s11, sp
    CHECK(a0, 512)
    c.addi16sp sp, 496
    sub a0, s11, sp
    CHECK(a0, 16)
    c.addi16sp sp, 16
    bne sp, s11, fail
    c.addi16sp sp, -32
    c.addi16sp sp, 32
    bne sp, s11, fail

    // C.ADDI4SPN: addi rd', sp, nzuimm (multiple of 4, 4..1020, zero-extended)
    TEST_BEGIN(41)
    c.addi4spn s0, sp, 4
    sub s0, s0, sp
    CHECK(s0, 4)
    c.addi4spn a5, sp, 1020
    sub a5, a5, sp
    CHECK(a5, 1020)
    c.addi4spn a0, sp, 512
    sub a0, a0, sp
    CHECK(a0, 512)
    c.addi4spn s1, sp, 8
    addi s1, s1, -8
    bne s1, sp, fail
    TEST_BEGIN(42)              // with a chosen sp value
    mv s11, sp
    li sp, 0x7ffffffffffffffc
    c.addi4spn a1, sp, 16
    mv sp, s11
    CHECK(a1, 0x800000000000000c)

    // C.SRLI / C.SRAI: shamt 1..63 (shamt[5] is encoded)
    TEST_CASE(50, s0, 1, li s0, 0x8000000000000000; c.srli s0, 63)
    TEST_CASE(51, s1, 0x7fffffffffffffff, li s1, -1; c.srli s1, 1)
    TEST_CASE(52, a0, 0xffffffff, li a0, 0xffffffff00000000; c.srli a0, 32)
    TEST_CASE(53, a5, 0x00123456789abcde, li a5, 0x123456789abcdef0; c.srli a5, 8)
    TEST_CASE(54, a1, 0, li a1, 0x7fffffffffffffff; c.srli a1, 63)
    TEST_CASE(55, s0, -1, li s0, 0x8000000000000000; c.srai s0, 63)
    TEST_CASE(56, s1, 0xffffffff80000000, li s1, 0x8000000000000000; c.srai s1, 32)
    TEST_CASE(57, a0, 0xc000000000000000, li a0, 0x8000000000000000; c.srai a0, 1)
    TEST_CASE(58, a2, 0x3fffffff, li a2, 0x7fffffffffffffff; c.srai a2, 33)
    TEST_CASE(59, a3, 0xffffffffffffffff, li a3, 0x80000000ffffffff; c.srai a3, 63)
    TEST_CASE(60, a4, 0xfff0123456789abc, li a4, 0xf0123456789abcde; c.srai a4, 8)

    // C.ANDI: andi rd', rd', imm (sign-extended 6 bits)
    TEST_CASE(61, s0, 0xff00ff00ff00ff00, li s0, 0xff00ff00ff00ff0f; c.andi s0, -16)
    TEST_CASE(62, s1, 0x0f, li s1, 0xff00ff00ff00ff0f; c.andi s1, 31)
    TEST_CASE(63, a0, 0xffffffffffffffe0, li a0, -1; c.andi a0, -32)
    TEST_CASE(64, a5, 0, li a5, -1; c.andi a5, 0)
    TEST_CASE(65, a3, 0x8000000000000001, li a3, 0x8000000000000001; c.andi a3, -1)

    // C.SUB / C.XOR / C.OR / C.AND: rd' = rd' op rs2'
    TEST_CASE(70, s0, 0xfffffffffffffffe, li s0, 3; li s1, 5; c.sub s0, s1)
    TEST_CASE(71, a0, 0x7fffffffffffffff, li a0, 0x8000000000000000; li a5, 1; c.sub a0, a5)
    TEST_CASE(72, a5, 0, li a5, 0x123456789; c.sub a5, a5)
    TEST_CASE(73, a1, 0x100000000, li a1, 0x100000001; li a2, 1; c.sub a1, a2)
    TEST_CASE(74, s1, 0x0ff00ff00ff00ff0, li s1, 0xff00ff00ff00ff00; li a3, 0xf0f0f0f0f0f0f0f0; c.xor s1, a3)
    TEST_CASE(75, a2, 0, li a2, -1; c.xor a2, a2)
    TEST_CASE(76, a4, 0xfff0fff0fff0fff0, li a4, 0xff00ff00ff00ff00; li s0, 0xf0f0f0f0f0f0f0f0; c.or a4, s0)
    TEST_CASE(77, a3, 0x8000000000000001, li a3, 1; li a0, 0x8000000000000000; c.or a3, a0)
    TEST_CASE(78, a0, 0xf000f000f000f000, li a0, 0xff00ff00ff00ff00; li a4, 0xf0f0f0f0f0f0f0f0; c.and a0, a4)
    TEST_CASE(79, s0, 0x5555, li s0, 0x5555; c.and s0, s0)

    // C.SUBW / C.ADDW: 32-bit, result sign-extended, upper source bits ignored
    TEST_CASE(80, s0, 0x7fffffff, li s0, 0x80000000; li s1, 1; c.subw s0, s1)
    TEST_CASE(81, a0, 0xffffffff80000000, li a0, 0; li a1, 0x80000000; c.subw a0, a1)
    TEST_CASE(82, a5, 0x1, li a5, 0x1234567800000003; li a2, 0xabcdef0000000002; c.subw a5, a2)
    TEST_CASE(83, a3, 0, li a3, 0xffffffffffffffff; c.subw a3, a3)
    TEST_CASE(84, s1, 0xffffffff80000000, li s1, 0x7fffffff; li a4, 1; c.addw s1, a4)
    TEST_CASE(85, a2, 0, li a2, 0xffffffff; li a3, 1; c.addw a2, a3)
    TEST_CASE(86, a4, 0x30, li a4, 0x1234567800000010; li s0, 0xdeadbeef00000020; c.addw a4, s0)
    TEST_CASE(87, a1, 0xfffffffffffffffe, li a1, 0x7fffffffffffffff; c.addw a1, a1)

    // C.SLLI: slli rd, rd, shamt (1..63), any rd
    TEST_CASE(90, a0, 0x8000000000000000, li a0, 1; c.slli a0, 63)
    TEST_CASE(91, a0, 0x100000000, li a0, 1; c.slli a0, 32)
    TEST_CASE(92, t6, 0xfffffffffffffffe, li t6, -1; c.slli t6, 1)
    TEST_CASE(93, ra, 0x3456789abcdef000, li ra, 0x123456789abcdef; c.slli ra, 12)
    TEST_CASE(94, s11, 0, li s11, 0x80000000; c.slli s11, 33)

    // C.MV: add rd, x0, rs2
    TEST_CASE(100, a0, 0x123456789abcdef0, li t6, 0x123456789abcdef0; li a0, 0; c.mv a0, t6)
    TEST_CASE(101, ra, -1, li s11, -1; c.mv ra, s11)
    TEST_CASE(102, t6, 0x8000000000000000, li tp, 0x8000000000000000; c.mv t6, tp)
    TEST_BEGIN(103)             // source unchanged
    li a1, 77
    c.mv a2, a1
    CHECK(a1, 77)
    CHECK(a2, 77)

    // C.ADD: add rd, rd, rs2
    TEST_CASE(110, a0, 0x100000000, li a0, 0xffffffff; li a1, 1; c.add a0, a1)
    TEST_CASE(111, a0, 0, li a0, -1; li t6, 1; c.add a0, t6)
    TEST_CASE(112, t6, 0xfffffffffffffffe, li t6, 0x7fffffffffffffff; c.add t6, t6)
    TEST_CASE(113, ra, 0x8000000000000000, li ra, 0x7fffffffffffffff; li s11, 1; c.add ra, s11)
    TEST_CASE(114, s11, 3, li s11, 1; li tp, 2; c.add s11, tp)

    // C.NOP: nothing changes
    TEST_BEGIN(120)
    li a0, 0x1122334455667788
    li t6, -1
    c.nop
    c.nop
    CHECK(a0, 0x1122334455667788)
    CHECK(t6, -1)

    // Every x8-x15 register as rd'/rs2' of a CA-format instruction
    TEST_BEGIN(121)
    c.li s0, 1
    c.li s1, 2
    c.li a0, 3
    c.li a1, 4
    c.li a2, 5
    c.li a3, 6
    c.li a4, 7
    c.li a5, 8
    c.add s0, s1
    c.sub a5, a4                // 1
    c.or a3, a2                 // 7
    c.xor a2, a1                // 1
    c.and a1, a0                // 0
    c.addw a0, s0               // 6
    c.subw s1, a5               // 1
    CHECK(s0, 3)
    CHECK(s1, 1)
    CHECK(a0, 6)
    CHECK(a1, 0)
    CHECK(a2, 1)
    CHECK(a3, 7)
    CHECK(a4, 7)
    CHECK(a5, 1)

RVTEST_CODE_END
