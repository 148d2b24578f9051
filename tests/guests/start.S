/* Guest entry point. The kernel (or rvrun) enters here with sp pointing at
 * argc; a0 may hold garbage (Linux leaves an rtld_fini pointer there). */
    .text
    .globl _start
    .type _start, @function
_start:
    /* gp must be set before any code the linker may have relaxed to
     * gp-relative addressing; norelax keeps this la itself absolute. */
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    mv a0, sp
    andi sp, sp, -16      /* ABI alignment, in case the loader got it wrong */
    call rt_start_c
1:  j 1b                  /* rt_start_c never returns */
    .size _start, . - _start
