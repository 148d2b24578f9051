/*
 * The contract's whole run-time: an entry point, memcpy/memset for the code
 * GCC may generate, and nothing else. The host runs _start once (setup),
 * which ends in a yield; after that it only calls exported functions.
 */
#include "rvvm/guest.h"

void contract_init(void);
void crt_main(void) __attribute__((noreturn, used));

/* The loader enters with sp at argc (16-byte aligned); gp must be set before
 * any code the linker relaxed to gp-relative addressing runs. */
__attribute__((naked, section(".text.start"))) void _start(void)
{
    __asm__ volatile(".option push\n"
                     ".option norelax\n"
                     "la gp, __global_pointer$\n"
                     ".option pop\n"
                     "andi sp, sp, -16\n"
                     "call crt_main\n");
}

void crt_main(void)
{
    contract_init();
    /* Setup is done: the host's rvvm_run returns RVVM_STOP_HOST, code 0.
     * A host that runs the machine on (it should not) gets here again. */
    for (;;)
        rvvm_yield(0);
}

void *memcpy(void *dst, const void *src, unsigned long n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, unsigned long n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}
