/*
 * Random system calls straight into the OS layer: hostile arguments (bad and
 * edge pointers, huge lengths, random descriptors and flags) for every
 * system call and semihosting operation, with a writable granted scratch
 * directory. Nothing may crash or touch host memory outside the guest (run
 * it under ASan/UBSan); the layout invariants must hold after every call;
 * snapshots of the resulting states must save and resume or fail cleanly.
 *
 * usage: test_fuzz PROGRAM.elf [ITERATIONS] [SEED]
 */
#include "core/cpu.h"
#include "linux/os.h"
#include "linux/sysno.h"
#include "rvvm/snapshot.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t rng = 0x853c49e6748fea9bull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* The console: writes vanish, reads see a short fixed input. */
static int64_t fuzz_read(void *user, int fd, void *buf, size_t len)
{
    (void)user, (void)fd;
    size_t n = len < 3 ? len : 3;
    memcpy(buf, "in\n", n);
    return (int64_t)n;
}

static int64_t fuzz_write(void *user, int fd, const void *buf, size_t len)
{
    (void)user, (void)fd, (void)buf;
    return (int64_t)len;
}

static const uint16_t calls[] = {
    RV_NR_getcwd, RV_NR_dup, RV_NR_dup3, RV_NR_fcntl, RV_NR_ioctl, RV_NR_mkdirat, RV_NR_unlinkat,
    RV_NR_renameat, RV_NR_ftruncate, RV_NR_faccessat, RV_NR_chdir, RV_NR_fchdir, RV_NR_openat,
    RV_NR_close, RV_NR_getdents64, RV_NR_lseek, RV_NR_read, RV_NR_write, RV_NR_readv,
    RV_NR_writev, RV_NR_pread64, RV_NR_pwrite64, RV_NR_preadv, RV_NR_pwritev, RV_NR_readlinkat,
    RV_NR_newfstatat, RV_NR_fstat, RV_NR_fsync, RV_NR_set_tid_address, RV_NR_futex,
    RV_NR_set_robust_list, RV_NR_nanosleep, RV_NR_clock_gettime, RV_NR_clock_getres,
    RV_NR_clock_nanosleep, RV_NR_sched_getaffinity, RV_NR_sigaltstack, RV_NR_rt_sigaction,
    RV_NR_rt_sigprocmask, RV_NR_rt_sigpending, RV_NR_times, RV_NR_uname, RV_NR_getrusage,
    RV_NR_gettimeofday, RV_NR_getpid, RV_NR_sysinfo, RV_NR_brk, RV_NR_munmap, RV_NR_mremap,
    RV_NR_mmap, RV_NR_mprotect, RV_NR_msync, RV_NR_mincore, RV_NR_madvise, RV_NR_prlimit64,
    RV_NR_renameat2, RV_NR_getrandom, RV_NR_statx, RV_NR_faccessat2, RV_NR_membarrier,
    RV_NR_riscv_flush_icache, RV_NR_symlinkat, RV_NR_linkat, RV_NR_fchmod, RV_NR_fchmodat,
    RV_NR_fchown, RV_NR_fchownat, RV_NR_utimensat, RV_NR_umask, RV_NR_socket, 452 /* fchmodat2 */,
    RV_NR_pipe2, RV_NR_ppoll, RV_NR_gettid, RV_NR_sched_yield, RV_NR_clone,
};

static const char *const paths[] = {
    "",      "/",        "data",        "data/a.txt", "data/../data/b", "../../etc/passwd",
    "data/d", "data/d/x", "/data/link", "data/a.txt/", ".",             "/proc/self/root",
    "/dev/null", "/dev", "/dev/stdout", "/dev/zero", "/dev/nothing", "../outside/secret",
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_fuzz PROGRAM.elf [ITERATIONS] [SEED]\n");
        return 2;
    }
    long iters = argc > 2 ? atol(argv[2]) : 200000;
    if (argc > 3)
        rng ^= strtoull(argv[3], NULL, 0) * 0x9e3779b97f4a7c15ull;

    char tmpl[] = "/tmp/rvvm_fuzz.XXXXXX";
    char *base = mkdtemp(tmpl);
    char dir[128], outside[128];
    snprintf(dir, sizeof dir, "%s/data", base);
    snprintf(outside, sizeof outside, "%s/outside", base);
    mkdir(dir, 0755);
    mkdir(outside, 0755);
    char p[256];
    snprintf(p, sizeof p, "%s/a.txt", dir);
    FILE *f = fopen(p, "w");
    fputs("some content\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/link", dir);
    (void)!symlink("../outside", p);
    char secret[160];
    snprintf(secret, sizeof secret, "%s/secret", outside);
    f = fopen(secret, "w");
    fputs("outside\n", f);
    fclose(f);
    chmod(secret, 0644);
    struct stat secret_before;
    stat(secret, &secret_before);

    rvvm_config cfg;
    rvvm_config_init(&cfg);
    cfg.memory_size = 64 << 20;
    rvvm_machine *m;
    const char *av[] = {"fuzz", NULL};
    if (rvvm_create(&cfg, &m) != RVVM_OK || rvvm_load_elf_file(m, argv[1], av, NULL) != RVVM_OK ||
        rvvm_grant_dir(m, dir, "/data", true) != RVVM_OK) {
        fprintf(stderr, "test_fuzz: cannot set up: %s\n", rvvm_last_error(m));
        return 2;
    }
    rvvm_set_io(m, fuzz_read, fuzz_write, NULL);
    /* Scratch: the top of the stack, below the initial stack's strings. */
    uint64_t scratch = m->layout.stack_low + 4096, scratch_len = 1 << 20;
    uint64_t strs = scratch + scratch_len;
    long saved = 0, resumed = 0, refused = 0, ok_calls = 0, save_failed = 0;
    for (long it = 0; it < iters; it++) {
        /* Path strings at a fixed place (calls may have scribbled on them). */
        uint64_t at = strs;
        uint64_t addr[sizeof paths / sizeof paths[0]];
        for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {
            addr[k] = at;
            rvvm_write_memory(m, at, paths[k], strlen(paths[k]) + 1);
            at += strlen(paths[k]) + 1;
        }
        uint64_t a[6];
        for (int k = 0; k < 6; k++) {
            switch (rnd() % 12) {
            case 0: a[k] = 0; break;
            case 1: a[k] = rnd() % 8; break;
            case 2: a[k] = (uint64_t)-1 - rnd() % 4; break;
            case 3: a[k] = rnd(); break;
            case 4: a[k] = (rnd() % m->mem.page_count) << RV_PAGE_SHIFT; break;
            case 5: a[k] = rnd() % m->mem.size; break;
            case 6: a[k] = m->mem.size - rnd() % 8192; break;
            case 7: a[k] = scratch + rnd() % scratch_len; break;
            case 8: a[k] = 1ull << (rnd() % 64); break;
            case 9: a[k] = (uint64_t)-100; break;
            case 10: a[k] = rnd() % 0x10000; break;
            default: a[k] = addr[rnd() % (sizeof addr / sizeof addr[0])]; break;
            }
        }
        /* Often a plausible (dirfd, path) pair, so file calls get past their checks. */
        if (rnd() % 2) {
            a[0] = rnd() % 2 ? (uint64_t)-100 : rnd() % 8;
            a[1] = addr[rnd() % (sizeof addr / sizeof addr[0])];
        }
        bool semi = rnd() % 8 == 0;
        uint64_t nr = rnd() % 16 == 0 ? rnd() % 512 : calls[rnd() % (sizeof calls / sizeof calls[0])];
        if (semi)
            nr = rnd() % 0x34;
        /* Calls that end the process would end the fuzzing. */
        if ((!semi && (nr == RV_NR_exit || nr == RV_NR_exit_group || nr == RV_NR_kill ||
                       nr == RV_NR_tkill || nr == RV_NR_tgkill)) ||
            (semi && (nr == 0x18 || nr == 0x20)))
            continue;
        memcpy(&m->x[10], a, sizeof a);
        m->x[17] = nr;
        if (semi)
            m->x[10] = nr; /* semihosting: a0 = operation, a1 = parameter */
        int r = semi ? rv_semihost(m) : rv_syscall(m);
        /* A write to a pipe with no reader raises SIGPIPE (status 141): the process would
         * end, the OS state stays sound; go on fuzzing it. */
        if (r == 1 && !semi && m->exit_code == 128 + 13)
            r = 0;
        ok_calls += r == 0 && (int64_t)m->x[10] >= 0;
        if (r != 0) {
            fprintf(stderr, "call %llu (%s) returned %d\n", (unsigned long long)nr,
                    semi ? "semihosting" : "linux", r);
            return 1;
        }
        const rv_layout *l = &m->layout;
        if (!(l->brk_start <= l->brk && l->brk <= l->mmap_low && l->mmap_low <= l->stack_low) ||
            (l->mmap_low & RV_PAGE_MASK)) {
            fprintf(stderr, "layout broken after call %llu\n", (unsigned long long)nr);
            return 1;
        }
        if (it % 5000 == 4999) {
            uint8_t *snap;
            size_t len;
            if (rvvm_snapshot_save_buffer(m, 0, &snap, &len) == RVVM_OK) {
                saved++;
                rvvm_machine *m2;
                char err[256];
                rvvm_status st = rvvm_resume_buffer(snap, len, argv[1], &m2, err, sizeof err);
                if (st == RVVM_OK) {
                    resumed++;
                    uint8_t d1[32], d2[32];
                    rvvm_state_digest(m, d1);
                    rvvm_state_digest(m2, d2);
                    if (memcmp(d1, d2, 32) != 0 || RV_OS(m2)->vma_count != RV_OS(m)->vma_count ||
                        m2->layout.mmap_low != m->layout.mmap_low) {
                        fprintf(stderr, "resumed state differs at iteration %ld\n", it);
                        return 1;
                    }
                    rvvm_destroy(m2);
                } else {
                    refused++; /* e.g. a file changed by a later call: fine, but clean */
                    if (getenv("FUZZ_VERBOSE"))
                        fprintf(stderr, "refused: %s\n", err);
                }
                rvvm_buffer_free(snap);
            } else {
                /* Every state the guest reaches can be saved (files without names too). */
                fprintf(stderr, "saving failed at iteration %ld: %s\n", it, rvvm_last_error(m));
                save_failed++;
            }
        }
    }
    rvvm_destroy(m);
    /* Nothing outside the granted directory changed. */
    struct stat secret_after;
    bool secret_ok = stat(secret, &secret_after) == 0 &&
                     secret_after.st_mode == secret_before.st_mode &&
                     secret_after.st_size == secret_before.st_size &&
                     secret_after.st_nlink == 1 &&
                     secret_after.st_mtim.tv_sec == secret_before.st_mtim.tv_sec &&
                     secret_after.st_mtim.tv_nsec == secret_before.st_mtim.tv_nsec;
    int entries = 0;
    DIR *d = opendir(outside);
    for (struct dirent *e; d && (e = readdir(d));)
        entries += e->d_name[0] != '.' && strcmp(e->d_name, "secret") != 0;
    closedir(d);
    d = opendir(base);
    int top = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        top += e->d_name[0] != '.';
    closedir(d);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    (void)!system(cmd);
    if (entries || top != 2) {
        fprintf(stderr, "files appeared outside the granted directory\n");
        return 1;
    }
    if (!secret_ok) {
        fprintf(stderr, "the file outside the granted directory changed\n");
        return 1;
    }
    if (save_failed) {
        fprintf(stderr, "%ld snapshots could not be saved\n", save_failed);
        return 1;
    }
    printf("%ld calls survived (%ld succeeded); %ld snapshots saved, %ld resumed, %ld refused\n",
           iters, ok_calls, saved, resumed, refused);
    return 0;
}
