// AMOSWAP/ADD/XOR/AND/OR/MIN/MAX/MINU/MAXU.D
// "AMOs atomically load a data value from the address in rs1, place the
// value into register rd, apply a binary operator to the loaded value and
// the original value in rs2, then store the result back to the address in rs1."

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // AMOSWAP.D
    TEST_AMO_OP(1, amoswap.d, ld, sd, 0, 0, 0, amo_buf)
    TEST_AMO_OP(2, amoswap.d, ld, sd, 1, 2, 2, amo_buf)
    TEST_AMO_OP(3, amoswap.d, ld, sd, -1, 1, 1, amo_buf)
    TEST_AMO_OP(4, amoswap.d, ld, sd, 0x7fffffffffffffff, 1, 1, amo_buf)
    TEST_AMO_OP(5, amoswap.d, ld, sd, 0x8000000000000000, -1, -1, amo_buf)
    TEST_AMO_OP(6, amoswap.d, ld, sd, 0x8000000000000000, 1, 1, amo_buf)
    TEST_AMO_OP(7, amoswap.d, ld, sd, 5, 0x8000000000000000, 0x8000000000000000, amo_buf)
    TEST_AMO_OP(8, amoswap.d, ld, sd, 0xffffffff, 1, 1, amo_buf)
    TEST_AMO_OP(9, amoswap.d, ld, sd, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff0, 0xff00ff00ff00ff0, amo_buf)
    TEST_AMO_OP(10, amoswap.d, ld, sd, 0x123456789abcdef0, 0xfedcba9876543210, 0xfedcba9876543210, amo_buf)

    // AMOADD.D
    TEST_AMO_OP(11, amoadd.d, ld, sd, 0, 0, 0, amo_buf)
    TEST_AMO_OP(12, amoadd.d, ld, sd, 1, 2, 3, amo_buf)
    TEST_AMO_OP(13, amoadd.d, ld, sd, -1, 1, 0, amo_buf)
    TEST_AMO_OP(14, amoadd.d, ld, sd, 0x7fffffffffffffff, 1, 0x8000000000000000, amo_buf)
    TEST_AMO_OP(15, amoadd.d, ld, sd, 0x8000000000000000, -1, 0x7fffffffffffffff, amo_buf)
    TEST_AMO_OP(16, amoadd.d, ld, sd, 0x8000000000000000, 1, 0x8000000000000001, amo_buf)
    TEST_AMO_OP(17, amoadd.d, ld, sd, 5, 0x8000000000000000, 0x8000000000000005, amo_buf)
    TEST_AMO_OP(18, amoadd.d, ld, sd, 0xffffffff, 1, 0x100000000, amo_buf)
    TEST_AMO_OP(19, amoadd.d, ld, sd, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff0, 0xe100e100e100e0, amo_buf)
    TEST_AMO_OP(20, amoadd.d, ld, sd, 0x123456789abcdef0, 0xfedcba9876543210, 0x1111111111111100, amo_buf)

    // AMOXOR.D
    TEST_AMO_OP(21, amoxor.d, ld, sd, 0, 0, 0, amo_buf)
    TEST_AMO_OP(22, amoxor.d, ld, sd, 1, 2, 3, amo_buf)
    TEST_AMO_OP(23, amoxor.d, ld, sd, -1, 1, -2, amo_buf)
    TEST_AMO_OP(24, amoxor.d, ld, sd, 0x7fffffffffffffff, 1, 0x7ffffffffffffffe, amo_buf)
    TEST_AMO_OP(25, amoxor.d, ld, sd, 0x8000000000000000, -1, 0x7fffffffffffffff, amo_buf)
    TEST_AMO_OP(26, amoxor.d, ld, sd, 0x8000000000000000, 1, 0x8000000000000001, amo_buf)
    TEST_AMO_OP(27, amoxor.d, ld, sd, 5, 0x8000000000000000, 0x8000000000000005, amo_buf)
    TEST_AMO_OP(28, amoxor.d, ld, sd, 0xffffffff, 1, 0xfffffffe, amo_buf)
    TEST_AMO_OP(29, amoxor.d, ld, sd, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff0, 0xff00ff00ff00ff00, amo_buf)
    TEST_AMO_OP(30, amoxor.d, ld, sd, 0x123456789abcdef0, 0xfedcba9876543210, 0xece8ece0ece8ece0, amo_buf)

    // AMOAND.D
    TEST_AMO_OP(31, amoand.d, ld, sd, 0, 0, 0, amo_buf)
    TEST_AMO_OP(32, amoand.d, ld, sd, 1, 2, 0, amo_buf)
    TEST_AMO_OP(33, amoand.d, ld, sd, -1, 1, 1, amo_buf)
    TEST_AMO_OP(34, amoand.d, ld, sd, 0x7fffffffffffffff, 1, 1, amo_buf)
    TEST_AMO_OP(35, amoand.d, ld, sd, 0x8000000000000000, -1, 0x8000000000000000, amo_buf)
    TEST_AMO_OP(36, amoand.d, ld, sd, 0x8000000000000000, 1, 0, amo_buf)
    TEST_AMO_OP(37, amoand.d, ld, sd, 5, 0x8000000000000000, 0, amo_buf)
    TEST_AMO_OP(38, amoand.d, ld, sd, 0xffffffff, 1, 1, amo_buf)
    TEST_AMO_OP(39, amoand.d, ld, sd, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff0, 0xf000f000f000f0, amo_buf)
    TEST_AMO_OP(40, amoand.d, ld, sd, 0x123456789abcdef0, 0xfedcba9876543210, 0x1214121812141210, amo_buf)

    // AMOOR.D
    TEST_AMO_OP(41, amoor.d, ld, sd, 0, 0, 0, amo_buf)
    TEST_AMO_OP(42, amoor.d, ld, sd, 1, 2, 3, amo_buf)
    TEST_AMO_OP(43, amoor.d, ld, sd, -1, 1, -1, amo_buf)
    TEST_AMO_OP(44, amoor.d, ld, sd, 0x7fffffffffffffff, 1, 0x7fffffffffffffff, amo_buf)
    TEST_AMO_OP(45, amoor.d, ld, sd, 0x8000000000000000, -1, -1, amo_buf)
    TEST_AMO_OP(46, amoor.d, ld, sd, 0x8000000000000000, 1, 0x8000000000000001, amo_buf)
    TEST_AMO_OP(47, amoor.d, ld, sd, 5, 0x8000000000000000, 0x8000000000000005, amo_buf)
    TEST_AMO_OP(48, amoor.d, ld, sd, 0xffffffff, 1, 0xffffffff, amo_buf)
    TEST_AMO_OP(49, amoor.d, ld, sd, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff0, 0xfff0fff0fff0fff0, amo_buf)
    TEST_AMO_OP(50, amoor.d, ld, sd, 0x123456789abcdef0, 0xfedcba9876543210, 0xfefcfef8fefcfef0, amo_buf)

    // AMOMIN.D
    TEST_AMO_OP(51, amomin.d, ld, sd, 0, 0, 0, amo_buf)
    TEST_AMO_OP(52, amomin.d, ld, sd, 1, 2, 1, amo_buf)
    TEST_AMO_OP(53, amomin.d, ld, sd, -1, 1, -1, amo_buf)
    TEST_AMO_OP(54, amomin.d, ld, sd, 0x7fffffffffffffff, 1, 1, amo_buf)
    TEST_AMO_OP(55, amomin.d, ld, sd, 0x8000000000000000, -1, 0x8000000000000000, amo_buf)
    TEST_AMO_OP(56, amomin.d, ld, sd, 0x8000000000000000, 1, 0x8000000000000000, amo_buf)
    TEST_AMO_OP(57, amomin.d, ld, sd, 5, 0x8000000000000000, 0x8000000000000000, amo_buf)
    TEST_AMO_OP(58, amomin.d, ld, sd, 0xffffffff, 1, 1, amo_buf)
    TEST_AMO_OP(59, amomin.d, ld, sd, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0, amo_buf)
    TEST_AMO_OP(60, amomin.d, ld, sd, 0x123456789abcdef0, 0xfedcba9876543210, 0xfedcba9876543210, amo_buf)

    // AMOMAX.D
    TEST_AMO_OP(61, amomax.d, ld, sd, 0, 0, 0, amo_buf)
    TEST_AMO_OP(62, amomax.d, ld, sd, 1, 2, 2, amo_buf)
    TEST_AMO_OP(63, amomax.d, ld, sd, -1, 1, 1, amo_buf)
    TEST_AMO_OP(64, amomax.d, ld, sd, 0x7fffffffffffffff, 1, 0x7fffffffffffffff, amo_buf)
    TEST_AMO_OP(65, amomax.d, ld, sd, 0x8000000000000000, -1, -1, amo_buf)
    TEST_AMO_OP(66, amomax.d, ld, sd, 0x8000000000000000, 1, 1, amo_buf)
    TEST_AMO_OP(67, amomax.d, ld, sd, 5, 0x8000000000000000, 5, amo_buf)
    TEST_AMO_OP(68, amomax.d, ld, sd, 0xffffffff, 1, 0xffffffff, amo_buf)
    TEST_AMO_OP(69, amomax.d, ld, sd, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff0, 0xff00ff00ff00ff0, amo_buf)
    TEST_AMO_OP(70, amomax.d, ld, sd, 0x123456789abcdef0, 0xfedcba9876543210, 0x123456789abcdef0, amo_buf)

    // AMOMINU.D
    TEST_AMO_OP(71, amominu.d, ld, sd, 0, 0, 0, amo_buf)
    TEST_AMO_OP(72, amominu.d, ld, sd, 1, 2, 1, amo_buf)
    TEST_AMO_OP(73, amominu.d, ld, sd, -1, 1, 1, amo_buf)
    TEST_AMO_OP(74, amominu.d, ld, sd, 0x7fffffffffffffff, 1, 1, amo_buf)
    TEST_AMO_OP(75, amominu.d, ld, sd, 0x8000000000000000, -1, 0x8000000000000000, amo_buf)
    TEST_AMO_OP(76, amominu.d, ld, sd, 0x8000000000000000, 1, 1, amo_buf)
    TEST_AMO_OP(77, amominu.d, ld, sd, 5, 0x8000000000000000, 5, amo_buf)
    TEST_AMO_OP(78, amominu.d, ld, sd, 0xffffffff, 1, 1, amo_buf)
    TEST_AMO_OP(79, amominu.d, ld, sd, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff0, 0xff00ff00ff00ff0, amo_buf)
    TEST_AMO_OP(80, amominu.d, ld, sd, 0x123456789abcdef0, 0xfedcba9876543210, 0x123456789abcdef0, amo_buf)

    // AMOMAXU.D
    TEST_AMO_OP(81, amomaxu.d, ld, sd, 0, 0, 0, amo_buf)
    TEST_AMO_OP(82, amomaxu.d, ld, sd, 1, 2, 2, amo_buf)
    TEST_AMO_OP(83, amomaxu.d, ld, sd, -1, 1, -1, amo_buf)
    TEST_AMO_OP(84, amomaxu.d, ld, sd, 0x7fffffffffffffff, 1, 0x7fffffffffffffff, amo_buf)
    TEST_AMO_OP(85, amomaxu.d, ld, sd, 0x8000000000000000, -1, -1, amo_buf)
    TEST_AMO_OP(86, amomaxu.d, ld, sd, 0x8000000000000000, 1, 0x8000000000000000, amo_buf)
    TEST_AMO_OP(87, amomaxu.d, ld, sd, 5, 0x8000000000000000, 0x8000000000000000, amo_buf)
    TEST_AMO_OP(88, amomaxu.d, ld, sd, 0xffffffff, 1, 0xffffffff, amo_buf)
    TEST_AMO_OP(89, amomaxu.d, ld, sd, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0, amo_buf)
    TEST_AMO_OP(90, amomaxu.d, ld, sd, 0x123456789abcdef0, 0xfedcba9876543210, 0xfedcba9876543210, amo_buf)

    // Ordering bits .aq / .rl / .aqrl do not change the result
    TEST_AMO_OP(91, amoadd.d.aq, ld, sd, 0x7fffffffffffff00, 511, 0x80000000000000ff, amo_buf)
    TEST_AMO_OP(92, amoswap.d.rl, ld, sd, 0x7fffffffffffff00, 511, 511, amo_buf)
    TEST_AMO_OP(93, amoor.d.aqrl, ld, sd, 0x7fffffffffffff00, 511, 0x7fffffffffffffff, amo_buf)
    TEST_AMO_OP(94, amomaxu.d.aq, ld, sd, 0x7fffffffffffff00, 511, 0x7fffffffffffff00, amo_buf)
    TEST_AMO_OP(95, amomin.d.rl, ld, sd, 0x7fffffffffffff00, 511, 511, amo_buf)
    TEST_AMO_OP(96, amoxor.d.aqrl, ld, sd, 0x7fffffffffffff00, 511, 0x7ffffffffffffeff, amo_buf)

    // rd = x0: memory still updated
    TEST_BEGIN(97)
    la a1, amo_buf; li a2, 40; sd a2, 0(a1); li a3, 2
    amoadd.d x0, a3, (a1)
    CHECK(x0, 0)
    ld a4, 0(a1); CHECK(a4, 42)
    TEST_BEGIN(98)
    la a1, amo_buf; li a2, 40; sd a2, 0(a1); li a3, 2
    amoswap.d x0, a3, (a1)
    CHECK(x0, 0)
    ld a4, 0(a1); CHECK(a4, 2)

    // rd = rs2: rs2 is read before rd is written
    TEST_BEGIN(99)
    la a1, amo_buf; li a2, 100; sd a2, 0(a1); li a3, 23
    amoadd.d a3, a3, (a1)
    CHECK(a3, 100)
    ld a4, 0(a1); CHECK(a4, 123)
    TEST_BEGIN(100)
    la a1, amo_buf; li a2, -7; sd a2, 0(a1); li a3, 9
    amoswap.d a3, a3, (a1)
    CHECK(a3, -7)
    ld a4, 0(a1); CHECK(a4, 9)

    // rd = rs1: the address is used before rd is written
    TEST_BEGIN(101)
    la a1, amo_buf; li a2, 0x11; sd a2, 0(a1); li a3, 0x22
    amoor.d a1, a3, (a1)
    CHECK(a1, 0x11)
    la a1, amo_buf; ld a4, 0(a1); CHECK(a4, 0x33)

    // Other registers
    TEST_BEGIN(102)
    la s11, amo_buf; li t6, 1000; sd t6, 0(s11); li tp, -1
    amoadd.d ra, tp, (s11)
    CHECK(ra, 1000)
    ld t6, 0(s11); CHECK(t6, 999)

    // Repeated AMOs accumulate (atomic counter)
    TEST_BEGIN(103)
    la a1, amo_buf; sd x0, 0(a1); li a3, 3; li a5, 10
    1: amoadd.d a4, a3, (a1); addi a5, a5, -1; bnez a5, 1b
    CHECK(a4, 27)
    ld a4, 0(a1); CHECK(a4, 30)

    // Only the addressed doubleword is modified (sentinels around it)
    TEST_BEGIN(104)
    la a1, amo_buf; li a2, 0x5a5a5a5aa5a5a5a5; sd a2, 0(a1); sd a2, 16(a1); sd x0, 8(a1)
    addi a1, a1, 8; li a3, -1; amoxor.d a4, a3, (a1)
    CHECK(a4, 0)
    la a1, amo_buf; ld a4, 0(a1); CHECK(a4, 0x5a5a5a5aa5a5a5a5)
    ld a4, 8(a1); CHECK(a4, -1)
    ld a4, 16(a1); CHECK(a4, 0x5a5a5a5aa5a5a5a5)

RVTEST_CODE_END

RVTEST_DATA_BEGIN
    .balign 16
amo_buf: .skip 32
RVTEST_DATA_END
