/* Machine lifetime, configuration, accessors and the state digest. */
#include "cpu.h"
#include "../elf/loader.h"

#include <errno.h>
#include <stddef.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

rvvm_status rv_fail(rvvm_machine *m, rvvm_status status, const char *fmt, ...)
{
    if (m) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(m->error, sizeof m->error, fmt, ap);
        va_end(ap);
    }
    return status;
}

const char *rvvm_status_string(rvvm_status status)
{
    switch (status) {
    case RVVM_OK: return "ok";
    case RVVM_ERR_INVALID_ARGUMENT: return "invalid argument";
    case RVVM_ERR_NO_MEMORY: return "out of memory";
    case RVVM_ERR_IO: return "input/output error";
    case RVVM_ERR_ELF: return "invalid ELF program";
    case RVVM_ERR_SNAPSHOT: return "invalid snapshot";
    case RVVM_ERR_PROGRAM_MISMATCH: return "program does not match the snapshot";
    case RVVM_ERR_STATE: return "invalid machine state for this call";
    case RVVM_ERR_BUDGET: return "the budget cannot pay";
    case RVVM_ERR_FAULT: return "guest address not accessible";
    case RVVM_ERR_NOT_FOUND: return "not found";
    }
    return "unknown status";
}

const char *rvvm_fault_kind_string(rvvm_fault_kind kind)
{
    switch (kind) {
    case RVVM_FAULT_NONE: return "no fault";
    case RVVM_FAULT_ILLEGAL_INSTRUCTION: return "illegal instruction";
    case RVVM_FAULT_FETCH_MISALIGNED: return "misaligned instruction fetch";
    case RVVM_FAULT_FETCH_ACCESS: return "instruction fetch access fault";
    case RVVM_FAULT_LOAD_ACCESS: return "load access fault";
    case RVVM_FAULT_STORE_ACCESS: return "store access fault";
    case RVVM_FAULT_BREAKPOINT: return "breakpoint";
    case RVVM_FAULT_MISALIGNED_ATOMIC: return "misaligned atomic access";
    case RVVM_FAULT_BAD_SYSCALL: return "unknown system call";
    case RVVM_FAULT_MEMORY_LIMIT: return "host-memory limit reached";
    case RVVM_FAULT_DEADLOCK: return "deadlock: every thread is blocked";
    }
    return "unknown fault";
}

int rvvm_fault_signal(rvvm_fault_kind kind)
{
    switch (kind) {
    case RVVM_FAULT_ILLEGAL_INSTRUCTION: return 4;  /* SIGILL */
    case RVVM_FAULT_BREAKPOINT: return 5;           /* SIGTRAP */
    case RVVM_FAULT_FETCH_MISALIGNED:
    case RVVM_FAULT_MISALIGNED_ATOMIC: return 7;    /* SIGBUS */
    case RVVM_FAULT_FETCH_ACCESS:
    case RVVM_FAULT_LOAD_ACCESS:
    case RVVM_FAULT_STORE_ACCESS: return 11;        /* SIGSEGV */
    case RVVM_FAULT_BAD_SYSCALL: return 31;         /* SIGSYS */
    case RVVM_FAULT_MEMORY_LIMIT: return 9;         /* SIGKILL, as the kernel's OOM killer */
    case RVVM_FAULT_DEADLOCK: return 14;            /* SIGALRM, as a watchdog's alarm would */
    case RVVM_FAULT_NONE: break;
    }
    return 0;
}

void rvvm_config_init(rvvm_config *config)
{
    memset(config, 0, sizeof *config);
    config->struct_size = sizeof *config;
    config->memory_size = RVVM_DEFAULT_MEMORY_SIZE;
    config->isa = RVVM_ISA_DEFAULT;
    rvvm_cost_model_builtin("unit", &config->cost_model);
    config->max_write_bytes = RVVM_DEFAULT_MAX_WRITE_BYTES;
    config->engine = RVVM_ENGINE_INTERP;
    config->jit_threshold = RV_JIT_DEFAULT_THRESHOLD;
}

bool rvvm_jit_available(void) { return rv_jit_available(); }

/*
 * The engine a machine runs with: RVVM_ENGINE_AUTO becomes the tier where this
 * build has it (libgccjit itself is loaded only once code gets hot: loading it
 * to decide would cost every short run ~3 ms; where it does not load, the
 * tier's machines interpret), else the interpreter. -1 for an engine this
 * build cannot run.
 */
static int resolve_engine(rvvm_engine engine)
{
    switch (engine) {
    case RVVM_ENGINE_INTERP: return RVVM_ENGINE_INTERP;
    case RVVM_ENGINE_JIT: return rv_jit_built() ? RVVM_ENGINE_JIT : -1;
    case RVVM_ENGINE_AUTO: return rv_jit_built() ? RVVM_ENGINE_JIT : RVVM_ENGINE_INTERP;
    }
    return -1;
}

uint64_t rvvm_jit_translated(const rvvm_machine *m)
{
    uint64_t translated = 0, compilations;
    if (m)
        rv_jit_stats(m, &translated, &compilations);
    return translated;
}

rvvm_status rvvm_set_engine(rvvm_machine *m, rvvm_engine engine, uint32_t jit_threshold)
{
    if (!m)
        return RVVM_ERR_INVALID_ARGUMENT;
    if (m->in_handler)
        return rv_fail(m, RVVM_ERR_STATE, "rvvm_set_engine is not valid inside an ecall handler");
    int resolved = resolve_engine(engine);
    if (resolved < 0)
        return engine == RVVM_ENGINE_JIT
                   ? rv_fail(m, RVVM_ERR_INVALID_ARGUMENT,
                             "the translation tier (RVVM_ENGINE_JIT) is not in this build")
                   : rv_fail(m, RVVM_ERR_INVALID_ARGUMENT, "unknown engine %d", (int)engine);
    engine = (rvvm_engine)resolved;
    m->config.jit_threshold = jit_threshold;
    if (m->config.engine != engine) {
        m->config.engine = engine;
        rv_code_invalidate_all(m);
        rv_jit_free(m);
    }
    return RVVM_OK;
}

rvvm_status rvvm_set_jit_cache(rvvm_machine *m, rvvm_jit_cache *cache)
{
    if (!m)
        return RVVM_ERR_INVALID_ARGUMENT;
    if (m->in_handler)
        return rv_fail(m, RVVM_ERR_STATE, "rvvm_set_jit_cache is not valid inside an ecall handler");
    if (cache == m->config.jit_cache)
        return RVVM_OK;
    /* Code installed from the old cache goes with it. */
    rv_code_invalidate_all(m);
    rv_jit_free(m);
    rv_jit_cache_ref(cache);
    rvvm_jit_cache_release(m->config.jit_cache);
    m->config.jit_cache = cache;
    return RVVM_OK;
}

static int64_t default_read(void *user, int fd, void *buf, size_t len)
{
    (void)user;
    ssize_t n;
    do
        n = read(fd, buf, len);
    while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : n;
}

static int64_t default_write(void *user, int fd, const void *buf, size_t len)
{
    (void)user;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, (const char *)buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return done ? (int64_t)done : -(int64_t)(n < 0 ? errno : EIO);
        done += (size_t)n;
    }
    return (int64_t)done;
}

static bool cost_model_valid(const rvvm_cost_model *cm)
{
    for (int i = 0; i < RVVM_COST_CLASS_COUNT; i++)
        if (cm->cost[i] < 1 || cm->cost[i] > RVVM_COST_MAX)
            return false;
    return true;
}

rvvm_status rvvm_create(const rvvm_config *config, rvvm_machine **out)
{
    if (!out)
        return RVVM_ERR_INVALID_ARGUMENT;
    *out = NULL;
    /* A caller built against an older header knows only a prefix of the
     * struct: the rest keeps its defaults. */
    rvvm_config cfg;
    rvvm_config_init(&cfg);
    if (config) {
        if (config->struct_size < offsetof(rvvm_config, os) || config->struct_size > sizeof cfg)
            return RVVM_ERR_INVALID_ARGUMENT;
        memcpy(&cfg, config, config->struct_size);
        cfg.struct_size = sizeof cfg;
    }
    if (cfg.memory_size < RVVM_MIN_MEMORY_SIZE || cfg.memory_size > RVVM_MAX_MEMORY_SIZE ||
        (cfg.memory_size & RV_PAGE_MASK) || !cost_model_valid(&cfg.cost_model) ||
        (cfg.isa & ~RVVM_ISA_ALL) || ((cfg.isa & RVVM_ISA_D) && !(cfg.isa & RVVM_ISA_F)) ||
        (cfg.os != RVVM_OS_LINUX && cfg.os != RVVM_OS_NONE) ||
        resolve_engine(cfg.engine) < 0)
        return RVVM_ERR_INVALID_ARGUMENT;
    cfg.engine = (rvvm_engine)resolve_engine(cfg.engine);

    rvvm_machine *m = calloc(1, sizeof *m);
    if (!m)
        return RVVM_ERR_NO_MEMORY;
    m->config = cfg;
    m->config.cost_model.name[sizeof m->config.cost_model.name - 1] = '\0';
    /* One host mapping for guest memory, its arrays and the decode cache. */
    size_t front = rv_code_front_size(&m->config, cfg.memory_size >> RV_PAGE_SHIFT);
    void *front_at;
    /* A pooled mapping of the same size is all zero, as a new one. */
    size_t map_len = rv_memory_mapping_size(cfg.memory_size, front);
    void *pooled = cfg.pool && !cfg.forkable ? rv_pool_take(cfg.pool, map_len) : NULL;
    if (pooled ? rv_memory_init_in(&m->mem, cfg.memory_size, front, pooled, &front_at) != 0
               : rv_memory_init_with(&m->mem, cfg.memory_size, cfg.forkable, front, &front_at) != 0) {
        free(m);
        return RVVM_ERR_NO_MEMORY;
    }
    if (cfg.pool && !cfg.forkable) {
        m->pool = cfg.pool;
        rv_pool_ref(m->pool);
    }
    m->x = m->mem.regs;
    rv_jit_cache_ref(m->config.jit_cache); /* released by rvvm_destroy */
    rv_code_init(m, front_at, front);
    m->read_fn = default_read;
    m->write_fn = default_write;
    m->state = RV_STATE_EMPTY;
    m->mem.host_limit = cfg.max_host_memory;
    rv_checkpoint_init(m);
    m->os = rv_builtin_provider(cfg.os);
    if (m->os)
        m->os_state = m->os->create(m);
    if (!m->code || (m->os && !m->os_state)) {
        m->os = NULL;
        rvvm_destroy(m);
        return RVVM_ERR_NO_MEMORY;
    }
    *out = m;
    return RVVM_OK;
}

void rvvm_destroy(rvvm_machine *m)
{
    if (!m)
        return;
    size_t front_used = m->code ? rv_code_front_used(m) : 0;
    rv_code_free_all(m);
    rv_jit_free(m);
    rvvm_jit_cache_release(m->config.jit_cache);
    if (m->os && m->os_state)
        m->os->destroy(m->os_state);
    rv_snap_baseline_free(m->baseline);
    rv_checkpoint_destroy(m);
    if (m->pool) {
        size_t len;
        void *map = rv_memory_take_clean(&m->mem, front_used, RVVM_POOL_MAX_CLEAN_PAGES, &len);
        if (map)
            rv_pool_give(m->pool, map, len);
        rv_pool_unref(m->pool);
    }
    rv_memory_free(&m->mem);
    free(m->program_path);
    free(m->program_image);
    if (m->sysroot)
        close(m->sysroot_fd);
    free(m->sysroot);
    rv_elf_free(m);
    free(m);
}

const char *rvvm_last_error(const rvvm_machine *m) { return m ? m->error : ""; }
uint64_t rvvm_cycles(const rvvm_machine *m) { return m->cycles; }
uint64_t rvvm_instructions(const rvvm_machine *m) { return m->instret; }
uint64_t rvvm_pc(const rvvm_machine *m) { return m->pc; }
uint64_t rvvm_reg(const rvvm_machine *m, unsigned index) { return index < 32 ? m->x[index] : 0; }
const rvvm_config *rvvm_get_config(const rvvm_machine *m) { return &m->config; }

rvvm_status rvvm_set_reg(rvvm_machine *m, unsigned index, uint64_t value)
{
    if (!m || index >= 32)
        return RVVM_ERR_INVALID_ARGUMENT;
    /* A template's registers are shared with its forks. Inside a handler the
     * machine is running, which a frozen template cannot: the host-call path
     * skips the check. */
    if (!m->in_handler && rv_machine_frozen(m))
        return rv_fail(m, RVVM_ERR_STATE, "the machine is a fork template with live children");
    if (index)
        m->x[index] = value;
    return RVVM_OK;
}

rvvm_status rvvm_set_pc(rvvm_machine *m, uint64_t pc)
{
    if (!m)
        return RVVM_ERR_INVALID_ARGUMENT;
    if (m->in_handler)
        return rv_fail(m, RVVM_ERR_STATE, "rvvm_set_pc is not valid inside an ecall handler");
    if (pc & ((m->config.isa & RVVM_ISA_C) ? 1 : 3))
        return rv_fail(m, RVVM_ERR_INVALID_ARGUMENT, "misaligned pc 0x%llx",
                       (unsigned long long)pc);
    m->pc = pc;
    return RVVM_OK;
}

uint64_t rvvm_freg(const rvvm_machine *m, unsigned index) { return index < 32 ? m->f[index] : 0; }

rvvm_status rvvm_set_freg(rvvm_machine *m, unsigned index, uint64_t bits)
{
    if (!m || index >= 32)
        return RVVM_ERR_INVALID_ARGUMENT;
    m->f[index] = bits;
    return RVVM_OK;
}

uint32_t rvvm_fcsr(const rvvm_machine *m) { return m->fcsr; }

rvvm_status rvvm_set_fcsr(rvvm_machine *m, uint32_t fcsr)
{
    if (!m || fcsr > 0xff)
        return RVVM_ERR_INVALID_ARGUMENT;
    m->fcsr = fcsr;
    return RVVM_OK;
}

void rvvm_set_io(rvvm_machine *m, rvvm_read_fn read_fn, rvvm_write_fn write_fn, void *user)
{
    m->read_fn = read_fn ? read_fn : default_read;
    m->write_fn = write_fn ? write_fn : default_write;
    m->io_user = user;
}

static void put_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static bool digest_add(void *ctx, const void *p, size_t n)
{
    return EVP_DigestUpdate((EVP_MD_CTX *)ctx, p, n) == 1;
}

rvvm_status rvvm_state_digest(const rvvm_machine *m, uint8_t digest[32])
{
    if (!m || !digest)
        return RVVM_ERR_INVALID_ARGUMENT;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return RVVM_ERR_NO_MEMORY;
    bool ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
    /* Fixed little-endian encoding: the digest must not depend on the host. */
    static const char tag[16] = "rvvm-state-v1";
    uint8_t regs[66 * 8];
    for (int i = 1; i < 32; i++)
        put_le64(regs + 8 * (i - 1), m->x[i]);
    put_le64(regs + 8 * 31, m->pc);
    put_le64(regs + 8 * 32, m->fcsr);
    for (int i = 0; i < 32; i++)
        put_le64(regs + 8 * (33 + i), m->f[i]);
    put_le64(regs + 8 * 65, m->mtvec);
    ok = ok && EVP_DigestUpdate(ctx, tag, sizeof tag) == 1;
    ok = ok && EVP_DigestUpdate(ctx, regs, sizeof regs) == 1;
    for (uint64_t p = 0; ok && p < m->mem.page_count; p++) {
        if (rv_memory_page_is_zero(&m->mem, p))
            continue;
        uint8_t addr[8];
        put_le64(addr, p << RV_PAGE_SHIFT);
        ok = EVP_DigestUpdate(ctx, addr, 8) == 1 &&
             EVP_DigestUpdate(ctx, m->mem.base + (p << RV_PAGE_SHIFT), RV_PAGE_SIZE) == 1;
    }
    /* Other guest threads and the scheduler, when the OS layer has any. */
    if (ok && m->os && m->os->digest)
        ok = m->os->digest((rvvm_machine *)m, m->os_state, digest_add, ctx);
    unsigned len = 0;
    ok = ok && EVP_DigestFinal_ex(ctx, digest, &len) == 1 && len == 32;
    EVP_MD_CTX_free(ctx);
    return ok ? RVVM_OK : RVVM_ERR_NO_MEMORY;
}

rvvm_status rvvm_read_memory(rvvm_machine *m, uint64_t addr, void *buf, size_t len)
{
    if (!m || (!buf && len))
        return RVVM_ERR_INVALID_ARGUMENT;
    if (len && (addr >= m->mem.size || len > m->mem.size - addr))
        return rv_fail(m, RVVM_ERR_INVALID_ARGUMENT, "address range outside guest memory");
    if (len)
        memcpy(buf, m->mem.base + addr, len);
    return RVVM_OK;
}

rvvm_status rvvm_write_memory(rvvm_machine *m, uint64_t addr, const void *buf, size_t len)
{
    if (!m || (!buf && len))
        return RVVM_ERR_INVALID_ARGUMENT;
    if (len == 0)
        return RVVM_OK;
    if (addr >= m->mem.size || len > m->mem.size - addr)
        return rv_fail(m, RVVM_ERR_INVALID_ARGUMENT, "address range outside guest memory");
    m->mem.host_limit = m->config.max_host_memory;
    int r = rv_memory_prepare_write(&m->mem, addr, len);
    if (r == RV_WRITE_FROZEN)
        return rv_fail(m, RVVM_ERR_STATE, "the machine is a fork template with live children");
    if (r != 0)
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "the host-memory limit is reached");
    memcpy(m->mem.base + addr, buf, len);
    rv_guest_written(m, addr, len);
    return RVVM_OK;
}
