// LUI, AUIPC
// "LUI places the 32-bit U-immediate value into the destination register rd,
// filling in the lowest 12 bits with zeros. The 32-bit result is
// sign-extended to 64 bits."
// "AUIPC forms a 32-bit offset from the U-immediate, filling in the lowest
// 12 bits with zeros, sign-extends the result to 64 bits, adds it to the
// address of the AUIPC instruction, then places the result in register rd."

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // LUI
    TEST_CASE( 1, a4, 0,                  li a4, -1; lui a4, 0)
    TEST_CASE( 2, a4, 0x1000,             lui a4, 1)
    TEST_CASE( 3, a4, 0x7ffff000,         lui a4, 0x7ffff)
    TEST_CASE( 4, a4, 0xffffffff80000000, lui a4, 0x80000)
    TEST_CASE( 5, a4, 0xfffffffffffff000, lui a4, 0xfffff)
    TEST_CASE( 6, a4, 0x12345000,         lui a4, 0x12345)
    TEST_CASE( 7, a4, 0xffffffffabcde000, lui a4, 0xabcde)
    TEST_CASE( 8, a4, 0x1000,             li a4, -1; lui a4, 1)  // all 64 bits replaced
    TEST_CASE( 9, a4, 0xffffffff7fffffff, lui a4, 0x80000; addi a4, a4, -1)
    TEST_CASE(10, a4, 0x7fffffff,         lui a4, 0x80000; addiw a4, a4, -1)
    TEST_CASE(11, a4, 0x12345678,         lui a4, 0x12345; addi a4, a4, 0x678)
    TEST_CASE(12, a4, 0x1233f800,         lui a4, 0x12340; addi a4, a4, -0x800)
    TEST_CASE(13, t6, 0xfffffffffffff000, lui t6, 0xfffff)
    TEST_CASE(14, ra, 0xffffffff80001000, lui ra, 0x80001)
    TEST_CASE(15, s11, 0x00001000,        lui s11, 0x00001)
    TEST_CASE(16, x0, 0,                  lui x0, 0x80000)

    // AUIPC: the address of the auipc itself, cross-checked with jal's link
    TEST_CASE(20, a4, 0, jal a1, 1f; 1: auipc a4, 0; sub a4, a4, a1)
    TEST_CASE(21, a4, 0, auipc_l21: auipc a4, 0; la a1, auipc_l21; sub a4, a4, a1)
    TEST_CASE(22, a4, 0x1000,             jal a1, 1f; 1: auipc a4, 1; sub a4, a4, a1)
    TEST_CASE(23, a4, 0x7ffff000,         jal a1, 1f; 1: auipc a4, 0x7ffff; sub a4, a4, a1)
    TEST_CASE(24, a4, 0xffffffff80000000, jal a1, 1f; 1: auipc a4, 0x80000; sub a4, a4, a1)
    TEST_CASE(25, a4, 0xfffffffffffff000, jal a1, 1f; 1: auipc a4, 0xfffff; sub a4, a4, a1)
    TEST_CASE(26, a4, 0x12345000,         jal a1, 1f; 1: auipc a4, 0x12345; sub a4, a4, a1)
    TEST_CASE(27, t6, 0xffffffff80001000, jal a1, 1f; 1: auipc t6, 0x80001; sub t6, t6, a1)
    TEST_CASE(28, x0, 0,                  auipc x0, 0x12345)
    // auipc + addi / ld reach a data symbol (what la/lla expand to)
    TEST_CASE(29, a4, 0x0123456789abcdef,
        1: auipc a1, %pcrel_hi(auipc_data); ld a4, %pcrel_lo(1b)(a1))
    TEST_CASE(30, a4, 0x0123456789abcdef,
        1: auipc a1, %pcrel_hi(auipc_data); addi a1, a1, %pcrel_lo(1b); ld a4, 0(a1))
    // two auipc 8 bytes apart
    TEST_CASE(31, a4, 8, auipc a1, 0; nop; auipc a4, 0; sub a4, a4, a1)

RVTEST_CODE_END

RVTEST_DATA_BEGIN
auipc_data: .dword 0x0123456789abcdef
RVTEST_DATA_END
