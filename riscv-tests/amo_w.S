// AMOSWAP/ADD/XOR/AND/OR/MIN/MAX/MINU/MAXU.W
// "AMOs atomically load a data value from the address in rs1, place the
// value into register rd, apply a binary operator to the loaded value and
// the original value in rs2, then store the result back to the address in rs1."
// "For RV64, 32-bit AMOs always sign-extend the value placed in rd, and
// ignore the upper 32 bits of the original value of rs2."

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // AMOSWAP.W
    TEST_AMO_OP(1, amoswap.w, lw, sw, 0, 0, 0, amo_buf)
    TEST_AMO_OP(2, amoswap.w, lw, sw, 1, 2, 2, amo_buf)
    TEST_AMO_OP(3, amoswap.w, lw, sw, -1, 1, 1, amo_buf)
    TEST_AMO_OP(4, amoswap.w, lw, sw, 0x7fffffff, 1, 1, amo_buf)
    TEST_AMO_OP(5, amoswap.w, lw, sw, 0xffffffff80000000, 0xffffffff, -1, amo_buf)
    TEST_AMO_OP(6, amoswap.w, lw, sw, 0xffffffff80000000, 1, 1, amo_buf)
    TEST_AMO_OP(7, amoswap.w, lw, sw, 5, 0x80000000, 0xffffffff80000000, amo_buf)
    TEST_AMO_OP(8, amoswap.w, lw, sw, 0x12345678, 0xdeadbeef00000003, 3, amo_buf)
    TEST_AMO_OP(9, amoswap.w, lw, sw, 0xfffffffff0f0f0f0, 0xffffffff0ff00ff0, 0xff00ff0, amo_buf)
    TEST_AMO_OP(10, amoswap.w, lw, sw, 0x7fffffff, 0x80000000, 0xffffffff80000000, amo_buf)

    // AMOADD.W
    TEST_AMO_OP(11, amoadd.w, lw, sw, 0, 0, 0, amo_buf)
    TEST_AMO_OP(12, amoadd.w, lw, sw, 1, 2, 3, amo_buf)
    TEST_AMO_OP(13, amoadd.w, lw, sw, -1, 1, 0, amo_buf)
    TEST_AMO_OP(14, amoadd.w, lw, sw, 0x7fffffff, 1, 0xffffffff80000000, amo_buf)
    TEST_AMO_OP(15, amoadd.w, lw, sw, 0xffffffff80000000, 0xffffffff, 0x7fffffff, amo_buf)
    TEST_AMO_OP(16, amoadd.w, lw, sw, 0xffffffff80000000, 1, 0xffffffff80000001, amo_buf)
    TEST_AMO_OP(17, amoadd.w, lw, sw, 5, 0x80000000, 0xffffffff80000005, amo_buf)
    TEST_AMO_OP(18, amoadd.w, lw, sw, 0x12345678, 0xdeadbeef00000003, 0x1234567b, amo_buf)
    TEST_AMO_OP(19, amoadd.w, lw, sw, 0xfffffffff0f0f0f0, 0xffffffff0ff00ff0, 0xe100e0, amo_buf)
    TEST_AMO_OP(20, amoadd.w, lw, sw, 0x7fffffff, 0x80000000, -1, amo_buf)

    // AMOXOR.W
    TEST_AMO_OP(21, amoxor.w, lw, sw, 0, 0, 0, amo_buf)
    TEST_AMO_OP(22, amoxor.w, lw, sw, 1, 2, 3, amo_buf)
    TEST_AMO_OP(23, amoxor.w, lw, sw, -1, 1, -2, amo_buf)
    TEST_AMO_OP(24, amoxor.w, lw, sw, 0x7fffffff, 1, 0x7ffffffe, amo_buf)
    TEST_AMO_OP(25, amoxor.w, lw, sw, 0xffffffff80000000, 0xffffffff, 0x7fffffff, amo_buf)
    TEST_AMO_OP(26, amoxor.w, lw, sw, 0xffffffff80000000, 1, 0xffffffff80000001, amo_buf)
    TEST_AMO_OP(27, amoxor.w, lw, sw, 5, 0x80000000, 0xffffffff80000005, amo_buf)
    TEST_AMO_OP(28, amoxor.w, lw, sw, 0x12345678, 0xdeadbeef00000003, 0x1234567b, amo_buf)
    TEST_AMO_OP(29, amoxor.w, lw, sw, 0xfffffffff0f0f0f0, 0xffffffff0ff00ff0, 0xffffffffff00ff00, amo_buf)
    TEST_AMO_OP(30, amoxor.w, lw, sw, 0x7fffffff, 0x80000000, -1, amo_buf)

    // AMOAND.W
    TEST_AMO_OP(31, amoand.w, lw, sw, 0, 0, 0, amo_buf)
    TEST_AMO_OP(32, amoand.w, lw, sw, 1, 2, 0, amo_buf)
    TEST_AMO_OP(33, amoand.w, lw, sw, -1, 1, 1, amo_buf)
    TEST_AMO_OP(34, amoand.w, lw, sw, 0x7fffffff, 1, 1, amo_buf)
    TEST_AMO_OP(35, amoand.w, lw, sw, 0xffffffff80000000, 0xffffffff, 0xffffffff80000000, amo_buf)
    TEST_AMO_OP(36, amoand.w, lw, sw, 0xffffffff80000000, 1, 0, amo_buf)
    TEST_AMO_OP(37, amoand.w, lw, sw, 5, 0x80000000, 0, amo_buf)
    TEST_AMO_OP(38, amoand.w, lw, sw, 0x12345678, 0xdeadbeef00000003, 0, amo_buf)
    TEST_AMO_OP(39, amoand.w, lw, sw, 0xfffffffff0f0f0f0, 0xffffffff0ff00ff0, 0xf000f0, amo_buf)
    TEST_AMO_OP(40, amoand.w, lw, sw, 0x7fffffff, 0x80000000, 0, amo_buf)

    // AMOOR.W
    TEST_AMO_OP(41, amoor.w, lw, sw, 0, 0, 0, amo_buf)
    TEST_AMO_OP(42, amoor.w, lw, sw, 1, 2, 3, amo_buf)
    TEST_AMO_OP(43, amoor.w, lw, sw, -1, 1, -1, amo_buf)
    TEST_AMO_OP(44, amoor.w, lw, sw, 0x7fffffff, 1, 0x7fffffff, amo_buf)
    TEST_AMO_OP(45, amoor.w, lw, sw, 0xffffffff80000000, 0xffffffff, -1, amo_buf)
    TEST_AMO_OP(46, amoor.w, lw, sw, 0xffffffff80000000, 1, 0xffffffff80000001, amo_buf)
    TEST_AMO_OP(47, amoor.w, lw, sw, 5, 0x80000000, 0xffffffff80000005, amo_buf)
    TEST_AMO_OP(48, amoor.w, lw, sw, 0x12345678, 0xdeadbeef00000003, 0x1234567b, amo_buf)
    TEST_AMO_OP(49, amoor.w, lw, sw, 0xfffffffff0f0f0f0, 0xffffffff0ff00ff0, 0xfffffffffff0fff0, amo_buf)
    TEST_AMO_OP(50, amoor.w, lw, sw, 0x7fffffff, 0x80000000, -1, amo_buf)

    // AMOMIN.W
    TEST_AMO_OP(51, amomin.w, lw, sw, 0, 0, 0, amo_buf)
    TEST_AMO_OP(52, amomin.w, lw, sw, 1, 2, 1, amo_buf)
    TEST_AMO_OP(53, amomin.w, lw, sw, -1, 1, -1, amo_buf)
    TEST_AMO_OP(54, amomin.w, lw, sw, 0x7fffffff, 1, 1, amo_buf)
    TEST_AMO_OP(55, amomin.w, lw, sw, 0xffffffff80000000, 0xffffffff, 0xffffffff80000000, amo_buf)
    TEST_AMO_OP(56, amomin.w, lw, sw, 0xffffffff80000000, 1, 0xffffffff80000000, amo_buf)
    TEST_AMO_OP(57, amomin.w, lw, sw, 5, 0x80000000, 0xffffffff80000000, amo_buf)
    TEST_AMO_OP(58, amomin.w, lw, sw, 0x12345678, 0xdeadbeef00000003, 3, amo_buf)
    TEST_AMO_OP(59, amomin.w, lw, sw, 0xfffffffff0f0f0f0, 0xffffffff0ff00ff0, 0xfffffffff0f0f0f0, amo_buf)
    TEST_AMO_OP(60, amomin.w, lw, sw, 0x7fffffff, 0x80000000, 0xffffffff80000000, amo_buf)

    // AMOMAX.W
    TEST_AMO_OP(61, amomax.w, lw, sw, 0, 0, 0, amo_buf)
    TEST_AMO_OP(62, amomax.w, lw, sw, 1, 2, 2, amo_buf)
    TEST_AMO_OP(63, amomax.w, lw, sw, -1, 1, 1, amo_buf)
    TEST_AMO_OP(64, amomax.w, lw, sw, 0x7fffffff, 1, 0x7fffffff, amo_buf)
    TEST_AMO_OP(65, amomax.w, lw, sw, 0xffffffff80000000, 0xffffffff, -1, amo_buf)
    TEST_AMO_OP(66, amomax.w, lw, sw, 0xffffffff80000000, 1, 1, amo_buf)
    TEST_AMO_OP(67, amomax.w, lw, sw, 5, 0x80000000, 5, amo_buf)
    TEST_AMO_OP(68, amomax.w, lw, sw, 0x12345678, 0xdeadbeef00000003, 0x12345678, amo_buf)
    TEST_AMO_OP(69, amomax.w, lw, sw, 0xfffffffff0f0f0f0, 0xffffffff0ff00ff0, 0xff00ff0, amo_buf)
    TEST_AMO_OP(70, amomax.w, lw, sw, 0x7fffffff, 0x80000000, 0x7fffffff, amo_buf)

    // AMOMINU.W
    TEST_AMO_OP(71, amominu.w, lw, sw, 0, 0, 0, amo_buf)
    TEST_AMO_OP(72, amominu.w, lw, sw, 1, 2, 1, amo_buf)
    TEST_AMO_OP(73, amominu.w, lw, sw, -1, 1, 1, amo_buf)
    TEST_AMO_OP(74, amominu.w, lw, sw, 0x7fffffff, 1, 1, amo_buf)
    TEST_AMO_OP(75, amominu.w, lw, sw, 0xffffffff80000000, 0xffffffff, 0xffffffff80000000, amo_buf)
    TEST_AMO_OP(76, amominu.w, lw, sw, 0xffffffff80000000, 1, 1, amo_buf)
    TEST_AMO_OP(77, amominu.w, lw, sw, 5, 0x80000000, 5, amo_buf)
    TEST_AMO_OP(78, amominu.w, lw, sw, 0x12345678, 0xdeadbeef00000003, 3, amo_buf)
    TEST_AMO_OP(79, amominu.w, lw, sw, 0xfffffffff0f0f0f0, 0xffffffff0ff00ff0, 0xff00ff0, amo_buf)
    TEST_AMO_OP(80, amominu.w, lw, sw, 0x7fffffff, 0x80000000, 0x7fffffff, amo_buf)

    // AMOMAXU.W
    TEST_AMO_OP(81, amomaxu.w, lw, sw, 0, 0, 0, amo_buf)
    TEST_AMO_OP(82, amomaxu.w, lw, sw, 1, 2, 2, amo_buf)
    TEST_AMO_OP(83, amomaxu.w, lw, sw, -1, 1, -1, amo_buf)
    TEST_AMO_OP(84, amomaxu.w, lw, sw, 0x7fffffff, 1, 0x7fffffff, amo_buf)
    TEST_AMO_OP(85, amomaxu.w, lw, sw, 0xffffffff80000000, 0xffffffff, -1, amo_buf)
    TEST_AMO_OP(86, amomaxu.w, lw, sw, 0xffffffff80000000, 1, 0xffffffff80000000, amo_buf)
    TEST_AMO_OP(87, amomaxu.w, lw, sw, 5, 0x80000000, 0xffffffff80000000, amo_buf)
    TEST_AMO_OP(88, amomaxu.w, lw, sw, 0x12345678, 0xdeadbeef00000003, 0x12345678, amo_buf)
    TEST_AMO_OP(89, amomaxu.w, lw, sw, 0xfffffffff0f0f0f0, 0xffffffff0ff00ff0, 0xfffffffff0f0f0f0, amo_buf)
    TEST_AMO_OP(90, amomaxu.w, lw, sw, 0x7fffffff, 0x80000000, 0xffffffff80000000, amo_buf)

    // Ordering bits .aq / .rl / .aqrl do not change the result
    TEST_AMO_OP(91, amoadd.w.aq, lw, sw, 0x7fffff00, 511, 0xffffffff800000ff, amo_buf)
    TEST_AMO_OP(92, amoswap.w.rl, lw, sw, 0x7fffff00, 511, 511, amo_buf)
    TEST_AMO_OP(93, amoor.w.aqrl, lw, sw, 0x7fffff00, 511, 0x7fffffff, amo_buf)
    TEST_AMO_OP(94, amomaxu.w.aq, lw, sw, 0x7fffff00, 511, 0x7fffff00, amo_buf)
    TEST_AMO_OP(95, amomin.w.rl, lw, sw, 0x7fffff00, 511, 511, amo_buf)
    TEST_AMO_OP(96, amoxor.w.aqrl, lw, sw, 0x7fffff00, 511, 0x7ffffeff, amo_buf)

    // rd = x0: memory still updated
    TEST_BEGIN(97)
    la a1, amo_buf; li a2, 40; sw a2, 0(a1); li a3, 2
    amoadd.w x0, a3, (a1)
    CHECK(x0, 0)
    lw a4, 0(a1); CHECK(a4, 42)
    TEST_BEGIN(98)
    la a1, amo_buf; li a2, 40; sw a2, 0(a1); li a3, 2
    amoswap.w x0, a3, (a1)
    CHECK(x0, 0)
    lw a4, 0(a1); CHECK(a4, 2)

    // rd = rs2: rs2 is read before rd is written
    TEST_BEGIN(99)
    la a1, amo_buf; li a2, 100; sw a2, 0(a1); li a3, 23
    amoadd.w a3, a3, (a1)
    CHECK(a3, 100)
    lw a4, 0(a1); CHECK(a4, 123)
    TEST_BEGIN(100)
    la a1, amo_buf; li a2, -7; sw a2, 0(a1); li a3, 9
    amoswap.w a3, a3, (a1)
    CHECK(a3, -7)
    lw a4, 0(a1); CHECK(a4, 9)

    // rd = rs1: the address is used before rd is written
    TEST_BEGIN(101)
    la a1, amo_buf; li a2, 0x11; sw a2, 0(a1); li a3, 0x22
    amoor.w a1, a3, (a1)
    CHECK(a1, 0x11)
    la a1, amo_buf; lw a4, 0(a1); CHECK(a4, 0x33)

    // Other registers
    TEST_BEGIN(102)
    la s11, amo_buf; li t6, 1000; sw t6, 0(s11); li tp, -1
    amoadd.w ra, tp, (s11)
    CHECK(ra, 1000)
    lw t6, 0(s11); CHECK(t6, 999)

    // Repeated AMOs accumulate (atomic counter)
    TEST_BEGIN(103)
    la a1, amo_buf; sw x0, 0(a1); li a3, 3; li a5, 10
    1: amoadd.w a4, a3, (a1); addi a5, a5, -1; bnez a5, 1b
    CHECK(a4, 27)
    lw a4, 0(a1); CHECK(a4, 30)

    // Only the addressed word is modified (sentinels around it);
    // amo_buf + 4 is 4-byte aligned but not 8-byte aligned
    TEST_BEGIN(104)
    la a1, amo_buf; li a2, 0x5a5a5a5aa5a5a5a5; sd a2, 0(a1); sd a2, 8(a1)
    li a2, 0x11111111; sw a2, 0(a1); addi a1, a1, 0
    li a3, -1; amoswap.w a4, a3, (a1)
    CHECK(a4, 0x11111111)
    la a1, amo_buf; ld a4, 0(a1); CHECK(a4, 0x5a5a5a5affffffff)
    ld a4, 8(a1); CHECK(a4, 0x5a5a5a5aa5a5a5a5)
    TEST_BEGIN(105)
    la a1, amo_buf; li a2, 0x5a5a5a5aa5a5a5a5; sd a2, 0(a1); sd a2, 8(a1)
    li a2, 0x11111111; sw a2, 4(a1); addi a1, a1, 4
    li a3, -1; amoswap.w a4, a3, (a1)
    CHECK(a4, 0x11111111)
    la a1, amo_buf; ld a4, 0(a1); CHECK(a4, 0xffffffffa5a5a5a5)
    ld a4, 8(a1); CHECK(a4, 0x5a5a5a5aa5a5a5a5)
    TEST_BEGIN(106)
    la a1, amo_buf; li a2, 0x5a5a5a5aa5a5a5a5; sd a2, 0(a1); sd a2, 8(a1)
    li a2, 0x11111111; sw a2, 4(a1); addi a1, a1, 4
    li a3, 0x80000001; amoadd.w a4, a3, (a1)
    CHECK(a4, 0x11111111)
    la a1, amo_buf; ld a4, 0(a1); CHECK(a4, 0x91111112a5a5a5a5)
    ld a4, 8(a1); CHECK(a4, 0x5a5a5a5aa5a5a5a5)
    TEST_BEGIN(107)
    la a1, amo_buf; li a2, 0x5a5a5a5aa5a5a5a5; sd a2, 0(a1); sd a2, 8(a1)
    li a2, 0x11111111; sw a2, 0(a1); addi a1, a1, 0
    li a3, -1; amoor.w a4, a3, (a1)
    CHECK(a4, 0x11111111)
    la a1, amo_buf; ld a4, 0(a1); CHECK(a4, 0x5a5a5a5affffffff)
    ld a4, 8(a1); CHECK(a4, 0x5a5a5a5aa5a5a5a5)
    TEST_BEGIN(108)
    la a1, amo_buf; li a2, 0x5a5a5a5aa5a5a5a5; sd a2, 0(a1); sd a2, 8(a1)
    li a2, 0x11111111; sw a2, 4(a1); addi a1, a1, 4
    li a3, -1; amomaxu.w a4, a3, (a1)
    CHECK(a4, 0x11111111)
    la a1, amo_buf; ld a4, 0(a1); CHECK(a4, 0xffffffffa5a5a5a5)
    ld a4, 8(a1); CHECK(a4, 0x5a5a5a5aa5a5a5a5)
    TEST_BEGIN(109)
    la a1, amo_buf; li a2, 0x5a5a5a5aa5a5a5a5; sd a2, 0(a1); sd a2, 8(a1)
    li a2, 0x11111111; sw a2, 0(a1); addi a1, a1, 0
    li a3, 0x80000000; amomin.w a4, a3, (a1)
    CHECK(a4, 0x11111111)
    la a1, amo_buf; ld a4, 0(a1); CHECK(a4, 0x5a5a5a5a80000000)
    ld a4, 8(a1); CHECK(a4, 0x5a5a5a5aa5a5a5a5)

RVTEST_CODE_END

RVTEST_DATA_BEGIN
    .balign 16
amo_buf: .skip 32
RVTEST_DATA_END
