/*
 * Fuzz target: the system-call layer with random arguments, in a sandbox.
 *
 * The input is a list of calls. Each becomes code in a small guest program
 * (built in memory): load a0..a5 and a7 from a table, then ecall, or the
 * semihosting sequence with a parameter block. Numbers come mostly from the
 * Linux calls rvvm knows, arguments from a mix of small integers, pointers
 * into the guest's own data (paths, iovecs, buffers), wild values, page
 * boundaries and large lengths. The guest gets a read-write and a read-only
 * directory (see sandbox.h); after the run nothing outside the read-write
 * one may have changed. A run is bounded by its cycle budget; libFuzzer's
 * -timeout catches a host call that blocks (the grant holds a FIFO).
 *
 * Record layout: a selector byte (a known call, a raw number, or a
 * semihosting operation), then six arguments, each a kind byte and 0..8
 * value bytes.
 */
#include "fuzz.h"

#include <string.h>

#include "../tests/unit/elfbuild.h"
#include "../tests/unit/rvasm.h"
#include "rvvm/rvvm.h"
#include "sandbox.h"

#define CODE_VA 0x10000ull
#define DATA_VA 0x20000ull
#define DATA_SIZE 0x4000u
#define IOV_OFF 0x800u
#define PARAM_OFF 0xc00u
#define BUF_OFF 0x1000u
#define TABLE_VA 0x30000ull
#define MAX_CALLS 48
#define SLOT 64u

static fuzz_sandbox sb;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_sandbox_init(&sb, "syscall");
    return 0;
}

/* The console: reads see a short fixed line, writes vanish. */
static int64_t con_read(void *user, int fd, void *buf, size_t len)
{
    (void)user, (void)fd;
    size_t n = len < 6 ? len : 6;
    memcpy(buf, "input\n", n);
    return (int64_t)n;
}

static int64_t con_write(void *user, int fd, const void *buf, size_t len)
{
    (void)user, (void)fd, (void)buf;
    return (int64_t)len;
}

/* Linux riscv64 numbers of the calls worth reaching often. */
static const uint16_t calls[] = {
    17,  /* getcwd */     23,  /* dup */         24,  /* dup3 */        25,  /* fcntl */
    29,  /* ioctl */      34,  /* mkdirat */     35,  /* unlinkat */    36,  /* symlinkat */
    37,  /* linkat */     38,  /* renameat */    46,  /* ftruncate */   48,  /* faccessat */
    49,  /* chdir */      50,  /* fchdir */      52,  /* fchmod */      53,  /* fchmodat */
    56,  /* openat */     56,  /* openat */      56,  /* openat */      57,  /* close */
    59,  /* pipe2 */      61,  /* getdents64 */  62,  /* lseek */       63,  /* read */
    64,  /* write */      65,  /* readv */       66,  /* writev */      67,  /* pread64 */
    68,  /* pwrite64 */   69,  /* preadv */      70,  /* pwritev */     71,  /* sendfile */
    78,  /* readlinkat */ 79,  /* newfstatat */  80,  /* fstat */       82,  /* fsync */
    88,  /* utimensat */  96,  /* set_tid_address */ 98, /* futex */   99,  /* set_robust_list */
    101, /* nanosleep */  113, /* clock_gettime */ 114, /* clock_getres */ 115, /* clock_nanosleep */
    123, /* sched_getaffinity */ 124, /* sched_yield */ 132, /* sigaltstack */ 134, /* rt_sigaction */
    135, /* rt_sigprocmask */ 153, /* times */   160, /* uname */       165, /* getrusage */
    166, /* umask */      167, /* prctl */       169, /* gettimeofday */ 172, /* getpid */
    179, /* sysinfo */    214, /* brk */         215, /* munmap */      216, /* mremap */
    222, /* mmap */       222, /* mmap */        226, /* mprotect */    227, /* msync */
    232, /* mincore */    233, /* madvise */     259, /* riscv_flush_icache */ 261, /* prlimit64 */
    276, /* renameat2 */  278, /* getrandom */   279, /* memfd_create */ 283, /* membarrier */
    291, /* statx */      436, /* close_range */ 437, /* openat2 */     439, /* faccessat2 */
    93,  /* exit */       94,  /* exit_group */  129, /* kill */        131, /* tgkill */
};

static const char *const paths[] = {
    "/data/a.txt", "/data", "/data/d", "/data/d/x.txt", "/data/new", "/data/link/secret.txt",
    "/data/link", "/data/abs", "/data/../outside/secret.txt", "/data/fifo", "/ro/r.txt", "/ro",
    "/ro/new", "a.txt", "d/../a.txt", "..", ".", "/", "", "/proc/self/root/etc/passwd",
    "/etc/passwd", ":tt", "/data/d/../../..", "data/d/", "/data/d/new/y", "/dev/zero",
};

/* Path strings, iovecs and buffers in the data segment; returns each path's address. */
static void build_data(uint8_t *dat, uint64_t *path_addr, size_t npaths)
{
    memset(dat, 0, DATA_SIZE);
    size_t at = 0;
    for (size_t i = 0; i < npaths; i++) {
        path_addr[i] = DATA_VA + at;
        memcpy(dat + at, paths[i], strlen(paths[i]) + 1);
        at += strlen(paths[i]) + 1;
    }
    for (unsigned i = 0; i < 8; i++) {
        fuzz_put(dat + IOV_OFF + 16 * i, DATA_VA + BUF_OFF + 0x200 * i, 8);
        fuzz_put(dat + IOV_OFF + 16 * i + 8, 16u << i, 8);
    }
    for (unsigned i = BUF_OFF; i < DATA_SIZE; i++)
        dat[i] = (uint8_t)('a' + i % 26);
}

static uint64_t arg_value(fuzz_bytes *in, const uint64_t *path_addr, size_t npaths)
{
    unsigned kind = (unsigned)fuzz_take(in, 1);
    switch (kind % 10) {
    case 0: return (uint64_t)(int64_t)(int8_t)fuzz_take(in, 1);
    case 1: return DATA_VA + fuzz_take(in, 2) % DATA_SIZE;
    case 2: return path_addr[fuzz_take(in, 1) % npaths];
    case 3: return fuzz_take(in, 8);
    case 4: return (uint64_t)-100; /* AT_FDCWD */
    case 5: return fuzz_take(in, 1) % 12;
    case 6: {
        unsigned b = (unsigned)fuzz_take(in, 1);
        return (1ull << (b % 34)) - ((b & 0x80) ? 1 : 0);
    }
    case 7: return DATA_VA + IOV_OFF + 16 * (fuzz_take(in, 1) % 8);
    case 8: return fuzz_take(in, 1) << 12;
    default: return fuzz_take(in, 4);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum { NPATHS = sizeof paths / sizeof paths[0] };
    static uint8_t dat[DATA_SIZE];
    static uint64_t table[MAX_CALLS * SLOT / 8];
    static uint32_t text[32 + MAX_CALLS * 32];
    uint64_t path_addr[NPATHS];
    build_data(dat, path_addr, NPATHS);
    memset(table, 0, sizeof table);

    fuzz_bytes in = {data, size, 0};
    size_t n = 0;
    n += rva_li32(text + n, T0, (int32_t)TABLE_VA);
    n += rva_li32(text + n, S1, (int32_t)(DATA_VA + PARAM_OFF));
    unsigned ncalls = 0;
    while (fuzz_more(&in) && ncalls < MAX_CALLS) {
        unsigned sel = (unsigned)fuzz_take(&in, 1);
        int semi = 0;
        uint64_t nr;
        if (sel >= 0xf8)
            nr = fuzz_take(&in, 2) % 1024;
        else if (sel >= 0xe8) {
            nr = fuzz_take(&in, 1) % 0x34;
            semi = 1;
        } else
            nr = calls[sel % (sizeof calls / sizeof calls[0])];
        uint64_t *slot = table + ncalls * (SLOT / 8);
        for (int k = 0; k < 6; k++)
            slot[k] = arg_value(&in, path_addr, NPATHS);
        slot[6] = nr;
        for (unsigned r = 0; r < 6; r++)
            text[n++] = LD(A0 + r, T0, (int32_t)(8 * r));
        text[n++] = LD(A7, T0, 48);
        if (semi) {
            /* a0 = operation, a1 = parameter block holding arguments 1..4. */
            for (unsigned r = 0; r < 4; r++)
                text[n++] = SD(A1 + r, S1, (int32_t)(8 * r));
            text[n++] = ADDI(A1, S1, 0);
            text[n++] = ADDI(A0, A7, 0);
            /* The three instructions must share a page. */
            while ((n * 4) % 4096 > 4096 - 12)
                text[n++] = ADDI(ZERO, ZERO, 0);
            text[n++] = 0x01f01013u; /* slli x0, x0, 0x1f */
            text[n++] = EBREAK();
            text[n++] = 0x40705013u; /* srai x0, x0, 7 */
        } else {
            text[n++] = ECALL();
        }
        text[n++] = ADDI(T0, T0, (int32_t)SLOT);
        ncalls++;
    }
    text[n++] = ADDI(A0, ZERO, 0);
    text[n++] = ADDI(A7, ZERO, 94); /* exit_group(0) */
    text[n++] = ECALL();

    eb_elf e;
    eb_init(&e, CODE_VA);
    eb_add(&e, PT_LOAD, PF_R | PF_X, CODE_VA, text, n * 4, n * 4);
    eb_add(&e, PT_LOAD, PF_R | PF_W, DATA_VA, dat, DATA_SIZE, DATA_SIZE);
    size_t tsize = (ncalls ? ncalls : 1) * SLOT;
    eb_add(&e, PT_LOAD, PF_R | PF_W, TABLE_VA, table, tsize, tsize);
    size_t img_size = 0;
    uint8_t *img = eb_build(&e, &img_size);
    FUZZ_CHECK(img != NULL, "out of memory");

    fuzz_sandbox_reset(&sb);
    rvvm_config cfg;
    rvvm_config_init(&cfg);
    cfg.memory_size = 4ull << 20;
    rvvm_machine *m = NULL;
    FUZZ_CHECK(rvvm_create(&cfg, &m) == RVVM_OK, "rvvm_create");
    rvvm_set_io(m, con_read, con_write, NULL);
    static const char *const argv[] = {"fuzz", "x", NULL};
    FUZZ_CHECK(rvvm_load_elf_memory(m, img, img_size, "fuzz", argv, NULL) == RVVM_OK,
               "the generated program does not load: %s", rvvm_last_error(m));
    free(img);
    FUZZ_CHECK(rvvm_grant_dir(m, sb.grant, "/data", true) == RVVM_OK, "grant: %s",
               rvvm_last_error(m));
    FUZZ_CHECK(rvvm_grant_dir(m, sb.ro, "/ro", false) == RVVM_OK, "grant: %s",
               rvvm_last_error(m));
    rvvm_run_result r;
    FUZZ_CHECK(rvvm_run(m, 200000, &r) == RVVM_OK, "run: %s", rvvm_last_error(m));
    FUZZ_CHECK(rvvm_cycles(m) <= 200000, "budget overrun");
    FUZZ_NOTE("  %u calls, %llu instructions, stop %d exit %d (%s)", ncalls,
              (unsigned long long)rvvm_instructions(m), (int)r.reason, r.exit_code,
              r.reason == RVVM_STOP_FAULT ? rvvm_fault_kind_string(r.fault.kind) : "");
    rvvm_destroy(m);
    fuzz_sandbox_check(&sb);
    return 0;
}
