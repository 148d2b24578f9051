// RV64C control transfer: C.J, C.JR, C.JALR, C.BEQZ, C.BNEZ
// (C.JAL is RV32-only; in RV64 that encoding is C.ADDIW.)
// "C.JALR ... performs the same operation as C.JR, but additionally writes
// the address of the instruction following the jump (pc+2) to the link
// register, x1. C.JALR expands to jalr x1, 0(rs1)."
// "C.BEQZ performs conditional control transfers. The offset is
// sign-extended and added to the pc to form the branch target address. It
// can therefore target a +-256 B range. C.BEQZ takes the branch if the value
// in register rs1' is zero." C.J has a +-2 KiB range.
// C.EBREAK is not executed here (it traps; the integration tests cover it).

#include "test_macros.h"

// A 32-bit jump (the assembler would otherwise compress a short j)
#define J32(target) .option push; .option norvc; j target; .option pop

.option rvc

RVTEST_CODE_BEGIN

    // C.J forward and backward
    TEST_BEGIN(1)
    li a0, 1
    RVC(c.j 2f)
1:  c.li a0, 3
    RVC(c.j 3f)
2:  c.li a0, 2
    RVC(c.j 1b)
    j fail
3:  CHECK(a0, 3)

    // Fillers below are c.unimp (illegal, SIGILL) so a wrong target cannot
    // slide through to the right place. Every c.* jump/branch target is in
    // range, so the assembler keeps the 16-bit encodings.

    // C.J at maximum forward range: +2046
    TEST_BEGIN(2)
    RVC(c.j far_fwd_2)
    .rept 1022
    c.unimp
    .endr
far_fwd_2:                      // 2 + 1022*2 = 2046 bytes after the c.j

    // C.J at maximum backward range: -2048
    TEST_BEGIN(3)
    j 2f
far_back_3:
    J32(3f)                     // 4 bytes
    .rept 1022
    c.unimp
    .endr
2:  RVC(c.j far_back_3)  // 4 + 1022*2 = 2048 bytes back
    j fail
3:

    // C.BEQZ / C.BNEZ, each x8-x15 register, forward and backward
#define TEST_CB_TAKEN(n, inst, reg, val) \
    TEST_BEGIN(n); li reg, val; RVC(inst reg, 2f); j fail; \
    1: j 3f; 2: RVC(inst reg, 1b); j fail; 3:
#define TEST_CB_NOTTAKEN(n, inst, reg, val) \
    TEST_BEGIN(n); li reg, val; RVC(inst reg, 1f); j 2f; \
    1: j fail; 2: RVC(inst reg, 1b);

    TEST_CB_TAKEN(10, c.beqz, s0, 0)
    TEST_CB_TAKEN(11, c.beqz, s1, 0)
    TEST_CB_TAKEN(12, c.beqz, a0, 0)
    TEST_CB_TAKEN(13, c.beqz, a5, 0)
    TEST_CB_NOTTAKEN(14, c.beqz, a1, 1)
    TEST_CB_NOTTAKEN(15, c.beqz, a2, -1)
    TEST_CB_NOTTAKEN(16, c.beqz, a3, 0x100000000)       // all 64 bits compared
    TEST_CB_NOTTAKEN(17, c.beqz, a4, 0x8000000000000000)
    TEST_CB_TAKEN(20, c.bnez, a1, 1)
    TEST_CB_TAKEN(21, c.bnez, a2, -1)
    TEST_CB_TAKEN(22, c.bnez, a3, 0x100000000)
    TEST_CB_TAKEN(23, c.bnez, a4, 0x8000000000000000)
    TEST_CB_NOTTAKEN(24, c.bnez, s0, 0)
    TEST_CB_NOTTAKEN(25, c.bnez, s1, 0)
    TEST_CB_NOTTAKEN(26, c.bnez, a0, 0)
    TEST_CB_NOTTAKEN(27, c.bnez, a5, 0)

    // C.BEQZ / C.BNEZ at maximum forward range: +254
    TEST_BEGIN(30)
    li s0, 0
    RVC(c.beqz s0, 1f)
    .rept 126
    c.unimp
    .endr
1:                              // 2 + 126*2 = 254 bytes after the branch
    // GAS widens this one even though it is in range, so it is hand-encoded:
    // c.bnez s1, +254 = 111 0 11 001 11 11 1 01
    li s1, 1
4:  .hword 0xecfd
    .rept 126
    c.unimp
    .endr
5:
    .ifne (5b - 4b) - 254
    .error "c.bnez offset is not 254"
    .endif

    // C.BEQZ at maximum backward range: -256
    TEST_BEGIN(31)
    li a0, 0
    j 2f
1:  J32(3f)                      // 4 bytes
    .rept 126
    c.unimp
    .endr
2:  RVC(c.beqz a0, 1b)  // 4 + 126*2 = 256 bytes back
    j fail
3:

    // C.BNEZ at maximum backward range: -256
    TEST_BEGIN(32)
    li a1, -5
    j 2f
1:  J32(3f)
    .rept 126
    c.unimp
    .endr
2:  RVC(c.bnez a1, 1b)
    j fail
3:

    // C.BEQZ / C.BNEZ do not modify the register
    TEST_BEGIN(33)
    li a5, 7
    RVC(c.bnez a5, 1f)
    j fail
1:  CHECK(a5, 7)

    // Loop with c.bnez
    TEST_BEGIN(34)
    li a0, 10
    li a1, 0
1:  c.addi a1, 2
    c.addi a0, -1
    RVC(c.bnez a0, 1b)
    CHECK(a1, 20)

    // C.JR: jump to rs1, nothing written; LSB of the target cleared
    TEST_BEGIN(40)
    li ra, 0x5a5a
    la a0, 1f
    c.jr a0
    j fail
1:  CHECK(ra, 0x5a5a)
    la t6, 2f
    c.jr t6
    j fail
2:  la t0, 3f
    addi t0, t0, 1
    c.jr t0
    j fail
3:

    // C.JALR: ra = pc + 2
    TEST_BEGIN(41)
    la t0, 1f
    c.jalr t0
2:  j fail
1:  la a1, 2b
    bne ra, a1, fail
    la t2, 1b
    bne t0, t2, fail            // rs1 not modified

    // C.JALR with rs1 == ra: target from old ra, then ra = pc + 2
    TEST_BEGIN(42)
    la ra, 1f
    c.jalr ra
2:  j fail
1:  la a1, 2b
    bne ra, a1, fail

    // C.JALR with a high register and an odd target address
    TEST_BEGIN(43)
    la s11, 1f
    addi s11, s11, 1
    c.jalr s11
2:  j fail
1:  la a1, 2b
    bne ra, a1, fail

    // Call / return with c.jalr and c.jr ra
    TEST_BEGIN(44)
    li a0, 5
    la t1, rvc_double
    c.jalr t1
    CHECK(a0, 10)
    c.jalr t1
    CHECK(a0, 20)
    jal rvc_double              // mixed: 32-bit call, c.jr return
    CHECK(a0, 40)

    // Loop calling through c.jalr
    TEST_BEGIN(45)
    li a0, 1
    li s1, 4
    la t1, rvc_double
1:  c.jalr t1
    c.addi s1, -1
    RVC(c.bnez s1, 1b)
    CHECK(a0, 16)

    j pass

rvc_double:
    c.add a0, a0
    c.jr ra

RVTEST_CODE_END
