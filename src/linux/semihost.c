/*
 * RISC-V semihosting (the Arm semihosting interface as the RISC-V semihosting
 * specification adopts it, 64-bit flavour): a0 holds the operation, a1 a
 * parameter or the address of a block of 64-bit fields, the result goes to
 * a0. Handles are guest file descriptors, so semihosting files share the
 * Linux layer's sandbox, descriptor table and snapshots.
 *
 * Clocks are deterministic like the Linux ones: SYS_CLOCK counts centiseconds
 * and SYS_ELAPSED nanosecond ticks of the cycle count (1 cycle = 1 ns,
 * SYS_TICKFREQ says 1e9); SYS_TIME is CLOCK_REALTIME's second.
 */
#include "../core/cpu.h"
#include "os.h"
#include "sysno.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum {
    SH_OPEN = 0x01,
    SH_CLOSE = 0x02,
    SH_WRITEC = 0x03,
    SH_WRITE0 = 0x04,
    SH_WRITE = 0x05,
    SH_READ = 0x06,
    SH_READC = 0x07,
    SH_ISERROR = 0x08,
    SH_ISTTY = 0x09,
    SH_SEEK = 0x0a,
    SH_FLEN = 0x0c,
    SH_TMPNAM = 0x0d,
    SH_REMOVE = 0x0e,
    SH_RENAME = 0x0f,
    SH_CLOCK = 0x10,
    SH_TIME = 0x11,
    SH_SYSTEM = 0x12,
    SH_ERRNO = 0x13,
    SH_GET_CMDLINE = 0x15,
    SH_HEAPINFO = 0x16,
    SH_EXIT = 0x18,
    SH_EXIT_EXTENDED = 0x20,
    SH_ELAPSED = 0x30,
    SH_TICKFREQ = 0x31,
};

/* ADP_Stopped_ApplicationExit: a normal exit whose subcode is the status. */
#define ADP_APPLICATION_EXIT 0x20026u

/* How much heap SYS_HEAPINFO hands out, by moving the break. */
#define SH_HEAP_MAX (16ull << 20)

/* Reads n 64-bit fields of the parameter block; false on a bad pointer. */
static bool fields(rvvm_machine *m, uint64_t addr, uint64_t *out, int n)
{
    uint8_t b[32];
    if (rv_os_copy_in(m, b, addr, 8u * (unsigned)n) != 0)
        return false;
    for (int i = 0; i < n; i++)
        out[i] = rv_load_le(b + 8 * i, 8);
    return true;
}

/* A failed call: the guest sees -1 and SYS_ERRNO gives the reason. */
static int64_t fail(rvvm_machine *m, int64_t neg_errno)
{
    RV_OS(m)->sh_errno = (int32_t)-neg_errno;
    return -1;
}

static rv_file *console_file(uint8_t which)
{
    rv_file *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->refs = 1;
    f->kind = RV_FILE_CONSOLE;
    f->console = which;
    f->flags = which == 0 ? G_O_RDONLY : G_O_WRONLY;
    f->host_fd = -1;
    return f;
}

static int64_t sh_open(rvvm_machine *m, uint64_t block)
{
    uint64_t p[3];
    if (!fields(m, block, p, 3))
        return fail(m, -EFAULT);
    uint64_t name = p[0], mode = p[1], len = p[2];
    if (mode > 11)
        return fail(m, -EINVAL);
    if (len >= RV_OS_PATH_MAX)
        return fail(m, -ENAMETOOLONG);
    char path[RV_OS_PATH_MAX];
    if (rv_os_copy_in(m, path, name, len) != 0)
        return fail(m, -EFAULT);
    path[len] = '\0';
    if (strlen(path) != len)
        return fail(m, -EINVAL);
    rv_file *f = NULL;
    int err = 0;
    if (strcmp(path, ":tt") == 0) {
        /* Modes r* read the console, w* write stdout, a* write stderr. */
        f = console_file(mode < 4 ? 0 : mode < 8 ? 1 : 2);
        err = -ENOMEM;
    } else if (strcmp(path, ":semihosting-features") == 0) {
        if (mode > 1)
            return fail(m, -EACCES);
        f = console_file(0);
        if (f)
            f->kind = RV_FILE_FEATURES;
        err = -ENOMEM;
    } else {
        /* fopen modes: r, r+, w, w+, a, a+ (the b variants are the same). */
        static const uint32_t flags[6] = {
            G_O_RDONLY,
            G_O_RDWR,
            G_O_WRONLY | G_O_CREAT | G_O_TRUNC,
            G_O_RDWR | G_O_CREAT | G_O_TRUNC,
            G_O_WRONLY | G_O_CREAT | G_O_APPEND,
            G_O_RDWR | G_O_CREAT | G_O_APPEND,
        };
        f = rv_os_open_path(m, G_AT_FDCWD, path, flags[mode / 2], 0666, &err);
    }
    if (!f)
        return fail(m, err);
    int fd = rv_os_install(m, f, false, 0);
    if (fd < 0) {
        rv_os_file_unref(f);
        return fail(m, fd);
    }
    return fd;
}

static rv_file *handle(rvvm_machine *m, uint64_t h)
{
    rv_file *f = rv_os_file(m, h);
    if (!f)
        RV_OS(m)->sh_errno = EBADF;
    return f;
}

static int64_t sh_rw(rvvm_machine *m, uint64_t block, bool write)
{
    uint64_t p[3];
    if (!fields(m, block, p, 3))
        return fail(m, -EFAULT);
    rv_file *f = handle(m, p[0]);
    if (!f)
        return -1;
    /* The result is the number of bytes NOT transferred. */
    uint64_t done = 0, len = p[2];
    while (done < len) {
        int64_t n = write ? rv_os_file_write(m, f, p[1] + done, len - done, false, 0)
                          : rv_os_file_read(m, f, p[1] + done, len - done, false, 0);
        if (n < 0) {
            if (done == 0) {
                RV_OS(m)->sh_errno = (int32_t)-n;
                return write ? (int64_t)len : -1;
            }
            break;
        }
        if (n == 0)
            break;
        done += (uint64_t)n;
        if (!write)
            break; /* a short read is the answer, like read(2) */
    }
    return (int64_t)(len - done);
}

static int64_t sh_write0(rvvm_machine *m, uint64_t addr)
{
    /* Writes the NUL-terminated string in pieces of up to a page. */
    for (;;) {
        if (!rv_memory_range_ok(&m->mem, addr, 1, RV_PAGE_R))
            return fail(m, -EFAULT);
        uint64_t room = RV_PAGE_SIZE - (addr & RV_PAGE_MASK);
        const uint8_t *p = m->mem.base + addr;
        const uint8_t *nul = memchr(p, 0, (size_t)room);
        uint64_t n = nul ? (uint64_t)(nul - p) : room;
        if (n)
            m->write_fn(m->io_user, 1, p, (size_t)n);
        if (nul)
            return 0;
        addr += n;
    }
}

static int64_t sh_exit(rvvm_machine *m, uint64_t reason, uint64_t subcode)
{
    if (reason == ADP_APPLICATION_EXIT)
        m->exit_code = (int)(subcode & 0xff);
    else /* any other stop reason is a failure, even with subcode 0 */
        m->exit_code = (subcode & 0xff) ? (int)(subcode & 0xff) : 1;
    return 0;
}

static int64_t sh_heapinfo(rvvm_machine *m, uint64_t addr)
{
    /* The specification passes the address of a pointer to the four-field
     * block; picolibc passes the block itself, zeroed. A NULL pointer field
     * therefore means: fill the block at a1. */
    uint64_t block;
    if (!fields(m, addr, &block, 1))
        return fail(m, -EFAULT);
    if (block == 0)
        block = addr;
    /* The heap is the break area: grow it (once) and describe it. */
    uint64_t base = (m->layout.brk + RV_PAGE_MASK) & ~RV_PAGE_MASK;
    uint64_t room = m->layout.mmap_low > base ? m->layout.mmap_low - base : 0;
    uint64_t limit = base + (room < SH_HEAP_MAX ? room : SH_HEAP_MAX);
    if (limit > base)
        limit = rv_mm_brk(m, limit);
    uint8_t b[32];
    rv_store_le(b, base, 8);
    rv_store_le(b + 8, limit, 8);
    rv_store_le(b + 16, m->mem.size, 8);
    rv_store_le(b + 24, m->layout.stack_low, 8);
    if (rv_os_copy_out(m, block, b, sizeof b) != 0)
        return fail(m, -EFAULT);
    return 0;
}

static int64_t sh_path_op(rvvm_machine *m, uint64_t block, bool rename)
{
    uint64_t p[4];
    if (!fields(m, block, p, rename ? 4 : 2))
        return fail(m, -EFAULT);
    char path[2][RV_OS_PATH_MAX];
    for (int i = 0; i < (rename ? 2 : 1); i++) {
        uint64_t len = p[2 * i + 1];
        if (len >= RV_OS_PATH_MAX)
            return fail(m, -ENAMETOOLONG);
        if (rv_os_copy_in(m, path[i], p[2 * i], len) != 0)
            return fail(m, -EFAULT);
        path[i][len] = '\0';
    }
    /* The strings must be what the block says: NUL-terminated at their length. */
    if (strlen(path[0]) != p[1] || (rename && strlen(path[1]) != p[3]))
        return fail(m, -EINVAL);
    /* Then the Linux calls do the work, reading the same guest strings. */
    uint64_t args[6] = {(uint64_t)(int64_t)G_AT_FDCWD, p[0], 0, 0, 0, 0};
    bool handled = true;
    int64_t r;
    if (rename) {
        args[2] = (uint64_t)(int64_t)G_AT_FDCWD;
        args[3] = p[2];
        r = rv_fs_syscall(m, RV_NR_renameat, args, &handled);
    } else {
        r = rv_fs_syscall(m, RV_NR_unlinkat, args, &handled);
    }
    return r < 0 ? fail(m, r) : 0;
}

int rv_semihost(rvvm_machine *m)
{
    uint64_t op = m->x[10], arg = m->x[11];
    int64_t ret = 0;
    uint64_t p[2];
    switch (op) {
    case SH_OPEN: ret = sh_open(m, arg); break;
    case SH_CLOSE:
        if (!fields(m, arg, p, 1))
            ret = fail(m, -EFAULT);
        else
            ret = rv_os_close(m, p[0]) ? fail(m, -EBADF) : 0;
        break;
    case SH_WRITEC: {
        /* WRITEC and WRITE0 return nothing: a0 is left as it was. */
        uint8_t c;
        if (rv_os_copy_in(m, &c, arg, 1) == 0)
            m->write_fn(m->io_user, 1, &c, 1);
        else
            RV_OS(m)->sh_errno = EFAULT;
        return 0;
    }
    case SH_WRITE0:
        sh_write0(m, arg);
        return 0;
    case SH_WRITE: ret = sh_rw(m, arg, true); break;
    case SH_READ: ret = sh_rw(m, arg, false); break;
    case SH_READC: {
        uint8_t c;
        int64_t n = m->read_fn(m->io_user, 0, &c, 1);
        ret = n == 1 ? c : -1;
        break;
    }
    case SH_ISERROR:
        ret = fields(m, arg, p, 1) ? ((int64_t)p[0] < 0) : fail(m, -EFAULT);
        break;
    case SH_ISTTY: {
        if (!fields(m, arg, p, 1)) {
            ret = fail(m, -EFAULT);
            break;
        }
        rv_file *f = handle(m, p[0]);
        ret = !f ? -1 : f->kind == RV_FILE_CONSOLE ? 1 : 0;
        if (f && !ret)
            RV_OS(m)->sh_errno = ENOTTY;
        break;
    }
    case SH_SEEK: {
        uint64_t q[2];
        if (!fields(m, arg, q, 2)) {
            ret = fail(m, -EFAULT);
            break;
        }
        rv_file *f = handle(m, q[0]);
        if (!f) {
            ret = -1;
            break;
        }
        int64_t r = (int64_t)q[1] < 0 ? -EINVAL : rv_os_file_lseek(f, (int64_t)q[1], 0);
        ret = r < 0 ? fail(m, r) : 0;
        break;
    }
    case SH_FLEN: {
        if (!fields(m, arg, p, 1)) {
            ret = fail(m, -EFAULT);
            break;
        }
        rv_file *f = handle(m, p[0]);
        if (!f) {
            ret = -1;
            break;
        }
        int64_t r = rv_os_file_size(f);
        ret = r < 0 ? fail(m, r) : r;
        break;
    }
    case SH_REMOVE: ret = sh_path_op(m, arg, false); break;
    case SH_RENAME: ret = sh_path_op(m, arg, true); break;
    case SH_TMPNAM: case SH_SYSTEM: ret = fail(m, -ENOSYS); break;
    case SH_CLOCK: ret = (int64_t)(m->cycles / 10000000ull); break; /* centiseconds */
    case SH_TIME: ret = (int64_t)(rv_os_realtime_ns(m) / 1000000000ull); break;
    case SH_ELAPSED: {
        uint8_t b[8];
        rv_store_le(b, m->cycles, 8);
        ret = rv_os_copy_out(m, arg, b, 8) ? fail(m, -EFAULT) : 0;
        break;
    }
    case SH_TICKFREQ: ret = 1000000000; break;
    case SH_ERRNO: ret = RV_OS(m)->sh_errno; break;
    case SH_GET_CMDLINE: {
        if (!fields(m, arg, p, 2)) {
            ret = fail(m, -EFAULT);
            break;
        }
        const char *cmd = RV_OS(m)->cmdline ? RV_OS(m)->cmdline : "";
        uint64_t len = strlen(cmd);
        if (len + 1 > p[1]) {
            ret = fail(m, -E2BIG);
            break;
        }
        uint8_t b[8];
        rv_store_le(b, len, 8);
        if (rv_os_copy_out(m, p[0], cmd, len + 1) || rv_os_copy_out(m, arg + 8, b, 8))
            ret = fail(m, -EFAULT);
        break;
    }
    case SH_HEAPINFO: ret = sh_heapinfo(m, arg); break;
    case SH_EXIT:
        /* 64-bit: a1 points to {reason, subcode}; a bare reason is accepted too. */
        if (fields(m, arg, p, 2))
            sh_exit(m, p[0], p[1]);
        else
            sh_exit(m, arg, 0);
        return 1;
    case SH_EXIT_EXTENDED:
        if (fields(m, arg, p, 2))
            sh_exit(m, p[0], p[1]);
        else
            sh_exit(m, arg, 0);
        return 1;
    default:
        if (m->config.strict_syscalls)
            return -1;
        ret = fail(m, -ENOSYS);
        break;
    }
    m->x[10] = (uint64_t)ret;
    return 0;
}
