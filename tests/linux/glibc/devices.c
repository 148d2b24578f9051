/*
 * The device files: /dev/null, /dev/zero, /dev/random, /dev/urandom,
 * /dev/stdin, /dev/stdout, /dev/stderr, and /dev itself. Everything printed
 * holds on Linux as on rvvm (qemu-riscv64 sees the host's /dev). With the
 * argument "stream", prints bytes of /dev/urandom, /dev/random and
 * getrandom, which come from one seeded stream under rvvm.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void show_stat(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        printf("stat %s: %s\n", path, strerror(errno));
        return;
    }
    printf("stat %s: type %s mode %o rdev %u:%u size %lld\n", path,
           S_ISCHR(st.st_mode) ? "chr" : S_ISDIR(st.st_mode) ? "dir" : "other",
           (unsigned)(st.st_mode & 07777), major(st.st_rdev), minor(st.st_rdev),
           S_ISDIR(st.st_mode) ? 0 : (long long)st.st_size);
}

static void stream(void)
{
    unsigned char a[12], b[12], c[12];
    int u = open("/dev/urandom", O_RDONLY), r = open("/dev/random", O_RDONLY);
    ssize_t na = read(u, a, sizeof a), nb = read(r, b, sizeof b);
    ssize_t nc = getrandom(c, sizeof c, 0);
    printf("urandom %zd random %zd getrandom %zd\n", na, nb, nc);
    for (int i = 0; i < 12; i++)
        printf("%02x%02x%02x%s", a[i], b[i], c[i], i == 11 ? "\n" : " ");
    close(u);
    close(r);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "stream")) {
        stream();
        return 0;
    }
    /* /dev/null: writes vanish, reads end at once (Lua's files.lua opens it "w"). */
    FILE *f = fopen("/dev/null", "w");
    printf("fopen /dev/null w: %s\n", f ? "ok" : strerror(errno));
    if (f) {
        printf("fprintf to it: %d\n", fprintf(f, "discarded %d\n", 42));
        printf("fclose: %d\n", fclose(f));
    }
    int fd = open("/dev/null", O_RDWR);
    char buf[64];
    printf("read /dev/null: %zd, write: %zd\n", read(fd, buf, sizeof buf), write(fd, "abc", 3));
    printf("lseek /dev/null: %lld\n", (long long)lseek(fd, 100, SEEK_SET));
    struct stat st;
    fstat(fd, &st);
    printf("fstat /dev/null: chr %d rdev %u:%u\n", S_ISCHR(st.st_mode), major(st.st_rdev),
           minor(st.st_rdev));
    close(fd);

    /* /dev/zero: reads give zeros; a private mapping of it is zeroed memory. */
    fd = open("/dev/zero", O_RDONLY);
    memset(buf, 'x', sizeof buf);
    ssize_t n = read(fd, buf, sizeof buf);
    int zeros = 0;
    for (int i = 0; i < (int)sizeof buf; i++)
        zeros += buf[i] == 0;
    printf("read /dev/zero: %zd bytes, %d zeros\n", n, zeros);
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("mmap /dev/zero: %s", p == MAP_FAILED ? strerror(errno) : "ok");
    if (p != MAP_FAILED) {
        p[5000] = 7;
        printf(", p[0] %d p[5000] %d", p[0], p[5000]);
        munmap(p, 8192);
    }
    printf("\n");
    printf("write to O_RDONLY /dev/zero: %zd (%s)\n", write(fd, "a", 1), strerror(errno));
    close(fd);

    /* The random devices give as many bytes as asked (not compared: they differ). */
    fd = open("/dev/urandom", O_RDONLY);
    printf("read /dev/urandom: %zd\n", read(fd, buf, 48));
    close(fd);
    fd = open("/dev/random", O_RDONLY);
    printf("read /dev/random: %zd\n", read(fd, buf, 16));
    close(fd);

    show_stat("/dev/null");
    show_stat("/dev/zero");
    show_stat("/dev/random");
    show_stat("/dev/urandom");
    show_stat("/dev");
    show_stat("/dev/null/");
    struct stat ls;
    lstat("/dev/stdout", &ls);
    printf("lstat /dev/stdout: link %d\n", S_ISLNK(ls.st_mode));
    char target[64] = {0};
    printf("readlink /dev/stdin: %zd %s\n", readlink("/dev/stdin", target, sizeof target - 1),
           target);
    printf("access /dev/null rw: %d\n", access("/dev/null", R_OK | W_OK));
    printf("open /dev/no-such-device: %d %s\n", open("/dev/no-such-device", O_RDONLY),
           strerror(errno));
    printf("open /dev/null O_DIRECTORY: %d %s\n", open("/dev/null", O_RDONLY | O_DIRECTORY),
           strerror(errno));
    printf("open /dev O_WRONLY: %d %s\n", open("/dev", O_WRONLY), strerror(errno));


    /* Listing /dev: our entries are there, with their types. */
    DIR *d = opendir("/dev");
    struct dirent *e;
    int seen = 0;
    static const char *const want[] = {"null", "zero", "random", "urandom", "stdin", "stdout",
                                       "stderr"};
    const char *type[7] = {0};
    while (d && (e = readdir(d)) != NULL) {
        for (int i = 0; i < 7; i++)
            if (!strcmp(e->d_name, want[i])) {
                seen |= 1 << i;
                type[i] = e->d_type == DT_CHR ? "chr" : e->d_type == DT_LNK ? "lnk" : "?";
            }
    }
    if (d)
        closedir(d);
    for (int i = 0; i < 7; i++)
        printf("listed %s type %s\n", want[i], type[i] ? type[i] : "(missing)");
    printf("all seven listed: %d\n", seen == 0x7f);
    /* chdir into /dev and use relative names. */
    printf("chdir /dev: %d\n", chdir("/dev"));
    fd = open("null", O_WRONLY);
    printf("open relative null: %s\n", fd >= 0 ? "ok" : strerror(errno));
    close(fd);

    /*
     * Last, so nothing is written after it: /dev/stdout and /dev/stderr reach
     * what descriptors 1 and 2 hold (O_APPEND, for a host file under qemu).
     */
    fflush(stdout);
    fd = open("/dev/stdout", O_WRONLY | O_APPEND);
    if (fd >= 0) {
        write(fd, "written through /dev/stdout\n", 28);
        close(fd);
    }
    fd = open("/dev/stderr", O_WRONLY | O_APPEND);
    if (fd >= 0) {
        write(fd, "written through /dev/stderr\n", 28);
        close(fd);
    }
    return 0;
}
