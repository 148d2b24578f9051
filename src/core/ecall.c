/*
 * Host calls: an ecall goes to the host's handler, then to the OS layer;
 * gas for host work (rvvm_charge); guest memory as the guest sees it; the
 * trace callback. See rvvm.h for the contracts.
 */
#include "cpu.h"

#include <stdarg.h>
#include <stdio.h>

void rvvm_set_ecall_handler(rvvm_machine *m, rvvm_ecall_fn fn, void *user)
{
    if (!m)
        return;
    m->ecall_fn = fn;
    m->ecall_user = fn ? user : NULL;
}

rvvm_status rvvm_charge(rvvm_machine *m, uint64_t cycles)
{
    if (!m)
        return RVVM_ERR_INVALID_ARGUMENT;
    if (!m->in_handler)
        return rv_fail(m, RVVM_ERR_STATE, "rvvm_charge is only valid inside an ecall handler");
    if (m->over_budget || cycles > m->handler_budget - m->handler_charged) {
        m->over_budget = true;
        m->handler_wanted = cycles > UINT64_MAX - m->handler_charged ? UINT64_MAX
                                                                     : m->handler_charged + cycles;
        return rv_fail(m, RVVM_ERR_BUDGET, "the run's budget cannot pay %llu more cycles",
                       (unsigned long long)cycles);
    }
    m->handler_charged += cycles;
    return RVVM_OK;
}

static rv_call_outcome fault_call(rvvm_machine *m, bool semihost)
{
    /* The call's number: a7 for an ecall, a0 for a semihosting call. */
    m->fault = (rvvm_fault){.kind = RVVM_FAULT_BAD_SYSCALL, .pc = m->pc,
                            .address = m->x[semihost ? 10 : 17]};
    m->state = RV_STATE_FAULTED;
    return RV_CALL_FAULT;
}

rv_call_outcome rv_system_call(rvvm_machine *m, bool semihost, uint64_t budget)
{
    m->in_handler = true;
    m->over_budget = false;
    m->handler_budget = budget;
    m->handler_charged = 0;
    m->handler_wanted = 0;
    uint64_t code = 0;
    rvvm_ecall_action action = RVVM_ECALL_PASS;
    if (!semihost && m->ecall_fn)
        action = m->ecall_fn(m, m->ecall_user, &code);
    if (action == RVVM_ECALL_PASS && !m->over_budget) {
        rvvm_ecall_fn os = !m->os ? NULL : semihost ? m->os->semihost : m->os->ecall;
        action = os ? os(m, m->os_state, &code) : RVVM_ECALL_FAULT;
    }
    m->in_handler = false;
    if (m->over_budget) {
        m->handler_charged = 0;
        return RV_CALL_BUDGET;
    }
    switch (action) {
    case RVVM_ECALL_HANDLED:
        /* A thread switch leaves the interpreter as a host stop that rvvm_run takes up. */
        return m->switch_pending ? RV_CALL_HOST : RV_CALL_CONTINUE;
    case RVVM_ECALL_STOP:
        m->host_code = code;
        return RV_CALL_HOST;
    case RVVM_ECALL_EXIT:
        m->exit_code = (int)(code & 0xff);
        return RV_CALL_EXIT;
    case RVVM_ECALL_PASS:
    case RVVM_ECALL_FAULT:
    default:
        m->handler_charged = 0;
        return fault_call(m, semihost);
    }
}

void *rv_provider_state(const rvvm_machine *m, const rv_provider *p)
{
    return m && m->os == p ? m->os_state : NULL;
}

void rv_flush_code(rvvm_machine *m) { rv_code_invalidate_all(m); }

void rv_drop_code(rvvm_machine *m, uint64_t addr, uint64_t len)
{
    if (len == 0)
        return;
    uint64_t first = addr >> RV_PAGE_SHIFT, end = (addr + len + RV_PAGE_MASK) >> RV_PAGE_SHIFT;
    /* An instruction may start in the last halfword of the page before. */
    if (first > 0)
        first--;
    for (uint64_t p = first; p < end && p < m->mem.page_count; p++)
        rv_code_invalidate_page(m, p);
}

void rvvm_set_trace(rvvm_machine *m, rvvm_trace_fn fn, void *user)
{
    if (!m)
        return;
    m->trace_fn = fn;
    m->trace_user = fn ? user : NULL;
}

bool rv_tracing(const rvvm_machine *m) { return m->trace_fn != NULL; }

void rv_request_switch(rvvm_machine *m) { m->switch_pending = true; }

void rv_trace(rvvm_machine *m, const char *fmt, ...)
{
    if (!m->trace_fn)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    m->trace_fn(m->trace_user, line);
}

/* ---- guest memory with the guest's permissions ------------------------------ */

rvvm_status rvvm_guest_read(rvvm_machine *m, uint64_t addr, void *buf, size_t len)
{
    if (!m || (!buf && len))
        return RVVM_ERR_INVALID_ARGUMENT;
    if (!rv_memory_range_ok(&m->mem, addr, len, RV_PAGE_R))
        return rv_fail(m, RVVM_ERR_FAULT, "guest range 0x%llx+%zu is not readable",
                       (unsigned long long)addr, len);
    if (len)
        memcpy(buf, m->mem.base + addr, len);
    return RVVM_OK;
}

rvvm_status rvvm_guest_write(rvvm_machine *m, uint64_t addr, const void *buf, size_t len)
{
    if (!m || (!buf && len))
        return RVVM_ERR_INVALID_ARGUMENT;
    if (!rv_memory_range_ok(&m->mem, addr, len, RV_PAGE_W))
        return rv_fail(m, RVVM_ERR_FAULT, "guest range 0x%llx+%zu is not writable",
                       (unsigned long long)addr, len);
    if (len) {
        memcpy(m->mem.base + addr, buf, len);
        rv_guest_written(m, addr, len);
    }
    return RVVM_OK;
}

rvvm_status rvvm_guest_string(rvvm_machine *m, uint64_t addr, char *buf, size_t size)
{
    if (!m || !buf || size == 0)
        return RVVM_ERR_INVALID_ARGUMENT;
    /* A page at a time: one permission check, then memchr for the NUL. */
    for (size_t i = 0; i < size;) {
        uint64_t a = addr + i;
        if (a < addr || !rv_memory_range_ok(&m->mem, a, 1, RV_PAGE_R)) {
            buf[i] = '\0'; /* buf holds the readable part */
            return rv_fail(m, RVVM_ERR_FAULT, "guest string at 0x%llx is not readable",
                           (unsigned long long)addr);
        }
        size_t n = RV_PAGE_SIZE - (size_t)(a & RV_PAGE_MASK);
        if (n > size - i)
            n = size - i;
        const uint8_t *src = m->mem.base + a;
        const uint8_t *nul = memchr(src, 0, n);
        if (nul) {
            memcpy(buf + i, src, (size_t)(nul - src) + 1);
            return RVVM_OK;
        }
        memcpy(buf + i, src, n);
        i += n;
    }
    buf[size - 1] = '\0';
    return rv_fail(m, RVVM_ERR_INVALID_ARGUMENT, "guest string at 0x%llx is longer than %zu bytes",
                   (unsigned long long)addr, size - 1);
}
