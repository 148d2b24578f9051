/*
 * rvvm/guest.h: the guest side of rvvm's host calls, for RISC-V programs
 * that talk to the machine they run in (contracts, plugins, jobs that ask
 * for checkpoints). Header-only, freestanding: include it in programs built
 * with riscv64-unknown-elf-gcc or riscv64-linux-gnu-gcc.
 *
 * A host call is an ecall with the call number in a7 and arguments in
 * a0..a5; the result comes back in a0. rvvm's numbers lie in a block
 * (RVVM_HOSTCALL_BASE and up) that Linux does not use, so the same binary
 * runs under qemu-riscv64 or Linux too, where such an ecall returns -ENOSYS
 * (-38). This header is the one place that defines the numbers.
 */
#ifndef RVVM_GUEST_H
#define RVVM_GUEST_H

#include <stdint.h>

/* First number of rvvm's block: "RV" in the upper half, far above Linux's numbers. */
#define RVVM_HOSTCALL_BASE 0x52560000u

/* ---- Checkpoint requests (rvrun --snapshot-on-request) ---- */
#define RVVM_HOSTCALL_CHECKPOINT (RVVM_HOSTCALL_BASE + 0x001u)

/* ---- The contract host of examples/contract-host ---- */
#define RVVM_HOSTCALL_INPUT_SIZE (RVVM_HOSTCALL_BASE + 0x100u)  /* () -> bytes of input */
#define RVVM_HOSTCALL_INPUT_READ (RVVM_HOSTCALL_BASE + 0x101u)  /* (buf, len) -> bytes copied */
#define RVVM_HOSTCALL_STORAGE_GET (RVVM_HOSTCALL_BASE + 0x102u) /* (key, klen, buf, len) -> value length or -1 */
#define RVVM_HOSTCALL_STORAGE_PUT (RVVM_HOSTCALL_BASE + 0x103u) /* (key, klen, val, vlen) -> 0 */
#define RVVM_HOSTCALL_LOG (RVVM_HOSTCALL_BASE + 0x104u)         /* (msg, len) -> 0 */
#define RVVM_HOSTCALL_RETURN (RVVM_HOSTCALL_BASE + 0x105u)      /* (data, len, status): ends the transaction */

/* A host call with up to six arguments; returns a0. */
static inline long rvvm_hostcall6(unsigned long nr, unsigned long a, unsigned long b,
                                  unsigned long c, unsigned long d, unsigned long e,
                                  unsigned long f)
{
    register unsigned long a0 __asm__("a0") = a;
    register unsigned long a1 __asm__("a1") = b;
    register unsigned long a2 __asm__("a2") = c;
    register unsigned long a3 __asm__("a3") = d;
    register unsigned long a4 __asm__("a4") = e;
    register unsigned long a5 __asm__("a5") = f;
    register unsigned long a7 __asm__("a7") = nr;
    __asm__ volatile("ecall"
                     : "+r"(a0)
                     : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
                     : "memory");
    return (long)a0;
}

static inline long rvvm_hostcall0(unsigned long nr) { return rvvm_hostcall6(nr, 0, 0, 0, 0, 0, 0); }
static inline long rvvm_hostcall2(unsigned long nr, unsigned long a, unsigned long b)
{
    return rvvm_hostcall6(nr, a, b, 0, 0, 0, 0);
}
static inline long rvvm_hostcall3(unsigned long nr, unsigned long a, unsigned long b,
                                  unsigned long c)
{
    return rvvm_hostcall6(nr, a, b, c, 0, 0, 0);
}
static inline long rvvm_hostcall4(unsigned long nr, unsigned long a, unsigned long b,
                                  unsigned long c, unsigned long d)
{
    return rvvm_hostcall6(nr, a, b, c, d, 0, 0);
}

/*
 * Asks the machine for a checkpoint here (gem5's "m5 checkpoint"). Under
 * `rvrun --snapshot-on-request PATTERN` a snapshot is written just after
 * this call, which then returns 0 -- in the run that asked and in every run
 * resumed from that snapshot. Anywhere else (rvrun without the option, an
 * embedder that does not handle it, qemu-riscv64, Linux) nothing happens and
 * it returns -38 (-ENOSYS). `tag` names the checkpoint (%t in PATTERN).
 */
static inline long rvvm_guest_checkpoint(unsigned long tag)
{
    return rvvm_hostcall2(RVVM_HOSTCALL_CHECKPOINT, tag, 0);
}

#endif
