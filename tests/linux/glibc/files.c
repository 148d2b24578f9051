/*
 * Files in a granted directory (run with --dir data): reading, stat, lseek,
 * pread, mmap of a file, directory descriptors, chdir, and refusals of
 * everything outside, including escapes through "..", symbolic links and
 * /proc. The runner creates the links in data/ (see run_case.sh).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The bytes with newlines shown as '|'. */
static const char *visible(char *buf, ssize_t n)
{
    if (n < 0)
        n = 0;
    buf[n] = '\0';
    for (ssize_t i = 0; i < n; i++)
        if (buf[i] == '\n')
            buf[i] = '|';
    return buf;
}

static void try_read(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("open %-36s -> %s\n", path, strerror(errno));
        return;
    }
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = '\0';
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = '\0';
    printf("open %-36s -> read \"%s\"\n", path, buf);
    close(fd);
}

int main(void)
{
    const char *paths[] = {
        "data/in.txt",          "/data/in.txt",          "data/./sub/../in.txt",
        "data/sub/nested.txt",  "data/good_link",        "data/subdir_link/nested.txt",
        "data/missing.txt",     "outside/secret.txt",    "data/../outside/secret.txt",
        "/etc/passwd",          "data/rel_escape",       "data/abs_escape",
        "data/proc_escape",     "data/dir_escape/secret.txt", "data/loop",
        "/proc/self/root/etc/passwd", "data/../../../../etc/passwd",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        try_read(paths[i]);

    struct stat st;
    if (stat("data/in.txt", &st) == 0)
        printf("stat in.txt: regular=%d size=%lld\n", S_ISREG(st.st_mode), (long long)st.st_size);
    if (stat("data/sub", &st) == 0)
        printf("stat sub: directory=%d\n", S_ISDIR(st.st_mode));
    if (lstat("data/good_link", &st) == 0)
        printf("lstat good_link: symlink=%d\n", S_ISLNK(st.st_mode));
    char target[64];
    ssize_t tl = readlink("data/good_link", target, sizeof target - 1);
    target[tl > 0 ? tl : 0] = '\0';
    printf("readlink good_link: %s\n", target);
    printf("stat outside: %s\n", stat("outside", &st) == 0 ? "found" : strerror(errno));
    printf("access data/in.txt R_OK: %d, W_OK: %s\n", access("data/in.txt", R_OK),
           access("data/in.txt", W_OK) == 0 ? "ok" : strerror(errno));

    int fd = open("data/numbers.txt", O_RDONLY);
    if (fd >= 0) {
        off_t end = lseek(fd, 0, SEEK_END);
        char buf[16] = {0};
        ssize_t n = pread(fd, buf, 6, 10);
        printf("numbers.txt: size %lld, pread(10) \"%s\"\n", (long long)end, visible(buf, n));
        lseek(fd, 4, SEEK_SET);
        n = read(fd, buf, 3);
        printf("after lseek(4): \"%s\", position %lld\n", visible(buf, n),
               (long long)lseek(fd, 0, SEEK_CUR));
        char *map = mmap(NULL, (size_t)end, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map != MAP_FAILED) {
            memcpy(buf, map, 8);
            printf("mmap of the file: \"%s\"", visible(buf, 8));
            memcpy(buf, map + end - 8, 8);
            printf(" ... \"%s\"\n", visible(buf, 8));
            munmap(map, (size_t)end);
        }
        close(fd);
    } else {
        printf("numbers.txt: %s\n", strerror(errno));
    }
    fd = open("data/in.txt", O_WRONLY);
    printf("open for writing in a read-only grant: %s\n", fd < 0 ? strerror(errno) : "opened");
    fd = open("data/new.txt", O_WRONLY | O_CREAT, 0644);
    printf("create in a read-only grant: %s\n", fd < 0 ? strerror(errno) : "created");

    int dfd = open("data", O_RDONLY | O_DIRECTORY);
    int f2 = openat(dfd, "sub/nested.txt", O_RDONLY);
    printf("openat(data, sub/nested.txt): %s\n", f2 >= 0 ? "ok" : strerror(errno));
    f2 = openat(dfd, "../outside/secret.txt", O_RDONLY);
    printf("openat(data, ../outside/secret.txt): %s\n", f2 >= 0 ? "opened!" : strerror(errno));
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (d) {
        printf("listing of data:");
        struct dirent *de;
        while ((de = readdir(d)) != NULL)
            printf(" %s", de->d_name);
        printf("\n");
        closedir(d);
    }

    printf("chdir(data): %s\n", chdir("data") == 0 ? "ok" : strerror(errno));
    char cwd[64];
    printf("getcwd: %s\n", getcwd(cwd, sizeof cwd));
    try_read("in.txt");
    try_read("../outside/secret.txt");
    printf("chdir(/etc): %s\n", chdir("/etc") == 0 ? "ok" : strerror(errno));
    return 0;
}
