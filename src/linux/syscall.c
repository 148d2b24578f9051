/*
 * The Linux system-call layer: dispatch, process and signal calls, clocks
 * and getrandom. Files live in fs.c, memory in mm.c.
 *
 * An ecall costs its cost class and nothing more, whatever the call does, so
 * metering never depends on the host. Unless real time is on, every result
 * is a function of the guest state alone: the clocks follow the cycle count
 * (1 cycle = 1 ns), getrandom is a seeded generator, identities are fixed.
 */
#include "../core/cpu.h"
#include "os.h"
#include "sysno.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The fixed identity of the guest process. */
enum { GUEST_PID = 1, GUEST_PPID = 0, GUEST_UID = 0, GUEST_GID = 0 };

/* Longest getrandom per call, like a read. */
#define RV_RANDOM_CHUNK_MAX (1u << 20)

/* ---- guest memory helpers ------------------------------------------------ */

int rv_os_copy_out(rvvm_machine *m, uint64_t addr, const void *src, uint64_t len)
{
    if (!rv_memory_range_ok(&m->mem, addr, len, RV_PAGE_W))
        return -EFAULT;
    if (len) {
        memcpy(m->mem.base + addr, src, (size_t)len);
        rv_guest_written(m, addr, len);
    }
    return 0;
}

int rv_os_copy_in(rvvm_machine *m, void *dst, uint64_t addr, uint64_t len)
{
    if (!rv_memory_range_ok(&m->mem, addr, len, RV_PAGE_R))
        return -EFAULT;
    if (len)
        memcpy(dst, m->mem.base + addr, (size_t)len);
    return 0;
}

int rv_os_read_path(rvvm_machine *m, uint64_t addr, char *buf)
{
    /* A page at a time: one permission check, then memchr for the NUL. */
    for (size_t i = 0; i < RV_OS_PATH_MAX;) {
        uint64_t a = addr + i;
        if (a < addr || !rv_memory_range_ok(&m->mem, a, 1, RV_PAGE_R))
            return -EFAULT;
        size_t n = RV_PAGE_SIZE - (size_t)(a & RV_PAGE_MASK);
        if (n > RV_OS_PATH_MAX - i)
            n = RV_OS_PATH_MAX - i;
        const uint8_t *src = m->mem.base + a;
        const uint8_t *nul = memchr(src, 0, n);
        memcpy(buf + i, src, nul ? (size_t)(nul - src) + 1 : n);
        if (nul)
            return 0;
        i += n;
    }
    return -ENAMETOOLONG;
}

static void put64(uint8_t *p, uint64_t v) { rv_store_le(p, v, 8); }
static void put32(uint8_t *p, uint64_t v) { rv_store_le(p, v, 4); }

/* ---- lifetime --------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* getrandom's stream is distinct from the AT_RANDOM bytes, which use the seed itself. */
#define RV_RANDOM_SALT 0x6a09e667f3bcc908ull

rv_os *rv_os_create(uint64_t seed)
{
    rv_os *os = calloc(1, sizeof *os);
    if (!os)
        return NULL;
    for (uint32_t i = 0; i <= RV_OS_SYSROOT; i++)
        os->grants[i].dirfd = -1;
    os->cwd = strdup("/");
    if (!os->cwd || !rv_os_fd_reserve(os, 2)) {
        free(os->cwd);
        free(os);
        return NULL;
    }
    for (int fd = 0; fd < 3; fd++) {
        rv_file *f = calloc(1, sizeof *f);
        if (!f) {
            rv_os_destroy(os);
            return NULL;
        }
        f->refs = 1;
        f->kind = RV_FILE_CONSOLE;
        f->console = (uint8_t)fd;
        f->flags = fd == 0 ? G_O_RDONLY : G_O_WRONLY;
        f->host_fd = -1;
        f->path = NULL;
        os->fds[fd].file = f;
    }
    os->rng_state = seed ^ RV_RANDOM_SALT;
    os->umask = 022;
    if (!rv_thread_init(os)) {
        rv_os_destroy(os);
        return NULL;
    }
    return os;
}

void rv_os_destroy(rv_os *os)
{
    if (!os)
        return;
    for (uint32_t fd = 0; fd < os->fd_cap; fd++) {
        if (os->fds[fd].file)
            rv_os_file_unref(os->fds[fd].file);
        os->fds[fd].file = NULL;
    }
    free(os->fds);
    os->fds = NULL;
    os->fd_cap = 0;
    for (uint32_t i = 0; i < os->grant_count; i++) {
        if (rv_share_release(&os->grants[i].share)) {
            free(os->grants[i].host);
            free(os->grants[i].guest);
            if (os->grants[i].dirfd >= 0)
                close(os->grants[i].dirfd);
        }
        os->grants[i].dirfd = -1;
    }
    os->grant_count = 0;
    if (rv_share_release(&os->grants[RV_OS_SYSROOT].share)) {
        free(os->grants[RV_OS_SYSROOT].host);
        free(os->grants[RV_OS_SYSROOT].guest);
        if (os->grants[RV_OS_SYSROOT].dirfd >= 0)
            close(os->grants[RV_OS_SYSROOT].dirfd);
    }
    rv_fmap_free(os);
    free(os->cwd);
    os->cwd = NULL;
    free(os->vmas);
    os->vmas = NULL;
    os->vma_count = os->vma_cap = 0;
    free(os->cmdline);
    rv_thread_free(os);
    free(os);
}

rvvm_status rv_os_program_loaded(rvvm_machine *m, const char *const *argv)
{
    if (!rv_mm_record_loaded(m) || !rv_fmap_program_loaded(m))
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory");
    if (!argv)
        return RVVM_OK;
    size_t len = 1;
    for (size_t i = 0; argv[i]; i++)
        len += strlen(argv[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory");
    size_t at = 0;
    for (size_t i = 0; argv[i]; i++) {
        if (i)
            s[at++] = ' ';
        size_t n = strlen(argv[i]);
        memcpy(s + at, argv[i], n);
        at += n;
    }
    s[at] = '\0';
    free(RV_OS(m)->cmdline);
    RV_OS(m)->cmdline = s;
    return RVVM_OK;
}

rvvm_status rvvm_set_real_time(rvvm_machine *m, bool enabled)
{
    if (!m)
        return RVVM_ERR_INVALID_ARGUMENT;
    if (!RV_OS(m))
        return rv_fail(m, RVVM_ERR_STATE, "the machine has no Linux OS layer");
    m->error[0] = '\0';
    RV_OS(m)->real_time = enabled;
    return RVVM_OK;
}

/* ---- time ------------------------------------------------------------------- */

static uint64_t host_ns(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t rv_os_monotonic_ns(const rvvm_machine *m)
{
    if (RV_OS(m)->real_time)
        return host_ns(CLOCK_MONOTONIC);
    uint64_t t = m->cycles + RV_OS(m)->sleep_ns;
    return t < m->cycles ? UINT64_MAX : t;
}

uint64_t rv_os_realtime_ns(const rvvm_machine *m)
{
    if (RV_OS(m)->real_time)
        return host_ns(CLOCK_REALTIME);
    uint64_t base = RV_OS_EPOCH_SECONDS * 1000000000ull;
    uint64_t t = rv_os_monotonic_ns(m);
    return t > UINT64_MAX - base ? UINT64_MAX : base + t;
}

static int put_timespec(rvvm_machine *m, uint64_t addr, uint64_t ns)
{
    uint8_t b[16];
    put64(b, ns / 1000000000ull);
    put64(b + 8, ns % 1000000000ull);
    return rv_os_copy_out(m, addr, b, sizeof b);
}

/* Clock ids: REALTIME 0, MONOTONIC 1, PROCESS_CPUTIME 2, THREAD_CPUTIME 3, MONOTONIC_RAW 4,
 * REALTIME_COARSE 5, MONOTONIC_COARSE 6, BOOTTIME 7, REALTIME_ALARM 8, BOOTTIME_ALARM 9, TAI 11. */
static int clock_now(rvvm_machine *m, int64_t id, uint64_t *ns)
{
    switch (id) {
    case 0: case 5: case 8: case 11:
        *ns = rv_os_realtime_ns(m);
        return 0;
    case 1: case 4: case 6: case 7: case 9:
        *ns = rv_os_monotonic_ns(m);
        return 0;
    case 2: case 3:
        *ns = m->cycles; /* CPU time: the cycles spent, whatever the time mode */
        return 0;
    default:
        return -EINVAL;
    }
}

static int64_t read_timespec(rvvm_machine *m, uint64_t addr, uint64_t *ns)
{
    uint8_t b[16];
    int r = rv_os_copy_in(m, b, addr, sizeof b);
    if (r)
        return r;
    int64_t sec = (int64_t)rv_load_le(b, 8), nsec = (int64_t)rv_load_le(b + 8, 8);
    if (sec < 0 || nsec < 0 || nsec >= 1000000000)
        return -EINVAL;
    if ((uint64_t)sec > (UINT64_MAX - (uint64_t)nsec) / 1000000000ull)
        *ns = UINT64_MAX;
    else
        *ns = (uint64_t)sec * 1000000000ull + (uint64_t)nsec;
    return 0;
}

/* Sleeping: guest time moves forward by `ns`; with real time the host waits too. */
static void sleep_for(rvvm_machine *m, uint64_t ns)
{
    if (rv_thread_sleep(m, ns)) /* other threads run meanwhile */
        return;
    if (RV_OS(m)->real_time) {
        struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000ull),
                              .tv_nsec = (long)(ns % 1000000000ull)};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
        return;
    }
    RV_OS(m)->sleep_ns = ns > UINT64_MAX - RV_OS(m)->sleep_ns ? UINT64_MAX : RV_OS(m)->sleep_ns + ns;
}

static int64_t sys_clock_nanosleep(rvvm_machine *m, int64_t clk, uint64_t flags, uint64_t req,
                                   uint64_t rem)
{
    uint64_t want, now;
    int64_t r = read_timespec(m, req, &want);
    if (r)
        return r;
    if (flags & ~1ull)
        return -EINVAL;
    if (clk == 2 || clk == 3 || clock_now(m, clk, &now) != 0)
        return -EINVAL;
    if (flags & 1) /* TIMER_ABSTIME */
        want = want > now ? want - now : 0;
    sleep_for(m, want);
    if (rem && !(flags & 1))
        put_timespec(m, rem, 0); /* never interrupted; a bad pointer is not an error here */
    return 0;
}

/* ---- process and signals --------------------------------------------------- */

static int64_t sys_uname(rvvm_machine *m, uint64_t addr)
{
    /* struct new_utsname: six fields of 65 bytes. Fixed, documented strings. */
    static const char *const fields[6] = {"Linux", "rvvm", "6.1.0-rvvm", "#1 SMP rvvm",
                                          "riscv64", "(none)"};
    uint8_t b[6 * 65];
    memset(b, 0, sizeof b);
    for (int i = 0; i < 6; i++)
        memcpy(b + 65 * i, fields[i], strlen(fields[i]));
    return rv_os_copy_out(m, addr, b, sizeof b);
}

#define RLIM_INF UINT64_MAX

static int64_t sys_prlimit64(rvvm_machine *m, int64_t pid, uint64_t res, uint64_t new_addr,
                             uint64_t old_addr)
{
    if (pid != 0 && pid != GUEST_PID)
        return -ESRCH;
    if (res >= 16)
        return -EINVAL;
    if (new_addr) {
        uint8_t nb[16];
        int r = rv_os_copy_in(m, nb, new_addr, sizeof nb);
        if (r)
            return r;
        if (rv_load_le(nb, 8) > rv_load_le(nb + 8, 8))
            return -EINVAL;
        /* New limits are accepted and ignored: nothing here enforces them. */
    }
    if (old_addr) {
        uint64_t cur = RLIM_INF, max = RLIM_INF;
        if (res == 3) /* RLIMIT_STACK */
            cur = m->mem.size - m->layout.stack_low;
        else if (res == 7) /* RLIMIT_NOFILE */
            cur = max = RV_OS_MAX_FDS;
        else if (res == 4) /* RLIMIT_CORE */
            cur = 0;
        uint8_t b[16];
        put64(b, cur);
        put64(b + 8, max);
        return rv_os_copy_out(m, old_addr, b, sizeof b);
    }
    return 0;
}

static int64_t sys_rt_sigaction(rvvm_machine *m, uint64_t sig, uint64_t act, uint64_t oact,
                                uint64_t setsize)
{
    if (setsize != 8 || sig < 1 || sig > 64)
        return -EINVAL;
    if (act) {
        if ((sig == 9 || sig == 19)) /* SIGKILL, SIGSTOP */
            return -EINVAL;
        uint8_t b[24];
        int r = rv_os_copy_in(m, b, act, sizeof b);
        if (r)
            return r;
        if (sig == 13) /* SIGPIPE: a write to a pipe nobody reads checks it */
            RV_OS(m)->sigpipe_action = rv_load_le(b, 8);
    }
    if (oact) {
        /* No handler is ever installed: signals are not delivered to the guest. */
        uint8_t z[24] = {0};
        return rv_os_copy_out(m, oact, z, sizeof z);
    }
    return 0;
}

static int64_t sys_rt_sigprocmask(rvvm_machine *m, uint64_t how, uint64_t set, uint64_t oset,
                                  uint64_t setsize)
{
    if (setsize != 8)
        return -EINVAL;
    uint64_t newmask = RV_OS(m)->sigmask;
    if (set) {
        uint8_t b[8];
        int r = rv_os_copy_in(m, b, set, 8);
        if (r)
            return r;
        uint64_t s = rv_load_le(b, 8);
        switch (how) {
        case 0: newmask |= s; break;  /* SIG_BLOCK */
        case 1: newmask &= ~s; break; /* SIG_UNBLOCK */
        case 2: newmask = s; break;   /* SIG_SETMASK */
        default: return -EINVAL;
        }
        newmask &= ~((1ull << (9 - 1)) | (1ull << (19 - 1))); /* SIGKILL, SIGSTOP */
    }
    if (oset) {
        uint8_t b[8];
        put64(b, RV_OS(m)->sigmask);
        int r = rv_os_copy_out(m, oset, b, 8);
        if (r)
            return r;
    }
    RV_OS(m)->sigmask = newmask;
    return 0;
}

/*
 * A signal sent to the guest itself. Handlers never run; a signal whose
 * default action ends the process ends the run with status 128 + signal,
 * the status a shell shows for a process killed that way.
 */
static int signal_self(rvvm_machine *m, uint64_t sig, int64_t *ret)
{
    *ret = 0;
    if (sig == 0)
        return 0;
    if (sig > 64) {
        *ret = -EINVAL;
        return 0;
    }
    switch (sig) {
    case 17: case 18: case 19: case 20: case 21: case 22: case 23: case 28:
        return 0; /* SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGWINCH */
    default:
        break;
    }
    m->exit_code = (int)(128 + sig) & 0xff;
    return 1;
}

static int64_t sys_sysinfo(rvvm_machine *m, uint64_t addr)
{
    uint8_t b[112];
    memset(b, 0, sizeof b);
    uint64_t brk_top = (m->layout.brk + RV_PAGE_MASK) & ~RV_PAGE_MASK;
    uint64_t free_bytes = m->layout.mmap_low > brk_top ? m->layout.mmap_low - brk_top : 0;
    put64(b + 0, rv_os_monotonic_ns(m) / 1000000000ull); /* uptime */
    put64(b + 32, m->mem.size);                          /* totalram */
    put64(b + 40, free_bytes);                           /* freeram */
    rv_store_le(b + 80, 1, 2);                           /* procs */
    put32(b + 104, 1);                                   /* mem_unit */
    return rv_os_copy_out(m, addr, b, sizeof b);
}

static int64_t sys_times(rvvm_machine *m, uint64_t addr)
{
    uint64_t ticks = m->cycles / 10000000ull; /* CLK_TCK 100 at 1 ns per cycle */
    if (addr) {
        uint8_t b[32] = {0};
        put64(b, ticks);
        int r = rv_os_copy_out(m, addr, b, sizeof b);
        if (r)
            return r;
    }
    return (int64_t)(rv_os_monotonic_ns(m) / 10000000ull);
}

static int64_t sys_getrusage(rvvm_machine *m, int64_t who, uint64_t addr)
{
    if (who != 0 && who != -1 && who != 1) /* SELF, CHILDREN, THREAD */
        return -EINVAL;
    uint8_t b[144];
    memset(b, 0, sizeof b);
    if (who != -1) {
        put64(b, m->cycles / 1000000000ull);
        put64(b + 8, (m->cycles / 1000ull) % 1000000ull);
    }
    return rv_os_copy_out(m, addr, b, sizeof b);
}

static int64_t sys_getrandom(rvvm_machine *m, uint64_t buf, uint64_t len, uint64_t flags)
{
    if (flags & ~7ull) /* GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE */
        return -EINVAL;
    if (len > RV_RANDOM_CHUNK_MAX)
        len = RV_RANDOM_CHUNK_MAX;
    if (!rv_memory_range_ok(&m->mem, buf, len, RV_PAGE_W))
        return -EFAULT;
    uint8_t *p = m->mem.base + buf;
    for (uint64_t i = 0; i < len; i += 8) {
        uint64_t r = splitmix64(&RV_OS(m)->rng_state);
        for (uint64_t j = 0; j < 8 && i + j < len; j++)
            p[i + j] = (uint8_t)(r >> (8 * j));
    }
    rv_guest_written(m, buf, len);
    return (int64_t)len;
}

static int64_t sys_sched_getaffinity(rvvm_machine *m, int64_t pid, uint64_t len, uint64_t addr)
{
    if (pid != 0 && pid != GUEST_PID)
        return -ESRCH;
    if (len < 8 || (len & 7))
        return -EINVAL;
    uint8_t b[8] = {1}; /* one CPU */
    int r = rv_os_copy_out(m, addr, b, 8);
    return r ? r : 8;
}

static int64_t sys_sigaltstack(rvvm_machine *m, uint64_t ss, uint64_t old)
{
    if (ss) {
        uint8_t b[24];
        int r = rv_os_copy_in(m, b, ss, sizeof b);
        if (r)
            return r;
    }
    if (old) {
        uint8_t b[24] = {0};
        put32(b + 8, 2); /* SS_DISABLE */
        return rv_os_copy_out(m, old, b, sizeof b);
    }
    return 0;
}

/* Process, signal, time and randomness calls. */
static int64_t sys_process(rvvm_machine *m, uint64_t nr, const uint64_t *a, bool *handled,
                           int *exited)
{
    int64_t ret;
    uint64_t ns;
    switch (nr) {
    case RV_NR_exit:
    case RV_NR_exit_group:
        m->exit_code = (int)(a[0] & 0xff);
        *exited = 1;
        return 0;
    case RV_NR_uname: return sys_uname(m, a[0]);
    case RV_NR_set_tid_address: return GUEST_PID;
    case RV_NR_set_robust_list: return a[1] == 24 ? 0 : -EINVAL;
    case RV_NR_rseq: return -ENOSYS;
    case RV_NR_prlimit64: return sys_prlimit64(m, (int64_t)a[0], a[1], a[2], a[3]);
    case RV_NR_rt_sigaction: return sys_rt_sigaction(m, a[0], a[1], a[2], a[3]);
    case RV_NR_rt_sigprocmask: return sys_rt_sigprocmask(m, a[0], a[1], a[2], a[3]);
    case RV_NR_sigaltstack: return sys_sigaltstack(m, a[0], a[1]);
    case RV_NR_getpid: return GUEST_PID;
    case RV_NR_gettid: return GUEST_PID;
    case RV_NR_getppid: return GUEST_PPID;
    case RV_NR_getuid: case RV_NR_geteuid: return GUEST_UID;
    case RV_NR_getgid: case RV_NR_getegid: return GUEST_GID;
    case RV_NR_getpgid: case RV_NR_getsid:
        return (a[0] == 0 || a[0] == GUEST_PID) ? GUEST_PID : -ESRCH;
    case RV_NR_getgroups: return 0;
    case RV_NR_kill:
        if ((int64_t)a[0] != GUEST_PID && (int64_t)a[0] != 0 && (int64_t)a[0] != -1)
            return -ESRCH;
        *exited = signal_self(m, a[1], &ret);
        return ret;
    case RV_NR_tkill:
        if (!rv_thread_exists(RV_OS(m), a[0]))
            return -ESRCH;
        *exited = signal_self(m, a[1], &ret);
        return ret;
    case RV_NR_tgkill:
        if ((int64_t)a[0] != GUEST_PID || !rv_thread_exists(RV_OS(m), a[1]))
            return -ESRCH;
        *exited = signal_self(m, a[2], &ret);
        return ret;
    case RV_NR_getrandom: return sys_getrandom(m, a[0], a[1], a[2]);
    case RV_NR_clock_gettime:
        if ((ret = clock_now(m, (int64_t)a[0], &ns)) != 0)
            return ret;
        return put_timespec(m, a[1], ns);
    case RV_NR_clock_getres:
        if (clock_now(m, (int64_t)a[0], &ns) != 0)
            return -EINVAL;
        return a[1] ? put_timespec(m, a[1], 1) : 0;
    case RV_NR_gettimeofday:
        if (a[0]) {
            uint8_t b[16];
            ns = rv_os_realtime_ns(m);
            put64(b, ns / 1000000000ull);
            put64(b + 8, (ns / 1000ull) % 1000000ull);
            if ((ret = rv_os_copy_out(m, a[0], b, sizeof b)) != 0)
                return ret;
        }
        if (a[1]) {
            uint8_t z[8] = {0};
            return rv_os_copy_out(m, a[1], z, sizeof z);
        }
        return 0;
    case RV_NR_nanosleep:
        return sys_clock_nanosleep(m, 1, 0, a[0], a[1]);
    case RV_NR_clock_nanosleep:
        return sys_clock_nanosleep(m, (int64_t)a[0], a[1], a[2], a[3]);
    case RV_NR_sched_yield: return 0;
    case RV_NR_sched_getaffinity: return sys_sched_getaffinity(m, (int64_t)a[0], a[1], a[2]);
    case RV_NR_sched_setaffinity: return 0;
    case RV_NR_sysinfo: return sys_sysinfo(m, a[0]);
    case RV_NR_times: return sys_times(m, a[0]);
    case RV_NR_getrusage: return sys_getrusage(m, (int64_t)a[0], a[1]);
    case RV_NR_getpriority: return 20; /* nice 0, as the raw syscall reports it */
    case RV_NR_setpriority: return 0;
    case RV_NR_prctl: return -EINVAL;
    case RV_NR_membarrier: return a[0] == 0 ? 0 : -EINVAL; /* MEMBARRIER_CMD_QUERY: none */
    case RV_NR_riscv_flush_icache:
        rv_flush_code(m);
        return 0;
    /* Not offered (README): no other process ever exists, so none is waited for. */
    case RV_NR_wait4: case RV_NR_waitid: return -ECHILD;
    /* Known and deliberately unsupported: one process (threads: thread.c); sockets: fs.c. */
    case RV_NR_riscv_hwprobe: case RV_NR_execve: case RV_NR_get_robust_list:
    case RV_NR_rt_sigsuspend: case RV_NR_rt_sigreturn: case RV_NR_setitimer: case RV_NR_getitimer:
    case RV_NR_setsid: case RV_NR_setpgid: case RV_NR_memfd_create:
        return -ENOSYS;
    case RV_NR_rt_sigpending: {
        uint8_t z[8] = {0};
        return a[1] != 8 ? -EINVAL : rv_os_copy_out(m, a[0], z, sizeof z);
    }
    default:
        *handled = false;
        return -ENOSYS;
    }
}

/* ---- tracing ------------------------------------------------------------------ */

static const char *sys_name(uint64_t nr)
{
    switch (nr) {
#define N(x) case RV_NR_##x: return #x;
    N(getcwd) N(dup) N(dup3) N(fcntl) N(ioctl) N(mkdirat) N(unlinkat) N(symlinkat) N(linkat)
    N(renameat) N(ftruncate) N(faccessat) N(chdir) N(fchdir) N(fchmod) N(fchmodat) N(fchownat)
    N(fchown) N(openat) N(close) N(pipe2) N(getdents64) N(lseek) N(read) N(write) N(readv)
    N(writev) N(pread64) N(pwrite64) N(preadv) N(pwritev) N(sendfile) N(ppoll) N(readlinkat)
    N(newfstatat) N(fstat) N(sync) N(fsync) N(fdatasync) N(utimensat) N(exit) N(exit_group)
    N(waitid) N(set_tid_address) N(futex) N(set_robust_list) N(get_robust_list) N(nanosleep)
    N(getitimer) N(setitimer) N(clock_gettime) N(clock_getres) N(clock_nanosleep)
    N(sched_setaffinity) N(sched_getaffinity) N(sched_yield) N(kill) N(tkill) N(tgkill)
    N(sigaltstack) N(rt_sigsuspend) N(rt_sigaction) N(rt_sigprocmask) N(rt_sigpending)
    N(rt_sigreturn) N(setpriority) N(getpriority) N(times) N(setpgid) N(getpgid) N(getsid)
    N(setsid) N(getgroups) N(uname) N(getrusage) N(umask) N(prctl) N(gettimeofday) N(getpid)
    N(getppid) N(getuid) N(geteuid) N(getgid) N(getegid) N(gettid) N(sysinfo) N(socket) N(brk)
    N(munmap) N(mremap) N(clone) N(execve) N(mmap) N(mprotect) N(msync) N(mlock) N(munlock)
    N(mlockall) N(munlockall) N(mincore) N(madvise) N(wait4) N(prlimit64) N(riscv_hwprobe)
    N(riscv_flush_icache) N(renameat2) N(getrandom) N(memfd_create) N(membarrier) N(statx)
    N(rseq) N(clone3) N(openat2) N(faccessat2)
#undef N
    }
    return NULL;
}

static void trace(rvvm_machine *m, uint64_t nr, const uint64_t *a, int64_t ret, bool known,
                  int exited)
{
    const char *name = sys_name(nr);
    char num[32], result[96];
    if (!name) {
        snprintf(num, sizeof num, "syscall_%" PRIu64, nr);
        name = num;
    }
    if (exited)
        snprintf(result, sizeof result, "exit %d", m->exit_code);
    else if (ret < 0 && ret >= -4095)
        snprintf(result, sizeof result, "-%" PRId64 " (%s)%s", -ret, strerror((int)-ret),
                 known ? "" : " [unknown]");
    else
        snprintf(result, sizeof result, "0x%" PRIx64, (uint64_t)ret);
    rv_trace(m,
             "%s(0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64
             ", 0x%" PRIx64 ") = %s",
             name, a[0], a[1], a[2], a[3], a[4], a[5], result);
}

int rv_syscall(rvvm_machine *m)
{
    uint64_t a[6];
    memcpy(a, &m->x[10], sizeof a);
    uint64_t nr = m->x[17];
    bool handled = true;
    int exited = 0;
    int64_t ret = rv_thread_syscall(m, nr, a, &handled, &exited);
    if (!handled) {
        handled = true;
        ret = sys_process(m, nr, a, &handled, &exited);
    }
    if (!handled) {
        handled = true;
        ret = rv_fs_syscall(m, nr, a, &handled);
    }
    if (!handled) {
        handled = true;
        ret = rv_mm_syscall(m, nr, a, &handled);
    }
    if (RV_OS(m)->sigpipe_kill) {
        RV_OS(m)->sigpipe_kill = false;
        exited = 1;
    }
    if (rv_tracing(m))
        trace(m, nr, a, ret, handled, exited);
    if (!handled && m->config.strict_syscalls)
        return -1;
    if (exited)
        return 1;
    rv_thread_call_done(m, ret);
    if (ret != RV_RESTART) /* a blocked call runs again with its arguments */
        m->x[10] = (uint64_t)ret;
    return 0;
}
