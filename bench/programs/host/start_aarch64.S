/* AArch64 Linux entry point for the native builds of the benchmark
 * programs (the x86-64 one is tests/guests/host/start_x86_64.S). The kernel
 * enters with sp pointing at argc; rt_start_c reads argc, argv and envp. */
    .text
    .globl _start
    .type _start, %function
_start:
    mov x29, #0
    mov x30, #0
    mov x0, sp
    and x1, x0, #-16
    mov sp, x1
    bl rt_start_c
1:  b 1b
    .size _start, . - _start
    .section .note.GNU-stack, "", %progbits
