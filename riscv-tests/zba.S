// Zba: SH1ADD, SH2ADD, SH3ADD, ADD.UW, SH1ADD.UW, SH2ADD.UW, SH3ADD.UW, SLLI.UW
// "shNadd rd, rs1, rs2: X(rd) = X(rs2) + (X(rs1) << N)".
// The .uw forms zero-extend the low 32 bits of rs1 first:
// "add.uw: X(rd) = X(rs2) + EXTZ(X(rs1)[31..0])",
// "slli.uw: X(rd) = (EXTZ(X(rs1)[31..0]) << shamt)" with a 6-bit shamt.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // SH1ADD: rd = rs2 + (rs1 << 1)
    TEST_RR_OP(1, sh1add, 0, 0, 0)
    TEST_RR_OP(2, sh1add, 2, 1, 0)
    TEST_RR_OP(3, sh1add, 1, 0, 1)
    TEST_RR_OP(4, sh1add, 3, 1, 1)
    TEST_RR_OP(5, sh1add, -2, -1, 0)
    TEST_RR_OP(6, sh1add, -3, -1, -1)
    TEST_RR_OP(7, sh1add, 5, 0x8000000000000000, 5)  // bits shifted out of rs1 are lost
    TEST_RR_OP(8, sh1add, 0x8000000000000001, 0x4000000000000000, 1)  // into bit 63
    TEST_RR_OP(9, sh1add, 0x7ffffffffffffffd, 0x7fffffffffffffff, 0x7fffffffffffffff)  // sum wraps mod 2^64
    TEST_RR_OP(10, sh1add, 0x100000000, 0x80000000, 0)  // no 32-bit truncation of rs1
    TEST_RR_OP(11, sh1add, 0x23456789abcdeff0, 0x123456789abcdef0, 0xfedcba9876543210)
    TEST_RR_OP(12, sh1add, 0xcc8843ffbb7732f, 0xfedcba9876543210, 0xf0f0f0f0f0f0f0f)
    TEST_RR_SRC1_EQ_DEST(13, sh1add, 0x2468acf13579cef1, 0x123456789abcdef0, 0x1111)
    TEST_RR_SRC2_EQ_DEST(14, sh1add, 0x2468acf13579cef1, 0x123456789abcdef0, 0x1111)
    TEST_RR_SRC12_EQ_DEST(15, sh1add, 0x369d0369d0369cd0, 0x123456789abcdef0)
    TEST_RR_ZEROSRC1(16, sh1add, 0x1111, 0x1111)
    TEST_RR_ZEROSRC2(17, sh1add, 0x2468acf13579bde0, 0x123456789abcdef0)
    TEST_RR_ZERODEST(18, sh1add, 0x123456789abcdef0, 0x1111)
    TEST_RR_REGS(19, sh1add, 0x2468acf13579cef1, 0x123456789abcdef0, 0x1111, t6, s11, t5)

    // SH2ADD: rd = rs2 + (rs1 << 2)
    TEST_RR_OP(20, sh2add, 0, 0, 0)
    TEST_RR_OP(21, sh2add, 4, 1, 0)
    TEST_RR_OP(22, sh2add, 1, 0, 1)
    TEST_RR_OP(23, sh2add, 5, 1, 1)
    TEST_RR_OP(24, sh2add, -4, -1, 0)
    TEST_RR_OP(25, sh2add, -5, -1, -1)
    TEST_RR_OP(26, sh2add, 5, 0x8000000000000000, 5)  // bits shifted out of rs1 are lost
    TEST_RR_OP(27, sh2add, 0x8000000000000001, 0x2000000000000000, 1)  // into bit 63
    TEST_RR_OP(28, sh2add, 0x7ffffffffffffffb, 0x7fffffffffffffff, 0x7fffffffffffffff)  // sum wraps mod 2^64
    TEST_RR_OP(29, sh2add, 0x200000000, 0x80000000, 0)  // no 32-bit truncation of rs1
    TEST_RR_OP(30, sh2add, 0x47ae147ae147add0, 0x123456789abcdef0, 0xfedcba9876543210)
    TEST_RR_OP(31, sh2add, 0xa81f970e85fd74f, 0xfedcba9876543210, 0xf0f0f0f0f0f0f0f)
    TEST_RR_SRC1_EQ_DEST(32, sh2add, 0x48d159e26af38cd1, 0x123456789abcdef0, 0x1111)
    TEST_RR_SRC2_EQ_DEST(33, sh2add, 0x48d159e26af38cd1, 0x123456789abcdef0, 0x1111)
    TEST_RR_SRC12_EQ_DEST(34, sh2add, 0x5b05b05b05b05ab0, 0x123456789abcdef0)
    TEST_RR_ZEROSRC1(35, sh2add, 0x1111, 0x1111)
    TEST_RR_ZEROSRC2(36, sh2add, 0x48d159e26af37bc0, 0x123456789abcdef0)
    TEST_RR_ZERODEST(37, sh2add, 0x123456789abcdef0, 0x1111)
    TEST_RR_REGS(38, sh2add, 0x48d159e26af38cd1, 0x123456789abcdef0, 0x1111, t6, s11, t5)

    // SH3ADD: rd = rs2 + (rs1 << 3)
    TEST_RR_OP(39, sh3add, 0, 0, 0)
    TEST_RR_OP(40, sh3add, 8, 1, 0)
    TEST_RR_OP(41, sh3add, 1, 0, 1)
    TEST_RR_OP(42, sh3add, 9, 1, 1)
    TEST_RR_OP(43, sh3add, -8, -1, 0)
    TEST_RR_OP(44, sh3add, -9, -1, -1)
    TEST_RR_OP(45, sh3add, 5, 0x8000000000000000, 5)  // bits shifted out of rs1 are lost
    TEST_RR_OP(46, sh3add, 0x8000000000000001, 0x1000000000000000, 1)  // into bit 63
    TEST_RR_OP(47, sh3add, 0x7ffffffffffffff7, 0x7fffffffffffffff, 0x7fffffffffffffff)  // sum wraps mod 2^64
    TEST_RR_OP(48, sh3add, 0x400000000, 0x80000000, 0)  // no 32-bit truncation of rs1
    TEST_RR_OP(49, sh3add, 0x907f6e5d4c3b2990, 0x123456789abcdef0, 0xfedcba9876543210)
    TEST_RR_OP(50, sh3add, 0x5f4e3d2c1b09f8f, 0xfedcba9876543210, 0xf0f0f0f0f0f0f0f)
    TEST_RR_SRC1_EQ_DEST(51, sh3add, 0x91a2b3c4d5e70891, 0x123456789abcdef0, 0x1111)
    TEST_RR_SRC2_EQ_DEST(52, sh3add, 0x91a2b3c4d5e70891, 0x123456789abcdef0, 0x1111)
    TEST_RR_SRC12_EQ_DEST(53, sh3add, 0xa3d70a3d70a3d670, 0x123456789abcdef0)
    TEST_RR_ZEROSRC1(54, sh3add, 0x1111, 0x1111)
    TEST_RR_ZEROSRC2(55, sh3add, 0x91a2b3c4d5e6f780, 0x123456789abcdef0)
    TEST_RR_ZERODEST(56, sh3add, 0x123456789abcdef0, 0x1111)
    TEST_RR_REGS(57, sh3add, 0x91a2b3c4d5e70891, 0x123456789abcdef0, 0x1111, t6, s11, t5)

    // ADD.UW: rd = rs2 + (zext32(rs1) << 0); upper 32 bits of rs1 ignored
    TEST_RR_OP(58, add.uw, 0, 0, 0)
    TEST_RR_OP(59, add.uw, 3, 1, 2)
    TEST_RR_OP(60, add.uw, 0xffffffff, -1, 0)  // zext32(-1) = 0xffffffff
    TEST_RR_OP(61, add.uw, 0x100000000, -1, 1)
    TEST_RR_OP(62, add.uw, 0x80000000, 0xffffffff80000000, 0)  // not sign-extended
    TEST_RR_OP(63, add.uw, 0x7fffffff, 0x7fffffff, 0)
    TEST_RR_OP(64, add.uw, 0x1234, 0x8000000000000000, 0x1234)  // upper half of rs1 dropped entirely
    TEST_RR_OP(65, add.uw, 0xfedcba9911111100, 0x123456789abcdef0, 0xfedcba9876543210)
    TEST_RR_OP(66, add.uw, 0xfffffffe, 0xffffffff, -1)  // carry out of bit 63 lost
    TEST_RR_OP(67, add.uw, 0x8000000000000000, 0xdeadbeef00000001, 0x7fffffffffffffff)
    TEST_RR_SRC1_EQ_DEST(68, add.uw, 0x9abcf001, 0x123456789abcdef0, 0x1111)
    TEST_RR_SRC2_EQ_DEST(69, add.uw, 0x9abcf001, 0x123456789abcdef0, 0x1111)
    TEST_RR_SRC12_EQ_DEST(70, add.uw, 0x123456793579bde0, 0x123456789abcdef0)
    TEST_RR_ZEROSRC1(71, add.uw, 0x1111, 0x1111)
    TEST_RR_ZEROSRC2(72, add.uw, 0x9abcdef0, 0x123456789abcdef0)
    TEST_RR_ZERODEST(73, add.uw, 0x123456789abcdef0, 0x1111)
    TEST_RR_REGS(74, add.uw, 0x9abcf001, 0x123456789abcdef0, 0x1111, t6, s11, t5)

    // SH1ADD.UW: rd = rs2 + (zext32(rs1) << 1); upper 32 bits of rs1 ignored
    TEST_RR_OP(75, sh1add.uw, 0, 0, 0)
    TEST_RR_OP(76, sh1add.uw, 4, 1, 2)
    TEST_RR_OP(77, sh1add.uw, 0x1fffffffe, -1, 0)  // zext32(-1) = 0xffffffff
    TEST_RR_OP(78, sh1add.uw, 0x1ffffffff, -1, 1)
    TEST_RR_OP(79, sh1add.uw, 0x100000000, 0xffffffff80000000, 0)  // not sign-extended
    TEST_RR_OP(80, sh1add.uw, 0xfffffffe, 0x7fffffff, 0)
    TEST_RR_OP(81, sh1add.uw, 0x1234, 0x8000000000000000, 0x1234)  // upper half of rs1 dropped entirely
    TEST_RR_OP(82, sh1add.uw, 0xfedcba99abcdeff0, 0x123456789abcdef0, 0xfedcba9876543210)
    TEST_RR_OP(83, sh1add.uw, 0x1fffffffd, 0xffffffff, -1)  // carry out of bit 63 lost
    TEST_RR_OP(84, sh1add.uw, 0x8000000000000001, 0xdeadbeef00000001, 0x7fffffffffffffff)
    TEST_RR_SRC1_EQ_DEST(85, sh1add.uw, 0x13579cef1, 0x123456789abcdef0, 0x1111)
    TEST_RR_SRC2_EQ_DEST(86, sh1add.uw, 0x13579cef1, 0x123456789abcdef0, 0x1111)
    TEST_RR_SRC12_EQ_DEST(87, sh1add.uw, 0x12345679d0369cd0, 0x123456789abcdef0)
    TEST_RR_ZEROSRC1(88, sh1add.uw, 0x1111, 0x1111)
    TEST_RR_ZEROSRC2(89, sh1add.uw, 0x13579bde0, 0x123456789abcdef0)
    TEST_RR_ZERODEST(90, sh1add.uw, 0x123456789abcdef0, 0x1111)
    TEST_RR_REGS(91, sh1add.uw, 0x13579cef1, 0x123456789abcdef0, 0x1111, t6, s11, t5)

    // SH2ADD.UW: rd = rs2 + (zext32(rs1) << 2); upper 32 bits of rs1 ignored
    TEST_RR_OP(92, sh2add.uw, 0, 0, 0)
    TEST_RR_OP(93, sh2add.uw, 6, 1, 2)
    TEST_RR_OP(94, sh2add.uw, 0x3fffffffc, -1, 0)  // zext32(-1) = 0xffffffff
    TEST_RR_OP(95, sh2add.uw, 0x3fffffffd, -1, 1)
    TEST_RR_OP(96, sh2add.uw, 0x200000000, 0xffffffff80000000, 0)  // not sign-extended
    TEST_RR_OP(97, sh2add.uw, 0x1fffffffc, 0x7fffffff, 0)
    TEST_RR_OP(98, sh2add.uw, 0x1234, 0x8000000000000000, 0x1234)  // upper half of rs1 dropped entirely
    TEST_RR_OP(99, sh2add.uw, 0xfedcba9ae147add0, 0x123456789abcdef0, 0xfedcba9876543210)
    TEST_RR_OP(100, sh2add.uw, 0x3fffffffb, 0xffffffff, -1)  // carry out of bit 63 lost
    TEST_RR_OP(101, sh2add.uw, 0x8000000000000003, 0xdeadbeef00000001, 0x7fffffffffffffff)
    TEST_RR_SRC1_EQ_DEST(102, sh2add.uw, 0x26af38cd1, 0x123456789abcdef0, 0x1111)
    TEST_RR_SRC2_EQ_DEST(103, sh2add.uw, 0x26af38cd1, 0x123456789abcdef0, 0x1111)
    TEST_RR_SRC12_EQ_DEST(104, sh2add.uw, 0x1234567b05b05ab0, 0x123456789abcdef0)
    TEST_RR_ZEROSRC1(105, sh2add.uw, 0x1111, 0x1111)
    TEST_RR_ZEROSRC2(106, sh2add.uw, 0x26af37bc0, 0x123456789abcdef0)
    TEST_RR_ZERODEST(107, sh2add.uw, 0x123456789abcdef0, 0x1111)
    TEST_RR_REGS(108, sh2add.uw, 0x26af38cd1, 0x123456789abcdef0, 0x1111, t6, s11, t5)

    // SH3ADD.UW: rd = rs2 + (zext32(rs1) << 3); upper 32 bits of rs1 ignored
    TEST_RR_OP(109, sh3add.uw, 0, 0, 0)
    TEST_RR_OP(110, sh3add.uw, 10, 1, 2)
    TEST_RR_OP(111, sh3add.uw, 0x7fffffff8, -1, 0)  // zext32(-1) = 0xffffffff
    TEST_RR_OP(112, sh3add.uw, 0x7fffffff9, -1, 1)
    TEST_RR_OP(113, sh3add.uw, 0x400000000, 0xffffffff80000000, 0)  // not sign-extended
    TEST_RR_OP(114, sh3add.uw, 0x3fffffff8, 0x7fffffff, 0)
    TEST_RR_OP(115, sh3add.uw, 0x1234, 0x8000000000000000, 0x1234)  // upper half of rs1 dropped entirely
    TEST_RR_OP(116, sh3add.uw, 0xfedcba9d4c3b2990, 0x123456789abcdef0, 0xfedcba9876543210)
    TEST_RR_OP(117, sh3add.uw, 0x7fffffff7, 0xffffffff, -1)  // carry out of bit 63 lost
    TEST_RR_OP(118, sh3add.uw, 0x8000000000000007, 0xdeadbeef00000001, 0x7fffffffffffffff)
    TEST_RR_SRC1_EQ_DEST(119, sh3add.uw, 0x4d5e70891, 0x123456789abcdef0, 0x1111)
    TEST_RR_SRC2_EQ_DEST(120, sh3add.uw, 0x4d5e70891, 0x123456789abcdef0, 0x1111)
    TEST_RR_SRC12_EQ_DEST(121, sh3add.uw, 0x1234567d70a3d670, 0x123456789abcdef0)
    TEST_RR_ZEROSRC1(122, sh3add.uw, 0x1111, 0x1111)
    TEST_RR_ZEROSRC2(123, sh3add.uw, 0x4d5e6f780, 0x123456789abcdef0)
    TEST_RR_ZERODEST(124, sh3add.uw, 0x123456789abcdef0, 0x1111)
    TEST_RR_REGS(125, sh3add.uw, 0x4d5e70891, 0x123456789abcdef0, 0x1111, t6, s11, t5)

    // ADD.UW rd, rs1, x0 is the zext.w pseudo-instruction
    TEST_CASE(126, a4, 0x89abcdef, li a1, 0x0123456789abcdef; zext.w a4, a1)
    TEST_CASE(127, a4, 0xffffffff, li a1, -1; zext.w a4, a1)

    // SLLI.UW: rd = zext32(rs1) << shamt, shamt 0..63
    TEST_IMM_OP(128, slli.uw, 0xffffffff, -1, 0)  // zext32 only
    TEST_IMM_OP(129, slli.uw, 0x1fffffffe, -1, 1)
    TEST_IMM_OP(130, slli.uw, 0x7fffffff80000000, -1, 31)
    TEST_IMM_OP(131, slli.uw, 0xffffffff00000000, -1, 32)  // upper half of the result set
    TEST_IMM_OP(132, slli.uw, 0xfffffffe00000000, -1, 33)
    TEST_IMM_OP(133, slli.uw, 0x8000000000000000, -1, 63)  // only bit 0 of rs1 survives
    TEST_IMM_OP(134, slli.uw, 0x80000000, 0x80000000, 0)
    TEST_IMM_OP(135, slli.uw, 0x8000000000000000, 0x80000000, 32)
    TEST_IMM_OP(136, slli.uw, 0, 0x80000000, 33)  // shifted out
    TEST_IMM_OP(137, slli.uw, 0x100000000, 0xffffffff80000000, 1)  // sign bits of rs1 ignored
    TEST_IMM_OP(138, slli.uw, 0x9abcdef00, 0x123456789abcdef0, 4)
    TEST_IMM_OP(139, slli.uw, 0x9abcdef0000, 0x123456789abcdef0, 12)
    TEST_IMM_OP(140, slli.uw, 0x5432100000000000, 0xfedcba9876543210, 40)
    TEST_IMM_OP(141, slli.uw, 0x8000000000000000, 0x100000001, 63)
    TEST_IMM_OP(142, slli.uw, 0x4000000000000000, 1, 62)
    TEST_IMM_OP(143, slli.uw, 0, 0, 17)
    TEST_IMM_SRC1_EQ_DEST(144, slli.uw, 0x1234567800, 0x9abcdef012345678, 8)
    TEST_IMM_ZEROSRC1(145, slli.uw, 0, 8)
    TEST_IMM_ZERODEST(146, slli.uw, 0x9abcdef012345678, 8)
    TEST_IMM_REGS(147, slli.uw, 0x7fffffff8, 0xfffffffff, 3, t6, s11)

RVTEST_CODE_END
