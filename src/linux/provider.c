/*
 * The Linux user ABI and RISC-V semihosting as one OS-layer provider: the
 * table the core calls through (src/core/provider.h). The core knows only
 * this table; everything behind it lives in src/linux.
 */
#include "../core/cpu.h"
#include "os.h"

#include <stdlib.h>

static void *linux_create(rvvm_machine *m) { return rv_os_create(m->config.seed); }

static void linux_destroy(void *state) { rv_os_destroy(state); }

/* rv_syscall and rv_semihost answer 0 (continue), 1 (exited) or -1 (fault). */
static rvvm_ecall_action action_of(rvvm_machine *m, int r, uint64_t *code)
{
    if (r > 0) {
        *code = (uint64_t)m->exit_code;
        return RVVM_ECALL_EXIT;
    }
    return r < 0 ? RVVM_ECALL_FAULT : RVVM_ECALL_HANDLED;
}

static rvvm_ecall_action linux_ecall(rvvm_machine *m, void *state, uint64_t *code)
{
    (void)state;
    return action_of(m, rv_syscall(m), code);
}

static rvvm_ecall_action linux_semihost(rvvm_machine *m, void *state, uint64_t *code)
{
    (void)state;
    return action_of(m, rv_semihost(m), code);
}

static rvvm_status linux_program_loaded(rvvm_machine *m, void *state, const char *const *argv)
{
    (void)state;
    return rv_os_program_loaded(m, argv);
}

static rvvm_status linux_save(rvvm_machine *m, void *state, uint8_t **data, size_t *len,
                              char *err, size_t err_size)
{
    (void)state;
    return rv_os_save(m, data, len, err, err_size);
}

static rvvm_status linux_parse(const uint8_t *data, size_t len, uint64_t memory_size,
                               void **parsed, char *err, size_t err_size)
{
    rv_os_saved *s = NULL;
    rvvm_status st = rv_os_parse(data, len, memory_size, &s, err, err_size);
    *parsed = s;
    return st;
}

static rvvm_status linux_restore(rvvm_machine *m, void *state, const void *parsed,
                                 const struct rvvm_resume_options *opt, char *err,
                                 size_t err_size)
{
    (void)state;
    return rv_os_restore(m, parsed, opt, err, err_size);
}

static rvvm_status linux_check_layout(const void *parsed, uint64_t brk, uint64_t stack_low,
                                     uint64_t mmap_low, char *err, size_t err_size)
{
    return rv_os_check_layout(parsed, brk, stack_low, mmap_low, err, err_size);
}

static rvvm_status linux_describe(const void *parsed, struct rvvm_snapshot_info *info)
{
    return rv_os_describe(parsed, info);
}

static void *linux_clone(const void *src, bool for_fork) { return rv_os_clone(src, for_fork); }

static size_t linux_size(const void *state) { return rv_os_size(state); }

static void linux_parsed_free(void *parsed) { rv_os_saved_free(parsed); }

static uint64_t linux_slice(rvvm_machine *m, void *state)
{
    (void)state;
    return rv_thread_slice(m);
}

static bool linux_switch(rvvm_machine *m, void *state)
{
    (void)state;
    return rv_thread_switch(m);
}

static bool linux_digest(rvvm_machine *m, void *state, bool (*add)(void *, const void *, size_t),
                         void *ctx)
{
    (void)state;
    return rv_thread_digest(m, add, ctx);
}

const rv_provider rv_linux_provider = {
    .name = "linux",
    .create = linux_create,
    .destroy = linux_destroy,
    .ecall = linux_ecall,
    .semihost = linux_semihost,
    .program_loaded = linux_program_loaded,
    .save = linux_save,
    .parse = linux_parse,
    .restore = linux_restore,
    .parsed_free = linux_parsed_free,
    .clone_state = linux_clone,
    .state_size = linux_size,
    .describe = linux_describe,
    .check_layout = linux_check_layout,
    .slice = linux_slice,
    .switch_thread = linux_switch,
    .digest = linux_digest,
};

const rv_provider *rv_builtin_provider(rvvm_os os)
{
    return os == RVVM_OS_LINUX ? &rv_linux_provider : NULL;
}
