// FENCE (all pred/succ combinations used in practice), FENCE.TSO, PAUSE, NOP
// On a single hart these must behave as no-ops: no register changes, and
// program order of memory accesses is kept.
// "The unused fields in the FENCE instructions--rs1 and rd--are reserved for
// finer-grain fences in future extensions. For forward compatibility, base
// implementations shall ignore these fields."
// ECALL is covered by the exit path of every test.

#include "test_macros.h"

.option norvc

#define SET_REGS                  \
    li a0, 0x1111111111111111;    \
    li a1, 0x2222222222222222;    \
    li a2, 0x3333333333333333;    \
    li t6, 0x4444444444444444;

#define CHECK_REGS                \
    CHECK(a0, 0x1111111111111111) \
    CHECK(a1, 0x2222222222222222) \
    CHECK(a2, 0x3333333333333333) \
    CHECK(t6, 0x4444444444444444) \
    CHECK(x0, 0)

RVTEST_CODE_BEGIN

    TEST_BEGIN(1)
    SET_REGS
    fence
    CHECK_REGS

    TEST_BEGIN(2)
    SET_REGS
    fence rw, rw
    fence r, r
    fence w, w
    fence r, rw
    fence rw, w
    fence iorw, iorw
    fence i, o
    fence o, i
    fence io, io
    CHECK_REGS

    TEST_BEGIN(3)
    SET_REGS
    fence.tso                   // fm=1000, pred=succ=RW
    CHECK_REGS

    TEST_BEGIN(4)
    SET_REGS
    .word 0x0100000f            // pause (Zihintpause): fence w, 0
    CHECK_REGS

    TEST_BEGIN(5)
    SET_REGS
    .word 0x0ff5850f            // fence iorw,iorw with rd=a0, rs1=a1 (ignored)
    CHECK_REGS

    TEST_BEGIN(6)
    SET_REGS
    nop                         // addi x0, x0, 0
    .word 0x00000013
    CHECK_REGS

    // Store / fence / load on the same address sees the stored value
    TEST_BEGIN(7)
    la a1, fence_buf
    li a2, 0x0123456789abcdef
    sd a2, 0(a1)
    fence w, r
    ld a4, 0(a1)
    CHECK(a4, 0x0123456789abcdef)
    li a2, 0x77
    sb a2, 0(a1)
    fence rw, rw
    ld a4, 0(a1)
    CHECK(a4, 0x0123456789abcd77)
    fence.tso
    sd x0, 0(a1)
    fence
    ld a4, 0(a1)
    CHECK(a4, 0)

RVTEST_CODE_END

RVTEST_DATA_BEGIN
fence_buf: .dword 0
RVTEST_DATA_END
