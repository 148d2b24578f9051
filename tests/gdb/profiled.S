/* A program with a hand-countable call structure for rvrun --profile
 * (tests/gdb/profile.sh). Unit costs: every instruction is one cycle.
 *
 *   _start: call outer; exit             _start self = 1 (call) + 3 (li, li, ecall) = 4
 *   outer:  call leaf three times        outer self = 2 (prologue) + 3 calls + 2 (epilogue,
 *           with a loop                               ret) + loop: 3 * (addi, bnez) = 6  -> 13
 *   leaf:   5 instructions, ret          leaf self = 3 calls * 6 = 18
 */
    .text
    .globl _start
_start:
    call outer
    li a0, 0
    li a7, 93
    ecall

    .globl outer
    .type outer, @function
outer:
    mv s1, ra
    li s0, 3
1:  call leaf
    addi s0, s0, -1
    bnez s0, 1b
    mv ra, s1
    ret
    .size outer, .-outer

    .globl leaf
    .type leaf, @function
leaf:
    addi t0, zero, 1
    addi t0, t0, 1
    addi t0, t0, 1
    addi t0, t0, 1
    addi t0, t0, 1
    ret
    .size leaf, .-leaf
