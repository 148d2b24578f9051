// LB, LH, LW, LD, LBU, LHU, LWU
// "The LW instruction loads a 32-bit value from memory and sign-extends this
// to 64 bits before storing it in register rd for RV64I. The LWU
// instruction, on the other hand, zero-extends the 32-bit value from memory
// for RV64I. LH and LHU are defined analogously for 16-bit values, as are
// LB and LBU for 8-bit values."  Little-endian. Offsets are sign-extended.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // ld_data bytes: ef cd ab 89 67 45 23 01 | 10 32 54 76 98 ba dc fe
    //                00 80 ff 7f 00 00 00 80 | ...
    // LB
    TEST_LD_OP( 1, lb, 0xffffffffffffffef, 0, ld_data)
    TEST_LD_OP( 2, lb, 0xffffffffffffffcd, 1, ld_data)
    TEST_LD_OP( 3, lb, 0x67, 4, ld_data)
    TEST_LD_OP( 4, lb, 0x01, 7, ld_data)
    TEST_LD_OP( 5, lb, 0x10, 8, ld_data)
    TEST_LD_OP( 6, lb, 0xfffffffffffffffe, 15, ld_data)
    TEST_LD_OP( 7, lb, 0xffffffffffffff80, 17, ld_data)
    TEST_LD_OP( 8, lb, 0x7f, 19, ld_data)
    TEST_LD_OP( 9, lb, 0, 16, ld_data)
    // LBU
    TEST_LD_OP(10, lbu, 0xef, 0, ld_data)
    TEST_LD_OP(11, lbu, 0xcd, 1, ld_data)
    TEST_LD_OP(12, lbu, 0x01, 7, ld_data)
    TEST_LD_OP(13, lbu, 0xfe, 15, ld_data)
    TEST_LD_OP(14, lbu, 0x80, 17, ld_data)
    TEST_LD_OP(15, lbu, 0xff, 18, ld_data)
    // LH
    TEST_LD_OP(20, lh, 0xffffffffffffcdef, 0, ld_data)
    TEST_LD_OP(21, lh, 0xffffffffffff89ab, 2, ld_data)
    TEST_LD_OP(22, lh, 0x0123, 6, ld_data)
    TEST_LD_OP(23, lh, 0xfffffffffffffedc, 14, ld_data)
    TEST_LD_OP(24, lh, 0xffffffffffff8000, 16, ld_data)
    TEST_LD_OP(25, lh, 0x7fff, 18, ld_data)
    // LHU
    TEST_LD_OP(30, lhu, 0xcdef, 0, ld_data)
    TEST_LD_OP(31, lhu, 0x89ab, 2, ld_data)
    TEST_LD_OP(32, lhu, 0x0123, 6, ld_data)
    TEST_LD_OP(33, lhu, 0xfedc, 14, ld_data)
    TEST_LD_OP(34, lhu, 0x8000, 16, ld_data)
    // LW
    TEST_LD_OP(40, lw, 0xffffffff89abcdef, 0, ld_data)
    TEST_LD_OP(41, lw, 0x01234567, 4, ld_data)
    TEST_LD_OP(42, lw, 0x76543210, 8, ld_data)
    TEST_LD_OP(43, lw, 0xfffffffffedcba98, 12, ld_data)
    TEST_LD_OP(44, lw, 0x7fff8000, 16, ld_data)
    TEST_LD_OP(45, lw, 0xffffffff80000000, 20, ld_data)
    // LWU
    TEST_LD_OP(50, lwu, 0x89abcdef, 0, ld_data)
    TEST_LD_OP(51, lwu, 0x01234567, 4, ld_data)
    TEST_LD_OP(52, lwu, 0xfedcba98, 12, ld_data)
    TEST_LD_OP(53, lwu, 0x80000000, 20, ld_data)
    // LD
    TEST_LD_OP(60, ld, 0x0123456789abcdef, 0, ld_data)
    TEST_LD_OP(61, ld, 0xfedcba9876543210, 8, ld_data)
    TEST_LD_OP(62, ld, 0x800000007fff8000, 16, ld_data)

    // Negative offsets
    TEST_LD_OP(70, ld,  0x0123456789abcdef, -24, ld_data + 24)
    TEST_LD_OP(71, lw,  0xfffffffffedcba98, -12, ld_data + 24)
    TEST_LD_OP(72, lwu, 0xfedcba98, -12, ld_data + 24)
    TEST_LD_OP(73, lh,  0xfffffffffffffedc, -10, ld_data + 24)
    TEST_LD_OP(74, lhu, 0xfedc, -10, ld_data + 24)
    TEST_LD_OP(75, lb,  0xfffffffffffffffe, -9, ld_data + 24)
    TEST_LD_OP(76, lbu, 0xfe, -9, ld_data + 24)
    TEST_LD_OP(77, lb,  0x01, -1, ld_data + 8)

    // Extreme 12-bit offsets: -2048 and +2047 (+2040 for aligned ld)
    TEST_LD_OP(80, ld,  0x8877665544332211, -2048, big_mid)
    TEST_LD_OP(81, lbu, 0x11, -2048, big_mid)
    TEST_LD_OP(82, lw,  0xffffffff88776655, -2044, big_mid)
    TEST_LD_OP(83, ld,  0xa5b6c7d8e9fa0b1c, 2040, big_mid)
    TEST_LD_OP(84, lb,  0xffffffffffffffa5, 2047, big_mid)
    TEST_LD_OP(85, lbu, 0xa5, 2047, big_mid)
    TEST_LD_OP(86, lhu, 0xa5b6, 2046, big_mid)
    TEST_LD_OP(87, lwu, 0xa5b6c7d8, 2044, big_mid)
    TEST_LD_OP(88, ld,  0x1122334455667788, 0, big_mid)

    // Destination is the base register
    TEST_LD_DEST_EQ_BASE(90, ld,  0xfedcba9876543210, 8, ld_data)
    TEST_LD_DEST_EQ_BASE(91, lw,  0xffffffff89abcdef, 0, ld_data)
    TEST_LD_DEST_EQ_BASE(92, lwu, 0x89abcdef, 0, ld_data)
    TEST_LD_DEST_EQ_BASE(93, lh,  0xffffffffffffcdef, 0, ld_data)
    TEST_LD_DEST_EQ_BASE(94, lhu, 0xcdef, 0, ld_data)
    TEST_LD_DEST_EQ_BASE(95, lb,  0xffffffffffffffef, 0, ld_data)
    TEST_LD_DEST_EQ_BASE(96, lbu, 0xef, 0, ld_data)

    // Load into x0: value discarded
    TEST_LD_ZERODEST(100, ld,  0, ld_data)
    TEST_LD_ZERODEST(101, lw,  0, ld_data)
    TEST_LD_ZERODEST(102, lwu, 0, ld_data)
    TEST_LD_ZERODEST(103, lh,  0, ld_data)
    TEST_LD_ZERODEST(104, lhu, 0, ld_data)
    TEST_LD_ZERODEST(105, lb,  0, ld_data)
    TEST_LD_ZERODEST(106, lbu, 0, ld_data)

    // Other registers
    TEST_CASE(110, t6, 0xfedcba9876543210, la s11, ld_data; ld t6, 8(s11))
    TEST_CASE(111, ra, 0xffffffff89abcdef, la tp, ld_data; lw ra, 0(tp))

    // Loads fully overwrite the destination (upper bits cleared/extended)
    TEST_CASE(112, a4, 0xef, li a4, -1; la a1, ld_data; lbu a4, 0(a1))
    TEST_CASE(113, a4, 0x01234567, li a4, -1; la a1, ld_data; lwu a4, 4(a1))

    // Code is readable: load the encoding of a known instruction
    TEST_LD_OP(114, lw,  0x00000013, 0, code_nop)    // addi x0, x0, 0
    TEST_LD_OP(115, lwu, 0x00b50533, 0, code_add)    // add a0, a0, a1

    // .rodata (read-only data)
    TEST_LD_OP(116, ld, 0x0badc0ffee0ddf00, 0, ro_data)

    j pass
code_nop:
    nop
code_add:
    add a0, a0, a1

RVTEST_CODE_END

    .section .rodata
    .balign 8
ro_data: .dword 0x0badc0ffee0ddf00

RVTEST_DATA_BEGIN
ld_data:
    .dword 0x0123456789abcdef
    .dword 0xfedcba9876543210
    .dword 0x800000007fff8000
    .dword 0

big_lo:  .dword 0x8877665544332211      // big_mid - 2048
         .skip 2040
big_mid: .dword 0x1122334455667788
         .skip 2032
big_hi:  .dword 0xa5b6c7d8e9fa0b1c      // big_mid + 2040
RVTEST_DATA_END
