// ADDW, ADDIW
// "ADDW ... ignore any overflow and sign-extend the low 32 bits of the result
// to 64 bits." Upper 32 bits of the sources are ignored.
// "ADDIW rd, rs1, 0 writes the sign-extension of the lower 32 bits of
// register rs1 into register rd (assembler pseudoinstruction SEXT.W)."

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // ADDW
    TEST_RR_OP(1, addw, 0, 0, 0)
    TEST_RR_OP(2, addw, 1, 0, 1)
    TEST_RR_OP(3, addw, -1, 0, -1)
    TEST_RR_OP(4, addw, 0x7fffffff, 0, 0x7fffffff)
    TEST_RR_OP(5, addw, 0xffffffff80000000, 0, 0x80000000)
    TEST_RR_OP(6, addw, -1, 0, 0xffffffff)
    TEST_RR_OP(7, addw, 1, 1, 0)
    TEST_RR_OP(8, addw, 2, 1, 1)
    TEST_RR_OP(9, addw, 0, 1, -1)
    TEST_RR_OP(10, addw, 0xffffffff80000000, 1, 0x7fffffff)
    TEST_RR_OP(11, addw, 0xffffffff80000001, 1, 0x80000000)
    TEST_RR_OP(12, addw, 0, 1, 0xffffffff)
    TEST_RR_OP(13, addw, -1, -1, 0)
    TEST_RR_OP(14, addw, 0, -1, 1)
    TEST_RR_OP(15, addw, -2, -1, -1)
    TEST_RR_OP(16, addw, 0x7ffffffe, -1, 0x7fffffff)
    TEST_RR_OP(17, addw, 0x7fffffff, -1, 0x80000000)
    TEST_RR_OP(18, addw, -2, -1, 0xffffffff)
    TEST_RR_OP(19, addw, 0x7fffffff, 0x7fffffff, 0)
    TEST_RR_OP(20, addw, 0xffffffff80000000, 0x7fffffff, 1)
    TEST_RR_OP(21, addw, 0x7ffffffe, 0x7fffffff, -1)
    TEST_RR_OP(22, addw, -2, 0x7fffffff, 0x7fffffff)
    TEST_RR_OP(23, addw, -1, 0x7fffffff, 0x80000000)
    TEST_RR_OP(24, addw, 0x7ffffffe, 0x7fffffff, 0xffffffff)
    TEST_RR_OP(25, addw, 0xffffffff80000000, 0x80000000, 0)
    TEST_RR_OP(26, addw, 0xffffffff80000001, 0x80000000, 1)
    TEST_RR_OP(27, addw, 0x7fffffff, 0x80000000, -1)
    TEST_RR_OP(28, addw, -1, 0x80000000, 0x7fffffff)
    TEST_RR_OP(29, addw, 0, 0x80000000, 0x80000000)
    TEST_RR_OP(30, addw, 0x7fffffff, 0x80000000, 0xffffffff)
    TEST_RR_OP(31, addw, -1, 0xffffffff, 0)
    TEST_RR_OP(32, addw, 0, 0xffffffff, 1)
    TEST_RR_OP(33, addw, -2, 0xffffffff, -1)
    TEST_RR_OP(34, addw, 0x7ffffffe, 0xffffffff, 0x7fffffff)
    TEST_RR_OP(35, addw, 0x7fffffff, 0xffffffff, 0x80000000)
    TEST_RR_OP(36, addw, -2, 0xffffffff, 0xffffffff)
    TEST_RR_OP(37, addw, 0xffffffff80000000, 0x123456787fffffff, 0xabcdef0000000001)  // upper halves ignored
    TEST_RR_OP(38, addw, 0, 0xffffffff00000000, 0xffffffff00000000)  // upper halves ignored
    TEST_RR_OP(39, addw, -1, 0x100000000, -1)  // upper halves ignored
    TEST_RR_OP(40, addw, 8, 0x7fffffff00000005, 0x100000003)  // upper halves ignored
    TEST_RR_OP(41, addw, 0xffffffffc83ddb47, 0x97b750923ceb3ffd, 0x216363698b529b4a)  // upper halves ignored
    TEST_RR_OP(42, addw, 0xfffffffff94fe2a1, 0xea7b5bf55eb561a4, 0x795b929e9a9a80fd)  // upper halves ignored
    TEST_RR_OP(43, addw, 0xffffffffb0f5b47f, 0x94b2b8fda02f34a6, 0x9b08923d10c67fd9)  // upper halves ignored
    TEST_RR_SRC1_EQ_DEST(44, addw, 0xffffffff80000000, 0x7fffffff, 1)
    TEST_RR_SRC2_EQ_DEST(45, addw, 0xffffffff80000000, 1, 0x7fffffff)
    TEST_RR_SRC12_EQ_DEST(46, addw, 0xffffffff80000000, 0xc0000000)
    TEST_RR_ZEROSRC1(47, addw, 0x7fffffff, 0x7fffffff)
    TEST_RR_ZEROSRC2(48, addw, 0x7fffffff, 0x7fffffff)
    TEST_RR_ZEROSRC12(49, addw, 0)
    TEST_RR_ZERODEST(50, addw, 0x7fffffff, 1)
    TEST_RR_REGS(51, addw, 0xffffffff80000000, 0x7fffffff, 1, t6, s11, t5)
    TEST_RR_REGS(52, addw, 0xffffffff80000000, 1, 0x7fffffff, ra, tp, t0)

    // ADDIW
    TEST_IMM_OP(53, addiw, 0, 0, 0)
    TEST_IMM_OP(54, addiw, 1, 0, 1)
    TEST_IMM_OP(55, addiw, -1, 0, -1)
    TEST_IMM_OP(56, addiw, 2047, 0, 2047)
    TEST_IMM_OP(57, addiw, -2048, 0, -2048)
    TEST_IMM_OP(58, addiw, 1, 1, 0)
    TEST_IMM_OP(59, addiw, 2, 1, 1)
    TEST_IMM_OP(60, addiw, 0, 1, -1)
    TEST_IMM_OP(61, addiw, 0x800, 1, 2047)
    TEST_IMM_OP(62, addiw, -2047, 1, -2048)
    TEST_IMM_OP(63, addiw, -1, -1, 0)
    TEST_IMM_OP(64, addiw, 0, -1, 1)
    TEST_IMM_OP(65, addiw, -2, -1, -1)
    TEST_IMM_OP(66, addiw, 2046, -1, 2047)
    TEST_IMM_OP(67, addiw, 0xfffffffffffff7ff, -1, -2048)
    TEST_IMM_OP(68, addiw, 0x7fffffff, 0x7fffffff, 0)
    TEST_IMM_OP(69, addiw, 0xffffffff80000000, 0x7fffffff, 1)
    TEST_IMM_OP(70, addiw, 0x7ffffffe, 0x7fffffff, -1)
    TEST_IMM_OP(71, addiw, 0xffffffff800007fe, 0x7fffffff, 2047)
    TEST_IMM_OP(72, addiw, 0x7ffff7ff, 0x7fffffff, -2048)
    TEST_IMM_OP(73, addiw, 0xffffffff80000000, 0x80000000, 0)
    TEST_IMM_OP(74, addiw, 0xffffffff80000001, 0x80000000, 1)
    TEST_IMM_OP(75, addiw, 0x7fffffff, 0x80000000, -1)
    TEST_IMM_OP(76, addiw, 0xffffffff800007ff, 0x80000000, 2047)
    TEST_IMM_OP(77, addiw, 0x7ffff800, 0x80000000, -2048)
    TEST_IMM_OP(78, addiw, -1, 0xffffffff, 0)
    TEST_IMM_OP(79, addiw, 0, 0xffffffff, 1)
    TEST_IMM_OP(80, addiw, -2, 0xffffffff, -1)
    TEST_IMM_OP(81, addiw, 2046, 0xffffffff, 2047)
    TEST_IMM_OP(82, addiw, 0xfffffffffffff7ff, 0xffffffff, -2048)
    TEST_IMM_OP(83, addiw, 0xffffffff9abcdef0, 0x123456789abcdef0, 0)
    TEST_IMM_OP(84, addiw, 0xffffffff9abcdef1, 0x123456789abcdef0, 1)
    TEST_IMM_OP(85, addiw, 0xffffffff9abcdeef, 0x123456789abcdef0, -1)
    TEST_IMM_OP(86, addiw, 0xffffffff9abce6ef, 0x123456789abcdef0, 2047)
    TEST_IMM_OP(87, addiw, 0xffffffff9abcd6f0, 0x123456789abcdef0, -2048)
    TEST_IMM_OP(88, addiw, -1, 0x80000000ffffffff, 0)  // sext.w
    TEST_IMM_OP(89, addiw, 0xffffffff80000000, 0x7fffffff, 1)  // overflow into bit 31 -> negative
    TEST_IMM_SRC1_EQ_DEST(90, addiw, 0xffffffff800007ef, 0x7ffffff0, 2047)
    TEST_IMM_ZEROSRC1(91, addiw, 2047, 2047)
    TEST_IMM_ZERODEST(92, addiw, 0x7ffffff0, 2047)
    TEST_IMM_REGS(93, addiw, 0xffffffff800007ef, 0x7ffffff0, 2047, t6, s11)
    TEST_IMM_REGS(94, addiw, 0xffffffff800007ef, 0x7ffffff0, 2047, ra, tp)
    TEST_IMM_REGS(95, addiw, 0xffffffff800007ef, 0x7ffffff0, 2047, s2, a0)

RVTEST_CODE_END
