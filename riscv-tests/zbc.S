// Zbc: CLMUL, CLMULH, CLMULR (carry-less multiplication, RV64)
// "clmul produces the lower half of the 2*XLEN carry-less product",
// "clmulh produces the upper half", "clmulr produces bits 2*XLEN-2:XLEN-1".
// Note clmulr(a, b) = clmulh(a, b) << 1 | clmul(a, b) >> 63.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // CLMUL: bits 63..0 of the 128-bit carry-less product
    TEST_RR_OP(1, clmul, 0, 0, 0)
    TEST_RR_OP(2, clmul, 1, 1, 1)
    TEST_RR_OP(3, clmul, 5, 3, 3)
    TEST_RR_OP(4, clmul, -1, -1, 1)
    TEST_RR_OP(5, clmul, -1, 1, -1)
    TEST_RR_OP(6, clmul, 0x5555555555555555, -1, -1)
    TEST_RR_OP(7, clmul, 0, 2, 0x8000000000000000)
    TEST_RR_OP(8, clmul, 0, 0x8000000000000000, 0x8000000000000000)
    TEST_RR_OP(9, clmul, 0x8000000000000000, 0x8000000000000000, 1)
    TEST_RR_OP(10, clmul, 0, 0x100000000, 0x100000000)
    TEST_RR_OP(11, clmul, 0xa0789828c810f00, 0x123456789abcdef0, 0xfedcba9876543210)
    TEST_RR_OP(12, clmul, 0xa0789828c810f00, 0xfedcba9876543210, 0x123456789abcdef0)
    TEST_RR_OP(13, clmul, 0x7d, 0x87, -1)
    TEST_RR_OP(14, clmul, 0x1111111111111111, 0x5555555555555555, 0x5555555555555555)
    TEST_RR_OP(15, clmul, -2, 0xaaaaaaaaaaaaaaaa, 3)
    TEST_RR_OP(16, clmul, 0x14534ee2cafef00d, 0xdeadbeefcafef00d, 0x100000001)
    TEST_RR_SRC1_EQ_DEST(17, clmul, 0x1833dffa163dd1f0, 0x123456789abcdef0, 0xfedcba9876543211)
    TEST_RR_SRC2_EQ_DEST(18, clmul, 0x1833dffa163dd1f0, 0x123456789abcdef0, 0xfedcba9876543211)
    TEST_RR_SRC12_EQ_DEST(19, clmul, 0x4144455051545500, 0x123456789abcdef0)
    TEST_RR_ZEROSRC1(20, clmul, 0, 0xfedcba9876543211)
    TEST_RR_ZEROSRC2(21, clmul, 0, 0x123456789abcdef0)
    TEST_RR_ZERODEST(22, clmul, 0x123456789abcdef0, 0xfedcba9876543211)
    TEST_RR_REGS(23, clmul, 0x1833dffa163dd1f0, 0x123456789abcdef0, 0xfedcba9876543211, t6, s11, t5)

    // CLMULH: bits 127..64
    TEST_RR_OP(24, clmulh, 0, 0, 0)
    TEST_RR_OP(25, clmulh, 0, 1, 1)
    TEST_RR_OP(26, clmulh, 0, 3, 3)
    TEST_RR_OP(27, clmulh, 0, -1, 1)
    TEST_RR_OP(28, clmulh, 0, 1, -1)
    TEST_RR_OP(29, clmulh, 0x5555555555555555, -1, -1)
    TEST_RR_OP(30, clmulh, 1, 2, 0x8000000000000000)
    TEST_RR_OP(31, clmulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
    TEST_RR_OP(32, clmulh, 0, 0x8000000000000000, 1)
    TEST_RR_OP(33, clmulh, 1, 0x100000000, 0x100000000)
    TEST_RR_OP(34, clmulh, 0xe038d8688850b04, 0x123456789abcdef0, 0xfedcba9876543210)
    TEST_RR_OP(35, clmulh, 0xe038d8688850b04, 0xfedcba9876543210, 0x123456789abcdef0)
    TEST_RR_OP(36, clmulh, 0x7d, 0x87, -1)
    TEST_RR_OP(37, clmulh, 0x1111111111111111, 0x5555555555555555, 0x5555555555555555)
    TEST_RR_OP(38, clmulh, 1, 0xaaaaaaaaaaaaaaaa, 3)
    TEST_RR_OP(39, clmulh, 0xdeadbeef, 0xdeadbeefcafef00d, 0x100000001)
    TEST_RR_SRC1_EQ_DEST(40, clmulh, 0xe038d8688850b04, 0x123456789abcdef0, 0xfedcba9876543211)
    TEST_RR_SRC2_EQ_DEST(41, clmulh, 0xe038d8688850b04, 0x123456789abcdef0, 0xfedcba9876543211)
    TEST_RR_SRC12_EQ_DEST(42, clmulh, 0x104051011141540, 0x123456789abcdef0)
    TEST_RR_ZEROSRC1(43, clmulh, 0, 0xfedcba9876543211)
    TEST_RR_ZEROSRC2(44, clmulh, 0, 0x123456789abcdef0)
    TEST_RR_ZERODEST(45, clmulh, 0x123456789abcdef0, 0xfedcba9876543211)
    TEST_RR_REGS(46, clmulh, 0xe038d8688850b04, 0x123456789abcdef0, 0xfedcba9876543211, t6, s11, t5)

    // CLMULR: bits 126..63
    TEST_RR_OP(47, clmulr, 0, 0, 0)
    TEST_RR_OP(48, clmulr, 0, 1, 1)
    TEST_RR_OP(49, clmulr, 0, 3, 3)
    TEST_RR_OP(50, clmulr, 1, -1, 1)
    TEST_RR_OP(51, clmulr, 1, 1, -1)
    TEST_RR_OP(52, clmulr, 0xaaaaaaaaaaaaaaaa, -1, -1)
    TEST_RR_OP(53, clmulr, 2, 2, 0x8000000000000000)
    TEST_RR_OP(54, clmulr, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000)
    TEST_RR_OP(55, clmulr, 1, 0x8000000000000000, 1)
    TEST_RR_OP(56, clmulr, 2, 0x100000000, 0x100000000)
    TEST_RR_OP(57, clmulr, 0x1c071b0d110a1608, 0x123456789abcdef0, 0xfedcba9876543210)
    TEST_RR_OP(58, clmulr, 0x1c071b0d110a1608, 0xfedcba9876543210, 0x123456789abcdef0)
    TEST_RR_OP(59, clmulr, 0xfa, 0x87, -1)
    TEST_RR_OP(60, clmulr, 0x2222222222222222, 0x5555555555555555, 0x5555555555555555)
    TEST_RR_OP(61, clmulr, 3, 0xaaaaaaaaaaaaaaaa, 3)
    TEST_RR_OP(62, clmulr, 0x1bd5b7dde, 0xdeadbeefcafef00d, 0x100000001)
    TEST_RR_SRC1_EQ_DEST(63, clmulr, 0x1c071b0d110a1608, 0x123456789abcdef0, 0xfedcba9876543211)
    TEST_RR_SRC2_EQ_DEST(64, clmulr, 0x1c071b0d110a1608, 0x123456789abcdef0, 0xfedcba9876543211)
    TEST_RR_SRC12_EQ_DEST(65, clmulr, 0x2080a2022282a80, 0x123456789abcdef0)
    TEST_RR_ZEROSRC1(66, clmulr, 0, 0xfedcba9876543211)
    TEST_RR_ZEROSRC2(67, clmulr, 0, 0x123456789abcdef0)
    TEST_RR_ZERODEST(68, clmulr, 0x123456789abcdef0, 0xfedcba9876543211)
    TEST_RR_REGS(69, clmulr, 0x1c071b0d110a1608, 0x123456789abcdef0, 0xfedcba9876543211, t6, s11, t5)

RVTEST_CODE_END
