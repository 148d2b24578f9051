/* snapbench: measures rvvm snapshot writing and resuming (bench/snapshot/run.sh).
 *
 *   snapbench [options] dirty_mb.elf
 *     --rvrun PATH         rvrun binary for the whole-process runs (default build/rvrun)
 *     --dir DIR            where snapshots and copies are written (default .)
 *     --sizes LIST         dirty sizes in KiB, e.g. 0,64,1024,65536:pattern
 *                          (default 0,64,1024,8192,65536,262144,65536:pattern)
 *     --runs N             saves per size and mode (default 7)
 *     --cp-kib K           size of the cp comparison (default 65536)
 *     --cp-runs N          rounds of the cp comparison (default 15)
 *     --resume-kib K       dirty size of the resume measurement (default 1024)
 *     --resume-runs N      in-process resumes per snapshot (default 200)
 *     --process-runs N     whole-process rvrun runs per variant (default 100)
 *     --memory BYTES       guest memory (default 1 GiB)
 *     --json FILE          every sample, as JSON
 *     --hello PATH         tests/guests hello.elf: adds a table of process start-up costs
 *     --qemu PATH          qemu-riscv64, for that table (optional)
 *
 * Links build/librvvm.a and calls the library directly, so that the save
 * (rvvm_snapshot_save_file) and the resume (rvvm_resume_file) are timed by
 * themselves, without running the guest inside the timed region. A machine is
 * brought to a snapshot point by running dirty_mb.elf KIB once to its exit,
 * which gives its cycle count C, then running a fresh machine with a budget of
 * C - 1 cycles: it stops just before the final exit_group with all KIB KiB
 * written. Wall time is CLOCK_MONOTONIC; CPU time is the calling thread's
 * (user + system, CLOCK_THREAD_CPUTIME_ID), or a child's (wait4). The target
 * file is unlinked and its file system synced (syncfs) before every timed
 * write, so each one starts from the same state. Prints Markdown tables. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "rvvm/rvvm.h"
#include "rvvm/snapshot.h"

#define MAX_SIZES 32
#define MIB (1024.0 * 1024.0)

typedef struct options {
    const char *elf;
    const char *rvrun;
    const char *dir;
    const char *json_path;
    const char *hello;
    const char *qemu;
    long kib[MAX_SIZES];
    int pattern[MAX_SIZES];
    int nsizes;
    int runs;
    long cp_kib;
    int cp_runs;
    long resume_kib;
    int resume_runs;
    int process_runs;
    uint64_t memory;
} options;

static options opt;
static FILE *json;
static volatile uint8_t sink; /* keeps a measured copy from being optimised away */

static _Noreturn void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "snapbench: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
    double *s = malloc(sizeof *s * (size_t)n);
    if (!s)
        die("out of memory");
    memcpy(s, v, sizeof *s * (size_t)n);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    free(s);
    return m;
}

static double minimum(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++)
        m = v[i] < m ? v[i] : m;
    return m;
}

static double *samples(int n)
{
    double *v = calloc((size_t)n, sizeof *v);
    if (!v)
        die("out of memory");
    return v;
}

/* "name": [s0, s1, ...] in seconds, with a leading comma unless first */
static void json_samples(const char *name, const double *v, int n, bool first)
{
    if (!json)
        return;
    fprintf(json, "%s\"%s\": [", first ? "" : ", ", name);
    for (int i = 0; i < n; i++)
        fprintf(json, "%s%.9f", i ? ", " : "", v[i]);
    fprintf(json, "]");
}

/* ---- guest machines ---------------------------------------------------- */

static int64_t discard_write(void *user, int fd, const void *buf, size_t len)
{
    (void)user, (void)fd, (void)buf;
    return (int64_t)len;
}

static int64_t empty_read(void *user, int fd, void *buf, size_t len)
{
    (void)user, (void)fd, (void)buf, (void)len;
    return 0;
}

static rvvm_machine *load_guest(long kib, int pattern)
{
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = opt.memory;
    rvvm_machine *m;
    rvvm_status st = rvvm_create(&c, &m);
    if (st != RVVM_OK)
        die("rvvm_create: %s", rvvm_status_string(st));
    rvvm_set_io(m, empty_read, discard_write, NULL);
    char arg[32];
    snprintf(arg, sizeof arg, "%ld", kib);
    const char *argv[] = {opt.elf, arg, pattern ? "pattern" : "random", NULL};
    if (rvvm_load_elf_file(m, opt.elf, argv, NULL) != RVVM_OK)
        die("%s: %s", opt.elf, rvvm_last_error(m));
    return m;
}

/* A machine that has written kib KiB and stops one cycle before exiting. */
static rvvm_machine *dirty_and_stop(long kib, int pattern)
{
    rvvm_machine *m = load_guest(kib, pattern);
    rvvm_run_result r;
    if (rvvm_run(m, RVVM_NO_LIMIT, &r) != RVVM_OK || r.reason != RVVM_STOP_EXITED ||
        r.exit_code != 0)
        die("dirty_mb %ld did not exit 0", kib);
    uint64_t cycles = rvvm_cycles(m);
    rvvm_destroy(m);
    m = load_guest(kib, pattern);
    if (rvvm_run(m, cycles - 1, &r) != RVVM_OK || r.reason != RVVM_STOP_CYCLE_LIMIT)
        die("dirty_mb %ld did not stop at %" PRIu64 " cycles", kib, cycles - 1);
    return m;
}

/* Resumes the snapshot at path and checks it is the machine m, digest for digest. */
static void check_resume(rvvm_machine *m, const char *path)
{
    rvvm_machine *r;
    char err[600];
    if (rvvm_resume_file(path, NULL, &r, err, sizeof err) != RVVM_OK)
        die("resume %s: %s", path, err);
    uint8_t a[32], b[32];
    if (rvvm_state_digest(m, a) != RVVM_OK || rvvm_state_digest(r, b) != RVVM_OK ||
        memcmp(a, b, 32) != 0 || rvvm_cycles(m) != rvvm_cycles(r))
        die("resume %s: state differs from the saved machine", path);
    rvvm_destroy(r);
}

/* ---- files ------------------------------------------------------------- */

static int dir_fd;

static char *path_in_dir(const char *name)
{
    char *p;
    if (asprintf(&p, "%s/%s", opt.dir, name) < 0)
        die("out of memory");
    return p;
}

/* Removes path and syncs its file system, so the next write starts clean. */
static void clean(const char *path)
{
    if (unlink(path) != 0 && errno != ENOENT)
        die("unlink %s: %s", path, strerror(errno));
    if (syncfs(dir_fd) != 0)
        die("syncfs %s: %s", opt.dir, strerror(errno));
}

static uint64_t file_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        die("stat %s: %s", path, strerror(errno));
    return (uint64_t)st.st_size;
}

static void timed_save(rvvm_machine *m, const char *path, uint32_t flags, double *wall,
                       double *cpu)
{
    clean(path);
    double w0 = wall_now(), c0 = cpu_now();
    if (rvvm_snapshot_save_file(m, path, flags) != RVVM_OK)
        die("save %s: %s", path, rvvm_last_error(m));
    *cpu = cpu_now() - c0;
    *wall = wall_now() - w0;
}

/* Runs argv with stdin and stdout on /dev/null; returns its exit status and
 * sets the wall time (fork to wait4) and its CPU time (user + system). */
static int run_child(char *const argv[], double *wall, double *cpu)
{
    double w0 = wall_now();
    pid_t pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null < 0)
            _exit(127);
        dup2(null, 0);
        dup2(null, 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0)
        if (errno != EINTR)
            die("wait4: %s", strerror(errno));
    *wall = wall_now() - w0;
    *cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0)
        die("fsync %s: %s", path, strerror(errno));
    close(fd);
}

/* ---- 1. write time and size against dirty bytes ---------------------- */

static void bench_sizes(void)
{
    printf("### Snapshot write time and size against dirty bytes\n\n");
    printf("Median of %d saves of the same stopped machine for each row. *write* is "
           "`rvvm_snapshot_save_file`, the whole save (to a temporary file, fsync, rename, "
           "fsync of the directory); *build* is `rvvm_snapshot_save_buffer`, the snapshot made "
           "in a memory buffer instead of a file. Wall time; CPU time is the calling thread's. "
           "Data is incompressible (xorshift64*) unless the row says *pattern*.\n\n",
           opt.runs);
    printf("| dirty | compressed | snapshot size | pages stored | build (ms) | write, wall (ms) | "
           "write, CPU (ms) | write throughput (MiB/s of dirty data) |\n");
    printf("|---:|:---:|---:|---:|---:|---:|---:|---:|\n");
    if (json)
        fprintf(json, "\"sizes\": [");
    char *path = path_in_dir("size.snap");
    for (int s = 0; s < opt.nsizes; s++) {
        long kib = opt.kib[s];
        fprintf(stderr, "snapbench: %ld KiB%s ...\n", kib, opt.pattern[s] ? " pattern" : "");
        rvvm_machine *m = dirty_and_stop(kib, opt.pattern[s]);
        for (int comp = 0; comp <= 1; comp++) {
            uint32_t flags = comp ? RVVM_SNAPSHOT_COMPRESS : 0;
            double *wall = samples(opt.runs), *cpu = samples(opt.runs),
                   *build = samples(opt.runs);
            uint64_t size = 0;
            for (int r = 0; r < opt.runs; r++) {
                uint8_t *data;
                size_t len;
                double b0 = wall_now();
                if (rvvm_snapshot_save_buffer(m, flags, &data, &len) != RVVM_OK)
                    die("save_buffer: %s", rvvm_last_error(m));
                build[r] = wall_now() - b0;
                rvvm_buffer_free(data);
                timed_save(m, path, flags, &wall[r], &cpu[r]);
                size = file_size(path);
                if (size != len)
                    die("file size %" PRIu64 " differs from the buffer's %zu", size, len);
            }
            /* what was stored */
            FILE *f = fopen(path, "rb");
            uint8_t *data = malloc(size);
            if (!f || !data || fread(data, 1, size, f) != size)
                die("read %s", path);
            fclose(f);
            rvvm_snapshot_info *info;
            char err[300];
            if (rvvm_snapshot_inspect(data, size, &info, err, sizeof err) != RVVM_OK)
                die("inspect: %s", err);
            size_t data_pages = 0;
            for (size_t i = 0; i < info->page_count; i++)
                data_pages += info->pages[i].kind == RVVM_PAGE_DATA;
            size_t page_count = info->page_count;
            rvvm_snapshot_info_free(info);
            free(data);
            check_resume(m, path);

            double mw = median(wall, opt.runs);
            char dirty[32];
            if (kib >= 1024)
                snprintf(dirty, sizeof dirty, "%ld MiB", kib / 1024);
            else
                snprintf(dirty, sizeof dirty, "%ld KiB", kib);
            char tput[32] = "–";
            if (kib >= 1024)
                snprintf(tput, sizeof tput, "%.0f", (double)kib / 1024 / mw);
            printf("| %s%s | %s | %.2f MiB (%" PRIu64 " B) | %zu (%zu data) | %.2f | %.2f | "
                   "%.2f | %s |\n",
                   dirty, opt.pattern[s] ? " pattern" : "", comp ? "zstd" : "no",
                   (double)size / MIB, size, page_count, data_pages, median(build, opt.runs) * 1e3,
                   mw * 1e3, median(cpu, opt.runs) * 1e3, tput);
            fflush(stdout);
            if (json) {
                fprintf(json,
                        "%s{\"kib\": %ld, \"pattern\": %s, \"compressed\": %s, \"size\": %" PRIu64
                        ", \"pages\": %zu, \"data_pages\": %zu, ",
                        s || comp ? ", " : "", kib, opt.pattern[s] ? "true" : "false",
                        comp ? "true" : "false", size, page_count, data_pages);
                json_samples("build_wall", build, opt.runs, true);
                json_samples("write_wall", wall, opt.runs, false);
                json_samples("write_cpu", cpu, opt.runs, false);
                fprintf(json, "}");
            }
            free(wall), free(cpu), free(build);
        }
        rvvm_destroy(m);
    }
    clean(path);
    free(path);
    if (json)
        fprintf(json, "],\n");
    printf("\n");
}

/* ---- 2. against cp ----------------------------------------------------- */

/* write(2) of len bytes from memory into a new file, then fsync and close */
static void write_file_fsync(const char *path, const uint8_t *p, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        die("open %s: %s", path, strerror(errno));
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            die("write %s: %s", path, strerror(errno));
        p += n, len -= (size_t)n;
    }
    if (fsync(fd) != 0 || close(fd) != 0)
        die("fsync %s: %s", path, strerror(errno));
}

static void bench_cp(void)
{
    long kib = opt.cp_kib;
    int n = opt.cp_runs;
    fprintf(stderr, "snapbench: cp comparison, %ld KiB ...\n", kib);
    char *src = path_in_dir("cp-src.bin"), *dst = path_in_dir("cp-dst.bin"),
         *snap = path_in_dir("cp.snap");
    /* the source: incompressible bytes, written once and synced (so it is in
     * the page cache and clean, as the guest's memory is in RAM) */
    size_t bytes = (size_t)kib * 1024;
    uint64_t *buf = malloc(bytes);
    if (!buf)
        die("out of memory");
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < bytes / 8; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        buf[i] = x;
    }
    FILE *f = fopen(src, "wb");
    if (!f || fwrite(buf, 1, bytes, f) != bytes || fclose(f) != 0)
        die("write %s", src);
    free(buf);
    fsync_path(src);

    rvvm_machine *m = dirty_and_stop(kib, 0);
    double *cp_wall = samples(n), *cp_cpu = samples(n), *cps_wall = samples(n),
           *cps_cpu = samples(n), *sv_wall = samples(n), *sv_cpu = samples(n);
    /* the parts of a save, done by hand on a buffer of the same size */
    double *f_copy = samples(n), *f_sha = samples(n), *f_write = samples(n),
           *f_wfs = samples(n), *c_copy = samples(n), *c_sha = samples(n),
           *c_write = samples(n), *c_wfs = samples(n);
    uint8_t *image = NULL;
    size_t image_len = 0;
    if (rvvm_snapshot_save_buffer(m, 0, &image, &image_len) != RVVM_OK)
        die("save_buffer: %s", rvvm_last_error(m));
    char *cp_argv[] = {"cp", src, dst, NULL};
    for (int r = 0; r < n; r++) {
        clean(dst);
        if (run_child(cp_argv, &cp_wall[r], &cp_cpu[r]) != 0)
            die("cp failed");
        clean(dst);
        double w0 = wall_now(), c0 = cpu_now(), wc, cc;
        if (run_child(cp_argv, &wc, &cc) != 0)
            die("cp failed");
        fsync_path(dst);
        cps_wall[r] = wall_now() - w0;
        cps_cpu[r] = cc + (cpu_now() - c0);
        timed_save(m, snap, 0, &sv_wall[r], &sv_cpu[r]);

        double t0 = wall_now(), u0 = cpu_now();
        uint8_t *copy = malloc(image_len);
        if (!copy)
            die("out of memory");
        memcpy(copy, image, image_len);
        f_copy[r] = wall_now() - t0;
        c_copy[r] = cpu_now() - u0;
        sink ^= copy[image_len / 2];
        free(copy);
        t0 = wall_now(), u0 = cpu_now();
        XXH128_hash_t h = XXH3_128bits(image, image_len);
        sink ^= (uint8_t)h.low64;
        f_sha[r] = wall_now() - t0;
        c_sha[r] = cpu_now() - u0;
        clean(dst);
        t0 = wall_now(), u0 = cpu_now();
        int fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0)
            die("open %s: %s", dst, strerror(errno));
        for (size_t off = 0; off < image_len;) {
            ssize_t w = write(fd, image + off, image_len - off);
            if (w <= 0)
                die("write %s: %s", dst, strerror(errno));
            off += (size_t)w;
        }
        close(fd);
        f_write[r] = wall_now() - t0;
        c_write[r] = cpu_now() - u0;
        clean(dst);
        t0 = wall_now(), u0 = cpu_now();
        write_file_fsync(dst, image, image_len);
        f_wfs[r] = wall_now() - t0;
        c_wfs[r] = cpu_now() - u0;
    }
    rvvm_buffer_free(image);
    uint64_t snap_size = file_size(snap);
    clean(dst);
    clean(snap);
    unlink(src);
    rvvm_destroy(m);

    double cw = median(cp_wall, n), csw = median(cps_wall, n), sw = median(sv_wall, n);
    double cc = median(cp_cpu, n), csc = median(cps_cpu, n), sc = median(sv_cpu, n);
    printf("### Writing %ld MiB of dirty pages against cp\n\n", kib / 1024);
    printf("Median of %d rounds; each round runs the three one after another, each into a "
           "file removed and synced away before. *cp* is `cp SRC DST` of a %ld MiB file "
           "(incompressible, in the page cache) in the same directory, timed from fork to "
           "wait4; *cp + fsync* adds an `fsync` of DST; *snapshot* is `rvvm_snapshot_save_file` "
           "of a machine with %ld MiB dirty (uncompressed: %.2f MiB file). CPU: the child's "
           "user + system time for cp, plus the fsync call's for cp + fsync; the calling "
           "thread's for the snapshot.\n\n",
           n, kib / 1024, kib / 1024, (double)snap_size / MIB);
    printf("| write | wall (ms) | CPU (ms) | snapshot / this, wall | snapshot / this, CPU |\n");
    printf("|---|---:|---:|---:|---:|\n");
    printf("| cp | %.2f | %.2f | %.2f | %.2f |\n", cw * 1e3, cc * 1e3, sw / cw, sc / cc);
    printf("| cp + fsync | %.2f | %.2f | %.2f | %.2f |\n", csw * 1e3, csc * 1e3, sw / csw,
           sc / csc);
    printf("| snapshot (fsync'd) | %.2f | %.2f | 1 | 1 |\n\n", sw * 1e3, sc * 1e3);
    printf("The parts of such a save, timed by hand in the same rounds on the same %.2f MiB "
           "snapshot image (medians; CPU is the calling thread's):\n\n",
           (double)image_len / MIB);
    printf("| step | wall (ms) | CPU (ms) |\n|---|---:|---:|\n");
    printf("| `malloc` + `memcpy` of the image (fresh pages; what an in-memory copy costs) | %.2f | "
           "%.2f |\n",
           median(f_copy, n) * 1e3, median(c_copy, n) * 1e3);
    printf("| XXH3-128 of the image (libxxhash `XXH3_128bits`, the file checksum) | %.2f | %.2f |\n",
           median(f_sha, n) * 1e3, median(c_sha, n) * 1e3);
    printf("| `write(2)` of the image to a new file, no fsync | %.2f | %.2f |\n",
           median(f_write, n) * 1e3, median(c_write, n) * 1e3);
    printf("| `write(2)` + `fsync` of the image to a new file | %.2f | %.2f |\n\n",
           median(f_wfs, n) * 1e3, median(c_wfs, n) * 1e3);
    if (json) {
        fprintf(json, "\"cp\": {\"kib\": %ld, \"snapshot_size\": %" PRIu64 ", ", kib, snap_size);
        json_samples("cp_wall", cp_wall, n, true);
        json_samples("cp_cpu", cp_cpu, n, false);
        json_samples("cp_fsync_wall", cps_wall, n, false);
        json_samples("cp_fsync_cpu", cps_cpu, n, false);
        json_samples("snapshot_wall", sv_wall, n, false);
        json_samples("snapshot_cpu", sv_cpu, n, false);
        json_samples("part_malloc_memcpy_wall", f_copy, n, false);
        json_samples("part_xxh3_wall", f_sha, n, false);
        json_samples("part_write_wall", f_write, n, false);
        json_samples("part_write_fsync_wall", f_wfs, n, false);
        json_samples("part_malloc_memcpy_cpu", c_copy, n, false);
        json_samples("part_xxh3_cpu", c_sha, n, false);
        json_samples("part_write_cpu", c_write, n, false);
        json_samples("part_write_fsync_cpu", c_wfs, n, false);
        fprintf(json, "},\n");
    }
    free(cp_wall), free(cp_cpu), free(cps_wall), free(cps_cpu), free(sv_wall), free(sv_cpu);
    free(f_copy), free(f_sha), free(f_write), free(f_wfs);
    free(c_copy), free(c_sha), free(c_write), free(c_wfs);
    free(src), free(dst), free(snap);
}

/* ---- 3. resume cost ------------------------------------------------------ */

enum { V_FRESH, V_RESUME_EMPTY, V_RESUME, V_RESUME_Z, V_COUNT };

static void bench_resume(void)
{
    long kib = opt.resume_kib;
    fprintf(stderr, "snapbench: resume, %ld KiB ...\n", kib);
    char *snap[V_COUNT] = {NULL, path_in_dir("resume-0.snap"), path_in_dir("resume.snap"),
                           path_in_dir("resume-z.snap")};
    uint64_t size[V_COUNT] = {0};
    rvvm_machine *m = dirty_and_stop(0, 0);
    if (rvvm_snapshot_save_file(m, snap[V_RESUME_EMPTY], 0) != RVVM_OK)
        die("save: %s", rvvm_last_error(m));
    rvvm_destroy(m);
    m = dirty_and_stop(kib, 0);
    if (rvvm_snapshot_save_file(m, snap[V_RESUME], 0) != RVVM_OK ||
        rvvm_snapshot_save_file(m, snap[V_RESUME_Z], RVVM_SNAPSHOT_COMPRESS) != RVVM_OK)
        die("save: %s", rvvm_last_error(m));
    check_resume(m, snap[V_RESUME]);
    check_resume(m, snap[V_RESUME_Z]);
    rvvm_destroy(m);
    for (int v = V_RESUME_EMPTY; v < V_COUNT; v++)
        size[v] = file_size(snap[v]);

    /* in process: the start (create + load, or resume) and the destroy */
    int n = opt.resume_runs;
    double *wall[V_COUNT], *cpu[V_COUNT], *dwall[V_COUNT];
    for (int v = 0; v < V_COUNT; v++)
        wall[v] = samples(n), cpu[v] = samples(n), dwall[v] = samples(n);
    for (int r = 0; r < n; r++) {
        for (int v = 0; v < V_COUNT; v++) {
            double w0 = wall_now(), c0 = cpu_now();
            if (v == V_FRESH) {
                m = load_guest(kib, 0);
            } else {
                char err[600];
                if (rvvm_resume_file(snap[v], NULL, &m, err, sizeof err) != RVVM_OK)
                    die("resume: %s", err);
            }
            cpu[v][r] = cpu_now() - c0;
            double w1 = wall_now();
            wall[v][r] = w1 - w0;
            rvvm_destroy(m);
            dwall[v][r] = wall_now() - w1;
        }
    }
    static const char *const label[V_COUNT] = {
        "fresh start: `rvvm_create` + `rvvm_load_elf_file`",
        "`rvvm_resume_file`, 0 KiB dirty",
        "`rvvm_resume_file`",
        "`rvvm_resume_file`, zstd-compressed",
    };
    printf("### Resume cost, %ld %s of dirty pages\n\n", kib >= 1024 ? kib / 1024 : kib,
           kib >= 1024 ? "MiB" : "KiB");
    printf("In process: median of %d rounds, each round doing every start below in turn "
           "(snapshot files in the page cache). Resuming also reads, hashes and loads the "
           "program, so *added* is the row minus the fresh start. The 0 KiB snapshot holds "
           "only the stack and the few pages the runtime wrote.\n\n",
           n);
    printf("| start | snapshot size | wall (ms) | CPU (ms) | added to a fresh start, wall (ms) | "
           "added, CPU (ms) | then `rvvm_destroy` (ms) |\n");
    printf("|---|---:|---:|---:|---:|---:|---:|\n");
    double fw = median(wall[V_FRESH], n), fc = median(cpu[V_FRESH], n);
    for (int v = 0; v < V_COUNT; v++) {
        double w = median(wall[v], n), c = median(cpu[v], n);
        char sz[48] = "–", added_w[32] = "–", added_c[32] = "–";
        if (v != V_FRESH) {
            snprintf(sz, sizeof sz, "%.1f KiB", (double)size[v] / 1024);
            snprintf(added_w, sizeof added_w, "%.3f", (w - fw) * 1e3);
            snprintf(added_c, sizeof added_c, "%.3f", (c - fc) * 1e3);
        }
        char dirty[48] = "";
        if (v >= V_RESUME)
            snprintf(dirty, sizeof dirty, ", %ld KiB dirty", kib);
        printf("| %s%s | %s | %.3f | %.3f | %s | %s | %.3f |\n", label[v], dirty, sz, w * 1e3,
               c * 1e3, added_w, added_c, median(dwall[v], n) * 1e3);
    }
    printf("\n");
    if (json) {
        fprintf(json, "\"resume_in_process\": {\"kib\": %ld, ", kib);
        static const char *const key[V_COUNT] = {"fresh", "resume_0", "resume", "resume_zstd"};
        for (int v = 0; v < V_COUNT; v++) {
            char name[64];
            snprintf(name, sizeof name, "%s_wall", key[v]);
            json_samples(name, wall[v], n, v == 0);
            snprintf(name, sizeof name, "%s_cpu", key[v]);
            json_samples(name, cpu[v], n, false);
            snprintf(name, sizeof name, "%s_destroy_wall", key[v]);
            json_samples(name, dwall[v], n, false);
        }
        fprintf(json, "},\n");
    }
    for (int v = 0; v < V_COUNT; v++)
        free(wall[v]), free(cpu[v]), free(dwall[v]);

    /* whole process: rvrun with a budget of one cycle */
    n = opt.process_runs;
    char kibs[32], mem[32];
    snprintf(kibs, sizeof kibs, "%ld", kib);
    if (opt.memory % (1ull << 30) == 0)
        snprintf(mem, sizeof mem, "%" PRIu64 "G", opt.memory >> 30);
    else if (opt.memory % (1ull << 20) == 0)
        snprintf(mem, sizeof mem, "%" PRIu64 "M", opt.memory >> 20);
    else
        snprintf(mem, sizeof mem, "%" PRIu64, opt.memory);
    char *argvs[V_COUNT][10] = {
        {(char *)opt.rvrun, "--memory", mem, "--max-cycles", "1", (char *)opt.elf, kibs,
         "random", NULL},
        {(char *)opt.rvrun, "--resume", snap[V_RESUME_EMPTY], "--max-cycles", "1", NULL},
        {(char *)opt.rvrun, "--resume", snap[V_RESUME], "--max-cycles", "1", NULL},
        {(char *)opt.rvrun, "--resume", snap[V_RESUME_Z], "--max-cycles", "1", NULL},
    };
    for (int v = 0; v < V_COUNT; v++)
        wall[v] = samples(n), cpu[v] = samples(n);
    for (int r = 0; r < n; r++) {
        for (int v = 0; v < V_COUNT; v++) {
            /* the fresh run stops at its budget; a resumed one runs the final exit_group */
            int st = run_child(argvs[v], &wall[v][r], &cpu[v][r]);
            if (st != (v == V_FRESH ? 124 : 0))
                die("%s %s %s: exit status %d", argvs[v][0], argvs[v][1], argvs[v][2], st);
        }
    }
    char plabel[V_COUNT][160];
    snprintf(plabel[V_FRESH], sizeof plabel[V_FRESH],
             "`rvrun --memory %s --max-cycles 1 dirty_mb.elf %ld random`", mem, kib);
    snprintf(plabel[V_RESUME_EMPTY], sizeof plabel[V_RESUME_EMPTY],
             "`rvrun --resume resume-0.snap --max-cycles 1` (0 KiB dirty)");
    snprintf(plabel[V_RESUME], sizeof plabel[V_RESUME],
             "`rvrun --resume resume.snap --max-cycles 1` (%ld KiB dirty)", kib);
    snprintf(plabel[V_RESUME_Z], sizeof plabel[V_RESUME_Z],
             "`rvrun --resume resume-z.snap --max-cycles 1` (%ld KiB dirty, zstd)", kib);
    printf("Whole process: median of %d rounds of the four commands below, fork to wait4; CPU "
           "is the child's user + system time. Each runs one guest instruction: the fresh start "
           "stops at its budget (exit 124), the resumed ones execute the final `exit_group` "
           "(exit 0).\n\n",
           n);
    printf("| command | wall (ms) | min wall (ms) | CPU (ms) | added to a fresh start, wall "
           "(ms) | added, CPU (ms) |\n");
    printf("|---|---:|---:|---:|---:|---:|\n");
    fw = median(wall[V_FRESH], n), fc = median(cpu[V_FRESH], n);
    for (int v = 0; v < V_COUNT; v++) {
        double w = median(wall[v], n), c = median(cpu[v], n);
        char added_w[32] = "–", added_c[32] = "–";
        if (v != V_FRESH) {
            snprintf(added_w, sizeof added_w, "%.3f", (w - fw) * 1e3);
            snprintf(added_c, sizeof added_c, "%.3f", (c - fc) * 1e3);
        }
        printf("| %s | %.3f | %.3f | %.3f | %s | %s |\n", plabel[v], w * 1e3,
               minimum(wall[v], n) * 1e3, c * 1e3, added_w, added_c);
    }
    printf("\n");
    if (json) {
        fprintf(json, "\"resume_process\": {\"kib\": %ld, ", kib);
        static const char *const key[V_COUNT] = {"fresh", "resume_0", "resume", "resume_zstd"};
        for (int v = 0; v < V_COUNT; v++) {
            char name[64];
            snprintf(name, sizeof name, "%s_wall", key[v]);
            json_samples(name, wall[v], n, v == 0);
            snprintf(name, sizeof name, "%s_cpu", key[v]);
            json_samples(name, cpu[v], n, false);
        }
        fprintf(json, "}%s\n", opt.hello ? "," : "");
    }
    for (int v = 0; v < V_COUNT; v++) {
        free(wall[v]), free(cpu[v]);
        if (snap[v]) {
            unlink(snap[v]);
            free(snap[v]);
        }
    }
}

/* ---- 4. process start-up --------------------------------------------------- */

static void bench_startup(void)
{
    enum { S_MAX = 8 };
    char *argvs[S_MAX][6];
    const char *label[S_MAX];
    int ns = 0;
#define ADD(text, ...)                                                                     \
    do {                                                                                   \
        char *a_[] = {__VA_ARGS__, NULL};                                                  \
        memcpy(argvs[ns], a_, sizeof a_);                                                  \
        label[ns++] = text;                                                                \
    } while (0)
    char *rv = (char *)opt.rvrun, *hello = (char *)opt.hello;
    ADD("`/bin/true` (process creation alone)", "/bin/true");
    ADD("`rvrun --version` (rvrun's own start: exec, dynamic linking, no machine)", rv,
        "--version");
    ADD("`rvrun hello.elf` (256 MiB guest memory, the default)", rv, hello);
    ADD("`rvrun --memory 16M hello.elf`", rv, "--memory", "16M", hello);
    ADD("`rvrun --memory 1G hello.elf`", rv, "--memory", "1G", hello);
    if (opt.qemu)
        ADD("`qemu-riscv64 hello.elf`", (char *)opt.qemu, hello);
#undef ADD
    int n = opt.process_runs;
    fprintf(stderr, "snapbench: process start-up ...\n");
    double *wall[S_MAX], *cpu[S_MAX];
    for (int v = 0; v < ns; v++)
        wall[v] = samples(n), cpu[v] = samples(n);
    for (int r = 0; r < n; r++) {
        for (int v = 0; v < ns; v++) {
            int st = run_child(argvs[v], &wall[v][r], &cpu[v][r]);
            if (st != 0)
                die("%s %s: exit status %d", argvs[v][0], argvs[v][1], st);
        }
    }
    printf("### Process start-up\n\n");
    printf("Median of %d rounds of the commands below in turn, fork to wait4, measured the same "
           "way as the whole-process resume table; CPU is the child's user + system time. "
           "`hello.elf` is `build/tests/guests/hello.elf` (100 guest instructions).\n\n",
           n);
    printf("| command | wall (ms) | min wall (ms) | CPU (ms) |\n|---|---:|---:|---:|\n");
    for (int v = 0; v < ns; v++)
        printf("| %s | %.3f | %.3f | %.3f |\n", label[v], median(wall[v], n) * 1e3,
               minimum(wall[v], n) * 1e3, median(cpu[v], n) * 1e3);
    printf("\n");
    if (json) {
        fprintf(json, "\"startup\": [");
        for (int v = 0; v < ns; v++) {
            fprintf(json, "%s{\"command\": \"", v ? ", " : "");
            for (int i = 0; argvs[v][i]; i++)
                fprintf(json, "%s%s", i ? " " : "", argvs[v][i]);
            fprintf(json, "\", ");
            json_samples("wall", wall[v], n, true);
            json_samples("cpu", cpu[v], n, false);
            fprintf(json, "}");
        }
        fprintf(json, "]\n");
    }
    for (int v = 0; v < ns; v++)
        free(wall[v]), free(cpu[v]);
}

/* ---- options --------------------------------------------------------------- */

static long parse_long(const char *s, const char *what)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0)
        die("%s needs a whole number, not '%s'", what, s);
    return v;
}

static void parse_sizes(const char *list)
{
    char *copy = strdup(list), *save = NULL;
    if (!copy)
        die("out of memory");
    opt.nsizes = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (opt.nsizes == MAX_SIZES)
            die("too many sizes");
        char *colon = strchr(tok, ':');
        int pattern = 0;
        if (colon) {
            *colon = '\0';
            if (strcmp(colon + 1, "pattern") == 0)
                pattern = 1;
            else if (strcmp(colon + 1, "random") != 0)
                die("--sizes: unknown data kind '%s'", colon + 1);
        }
        opt.kib[opt.nsizes] = parse_long(tok, "--sizes");
        opt.pattern[opt.nsizes++] = pattern;
    }
    free(copy);
}

int main(int argc, char **argv)
{
    opt.rvrun = "build/rvrun";
    opt.dir = ".";
    opt.runs = 7;
    opt.cp_kib = 65536;
    opt.cp_runs = 15;
    opt.resume_kib = 1024;
    opt.resume_runs = 200;
    opt.process_runs = 100;
    opt.memory = 1ull << 30;
    parse_sizes("0,64,1024,8192,65536,262144,65536:pattern");
    static const struct option longopts[] = {
        {"rvrun", required_argument, NULL, 'r'},
        {"dir", required_argument, NULL, 'd'},
        {"sizes", required_argument, NULL, 's'},
        {"runs", required_argument, NULL, 'n'},
        {"cp-kib", required_argument, NULL, 'c'},
        {"cp-runs", required_argument, NULL, 'C'},
        {"resume-kib", required_argument, NULL, 'k'},
        {"resume-runs", required_argument, NULL, 'R'},
        {"process-runs", required_argument, NULL, 'P'},
        {"memory", required_argument, NULL, 'm'},
        {"json", required_argument, NULL, 'j'},
        {"hello", required_argument, NULL, 'h'},
        {"qemu", required_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'r': opt.rvrun = optarg; break;
        case 'd': opt.dir = optarg; break;
        case 's': parse_sizes(optarg); break;
        case 'n': opt.runs = (int)parse_long(optarg, "--runs"); break;
        case 'c': opt.cp_kib = parse_long(optarg, "--cp-kib"); break;
        case 'C': opt.cp_runs = (int)parse_long(optarg, "--cp-runs"); break;
        case 'k': opt.resume_kib = parse_long(optarg, "--resume-kib"); break;
        case 'R': opt.resume_runs = (int)parse_long(optarg, "--resume-runs"); break;
        case 'P': opt.process_runs = (int)parse_long(optarg, "--process-runs"); break;
        case 'm': opt.memory = (uint64_t)parse_long(optarg, "--memory"); break;
        case 'j': opt.json_path = optarg; break;
        case 'h': opt.hello = optarg; break;
        case 'q': opt.qemu = optarg; break;
        default: die("unknown option; see the comment at the top of bench/snapshot/snapbench.c");
        }
    }
    if (optind != argc - 1)
        die("usage: snapbench [options] dirty_mb.elf");
    if (opt.runs < 1 || opt.cp_runs < 1 || opt.resume_runs < 1 || opt.process_runs < 1)
        die("run counts must be at least 1");
    opt.elf = argv[optind];
    dir_fd = open(opt.dir, O_RDONLY | O_DIRECTORY);
    if (dir_fd < 0)
        die("%s: %s", opt.dir, strerror(errno));
    if (opt.json_path) {
        json = fopen(opt.json_path, "w");
        if (!json)
            die("%s: %s", opt.json_path, strerror(errno));
        fprintf(json, "{");
    }
    bench_sizes();
    bench_cp();
    bench_resume();
    if (opt.hello)
        bench_startup();
    if (json) {
        fprintf(json, "}\n");
        fclose(json);
    }
    return 0;
}
