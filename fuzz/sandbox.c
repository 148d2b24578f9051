#include "sandbox.h"

#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void put_file(const char *dir, const char *name, const char *content)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    FUZZ_CHECK(f != NULL, "cannot create %s", p);
    fputs(content, f);
    fclose(f);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw);
static const fuzz_sandbox *to_remove;

/* At exit, the whole tree goes (after a crash it stays, for a look). */
static void remove_tree(void)
{
    if (to_remove) {
        fuzz_sandbox_reset(to_remove);
        nftw(to_remove->grant, rm_entry, 16, FTW_PHYS | FTW_DEPTH);
        nftw(to_remove->base, rm_entry, 16, FTW_PHYS | FTW_DEPTH);
        rmdir(to_remove->base);
    }
}

void fuzz_sandbox_init(fuzz_sandbox *s, const char *tag)
{
    memset(s, 0, sizeof *s);
    umask(022);
    snprintf(s->base, sizeof s->base, "/tmp/rvvm-fuzz-%s.XXXXXX", tag);
    FUZZ_CHECK(mkdtemp(s->base) != NULL, "mkdtemp: %s", strerror(errno));
    snprintf(s->grant, sizeof s->grant, "%s/grant", s->base);
    snprintf(s->ro, sizeof s->ro, "%s/ro", s->base);
    snprintf(s->outside, sizeof s->outside, "%s/outside", s->base);
    FUZZ_CHECK(mkdir(s->ro, 0755) == 0 && mkdir(s->outside, 0755) == 0, "mkdir");
    put_file(s->ro, "r.txt", "read only\n");
    put_file(s->outside, "secret.txt", "secret\n");
    FUZZ_CHECK(mkdir(s->grant, 0755) == 0, "mkdir");
    fuzz_sandbox_reset(s);
    to_remove = s;
    atexit(remove_tree);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag;
    if (ftw->level > 0)
        remove(path);
    return 0;
}

static int open_up(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)ftw;
    if (flag == FTW_D || flag == FTW_DNR)
        chmod(path, 0755);
    (void)st;
    return 0;
}

void fuzz_sandbox_reset(const fuzz_sandbox *s)
{
    chmod(s->grant, 0755);
    nftw(s->grant, open_up, 16, FTW_PHYS);
    nftw(s->grant, rm_entry, 16, FTW_PHYS | FTW_DEPTH);
    put_file(s->grant, "a.txt", "hello, sandbox\n");
    char p[512], q[512];
    snprintf(p, sizeof p, "%s/d", s->grant);
    FUZZ_CHECK(mkdir(p, 0755) == 0, "mkdir %s: %s", p, strerror(errno));
    put_file(p, "x.txt", "x\n");
    snprintf(p, sizeof p, "%s/fifo", s->grant);
    FUZZ_CHECK(mkfifo(p, 0644) == 0, "mkfifo");
    snprintf(p, sizeof p, "%s/link", s->grant);
    FUZZ_CHECK(symlink("../outside", p) == 0, "symlink");
    snprintf(p, sizeof p, "%s/abs", s->grant);
    snprintf(q, sizeof q, "%s/secret.txt", s->outside);
    FUZZ_CHECK(symlink(q, p) == 0, "symlink");
}

/* The directory holds exactly these names (sorted, NULL-terminated). */
static void expect_names(const char *dir, const char *const *names)
{
    DIR *d = opendir(dir);
    FUZZ_CHECK(d != NULL, "%s vanished", dir);
    struct dirent *e;
    int count = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        int known = 0;
        for (int i = 0; names[i]; i++)
            known |= strcmp(names[i], e->d_name) == 0;
        FUZZ_CHECK(known, "%s/%s appeared outside the grant", dir, e->d_name);
        count++;
    }
    closedir(d);
    int want = 0;
    while (names[want])
        want++;
    FUZZ_CHECK(count == want, "%s lost an entry", dir);
}

static void expect_file(const char *dir, const char *name, const char *content)
{
    char p[512], buf[64];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    struct stat st;
    FUZZ_CHECK(lstat(p, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0644,
               "%s changed type or mode", p);
    FILE *f = fopen(p, "r");
    FUZZ_CHECK(f != NULL, "%s unreadable", p);
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    FUZZ_CHECK(n == strlen(content) && memcmp(buf, content, n) == 0, "%s changed", p);
}

void fuzz_sandbox_check(const fuzz_sandbox *s)
{
    static const char *const base_names[] = {"grant", "ro", "outside", NULL};
    static const char *const ro_names[] = {"r.txt", NULL};
    static const char *const out_names[] = {"secret.txt", NULL};
    expect_names(s->base, base_names);
    expect_names(s->ro, ro_names);
    expect_names(s->outside, out_names);
    expect_file(s->ro, "r.txt", "read only\n");
    expect_file(s->outside, "secret.txt", "secret\n");
}
