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
 * (-38). This header is the one place that defines the numbers; hosts
 * include it for them too (the inline wrappers exist only for RISC-V).
 */
#ifndef RVVM_GUEST_H
#define RVVM_GUEST_H

#include <stdint.h>

/* First number of rvvm's block: "RV" in the upper half, far above Linux's numbers. */
#define RVVM_HOSTCALL_BASE 0x52560000u

/* ---- Checkpoint requests (rvrun --snapshot-on-request) ---- */
#define RVVM_HOSTCALL_CHECKPOINT (RVVM_HOSTCALL_BASE + 0x001u)

/*
 * ---- The contract host of examples/contract-host (docs/embedding.md) ----
 *
 * A contract is a bare program (no OS layer: RVVM_OS_NONE) whose start-up
 * code sets up its globals and then yields; the host then calls its
 * exported functions, one per transaction, with rvvm_call. A transaction's
 * status is the function's return value: 0 commits it, anything else
 * reverts it. Every call charges gas per byte it moves (the host's price).
 * A pointer the guest may not read or write gets RVVM_HOSTCALL_EFAULT back
 * and moves nothing.
 */
#define RVVM_HOSTCALL_INPUT_SIZE (RVVM_HOSTCALL_BASE + 0x100u)  /* () -> bytes of the transaction's input */
#define RVVM_HOSTCALL_INPUT_READ (RVVM_HOSTCALL_BASE + 0x101u)  /* (buf, len) -> bytes copied (at most len) */
#define RVVM_HOSTCALL_STORAGE_GET (RVVM_HOSTCALL_BASE + 0x102u) /* (key, klen, buf, len) -> value length (copies at most len bytes), or -1 if absent */
#define RVVM_HOSTCALL_STORAGE_PUT (RVVM_HOSTCALL_BASE + 0x103u) /* (key, klen, val, vlen) -> 0 */
#define RVVM_HOSTCALL_LOG (RVVM_HOSTCALL_BASE + 0x104u)         /* (msg, len) -> 0: a log line of the transaction */
#define RVVM_HOSTCALL_RETURN (RVVM_HOSTCALL_BASE + 0x105u)      /* (data, len) -> 0: the transaction's return data (last call wins) */
#define RVVM_HOSTCALL_YIELD (RVVM_HOSTCALL_BASE + 0x106u)       /* (code) -> 0: the host's run stops (RVVM_STOP_HOST, host_code = code) */

/* Errors the contract host returns in a0. */
#define RVVM_HOSTCALL_EFAULT (-14) /* a buffer is not readable or writable by the guest */
#define RVVM_HOSTCALL_EINVAL (-22) /* a length over the host's limits */

/*
 * The wrappers below exist only when compiling for RISC-V; a host includes
 * this header for the numbers alone.
 */
#if defined(__riscv)

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

/* ---- Contract host wrappers ---- */
static inline long rvvm_input_size(void) { return rvvm_hostcall0(RVVM_HOSTCALL_INPUT_SIZE); }
static inline long rvvm_input_read(void *buf, unsigned long len)
{
    return rvvm_hostcall2(RVVM_HOSTCALL_INPUT_READ, (unsigned long)buf, len);
}
static inline long rvvm_storage_get(const void *key, unsigned long klen, void *buf,
                                    unsigned long len)
{
    return rvvm_hostcall4(RVVM_HOSTCALL_STORAGE_GET, (unsigned long)key, klen,
                          (unsigned long)buf, len);
}
static inline long rvvm_storage_put(const void *key, unsigned long klen, const void *val,
                                    unsigned long vlen)
{
    return rvvm_hostcall4(RVVM_HOSTCALL_STORAGE_PUT, (unsigned long)key, klen,
                          (unsigned long)val, vlen);
}
static inline long rvvm_log(const void *msg, unsigned long len)
{
    return rvvm_hostcall2(RVVM_HOSTCALL_LOG, (unsigned long)msg, len);
}
static inline long rvvm_return(const void *data, unsigned long len)
{
    return rvvm_hostcall2(RVVM_HOSTCALL_RETURN, (unsigned long)data, len);
}
static inline long rvvm_yield(unsigned long code)
{
    return rvvm_hostcall2(RVVM_HOSTCALL_YIELD, code, 0);
}

#endif /* __riscv */

#endif
