/* x86-64 Linux entry point, only used to build guests natively for
 * cross-checking expected outputs (tests/integration/check_host.sh). */
    .text
    .globl _start
    .type _start, @function
_start:
    xor %ebp, %ebp
    mov %rsp, %rdi
    and $-16, %rsp
    call rt_start_c
    hlt
    .size _start, . - _start
    .section .note.GNU-stack, "", @progbits
