// x0 is hardwired to zero: "Register x0 is hardwired with all bits equal
// to 0." Writes by every instruction class are discarded, and the side
// effects of such instructions (jumps, stores of AMOs) still happen.

#include "test_macros.h"

.option norvc

// Check x0 is zero both as a compare operand and as an ALU source.
#define CHECK_X0                  \
    bne x0, zero, fail;           \
    li t2, 0x77;                  \
    add t2, t2, x0;               \
    li a5, 0x77;                  \
    bne t2, a5, fail;             \
    or a5, x0, x0;                \
    bnez a5, fail;

RVTEST_CODE_BEGIN

    TEST_BEGIN(1)
    li a1, 5
    addi x0, a1, 1
    CHECK_X0
    add x0, a1, a1
    CHECK_X0
    sub x0, x0, a1
    CHECK_X0
    xori x0, x0, -1
    CHECK_X0
    slli x0, a1, 3
    CHECK_X0
    sraiw x0, a1, 3
    CHECK_X0
    addw x0, a1, a1
    CHECK_X0
    sltu x0, x0, a1
    CHECK_X0

    TEST_BEGIN(2)
    lui x0, 0xfffff
    CHECK_X0
    auipc x0, 1
    CHECK_X0

    TEST_BEGIN(3)
    li a1, 7
    li a2, 9
    mul x0, a1, a2
    CHECK_X0
    mulhu x0, a1, a2
    CHECK_X0
    div x0, a1, x0              // divide by zero into x0
    CHECK_X0
    remw x0, a1, a2
    CHECK_X0

    TEST_BEGIN(4)
    la a1, x0_buf
    ld x0, 0(a1)
    CHECK_X0
    lbu x0, 0(a1)
    CHECK_X0

    // jal/jalr with rd = x0 still jump
    TEST_BEGIN(5)
    jal x0, 1f
    j fail
1:  CHECK_X0
    la a1, 2f
    jalr x0, 0(a1)
    j fail
2:  CHECK_X0

    // AMO with rd = x0: memory updated, x0 unchanged
    TEST_BEGIN(6)
    la a1, x0_buf
    li a2, 40
    sd a2, 0(a1)
    li a3, 2
    amoadd.d x0, a3, (a1)
    CHECK_X0
    ld a4, 0(a1)
    CHECK(a4, 42)
    amoswap.w x0, a3, (a1)
    CHECK_X0
    lw a4, 0(a1)
    CHECK(a4, 2)

    // LR into x0, then SC still succeeds (reservation was taken)
    TEST_BEGIN(7)
    la a1, x0_buf
    lr.d x0, (a1)
    CHECK_X0
    li a3, 99
    sc.d a4, a3, (a1)
    CHECK(a4, 0)
    ld a4, 0(a1)
    CHECK(a4, 99)

    // CSR read into x0
    TEST_BEGIN(8)
    li a1, 0x1f
    csrrw x0, CSR_FFLAGS, a1
    csrrs x0, CSR_FFLAGS, x0
    CHECK_X0
    csrrs x0, CSR_CYCLE, x0
    CHECK_X0
    csrrwi x0, CSR_FFLAGS, 0
    CHECK_X0

    // Storing x0 stores zero
    TEST_BEGIN(9)
    la a1, x0_buf
    li a2, -1
    sd a2, 0(a1)
    sd x0, 0(a1)
    ld a4, 0(a1)
    CHECK(a4, 0)

RVTEST_CODE_END

RVTEST_DATA_BEGIN
x0_buf: .dword 0
RVTEST_DATA_END
