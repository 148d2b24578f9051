/*
 * The write bound (rvrun --max-write-bytes, README "Limits"): what counts and
 * what the guest sees when it is reached. The expected outputs are worked by
 * hand from the rules: every byte given to write/pwrite counts, ftruncate
 * counts what a file grows by, every new name (file, O_TMPFILE, directory,
 * symbolic or hard link) counts 4096, and nothing is given back.
 *
 * usage: writebound DIR MODE
 *   fill    create DIR/big, write 1000-byte blocks until the bound; then check
 *           that nothing else can grow (overwrite, ftruncate, new names) while
 *           reads, shrinking, unlinking, /dev/null and pipes still work
 *   names   each kind of new name, until one no longer fits
 *   sparse  ftruncate a new file to 1 GiB (more than the default bound leaves)
 *           and to 1 GiB - 4096 (exactly what it leaves)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *dir;

static const char *err_name(int e)
{
    switch (e) {
    case EDQUOT: return "EDQUOT";
    case EFBIG: return "EFBIG";
    case ENOSPC: return "ENOSPC";
    case EEXIST: return "EEXIST";
    case ENOENT: return "ENOENT";
    default: return strerror(e);
    }
}

static void report(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, err_name(errno));
    else
        printf("%s: %ld\n", what, r);
}

static char *at(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static long file_size(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static int fill(void)
{
    int fd = open(at("big"), O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (fd < 0) {
        report("open big", -1);
        return 1;
    }
    char buf[1000];
    memset(buf, 'x', sizeof buf);
    long total = 0;
    for (;;) {
        ssize_t n = write(fd, buf, sizeof buf);
        if (n < 0) {
            printf("write after %ld bytes: -1 %s\n", total, err_name(errno));
            break;
        }
        if (n != (ssize_t)sizeof buf)
            printf("short write at %ld: %zd\n", total, n);
        total += n;
        if (total > 100000000) {
            printf("no bound\n");
            return 1;
        }
    }
    report("write 0 bytes", write(fd, buf, 0));
    report("pwrite over old bytes", pwrite(fd, buf, 10, 0));
    struct iovec v[2] = {{buf, 5}, {buf, 5}};
    report("writev", writev(fd, v, 2));
    report("ftruncate +1", ftruncate(fd, total + 1));
    report("ftruncate to 100", ftruncate(fd, 100));
    report("ftruncate back to 200", ftruncate(fd, 200));
    report("size", file_size(at("big")));
    char rd[16];
    report("pread", pread(fd, rd, sizeof rd, 0));
    report("mkdir", mkdir(at("d"), 0755));
    report("symlink", symlink("big", at("link")));
    report("link", link(at("big"), at("hard")));
    report("open O_CREAT new", open(at("new"), O_CREAT | O_WRONLY, 0644));
    int again = open(at("big"), O_WRONLY | O_CREAT, 0644);
    report("open O_CREAT existing", again >= 0 ? 0 : -1);
    report("open O_TMPFILE", open(dir, O_TMPFILE | O_RDWR, 0600));
    report("rename", rename(at("big"), at("big2")));
    report("unlink", unlink(at("big2")));
    report("write after unlink", write(fd, buf, 1));
    int null = open("/dev/null", O_WRONLY);
    report("write /dev/null", write(null, buf, sizeof buf));
    int p[2];
    if (pipe(p) != 0)
        return 1;
    report("write pipe", write(p[1], buf, 100));
    report("read pipe", read(p[0], buf, sizeof buf));
    report("write stdout", write(1, "out\n", 4));
    return 0;
}

static int names(void)
{
    report("mkdir d", mkdir(at("d"), 0755));
    report("symlink s", symlink("d", at("s")));
    int fd = open(at("f"), O_CREAT | O_EXCL | O_WRONLY, 0644);
    report("create f", fd >= 0 ? 0 : -1);
    report("link h", link(at("f"), at("h")));
    int t = open(dir, O_TMPFILE | O_RDWR, 0600);
    report("O_TMPFILE", t >= 0 ? 0 : -1);
    report("write tmp 5", write(t, "abcdefgh", 5));
    report("write tmp 5 more", write(t, "abcdefgh", 5));
    report("write f", write(fd, "abcdefgh", 8));
    report("mkdir e", mkdir(at("e"), 0755));
    report("create g", open(at("g"), O_CREAT | O_WRONLY, 0644));
    /* Names that exist are EEXIST first, bound or not (as Linux checks). */
    report("mkdir s (exists)", mkdir(at("s"), 0755));
    report("symlink f (exists)", symlink("d", at("f")));
    report("link h (exists)", link(at("f"), at("h")));
    report("rmdir d", rmdir(at("d")));
    report("mkdir d again", mkdir(at("d"), 0755));
    return 0;
}

static int sparse(void)
{
    int fd = open(at("sparse"), O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (fd < 0) {
        report("open sparse", -1);
        return 1;
    }
    report("ftruncate 1 GiB", ftruncate(fd, 1L << 30));
    report("ftruncate 1 GiB - 4096", ftruncate(fd, (1L << 30) - 4096));
    report("write 1 byte", write(fd, "x", 1));
    report("ftruncate 0", ftruncate(fd, 0));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    dir = argv[1];
    setvbuf(stdout, NULL, _IONBF, 0);
    if (!strcmp(argv[2], "fill"))
        return fill();
    if (!strcmp(argv[2], "names"))
        return names();
    if (!strcmp(argv[2], "sparse"))
        return sparse();
    return 2;
}
