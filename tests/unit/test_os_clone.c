/*
 * The Linux layer's state through checkpoints and fork (src/linux/os_clone.c).
 *
 * The host drives a guest's system calls one at a time: the program is a
 * one-line function `sys` (a7 = a6; ecall; ret) called with rvvm_call, plus
 * `spawn`, which clones a thread that waits on a futex for ever. So a
 * template gets open files with offsets (one description under two
 * descriptors), a pipe holding bytes, a thread blocked in a futex wait,
 * mappings, a moved break, a cwd, a umask and an unnamed (ghost) file.
 *
 * What must hold is checked two ways: values the guest sees (offsets from
 * lseek, bytes read, brk) worked out by hand from the calls made, and the
 * whole state compared through snapshots: a snapshot serialises every part
 * of the OS state, so equal snapshot bytes mean equal state, and a machine
 * resumed from the template's snapshot is the independent reference for
 * state digests.
 */
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "rvvm/rvvm.h"
#include "rvvm/snapshot.h"
#include "elfbuild.h"
#include "rvasm.h"

/* Linux RISC-V system call numbers and flags (asm-generic). */
enum {
    NR_getcwd = 17, NR_dup = 23, NR_unlinkat = 35, NR_chdir = 49, NR_openat = 56,
    NR_close = 57, NR_pipe2 = 59, NR_lseek = 62, NR_read = 63, NR_write = 64,
    NR_sched_yield = 124, NR_umask = 166, NR_brk = 214, NR_munmap = 215, NR_mmap = 222,
};
#define AT_FDCWD_ (-100)
#define O_RDWR_ 2
#define O_CREAT_ 0100
#define THREAD_FLAGS 0x50f00 /* CLONE_VM | FS | FILES | SIGHAND | THREAD */

/* Guest data: paths and buffers, the futex word, the thread's stack. */
#define BUF (EB_DATA)                 /* 4 KiB of scratch */
#define FUTEX (EB_DATA + 0x1000)
#define STACK_TOP (EB_DATA + 0x4000)
#define DATA_SIZE 0x4000

static rva_buf prog;
static uint64_t sys_addr, spawn_addr;
static char dir[64];

static void build(void)
{
    rva_init(&prog);
    emit32(&prog, JAL(ZERO, 0)); /* _start: never run */
    sys_addr = EB_TEXT + prog.len;
    emit32(&prog, ADDI(A7, A6, 0));
    emit32(&prog, ECALL());
    emit32(&prog, JALR(ZERO, RA, 0));
    /* spawn(flags, stack): the parent returns the tid; the thread waits on FUTEX. */
    spawn_addr = EB_TEXT + prog.len;
    emit32(&prog, ADDI(A7, ZERO, 220));
    emit32(&prog, ECALL());
    emit32(&prog, BNE(A0, ZERO, 4 * 8));
    size_t child = prog.len;
    emit32(&prog, LUI(A0, (uint32_t)(FUTEX >> 12)));
    emit32(&prog, ADDI(A1, ZERO, 128)); /* FUTEX_WAIT_PRIVATE */
    emit32(&prog, ADDI(A2, ZERO, 0));
    emit32(&prog, ADDI(A3, ZERO, 0));
    emit32(&prog, ADDI(A7, ZERO, 98));
    emit32(&prog, ECALL());
    emit32(&prog, JAL(ZERO, (int32_t)child - (int32_t)prog.len));
    emit32(&prog, JALR(ZERO, RA, 0));
}

static int64_t call(rvvm_machine *m, uint64_t addr, const uint64_t *a, unsigned n)
{
    rvvm_run_result r;
    uint64_t ret = 0;
    assert_int_equal(rvvm_call(m, addr, a, n, 1000000, &r, &ret), RVVM_OK);
    if (r.reason != RVVM_STOP_RETURNED)
        print_error("call %#llx a6=%llu stopped: %d fault %d pc %#llx addr %#llx (%s)\n",
                    (unsigned long long)addr, n > 6 ? (unsigned long long)a[6] : 0ull,
                    (int)r.reason, (int)r.fault.kind, (unsigned long long)r.fault.pc,
                    (unsigned long long)r.fault.address, rvvm_last_error(m));
    assert_int_equal(r.reason, RVVM_STOP_RETURNED);
    return (int64_t)ret;
}

static int64_t sysv(rvvm_machine *m, uint64_t nr, const uint64_t a[6])
{
    uint64_t v[7] = {a[0], a[1], a[2], a[3], a[4], a[5], nr};
    return call(m, sys_addr, v, 7);
}
/* A system call with up to six arguments (missing ones are 0). */
#define SYS(m, nr, ...) sysv(m, nr, (const uint64_t[6]){__VA_ARGS__})
#define SYS3(m, nr, a, b, c) SYS(m, nr, a, b, c)
#define sys(m, nr, ...) SYS(m, nr, __VA_ARGS__)

static uint64_t put_str(rvvm_machine *m, uint64_t at, const char *s)
{
    assert_int_equal(rvvm_write_memory(m, at, s, strlen(s) + 1), RVVM_OK);
    return at;
}

/* Reads n bytes from guest fd into out (NUL-terminated); returns read's result. */
static int64_t gread(rvvm_machine *m, int fd, char *out, size_t n)
{
    int64_t r = SYS3(m, NR_read, (uint64_t)fd, BUF + 2048, n);
    if (r > 0)
        assert_int_equal(rvvm_read_memory(m, BUF + 2048, out, (size_t)r), RVVM_OK);
    out[r > 0 ? r : 0] = '\0';
    return r;
}

static int64_t gwrite(rvvm_machine *m, int fd, const char *s)
{
    put_str(m, BUF + 2048, s);
    return SYS3(m, NR_write, (uint64_t)fd, BUF + 2048, strlen(s));
}

static int64_t offset(rvvm_machine *m, int fd) { return SYS3(m, NR_lseek, (uint64_t)fd, 0, 1); }
static uint64_t brk_now(rvvm_machine *m) { return (uint64_t)SYS(m, NR_brk, 0); }

typedef struct snap {
    uint8_t *data;
    size_t size;
} snap;

static snap save(rvvm_machine *m)
{
    snap s = {0};
    assert_int_equal(rvvm_snapshot_save_buffer(m, 0, &s.data, &s.size), RVVM_OK);
    return s;
}

static void assert_same(rvvm_machine *m, snap want)
{
    snap now = save(m);
    assert_int_equal(now.size, want.size);
    assert_memory_equal(now.data, want.data, want.size);
    rvvm_buffer_free(now.data);
}

/* Descriptors the template holds (fixed by the order of the calls in template()). */
enum { FD_FILE = 3, FD_PIPE_R = 4, FD_PIPE_W = 5, FD_DUP = 6, FD_GHOST = 7 };
static uint64_t tmpl_map, tmpl_brk;

static rvvm_machine *template(void)
{
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = 4ull << 20;
    c.os = RVVM_OS_LINUX;
    assert_int_equal(rvvm_cost_model_builtin("unit", &c.cost_model), RVVM_OK);
    rvvm_machine *m = NULL;
    assert_int_equal(rvvm_create(&c, &m), RVVM_OK);
    eb_program p = {.code = prog.bytes, .code_len = prog.len, .data_memsz = DATA_SIZE};
    assert_int_equal(eb_load(m, &p), RVVM_OK);
    assert_int_equal(rvvm_grant_dir(m, dir, "/d", true), RVVM_OK);
    char s[64];
    assert_int_equal(SYS(m, NR_openat, (uint64_t)AT_FDCWD_, put_str(m, BUF, "/d/f"), O_RDWR_),
                     FD_FILE);
    assert_int_equal(gread(m, FD_FILE, s, 4), 4);
    assert_string_equal(s, "0123");
    assert_int_equal(SYS(m, NR_pipe2, BUF + 64, 0), 0);
    int32_t pfd[2];
    assert_int_equal(rvvm_read_memory(m, BUF + 64, pfd, 8), RVVM_OK);
    assert_int_equal(pfd[0], FD_PIPE_R);
    assert_int_equal(pfd[1], FD_PIPE_W);
    assert_int_equal(gwrite(m, FD_PIPE_W, "hello"), 5);
    assert_int_equal(SYS(m, NR_dup, FD_FILE), FD_DUP);
    assert_int_equal(SYS(m, NR_openat, (uint64_t)AT_FDCWD_, put_str(m, BUF, "/d/g"),
                         O_RDWR_ | O_CREAT_, 0600),
                     FD_GHOST);
    assert_int_equal(gwrite(m, FD_GHOST, "ghost"), 5);
    assert_int_equal(SYS(m, NR_unlinkat, (uint64_t)AT_FDCWD_, put_str(m, BUF, "/d/g"), 0), 0);
    tmpl_map = (uint64_t)sys(m, NR_mmap, 0, 3 * 4096, 3, 0x22, (uint64_t)-1, 0);
    assert_true(tmpl_map < (4ull << 20) && (tmpl_map & 4095) == 0);
    tmpl_brk = brk_now(m) + 2 * 4096;
    assert_int_equal(brk_now(m) != 0, 1);
    assert_int_equal(SYS(m, NR_brk, tmpl_brk), (int64_t)tmpl_brk);
    assert_int_equal(SYS(m, NR_chdir, put_str(m, BUF, "/d")), 0);
    assert_int_equal(SYS(m, NR_umask, 077), 022);
    /* A thread that blocks in a futex wait once it has run. */
    uint64_t sa[2] = {THREAD_FLAGS, STACK_TOP};
    assert_int_equal(call(m, spawn_addr, sa, 2), 2);
    assert_int_equal(SYS(m, NR_sched_yield, 0), 0);
    return m;
}

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/rvvm-osclone-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/f", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("0123456789abcdefghij", f);
    fclose(f);
}

static void remove_dir(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/f", dir);
    unlink(path);
    rmdir(dir);
}

/*
 * Each child changes every part of its OS state in its own way. ghost: also
 * overwrite the unnamed file (a fork child's own copy; a checkpoint does not
 * roll file contents back, named or not, so the checkpoint test leaves it).
 */
static void child_changes(rvvm_machine *c, int i, bool ghost)
{
    char s[64];
    assert_int_equal(SYS3(c, NR_lseek, FD_FILE, 5 + (uint64_t)i, 0), 5 + i);
    assert_int_equal(gread(c, FD_FILE, s, 2), 2);
    assert_int_equal(s[0], "0123456789abcdefghij"[5 + i]);
    assert_int_equal(gread(c, FD_PIPE_R, s, 2), 2);
    assert_string_equal(s, "he");
    assert_int_equal(gwrite(c, FD_PIPE_W, i % 2 ? "odd" : "even"), i % 2 ? 3 : 4);
    assert_int_equal(SYS(c, NR_close, FD_DUP), 0);
    assert_int_equal(SYS3(c, NR_lseek, FD_GHOST, 0, 0), 0);
    if (ghost)
        assert_int_equal(gwrite(c, FD_GHOST, "CHILD"), 5);
    assert_int_equal(SYS(c, NR_munmap, tmpl_map + 4096, 4096), 0);
    assert_int_equal(SYS(c, NR_brk, tmpl_brk + 4096 * (uint64_t)(i + 1)),
                     (int64_t)(tmpl_brk + 4096 * (uint64_t)(i + 1)));
    assert_int_equal(SYS(c, NR_chdir, put_str(c, BUF, "/")), 0);
    assert_int_equal(SYS(c, NR_umask, (uint64_t)i), 077);
    uint64_t sa[2] = {THREAD_FLAGS, STACK_TOP - 0x800};
    assert_int_equal(call(c, spawn_addr, sa, 2), 3);
}

/* The child's state as child_changes left it, seen through the guest. */
static void check_child(rvvm_machine *c, int i, bool ghost)
{
    char s[64];
    assert_int_equal(offset(c, FD_FILE), 7 + i);
    assert_int_equal(SYS3(c, NR_lseek, FD_DUP, 0, 1), -9); /* EBADF: closed here only */
    assert_int_equal(gread(c, FD_PIPE_R, s, 32), i % 2 ? 6 : 7);
    assert_string_equal(s, i % 2 ? "llo" "odd" : "llo" "even");
    assert_int_equal(SYS3(c, NR_lseek, FD_GHOST, 0, 0), 0);
    assert_int_equal(gread(c, FD_GHOST, s, 32), 5);
    assert_string_equal(s, ghost ? "CHILD" : "ghost");
    assert_int_equal(brk_now(c), tmpl_brk + 4096 * (uint64_t)(i + 1));
    assert_int_equal(SYS(c, NR_umask, (uint64_t)i), i);
    assert_int_equal(SYS(c, NR_getcwd, BUF, 64), 2);
    assert_int_equal(rvvm_read_memory(c, BUF, s, 2), RVVM_OK);
    assert_string_equal(s, "/");
}

/* The template's state, seen through the guest (changes it: offsets move). */
static void check_template(rvvm_machine *t)
{
    char s[64];
    assert_int_equal(offset(t, FD_FILE), 4);
    assert_int_equal(offset(t, FD_DUP), 4);
    assert_int_equal(gread(t, FD_PIPE_R, s, 32), 5);
    assert_string_equal(s, "hello");
    assert_int_equal(SYS3(t, NR_lseek, FD_GHOST, 0, 0), 0);
    assert_int_equal(gread(t, FD_GHOST, s, 32), 5);
    assert_string_equal(s, "ghost");
    assert_int_equal(brk_now(t), tmpl_brk);
    assert_int_equal(SYS(t, NR_umask, 077), 077);
    assert_int_equal(SYS(t, NR_getcwd, BUF, 64), 3);
    assert_int_equal(rvvm_read_memory(t, BUF, s, 3), RVVM_OK);
    assert_string_equal(s, "/d");
    uint64_t v = 1;
    assert_int_equal(rvvm_write_memory(t, tmpl_map + 4096, &v, 8), RVVM_OK); /* still mapped */
}

#define CHILDREN 8

static void test_fork_os_state(void **state)
{
    (void)state;
    make_dir();
    rvvm_machine *t = template();
    uint8_t d0[32], d[32];
    assert_int_equal(rvvm_state_digest(t, d0), RVVM_OK);
    snap s0 = save(t);

    /* The reference: the template resumed from its snapshot. */
    rvvm_resume_options o;
    rvvm_resume_options_init(&o);
    rvvm_resume_grant g = {.host = dir, .guest = "/d", .writable = true};
    o.grants = &g;
    o.grant_count = 1;
    o.program_image = NULL;
    size_t img_size;
    eb_program p = {.code = prog.bytes, .code_len = prog.len, .data_memsz = DATA_SIZE};
    uint8_t *img = eb_build_program(&p, &img_size);
    o.program_image = img;
    o.program_size = img_size;
    rvvm_machine *ref = NULL;
    char err[256];
    assert_int_equal(rvvm_resume(s0.data, s0.size, &o, &ref, err, sizeof err), RVVM_OK);
    assert_int_equal(rvvm_state_digest(ref, d), RVVM_OK);
    assert_memory_equal(d, d0, 32);

    rvvm_machine *c[CHILDREN];
    for (int i = 0; i < CHILDREN; i++) {
        assert_int_equal(rvvm_fork(t, &c[i]), RVVM_OK);
        assert_int_equal(rvvm_state_digest(c[i], d), RVVM_OK);
        assert_memory_equal(d, d0, 32);
        assert_same(c[i], s0);
    }
    for (int i = 0; i < CHILDREN; i++) {
        child_changes(c[i], i, true);
        assert_same(t, s0);
    }
    /* A grandchild takes its parent's changed state, and changing its own leaves the
     * parent's alone. */
    rvvm_machine *gc;
    snap s3 = save(c[3]);
    assert_int_equal(rvvm_fork(c[3], &gc), RVVM_OK);
    assert_same(gc, s3);
    check_child(gc, 3, true);
    assert_same(c[3], s3);
    rvvm_destroy(gc);
    for (int i = 0; i < CHILDREN; i++) {
        check_child(c[i], i, true);
    }
    for (int i = 0; i < CHILDREN; i++)
        rvvm_destroy(c[i]);
    assert_same(t, s0);
    /* The template's own files, pipe and ghost are as they were; so is the reference's. */
    check_template(t);
    check_template(ref);
    rvvm_buffer_free(s3.data);
    rvvm_buffer_free(s0.data);
    free(img);
    rvvm_destroy(ref);
    rvvm_destroy(t);
    remove_dir();
}

/* Nested checkpoints put back offsets, brk, mappings, pipe bytes, threads, cwd and umask. */
static void test_checkpoint_os_state(void **state)
{
    (void)state;
    make_dir();
    rvvm_machine *m = template();
    snap s1 = save(m);
    rvvm_checkpoint_id cp1, cp2;
    assert_int_equal(rvvm_checkpoint(m, &cp1), RVVM_OK);
    child_changes(m, 1, false);
    snap s2 = save(m);
    assert_int_equal(rvvm_checkpoint(m, &cp2), RVVM_OK);
    /* More changes, through every part again. */
    char s[64];
    assert_int_equal(gread(m, FD_FILE, s, 3), 3);
    assert_int_equal(SYS(m, NR_close, FD_FILE), 0);
    assert_int_equal(SYS(m, NR_close, FD_PIPE_W), 0);
    assert_int_equal(SYS(m, NR_brk, tmpl_brk), (int64_t)tmpl_brk);
    assert_true(sys(m, NR_mmap, 0, 5 * 4096, 3, 0x22, (uint64_t)-1, 0) > 0);
    assert_int_equal(SYS(m, NR_umask, 0), 1);
    uint64_t sa[2] = {THREAD_FLAGS, STACK_TOP - 0x400};
    assert_int_equal(call(m, spawn_addr, sa, 2), 4);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(rvvm_restore(m, cp2), RVVM_OK);
        assert_same(m, s2);
        check_child(m, 1, false); /* changes the state again; restored next round */
    }
    assert_int_equal(rvvm_restore(m, cp2), RVVM_OK);
    assert_same(m, s2);
    assert_int_equal(rvvm_restore(m, cp1), RVVM_OK);
    assert_same(m, s1);
    assert_int_equal(rvvm_restore(m, cp2), RVVM_ERR_INVALID_ARGUMENT); /* undone */
    check_template(m);
    assert_int_equal(rvvm_restore(m, cp1), RVVM_OK);
    assert_same(m, s1);
    /* A checkpoint taken, freed, and the machine still right. */
    assert_int_equal(rvvm_checkpoint(m, &cp2), RVVM_OK);
    rvvm_checkpoint_free(m, cp2);
    rvvm_checkpoint_free(m, cp1);
    assert_same(m, s1);
    check_template(m);
    rvvm_buffer_free(s1.data);
    rvvm_buffer_free(s2.data);
    rvvm_destroy(m);
    remove_dir();
}

/* The host file's own offset is never used: children reading and writing leave it alone. */
static void test_host_file_shared(void **state)
{
    (void)state;
    make_dir();
    rvvm_machine *t = template();
    rvvm_machine *c;
    assert_int_equal(rvvm_fork(t, &c), RVVM_OK);
    /* A child's write reaches the host file (host state), at the child's offset. */
    assert_int_equal(SYS3(c, NR_lseek, FD_FILE, 10, 0), 10);
    assert_int_equal(gwrite(c, FD_FILE, "XY"), 2);
    rvvm_destroy(c); /* the template's descriptor stays open */
    char s[64];
    assert_int_equal(gread(t, FD_FILE, s, 8), 8);
    assert_string_equal(s, "456789XY");
    assert_int_equal(offset(t, FD_DUP), 12);
    rvvm_destroy(t);
    remove_dir();
}

/*
 * Forks of one template on many threads, each child destroyed on its own
 * thread, and the template destroyed while children live: the shared host
 * descriptors and grants are counted atomically (run under TSan by
 * scripts/sanitize.sh). cmocka's asserts are not thread-safe: results are
 * checked after the join.
 */
#define THREADS 4
#define PER_THREAD 6

typedef struct fork_arg {
    rvvm_machine *t;
    rvvm_machine *keep; /* one child that outlives the template */
    int ok;
} fork_arg;

static void *fork_main(void *p)
{
    fork_arg *a = p;
    int ok = 1;
    for (int i = 0; ok && i < PER_THREAD; i++) {
        rvvm_machine *c = NULL;
        ok = rvvm_fork(a->t, &c) == RVVM_OK;
        rvvm_checkpoint_id cp;
        ok = ok && rvvm_checkpoint(c, &cp) == RVVM_OK;
        ok = ok && rvvm_restore(c, cp) == RVVM_OK;
        if (i == PER_THREAD - 1)
            a->keep = c;
        else
            rvvm_destroy(c);
    }
    a->ok = ok;
    return NULL;
}

static void test_fork_threads(void **state)
{
    (void)state;
    make_dir();
    rvvm_machine *t = template();
    snap s0 = save(t);
    pthread_t th[THREADS];
    fork_arg args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = (fork_arg){.t = t};
        assert_int_equal(pthread_create(&th[i], NULL, fork_main, &args[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_true(args[i].ok);
    }
    rvvm_destroy(t);
    /* The survivors still hold the files, the grant and the ghost. */
    for (int i = 0; i < THREADS; i++) {
        assert_same(args[i].keep, s0);
        check_template(args[i].keep);
        rvvm_destroy(args[i].keep);
    }
    rvvm_buffer_free(s0.data);
    remove_dir();
}

int main(void)
{
    build();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fork_os_state),
        cmocka_unit_test(test_checkpoint_os_state),
        cmocka_unit_test(test_host_file_shared),
        cmocka_unit_test(test_fork_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
