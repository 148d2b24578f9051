/*
 * Unit tests of the sandbox and the mapping list, below the system calls:
 * path normalisation, opening beneath a directory through openat2 and
 * through the component walk (which old kernels use) with escape attempts,
 * grants, and rv_vma_insert/remove. Usage: test_sandbox (creates its own
 * temporary directories).
 */
#include "linux/sandbox.h"
#include "core/cpu.h"
#include "linux/os.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                                                    \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            failures++;                                                                     \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                     \
            printf(__VA_ARGS__);                                                            \
            printf("\n");                                                                   \
        }                                                                                   \
    } while (0)

static void test_normalize(void)
{
    static const char *const cases[][3] = {
        {"/", "a/b", "/a/b"},          {"/x", "../y", "/y"},        {"/", "../../..", "/"},
        {"/a", "./b/./c/", "/a/b/c"},  {"/a/b", "/c//d", "/c/d"},   {"/", ".", "/"},
        {"/a", "b/../../..", "/"},     {"/a", "..", "/"},           {"/", "a/../b/..", "/"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[RV_OS_PATH_MAX];
        int r = rv_path_normalize(cases[i][0], cases[i][1], out, NULL);
        CHECK(r == 0 && strcmp(out, cases[i][2]) == 0, "normalize(%s, %s) = %s, want %s",
              cases[i][0], cases[i][1], out, cases[i][2]);
    }
    char longp[RV_OS_PATH_MAX + 10], out[RV_OS_PATH_MAX];
    memset(longp, 'a', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    CHECK(rv_path_normalize("/", longp, out, NULL) == -ENAMETOOLONG, "overlong path accepted");
    bool slash;
    rv_path_normalize("/", "dir/", out, &slash);
    CHECK(slash, "trailing slash not noticed");
}

static char base_dir[64], root[256], outside[256];

static void mk(const char *rel, const char *content)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    fputs(content, f);
    fclose(f);
}

static void link_in_root(const char *target, const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, name);
    if (symlink(target, p) != 0)
        perror("symlink");
}

static void setup(void)
{
    char tmpl[] = "/tmp/rvvm_sandbox.XXXXXX";
    char *base = mkdtemp(tmpl);
    snprintf(base_dir, sizeof base_dir, "%s", base);
    snprintf(root, sizeof root, "%s/root", base);
    snprintf(outside, sizeof outside, "%s/outside", base);
    mkdir(root, 0755);
    mkdir(outside, 0755);
    char p[512];
    snprintf(p, sizeof p, "%s/sub", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/sub/deeper", root);
    mkdir(p, 0755);
    mk("file.txt", "inside\n");
    mk("sub/deeper/x.txt", "deep\n");
    snprintf(p, sizeof p, "%s/secret.txt", outside);
    FILE *f = fopen(p, "w");
    fputs("secret\n", f);
    fclose(f);
    link_in_root("file.txt", "good");
    link_in_root("sub/deeper", "deep_dir");
    link_in_root("../file.txt", "sub/up_good");             /* ../ that stays inside */
    link_in_root("deeper/../../file.txt", "sub/roundabout"); /* still inside */
    link_in_root("../outside/secret.txt", "rel_escape");
    link_in_root("../../outside/secret.txt", "sub/rel_escape2");
    snprintf(p, sizeof p, "%s/secret.txt", outside);
    link_in_root(p, "abs_escape");
    snprintf(p, sizeof p, "/proc/self/root%s/secret.txt", outside);
    link_in_root(p, "proc_escape");
    link_in_root("/proc/self/cwd", "proc_cwd");
    link_in_root("..", "dotdot");
    link_in_root("loop_a", "loop_b");
    link_in_root("loop_b", "loop_a");
    link_in_root("sub/../..", "sneaky");
}

/* Opens rel beneath root both ways; both must agree with `want` (>=0: success). */
static void expect_open(int rootfd, const char *rel, int flags, bool follow, int want)
{
    for (int walk = 0; walk < 2; walk++) {
        int fd = rv_beneath_open(rootfd, rel, flags, 0, follow, walk != 0);
        bool ok = want >= 0 ? fd >= 0 : fd == want;
        CHECK(ok, "%s open of '%s' gave %d (%s), want %d", walk ? "walk" : "openat2", rel, fd,
              fd < 0 ? strerror(-fd) : "ok", want);
        if (fd >= 0) {
            if (want >= 0 && !(flags & O_PATH)) {
                char buf[16] = {0};
                ssize_t n = read(fd, buf, sizeof buf - 1);
                CHECK(n < 0 || strcmp(buf, "secret\n") != 0, "read a secret through '%s'", rel);
            }
            close(fd);
        }
    }
}

static void test_beneath(void)
{
    int rootfd = open(root, O_PATH | O_DIRECTORY);
    expect_open(rootfd, "file.txt", O_RDONLY, true, 0);
    expect_open(rootfd, "", O_RDONLY | O_DIRECTORY, true, 0);
    expect_open(rootfd, "good", O_RDONLY, true, 0);
    expect_open(rootfd, "deep_dir/x.txt", O_RDONLY, true, 0);
    expect_open(rootfd, "sub/up_good", O_RDONLY, true, 0);
    expect_open(rootfd, "sub/roundabout", O_RDONLY, true, 0);
    expect_open(rootfd, "missing", O_RDONLY, true, -ENOENT);
    expect_open(rootfd, "file.txt/x", O_RDONLY, true, -ENOTDIR);
    expect_open(rootfd, "rel_escape", O_RDONLY, true, -EXDEV);
    expect_open(rootfd, "sub/rel_escape2", O_RDONLY, true, -EXDEV);
    expect_open(rootfd, "abs_escape", O_RDONLY, true, -EXDEV);
    expect_open(rootfd, "proc_escape", O_RDONLY, true, -EXDEV);
    expect_open(rootfd, "proc_cwd/file.txt", O_RDONLY, true, -EXDEV);
    expect_open(rootfd, "dotdot/outside/secret.txt", O_RDONLY, true, -EXDEV);
    expect_open(rootfd, "sneaky/outside/secret.txt", O_RDONLY, true, -EXDEV);
    expect_open(rootfd, "loop_a", O_RDONLY, true, -ELOOP);
    /* Not following the last link: the link itself (O_PATH) or ELOOP. */
    expect_open(rootfd, "abs_escape", O_PATH, false, 0);
    expect_open(rootfd, "abs_escape", O_RDONLY, false, -ELOOP);
    /* Creating through an escaping link must not create outside. */
    link_in_root("../outside/created.txt", "create_escape");
    for (int walk = 0; walk < 2; walk++) {
        int fd = rv_beneath_open(rootfd, "create_escape", O_WRONLY | O_CREAT, 0644, true, walk);
        if (fd >= 0)
            close(fd);
        char p[512];
        snprintf(p, sizeof p, "%s/created.txt", outside);
        CHECK(access(p, F_OK) != 0, "%s: created a file outside through a link",
              walk ? "walk" : "openat2");
        unlink(p);
    }
    close(rootfd);
}

static void test_grants(void)
{
    rvvm_machine *m;
    CHECK(rvvm_create(NULL, &m) == RVVM_OK, "create");
    CHECK(rvvm_grant_dir(m, root, "/data", false) == RVVM_OK, "grant: %s", rvvm_last_error(m));
    CHECK(rvvm_grant_dir(m, root, "/data", false) == RVVM_OK, "same grant again");
    CHECK(rvvm_grant_dir(m, outside, "/data", false) == RVVM_ERR_INVALID_ARGUMENT,
          "different dir at the same guest path");
    CHECK(rvvm_grant_dir(m, root, "relative", false) == RVVM_ERR_INVALID_ARGUMENT,
          "relative guest path");
    CHECK(rvvm_grant_dir(m, "/nonexistent/dir", NULL, false) == RVVM_ERR_IO, "missing dir");
    CHECK(rvvm_grant_dir(m, root, "/data/sub/../nested", true) == RVVM_OK, "nested grant");
    rv_resolved r;
    CHECK(rv_resolve(m, -100, "/data/sub/x", &r) == 0 && r.grant == 0 &&
              strcmp(r.rel, "sub/x") == 0, "resolve /data/sub/x: %s", r.rel);
    CHECK(rv_resolve(m, -100, "data/nested/y", &r) == 0 && r.grant == 1 &&
              strcmp(r.rel, "y") == 0, "resolve nested: grant %u rel %s", r.grant, r.rel);
    CHECK(rv_resolve(m, -100, "/data/../etc/passwd", &r) == -ENOENT, "outside resolves");
    CHECK(rv_resolve(m, -100, "/datax/file", &r) == -ENOENT, "prefix match is not a match");
    CHECK(rv_resolve(m, -100, "/data", &r) == 0 && r.rel[0] == '\0', "grant root");
    /* /dev is the device directory whatever is granted, and cannot be granted. */
    CHECK(r.dev == RV_DEV_NONE, "a granted path is no device");
    CHECK(rvvm_grant_dir(m, root, "/", false) == RVVM_OK, "grant at /");
    CHECK(rv_resolve(m, -100, "/dev/null", &r) == 0 && r.dev == RV_DEV_NULL, "/dev/null");
    CHECK(rv_resolve(m, -100, "/data/../dev/./urandom", &r) == 0 && r.dev == RV_DEV_URANDOM,
          "/dev/urandom through ..");
    CHECK(rv_resolve(m, -100, "/dev", &r) == 0 && r.dev == RV_DEV_DIR, "/dev itself");
    CHECK(rv_resolve(m, -100, "/dev/", &r) == 0 && r.dev == RV_DEV_DIR, "/dev/");
    CHECK(rv_resolve(m, -100, "/dev/sda", &r) == -ENOENT && r.dev == RV_DEV_MISSING,
          "unknown device");
    CHECK(rv_resolve(m, -100, "/dev/zero/x", &r) == -ENOTDIR, "below a device");
    CHECK(rv_resolve(m, -100, "/devices", &r) == 0 && r.dev == RV_DEV_NONE && r.grant == 2,
          "/devices is no device path");
    CHECK(rvvm_grant_dir(m, root, "/dev", false) == RVVM_ERR_INVALID_ARGUMENT, "grant at /dev");
    CHECK(rvvm_grant_dir(m, root, "/dev/x", false) == RVVM_ERR_INVALID_ARGUMENT,
          "grant below /dev");
    rvvm_destroy(m);
}

/* The write bound's settings and arithmetic (the guest's view: glibc/writebound.c). */
static void test_write_bound(void)
{
    rvvm_config c;
    rvvm_config_init(&c);
    CHECK(c.max_write_bytes == (1ull << 30), "default bound %llu", (unsigned long long)c.max_write_bytes);
    rvvm_machine *m;
    CHECK(rvvm_create(&c, &m) == RVVM_OK, "create");
    CHECK(rvvm_get_config(m)->max_write_bytes == (1ull << 30), "bound in the machine");
    CHECK(rvvm_write_bytes_used(m) == 0, "nothing used");
    CHECK(rv_os_write_room(m, 5000) == 5000, "room");
    CHECK(rvvm_set_max_write_bytes(m, 10000) == RVVM_OK, "set");
    CHECK(rvvm_get_config(m)->max_write_bytes == 10000, "set shows");
    rv_os_write_charge(m, 6000);
    CHECK(rvvm_write_bytes_used(m) == 6000, "used %llu", (unsigned long long)rvvm_write_bytes_used(m));
    CHECK(rv_os_write_room(m, 5000) == 4000, "what still fits");
    rv_os_write_charge(m, 4000);
    CHECK(rv_os_write_room(m, 1) == 0, "full");
    CHECK(rvvm_set_max_write_bytes(m, 100) == RVVM_OK && rv_os_write_room(m, 1) == 0,
          "a bound below what was used");
    CHECK(rvvm_set_max_write_bytes(m, RVVM_NO_LIMIT) == RVVM_OK &&
              rv_os_write_room(m, UINT64_MAX) == UINT64_MAX, "no bound");
    rv_os_write_charge(m, UINT64_MAX);
    CHECK(rvvm_write_bytes_used(m) == UINT64_MAX, "the count saturates");
    rvvm_destroy(m);
    c.os = RVVM_OS_NONE;
    CHECK(rvvm_create(&c, &m) == RVVM_OK, "create bare");
    CHECK(rvvm_set_max_write_bytes(m, 1) == RVVM_ERR_STATE, "bare machine: no files");
    CHECK(rvvm_write_bytes_used(m) == 0, "bare machine: nothing used");
    rvvm_destroy(m);
    CHECK(rvvm_set_max_write_bytes(NULL, 1) == RVVM_ERR_INVALID_ARGUMENT, "NULL machine");
    CHECK(rvvm_write_bytes_used(NULL) == 0, "NULL machine used");
}

static void test_vmas(void)
{
    rv_os os;
    memset(&os, 0, sizeof os);
    rv_vma_insert(&os, 0x10000, 0x20000);
    rv_vma_insert(&os, 0x30000, 0x40000);
    rv_vma_insert(&os, 0x20000, 0x30000); /* bridges both */
    CHECK(os.vma_count == 1 && os.vmas[0].start == 0x10000 && os.vmas[0].end == 0x40000,
          "merge: %zu ranges", os.vma_count);
    rv_vma_remove(&os, 0x18000, 0x19000); /* split */
    CHECK(os.vma_count == 2 && os.vmas[0].end == 0x18000 && os.vmas[1].start == 0x19000, "split");
    rv_vma_remove(&os, 0x0, 0x18000);
    CHECK(os.vma_count == 1 && os.vmas[0].start == 0x19000, "remove first");
    rv_vma_insert(&os, 0x50000, 0x60000);
    rv_vma_remove(&os, 0x38000, 0x58000); /* trims two */
    CHECK(os.vma_count == 2 && os.vmas[0].end == 0x38000 && os.vmas[1].start == 0x58000,
          "trim across two");
    rv_vma_remove(&os, 0, UINT64_MAX);
    CHECK(os.vma_count == 0, "remove all");
    free(os.vmas);
}

int main(void)
{
    setup();
    test_normalize();
    test_beneath();
    test_grants();
    test_write_bound();
    test_vmas();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base_dir);
    (void)!system(cmd);
    if (failures) {
        printf("%d failure(s)\n", failures);
        return 1;
    }
    printf("sandbox tests passed\n");
    return 0;
}
