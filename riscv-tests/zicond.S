// Zicond: CZERO.EQZ, CZERO.NEZ
// "czero.eqz rd, rs1, rs2: If rs2 contains the value zero, this instruction
// writes the value zero to rd. Otherwise, this instruction copies the
// contents of rs1 to rd." czero.nez is the same with "a nonzero value".
// The whole XLEN-bit rs2 is tested (a value with only bit 63 or only bit 32
// set is nonzero).
//
// Encoding (R-type, OPCODE=OP 0110011, funct7 = 0000111):
//   czero.eqz  funct3 = 101     czero.nez  funct3 = 111
// This binutils has no Zicond mnemonics, so they are assembler macros around
// .insn; case 1 and case 26 also run hand-assembled words to pin the
// encoding: czero.eqz a4, a1, a2 = 0x0ec5d733, czero.nez a4, a1, a2 =
// 0x0ec5f733 (rs2 = x12, rs1 = x11, rd = x14).
// qemu-riscv64 7.2 has no Zicond; meson runs this file under qemu only when
// qemu accepts -cpu rv64,zicond=true (or x-zicond=true).

#include "test_macros.h"

.option norvc

.macro czero.eqz rd, rs1, rs2
    .insn r 0x33, 5, 0x07, \rd, \rs1, \rs2
.endm

.macro czero.nez rd, rs1, rs2
    .insn r 0x33, 7, 0x07, \rd, \rs1, \rs2
.endm

RVTEST_CODE_BEGIN

    // CZERO.EQZ: rd = (rs2 == 0) ? 0 : rs1
    TEST_CASE(1, a4, 0x123456789abcdef0,
        li a1, 0x123456789abcdef0; li a2, 1; li a4, 0x5a5a; .word 0x0ec5d733)
    TEST_RR_OP(2, czero.eqz, 0, 0x123456789abcdef0, 0)
    TEST_RR_OP(3, czero.eqz, 0x123456789abcdef0, 0x123456789abcdef0, 1)
    TEST_RR_OP(4, czero.eqz, 0x123456789abcdef0, 0x123456789abcdef0, -1)
    TEST_RR_OP(5, czero.eqz, 0x123456789abcdef0, 0x123456789abcdef0, 0x8000000000000000)  // only bit 63 set
    TEST_RR_OP(6, czero.eqz, 0x123456789abcdef0, 0x123456789abcdef0, 0x100000000)  // only bit 32 set
    TEST_RR_OP(7, czero.eqz, 0x123456789abcdef0, 0x123456789abcdef0, 0x80000000)
    TEST_RR_OP(8, czero.eqz, -1, -1, 2)
    TEST_RR_OP(9, czero.eqz, 0, -1, 0)
    TEST_RR_OP(10, czero.eqz, 0, 0, 5)
    TEST_RR_OP(11, czero.eqz, 0, 0, 0)
    TEST_RR_OP(12, czero.eqz, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000)
    TEST_RR_SRC1_EQ_DEST(13, czero.eqz, 0xfedcba9876543210, 0xfedcba9876543210, 3)
    TEST_RR_SRC1_EQ_DEST(14, czero.eqz, 0, 0xfedcba9876543210, 0)
    TEST_RR_SRC2_EQ_DEST(15, czero.eqz, 0xfedcba9876543210, 0xfedcba9876543210, 3)
    TEST_RR_SRC2_EQ_DEST(16, czero.eqz, 0, 0xfedcba9876543210, 0)
    TEST_RR_SRC12_EQ_DEST(17, czero.eqz, 0x55, 0x55)
    TEST_RR_SRC12_EQ_DEST(18, czero.eqz, 0, 0)
    TEST_RR_ZEROSRC1(19, czero.eqz, 0, 7)
    TEST_RR_ZEROSRC2(20, czero.eqz, 0, 0x123456789abcdef0)  // rs2 = x0: always zero
    TEST_RR_ZEROSRC12(21, czero.eqz, 0)
    TEST_RR_ZERODEST(22, czero.eqz, 0x123456789abcdef0, 1)
    TEST_RR_REGS(23, czero.eqz, 0x77, 0x77, 0x100, t6, s11, t5)
    TEST_RR_REGS(24, czero.eqz, 0, 0x77, 0, ra, tp, t0)
    TEST_RR_REGS(25, czero.eqz, 0x77, 0x77, -1, s2, a7, s10)

    // CZERO.NEZ: rd = (rs2 != 0) ? 0 : rs1
    TEST_CASE(26, a4, 0,
        li a1, 0x123456789abcdef0; li a2, 1; li a4, 0x5a5a; .word 0x0ec5f733)
    TEST_RR_OP(27, czero.nez, 0x123456789abcdef0, 0x123456789abcdef0, 0)
    TEST_RR_OP(28, czero.nez, 0, 0x123456789abcdef0, 1)
    TEST_RR_OP(29, czero.nez, 0, 0x123456789abcdef0, -1)
    TEST_RR_OP(30, czero.nez, 0, 0x123456789abcdef0, 0x8000000000000000)  // only bit 63 set
    TEST_RR_OP(31, czero.nez, 0, 0x123456789abcdef0, 0x100000000)  // only bit 32 set
    TEST_RR_OP(32, czero.nez, 0, 0x123456789abcdef0, 0x80000000)
    TEST_RR_OP(33, czero.nez, 0, -1, 2)
    TEST_RR_OP(34, czero.nez, -1, -1, 0)
    TEST_RR_OP(35, czero.nez, 0, 0, 5)
    TEST_RR_OP(36, czero.nez, 0, 0, 0)
    TEST_RR_OP(37, czero.nez, 0x8000000000000000, 0x8000000000000000, 0)
    TEST_RR_SRC1_EQ_DEST(38, czero.nez, 0, 0xfedcba9876543210, 3)
    TEST_RR_SRC1_EQ_DEST(39, czero.nez, 0xfedcba9876543210, 0xfedcba9876543210, 0)
    TEST_RR_SRC2_EQ_DEST(40, czero.nez, 0, 0xfedcba9876543210, 3)
    TEST_RR_SRC2_EQ_DEST(41, czero.nez, 0xfedcba9876543210, 0xfedcba9876543210, 0)
    TEST_RR_SRC12_EQ_DEST(42, czero.nez, 0, 0x55)
    TEST_RR_SRC12_EQ_DEST(43, czero.nez, 0, 0)
    TEST_RR_ZEROSRC1(44, czero.nez, 0, 0)
    TEST_RR_ZEROSRC2(45, czero.nez, 0x123456789abcdef0, 0x123456789abcdef0)  // rs2 = x0: always rs1
    TEST_RR_ZEROSRC12(46, czero.nez, 0)
    TEST_RR_ZERODEST(47, czero.nez, 0x123456789abcdef0, 0)
    TEST_RR_REGS(48, czero.nez, 0, 0x77, 0x100, t6, s11, t5)
    TEST_RR_REGS(49, czero.nez, 0x77, 0x77, 0, ra, tp, t0)
    TEST_RR_REGS(50, czero.nez, 0, 0x77, -1, s2, a7, s10)

    // Branchless select built from the pair:
    // rd = cond ? a : b  ==  czero.eqz(a, cond) | czero.nez(b, cond)
    TEST_BEGIN(51)
    li a1, 0x1111111111111111
    li a2, 0x2222222222222222
    li a3, 0x8000000000000000
    czero.eqz a4, a1, a3
    czero.nez a5, a2, a3
    or a4, a4, a5
    CHECK(a4, 0x1111111111111111)
    li a3, 0
    czero.eqz a4, a1, a3
    czero.nez a5, a2, a3
    or a4, a4, a5
    CHECK(a4, 0x2222222222222222)

RVTEST_CODE_END
