// SB, SH, SW, SD
// "The SD, SW, SH, and SB instructions store 64-bit, 32-bit, 16-bit, and
// 8-bit values from the low bits of register rs2 to memory."
// TEST_ST_FILL pre-fills 16 bytes, stores, and checks both doublewords, so
// a store that is too wide or at the wrong place is caught.

#include "test_macros.h"

.option norvc

#define F0 0x0000000000000000
#define F1 0xffffffffffffffff

RVTEST_CODE_BEGIN

    // SB: only the low byte of rs2 is stored
    TEST_ST_FILL( 1, sb, 0xab, 0, st_buf, F0, 0xab, 0)
    TEST_ST_FILL( 2, sb, 0x123456789abcdeab, 3, st_buf, F0, 0xab000000, 0)
    TEST_ST_FILL( 3, sb, 0x5a, 7, st_buf, F0, 0x5a00000000000000, 0)
    TEST_ST_FILL( 4, sb, 0x00, 8, st_buf, F1, F1, 0xffffffffffffff00)
    TEST_ST_FILL( 5, sb, -1, 15, st_buf, F0, 0, 0xff00000000000000)
    TEST_ST_FILL( 6, sb, 0x80, 1, st_buf, F1, 0xffffffffffff80ff, F1)
    // SH
    TEST_ST_FILL(10, sh, 0xbeef, 0, st_buf, F0, 0xbeef, 0)
    TEST_ST_FILL(11, sh, 0x1234567890abcdef, 2, st_buf, F0, 0xcdef0000, 0)
    TEST_ST_FILL(12, sh, 0x7f80, 6, st_buf, F1, 0x7f80ffffffffffff, F1)
    TEST_ST_FILL(13, sh, 0, 14, st_buf, F1, F1, 0x0000ffffffffffff)
    // SW
    TEST_ST_FILL(20, sw, 0xdeadbeef, 0, st_buf, F0, 0xdeadbeef, 0)
    TEST_ST_FILL(21, sw, 0x0123456789abcdef, 4, st_buf, F0, 0x89abcdef00000000, 0)
    TEST_ST_FILL(22, sw, 0, 8, st_buf, F1, F1, 0xffffffff00000000)
    TEST_ST_FILL(23, sw, 0x80000000, 12, st_buf, F0, 0, 0x8000000000000000)
    // SD
    TEST_ST_FILL(30, sd, 0x0123456789abcdef, 0, st_buf, F1, 0x0123456789abcdef, F1)
    TEST_ST_FILL(31, sd, 0x8000000000000001, 8, st_buf, F0, 0, 0x8000000000000001)
    TEST_ST_FILL(32, sd, 0, 0, st_buf, F1, 0, F1)

    // Store then reload with each load width
    TEST_ST_OP(40, lb,  sb, 0xffffffffffffffaa, 0xaa, 0, st_buf)
    TEST_ST_OP(41, lbu, sb, 0xaa, 0xaa, 1, st_buf)
    TEST_ST_OP(42, lh,  sh, 0xffffffffffffaa55, 0xaa55, 2, st_buf)
    TEST_ST_OP(43, lhu, sh, 0xaa55, 0xaa55, 4, st_buf)
    TEST_ST_OP(44, lw,  sw, 0xffffffffaa55aa55, 0xaa55aa55, 8, st_buf)
    TEST_ST_OP(45, lwu, sw, 0xaa55aa55, 0xaa55aa55, 12, st_buf)
    TEST_ST_OP(46, ld,  sd, 0xaa55aa55aa55aa55, 0xaa55aa55aa55aa55, 8, st_buf)
    TEST_ST_OP(47, lw,  sw, 0x7fffffff, 0xffffffff7fffffff, 0, st_buf)

    // Negative offsets
    TEST_ST_OP(50, ld, sd, 0x1122334455667788, 0x1122334455667788, -16, st_buf + 16)
    TEST_ST_OP(51, lw, sw, 0x11223344, 0x11223344, -4, st_buf + 16)
    TEST_ST_OP(52, lh, sh, 0x1122, 0x1122, -2, st_buf + 16)
    TEST_ST_OP(53, lb, sb, 0x11, 0x11, -1, st_buf + 16)

    // Extreme offsets -2048 / +2047
    TEST_ST_OP(60, ld,  sd, 0x0102030405060708, 0x0102030405060708, -2048, big_mid)
    TEST_ST_OP(61, ld,  sd, 0x1020304050607080, 0x1020304050607080, 2040, big_mid)
    TEST_ST_OP(62, lbu, sb, 0xc3, 0xc3, 2047, big_mid)
    TEST_CASE(63, a4, 0xc320304050607080, la a1, big_hi; ld a4, 0(a1))
    TEST_CASE(64, a4, 0x0102030405060708, la a1, big_lo; ld a4, 0(a1))

    // Storing x0 writes zeros
    TEST_ST_FILL(70, sd, 0, 0, st_buf, F1, 0, F1)
    TEST_BEGIN(71)
    la a1, st_buf
    li a2, -1
    sd a2, 0(a1)
    sb x0, 1(a1)
    sh x0, 2(a1)
    sw x0, 4(a1)
    ld a4, 0(a1)
    CHECK(a4, 0x00000000000000ff)
    sd x0, 0(a1)
    ld a4, 0(a1)
    CHECK(a4, 0)

    // Value register == base register: stores the address itself
    TEST_BEGIN(72)
    la a1, st_buf
    sd a1, 8(a1)
    ld a4, 8(a1)
    bne a4, a1, fail

    // Store does not modify its registers
    TEST_BEGIN(73)
    la a1, st_buf
    li a2, 0x5555aaaa5555aaaa
    sw a2, 0(a1)
    CHECK(a2, 0x5555aaaa5555aaaa)
    la t2, st_buf
    bne a1, t2, fail

    // Other registers; stack is writable
    TEST_CASE(74, t6, 0x7766554433221100,
        la s11, st_buf; li tp, 0x7766554433221100; sd tp, 0(s11); ld t6, 0(s11))
    TEST_BEGIN(75)
    addi sp, sp, -16
    li a2, 0x0f0e0d0c0b0a0908
    sd a2, 0(sp)
    sd x0, 8(sp)
    ld a4, 0(sp)
    ld a5, 8(sp)
    addi sp, sp, 16
    CHECK(a4, 0x0f0e0d0c0b0a0908)
    CHECK(a5, 0)

    // Byte-by-byte build of a doubleword
    TEST_BEGIN(76)
    la a1, st_buf
    li a2, 0x10
    li a3, 0
1:  add a5, a1, a3
    sb a2, 0(a5)
    addi a2, a2, 0x11
    addi a3, a3, 1
    li a5, 8
    bne a3, a5, 1b
    ld a4, 0(a1)
    CHECK(a4, 0x8776655443322110)

RVTEST_CODE_END

RVTEST_DATA_BEGIN
st_buf:  .skip 32

big_lo:  .dword 0                      // big_mid - 2048
         .skip 2040
big_mid: .dword 0
         .skip 2032
big_hi:  .dword 0                      // big_mid + 2040
RVTEST_DATA_END
