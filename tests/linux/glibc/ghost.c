/*
 * Files without names, and the other states of the file layer a snapshot
 * must keep: a tmpfile() (O_TMPFILE), a file made with a fixed name and
 * unlinked at once (Lua's mkstemp-and-unlink fallback), an O_TMPFILE given a
 * name with linkat, a directory removed while open, an O_PATH handle whose
 * file was removed, /dev/zero and /dev/urandom held open, directories
 * (a granted one and /dev) listed a few entries at a time.
 * Run with a writable directory granted at /tmp. With the argument "list",
 * also lists /data (tests/linux/fsroot/data granted there) and /dev, whose
 * listings differ on a real Linux host; without it the output matches
 * qemu-riscv64. The output never depends on the random bytes' values.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static unsigned long mix(unsigned long h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = h * 31 + b[i];
    return h;
}

/*
 * Removes what a run stopped part-way (and never resumed: the split tests
 * do that) may have left in /tmp. A raw ecall, whose result is not looked
 * at: the instructions run are the same whether there was anything to remove.
 */
static void cleanup(const char *path, int flags)
{
    register long a0 __asm__("a0") = AT_FDCWD;
    register long a1 __asm__("a1") = (long)path;
    register long a2 __asm__("a2") = flags;
    register long a7 __asm__("a7") = SYS_unlinkat;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
}

/* A few directory entries per call, so a listing stays in progress. */
static unsigned long list_some(int fd, unsigned long h, int *entries)
{
    char buf[64];
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    for (long off = 0; off < n;) {
        unsigned short reclen;
        memcpy(&reclen, buf + off + 16, 2);
        const char *name = buf + off + 19;
        h = mix(h, name, strlen(name));
        (*entries)++;
        off += reclen;
    }
    return n > 0 ? h : h + 1;
}

int main(int argc, char **argv)
{
    int listing = argc > 1 && !strcmp(argv[1], "list");
    FILE *t = tmpfile();
    if (!t) {
        puts("tmpfile failed");
        return 1;
    }
    cleanup("/tmp/ghost-fixed", 0);
    cleanup("/tmp/ghost-named", 0);
    int g = open("/tmp/ghost-fixed", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (g < 0 || unlink("/tmp/ghost-fixed") != 0) {
        puts("fixed-name ghost failed");
        return 1;
    }
    cleanup("/tmp/ghost-dir", AT_REMOVEDIR);
    mkdir("/tmp/ghost-dir", 0750);
    int gd = open("/tmp/ghost-dir", O_RDONLY | O_DIRECTORY);
    if (gd < 0 || rmdir("/tmp/ghost-dir") != 0) {
        puts("removed directory failed");
        return 1;
    }
    int zero = open("/dev/zero", O_RDONLY);
    int ur = open("/dev/urandom", O_RDONLY);
    int data = listing ? open("/data", O_RDONLY | O_DIRECTORY) : 0;
    int dev = listing ? open("/dev", O_RDONLY | O_DIRECTORY) : 0;
    if (zero < 0 || ur < 0 || data < 0 || dev < 0) {
        puts("open failed");
        return 1;
    }
    unsigned long h = 5381;
    int entries = 0;
    char line[80], back[80];
    for (int i = 0; i < 40; i++) {
        int n = snprintf(line, sizeof line, "line %d of the ghost file\n", i);
        fwrite(line, 1, (size_t)n, t);
        write(g, line, (size_t)n);
        if (i % 5 == 4) {
            /* Read both back from the start, then go on appending. */
            fflush(t);
            long end = ftell(t);
            rewind(t);
            size_t got = fread(back, 1, sizeof back, t);
            h = mix(h, back, got);
            fseek(t, end, SEEK_SET);
            ssize_t r = pread(g, back, 40, i * 3);
            h = mix(h, back, r > 0 ? (size_t)r : 0);
            printf("step %d: %ld bytes, h %lx\n", i, end, h);
        }
        unsigned char z[8], u[8];
        read(zero, z, sizeof z);
        h = mix(h, z, sizeof z);
        h += read(ur, u, sizeof u); /* the count only: values depend on the seed */
        if (listing && i % 3 == 0)
            h = list_some(i % 2 ? dev : data, h, &entries);
    }
    /* An O_TMPFILE file given a name. */
    int o = open("/tmp", O_TMPFILE | O_RDWR, 0640);
    if (o >= 0) {
        write(o, "made by O_TMPFILE\n", 18);
        int l = linkat(o, "", AT_FDCWD, "/tmp/ghost-named", AT_EMPTY_PATH);
        struct stat st;
        stat("/tmp/ghost-named", &st);
        printf("linkat: %d, mode %o size %lld\n", l, (unsigned)(st.st_mode & 0777),
               (long long)st.st_size);
        unlink("/tmp/ghost-named");
        close(o);
    } else {
        puts("O_TMPFILE failed");
    }
    /* An O_PATH handle outliving its file's name. */
    cleanup("/tmp/ghost-path", 0);
    int pf = open("/tmp/ghost-path", O_WRONLY | O_CREAT | O_TRUNC, 0604);
    write(pf, "12345", 5);
    close(pf);
    int ph = open("/tmp/ghost-path", O_PATH);
    unlink("/tmp/ghost-path");
    struct stat st;
    fstat(ph, &st);
    printf("O_PATH handle: nlink %lu mode %o size %lld\n", (unsigned long)st.st_nlink,
           (unsigned)(st.st_mode & 07777), (long long)st.st_size);
    fstat(gd, &st);
    char dbuf[64];
    long dn = syscall(SYS_getdents64, gd, dbuf, sizeof dbuf);
    printf("removed directory: dir %d nlink %lu mode %o, getdents %ld %s\n", S_ISDIR(st.st_mode),
           (unsigned long)st.st_nlink, (unsigned)(st.st_mode & 0777), dn,
           dn < 0 ? strerror(errno) : "");
    close(gd);
    fstat(g, &st);
    printf("unlinked file: nlink %lu size %lld mode %o\n", (unsigned long)st.st_nlink,
           (long long)st.st_size, (unsigned)(st.st_mode & 0777));
    fstat(ph, &st);
    printf("O_PATH handle again: nlink %lu mode %o size %lld\n", (unsigned long)st.st_nlink,
           (unsigned)(st.st_mode & 07777), (long long)st.st_size);
    close(ph);
    fclose(t);
    close(g);
    printf("entries listed %d, final h %lx\n", entries, h);
    return 0;
}
