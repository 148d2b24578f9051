// Zifencei: FENCE.I with self-modifying code
// "Executing a FENCE.I instruction ensures that a subsequent instruction fetch
// on a RISC-V hart will see any previous data stores already visible to the
// same RISC-V hart."
// The patched functions live in a writable+executable section.

#include "test_macros.h"

.option norvc

// addi a0, x0, imm  =  imm << 20 | rd(a0=10) << 7 | opcode 0x13
#define ADDI_A0_X0(imm) (((imm) << 20) | 0x513)

RVTEST_CODE_BEGIN

    // Baseline
    TEST_CASE(1, a0, 1, li a0, 0; call smc_func)

    // Replace the first instruction with a word store
    TEST_BEGIN(2)
    la a1, smc_func
    la a2, tmpl_addi_2
    lw a3, 0(a2)
    sw a3, 0(a1)
    fence.i
    li a0, 0
    call smc_func
    CHECK(a0, 2)

    // Patch again (an already-translated/decoded version must not be reused)
    TEST_BEGIN(3)
    la a1, smc_func
    li a3, ADDI_A0_X0(3)
    sw a3, 0(a1)
    fence.i
    call smc_func
    CHECK(a0, 3)

    // Patch with two halfword stores
    TEST_BEGIN(4)
    la a1, smc_func
    li a3, ADDI_A0_X0(-5)
    sh a3, 0(a1)
    srli a3, a3, 16
    sh a3, 2(a1)
    fence.i
    call smc_func
    CHECK(a0, -5)

    // Patch a later instruction (nop -> addi a0, a0, 100)
    TEST_BEGIN(5)
    la a1, smc_func
    la a2, tmpl_addi_a0_100
    lw a3, 0(a2)
    sw a3, 4(a1)
    fence.i
    call smc_func
    CHECK(a0, 95)

    // Replace the whole body with a copied function (64-bit store)
    TEST_BEGIN(6)
    la a1, smc_func
    la a2, tmpl_body
    ld a3, 0(a2)
    sd a3, 0(a1)
    fence.i
    li a0, 21
    call smc_func
    CHECK(a0, 42)

    // Patch inside a loop: each iteration returns the loop counter
    TEST_BEGIN(7)
    la a1, smc_func
    li a3, 0x00000013           // restore nop at +4
    sw a3, 4(a1)
    li s2, 10                   // counter
    li s3, 0                    // sum
1:  slli a3, s2, 20
    ori a3, a3, 0x513           // addi a0, x0, s2
    sw a3, 0(a1)
    fence.i
    call smc_func
    add s3, s3, a0
    addi s2, s2, -1
    bnez s2, 1b
    CHECK(s3, 55)

    // Store to the instruction right after fence.i in the same straight-line
    // code: warm it up with the original encoding, then patch it.
    TEST_BEGIN(8)
    la a1, smc_inline
    li a2, ADDI_A0_X0(1)
    call smc_inline
    CHECK(a0, 1)
    li a2, ADDI_A0_X0(7)
    call smc_inline
    CHECK(a0, 7)
    li a2, ADDI_A0_X0(8)
    call smc_inline
    CHECK(a0, 8)

    // Compressed code: patch c.li a0, 1 -> c.li a0, 9 (one halfword store)
    TEST_BEGIN(9)
    call smc_rvc
    CHECK(a0, 1)
    la a1, smc_rvc
    la a2, tmpl_cli_9
    lhu a3, 0(a2)
    sh a3, 0(a1)
    fence.i
    call smc_rvc
    CHECK(a0, 9)

    // fence.i with nothing modified is harmless, and does not touch registers
    TEST_BEGIN(10)
    li a0, 0x1234
    fence.i
    fence.i
    CHECK(a0, 0x1234)
    call smc_rvc
    CHECK(a0, 9)

RVTEST_CODE_END

    .section .smc, "awx", @progbits
    .balign 8
smc_func:
    addi a0, x0, 1              // patched
    nop                         // patched
    ret
    nop

    .balign 8
smc_inline:                     // a1 = smc_inline, a2 = new encoding
    sw a2, 12(a1)
    fence.i
    nop
    addi a0, x0, 1              // patched: smc_inline + 12
    ret

    .balign 8
.option push
.option rvc
smc_rvc:
    c.li a0, 1                  // patched
    c.jr ra
.option pop

    .section .rodata
    .balign 8
tmpl_body:
    add a0, a0, a0
    ret
tmpl_addi_2:
    addi a0, x0, 2
tmpl_addi_a0_100:
    addi a0, a0, 100
.option push
.option rvc
tmpl_cli_9:
    c.li a0, 9
.option pop
