// Misaligned loads and stores (LH/LHU/LW/LWU/LD, SH/SW/SD, and C.LW/C.LD/C.SW/C.SD/C.LWSP/C.LDSP/C.SWSP/C.SDSP)
// "Loads and stores where the effective address is not naturally aligned to
// the referenced datatype ... may be handled in hardware, or by an invisible
// trap into a more privileged execution environment." Under Linux (and in
// qemu-riscv64 and rvvm) they must simply work, including across a 4 KiB page
// boundary. Misaligned LR/SC/AMOs raise an exception and are not tested.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // Loads at every misaligned offset (mis_buf bytes: 0x81 + 0x13*i)
    TEST_LD_OP(1, lh, 0xffffffffffffa794, 1, mis_buf)
    TEST_LD_OP(2, lh, 0xffffffffffffcdba, 3, mis_buf)
    TEST_LD_OP(3, lh, 0xfffffffffffff3e0, 5, mis_buf)
    TEST_LD_OP(4, lh, 0x1906, 7, mis_buf)
    TEST_LD_OP(5, lhu, 0xa794, 1, mis_buf)
    TEST_LD_OP(6, lhu, 0xcdba, 3, mis_buf)
    TEST_LD_OP(7, lhu, 0xf3e0, 5, mis_buf)
    TEST_LD_OP(8, lhu, 0x1906, 7, mis_buf)
    TEST_LD_OP(9, lw, 0xffffffffcdbaa794, 1, mis_buf)
    TEST_LD_OP(10, lw, 0xffffffffe0cdbaa7, 2, mis_buf)
    TEST_LD_OP(11, lw, 0xfffffffff3e0cdba, 3, mis_buf)
    TEST_LD_OP(12, lw, 0x1906f3e0, 5, mis_buf)
    TEST_LD_OP(13, lw, 0x2c1906f3, 6, mis_buf)
    TEST_LD_OP(14, lw, 0x3f2c1906, 7, mis_buf)
    TEST_LD_OP(15, lw, 0x65523f2c, 9, mis_buf)
    TEST_LD_OP(16, lwu, 0xcdbaa794, 1, mis_buf)
    TEST_LD_OP(17, lwu, 0xe0cdbaa7, 2, mis_buf)
    TEST_LD_OP(18, lwu, 0xf3e0cdba, 3, mis_buf)
    TEST_LD_OP(19, lwu, 0x1906f3e0, 5, mis_buf)
    TEST_LD_OP(20, lwu, 0x2c1906f3, 6, mis_buf)
    TEST_LD_OP(21, lwu, 0x3f2c1906, 7, mis_buf)
    TEST_LD_OP(22, lwu, 0x65523f2c, 9, mis_buf)
    TEST_LD_OP(23, ld, 0x1906f3e0cdbaa794, 1, mis_buf)
    TEST_LD_OP(24, ld, 0x2c1906f3e0cdbaa7, 2, mis_buf)
    TEST_LD_OP(25, ld, 0x3f2c1906f3e0cdba, 3, mis_buf)
    TEST_LD_OP(26, ld, 0x523f2c1906f3e0cd, 4, mis_buf)
    TEST_LD_OP(27, ld, 0x65523f2c1906f3e0, 5, mis_buf)
    TEST_LD_OP(28, ld, 0x7865523f2c1906f3, 6, mis_buf)
    TEST_LD_OP(29, ld, 0x8b7865523f2c1906, 7, mis_buf)

    // Loads crossing a 4 KiB page boundary (mis_page + 16 is page aligned)
    TEST_LD_OP(30, lh, 0x4752, 15, mis_page)
    TEST_LD_OP(31, lhu, 0x4752, 15, mis_page)
    TEST_LD_OP(32, lw, 0x313c4752, 15, mis_page)
    TEST_LD_OP(33, lw, 0x3c47525d, 14, mis_page)
    TEST_LD_OP(34, lw, 0x47525d68, 13, mis_page)
    TEST_LD_OP(35, lwu, 0x313c4752, 15, mis_page)
    TEST_LD_OP(36, lwu, 0x3c47525d, 14, mis_page)
    TEST_LD_OP(37, lwu, 0x47525d68, 13, mis_page)
    TEST_LD_OP(38, ld, 0x5101b26313c4752, 15, mis_page)
    TEST_LD_OP(39, ld, 0x101b26313c47525d, 14, mis_page)
    TEST_LD_OP(40, ld, 0x1b26313c47525d68, 13, mis_page)
    TEST_LD_OP(41, ld, 0x26313c47525d6873, 12, mis_page)
    TEST_LD_OP(42, ld, 0x313c47525d68737e, 11, mis_page)
    TEST_LD_OP(43, ld, 0x3c47525d68737e89, 10, mis_page)
    TEST_LD_OP(44, ld, 0x47525d68737e8994, 9, mis_page)

    // Misaligned negative offset
    TEST_LD_OP(45, ld, 0x3f2c1906f3e0cdba, -13, mis_buf + 16)
    TEST_LD_OP(46, lw, 0xffffffffcdbaa794, -2047, mis_buf + 2048)

    // Stores: fill 16 bytes, store misaligned, check both doublewords
    TEST_ST_FILL(47, sh, 0x8899aabbccddeeff, 1, mis_st, 0, 0xeeff00, 0)
    TEST_ST_FILL(48, sh, 0x8899aabbccddeeff, 3, mis_st, 0, 0xeeff000000, 0)
    TEST_ST_FILL(49, sh, 0x8899aabbccddeeff, 5, mis_st, 0, 0xeeff0000000000, 0)
    TEST_ST_FILL(50, sh, 0x8899aabbccddeeff, 7, mis_st, 0, 0xff00000000000000, 238)
    TEST_ST_FILL(51, sw, 0x8899aabbccddeeff, 1, mis_st, 0, 0xccddeeff00, 0)
    TEST_ST_FILL(52, sw, 0x8899aabbccddeeff, 2, mis_st, -1, 0xffffccddeeffffff, -1)
    TEST_ST_FILL(53, sw, 0x8899aabbccddeeff, 3, mis_st, 0, 0xccddeeff000000, 0)
    TEST_ST_FILL(54, sw, 0x8899aabbccddeeff, 5, mis_st, 0, 0xddeeff0000000000, 204)
    TEST_ST_FILL(55, sw, 0x8899aabbccddeeff, 6, mis_st, -1, 0xeeffffffffffffff, 0xffffffffffffccdd)
    TEST_ST_FILL(56, sw, 0x8899aabbccddeeff, 7, mis_st, 0, 0xff00000000000000, 0xccddee)
    TEST_ST_FILL(57, sd, 0x8899aabbccddeeff, 1, mis_st, 0, 0x99aabbccddeeff00, 136)
    TEST_ST_FILL(58, sd, 0x8899aabbccddeeff, 2, mis_st, -1, 0xaabbccddeeffffff, 0xffffffffffff8899)
    TEST_ST_FILL(59, sd, 0x8899aabbccddeeff, 3, mis_st, 0, 0xbbccddeeff000000, 0x8899aa)
    TEST_ST_FILL(60, sd, 0x8899aabbccddeeff, 4, mis_st, -1, 0xccddeeffffffffff, 0xffffffff8899aabb)
    TEST_ST_FILL(61, sd, 0x8899aabbccddeeff, 5, mis_st, 0, 0xddeeff0000000000, 0x8899aabbcc)
    TEST_ST_FILL(62, sd, 0x8899aabbccddeeff, 6, mis_st, -1, 0xeeffffffffffffff, 0xffff8899aabbccdd)
    TEST_ST_FILL(63, sd, 0x8899aabbccddeeff, 7, mis_st, 0, 0xff00000000000000, 0x8899aabbccddee)

    // Stores crossing the page boundary, checked with aligned loads
    TEST_BEGIN(64)
    la a1, mis_page; sd x0, 8(a1); sd x0, 16(a1)
    li a2, 0x20406080a0c0e10; sh a2, 15(a1)
    ld a4, 8(a1); CHECK(a4, 0x1000000000000000)
    ld a4, 16(a1); CHECK(a4, 14)
    lh a4, 15(a1); CHECK(a4, 0xe10)
    TEST_BEGIN(65)
    la a1, mis_page; sd x0, 8(a1); sd x0, 16(a1)
    li a2, 0x306090c0f121518; sw a2, 15(a1)
    ld a4, 8(a1); CHECK(a4, 0x1800000000000000)
    ld a4, 16(a1); CHECK(a4, 0xf1215)
    lw a4, 15(a1); CHECK(a4, 0xf121518)
    TEST_BEGIN(66)
    la a1, mis_page; sd x0, 8(a1); sd x0, 16(a1)
    li a2, 0x4080c1014181c20; sw a2, 14(a1)
    ld a4, 8(a1); CHECK(a4, 0x1c20000000000000)
    ld a4, 16(a1); CHECK(a4, 0x1418)
    lw a4, 14(a1); CHECK(a4, 0x14181c20)
    TEST_BEGIN(67)
    la a1, mis_page; sd x0, 8(a1); sd x0, 16(a1)
    li a2, 0x50a0f14191e2328; sw a2, 13(a1)
    ld a4, 8(a1); CHECK(a4, 0x1e23280000000000)
    ld a4, 16(a1); CHECK(a4, 25)
    lw a4, 13(a1); CHECK(a4, 0x191e2328)
    TEST_BEGIN(68)
    la a1, mis_page; sd x0, 8(a1); sd x0, 16(a1)
    li a2, 0x60c12181e242a30; sd a2, 15(a1)
    ld a4, 8(a1); CHECK(a4, 0x3000000000000000)
    ld a4, 16(a1); CHECK(a4, 0x60c12181e242a)
    ld a4, 15(a1); CHECK(a4, 0x60c12181e242a30)
    TEST_BEGIN(69)
    la a1, mis_page; sd x0, 8(a1); sd x0, 16(a1)
    li a2, 0x70e151c232a3138; sd a2, 12(a1)
    ld a4, 8(a1); CHECK(a4, 0x232a313800000000)
    ld a4, 16(a1); CHECK(a4, 0x70e151c)
    ld a4, 12(a1); CHECK(a4, 0x70e151c232a3138)
    TEST_BEGIN(70)
    la a1, mis_page; sd x0, 8(a1); sd x0, 16(a1)
    li a2, 0x102030405060708; sd a2, 9(a1)
    ld a4, 8(a1); CHECK(a4, 0x203040506070800)
    ld a4, 16(a1); CHECK(a4, 1)
    ld a4, 9(a1); CHECK(a4, 0x102030405060708)

    // Compressed loads/stores with a misaligned base register
    .option push
    .option rvc
    TEST_CASE(71, a0, 0x1906f3e0, la s0, mis_buf + 1; c.lw a0, 4(s0))
    TEST_CASE(72, a0, 0xd7c4b19e8b786552, la s1, mis_buf + 3; c.ld a0, 8(s1))
    TEST_CASE(73, a0, 0x1234567890abcdef, la s0, mis_st + 3; li a5, 0x1234567890abcdef; c.sd a5, 0(s0); ld a0, 0(s0))
    TEST_CASE(74, a0, 0xffffffff90abcdef, la s0, mis_st + 5; li a5, 0x1234567890abcdef; c.sw a5, 4(s0); lw a0, 4(s0))
    TEST_BEGIN(75)
    mv s11, sp
    la sp, mis_buf + 5
    c.lwsp a0, 4(sp)
    c.ldsp a1, 8(sp)
    la sp, mis_st + 7
    c.sdsp a1, 0(sp)
    c.swsp a0, 8(sp)
    ld a2, 0(sp)
    lw a3, 8(sp)
    mv sp, s11
    CHECK(a0, 0x65523f2c)
    CHECK(a1, 0xfdead7c4b19e8b78)
    CHECK(a2, 0xfdead7c4b19e8b78)
    CHECK(a3, 0x65523f2c)
    .option pop

RVTEST_CODE_END

RVTEST_DATA_BEGIN
mis_buf:
    .byte 0x81, 0x94, 0xa7, 0xba, 0xcd, 0xe0, 0xf3, 0x06
    .byte 0x19, 0x2c, 0x3f, 0x52, 0x65, 0x78, 0x8b, 0x9e
    .byte 0xb1, 0xc4, 0xd7, 0xea, 0xfd, 0x10, 0x23, 0x36
    .byte 0x49, 0x5c, 0x6f, 0x82, 0x95, 0xa8, 0xbb, 0xce
mis_st:  .skip 32

    .balign 4096
    .skip 4096 - 16
mis_page:
    .byte 0xf7, 0xec, 0xe1, 0xd6, 0xcb, 0xc0, 0xb5, 0xaa
    .byte 0x9f, 0x94, 0x89, 0x7e, 0x73, 0x68, 0x5d, 0x52
    .byte 0x47, 0x3c, 0x31, 0x26, 0x1b, 0x10, 0x05, 0xfa
    .byte 0xef, 0xe4, 0xd9, 0xce, 0xc3, 0xb8, 0xad, 0xa2
    .skip 64
RVTEST_DATA_END
