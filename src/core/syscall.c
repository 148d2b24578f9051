/*
 * The Linux system-call layer. An ecall costs its cost class and nothing
 * more, whatever the call does, so metering never depends on the host.
 */
#include "cpu.h"

#include <errno.h>

enum {
    SYS_read = 63,
    SYS_write = 64,
    SYS_exit = 93,
    SYS_exit_group = 94,
};

/* Longest single read or write: bounds host buffers and keeps calls short. */
#define RV_IO_CHUNK_MAX (1u << 20)

static int64_t sys_write(rvvm_machine *m, uint64_t fd, uint64_t buf, uint64_t len)
{
    if (fd != 1 && fd != 2)
        return -EBADF;
    if (len > RV_IO_CHUNK_MAX)
        len = RV_IO_CHUNK_MAX;
    if (!rv_memory_range_ok(&m->mem, buf, len, RV_PAGE_R))
        return -EFAULT;
    if (len == 0)
        return 0;
    return m->write_fn(m->io_user, (int)fd, m->mem.base + buf, (size_t)len);
}

static int64_t sys_read(rvvm_machine *m, uint64_t fd, uint64_t buf, uint64_t len)
{
    if (fd != 0)
        return -EBADF;
    if (len > RV_IO_CHUNK_MAX)
        len = RV_IO_CHUNK_MAX;
    if (!rv_memory_range_ok(&m->mem, buf, len, RV_PAGE_W))
        return -EFAULT;
    if (len == 0)
        return 0;
    int64_t n = m->read_fn(m->io_user, 0, m->mem.base + buf, (size_t)len);
    if (n > 0) {
        if ((uint64_t)n > len)
            n = (int64_t)len; /* a misbehaving host hook must not overstate */
        rv_guest_written(m, buf, (uint64_t)n);
    }
    return n;
}

int rv_syscall(rvvm_machine *m)
{
    uint64_t *a = &m->x[10];
    uint64_t nr = m->x[17];
    int64_t ret;
    switch (nr) {
    case SYS_exit:
    case SYS_exit_group:
        m->exit_code = (int)(a[0] & 0xff);
        return 1;
    case SYS_write:
        ret = sys_write(m, a[0], a[1], a[2]);
        break;
    case SYS_read:
        ret = sys_read(m, a[0], a[1], a[2]);
        break;
    default:
        if (m->config.strict_syscalls) {
            m->fault = (rvvm_fault){.kind = RVVM_FAULT_BAD_SYSCALL, .pc = m->pc, .address = nr};
            m->state = RV_STATE_FAULTED;
            return -1;
        }
        ret = -ENOSYS;
        break;
    }
    a[0] = (uint64_t)ret;
    return 0;
}
