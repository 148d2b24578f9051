/* The sysroot seen from the guest: readable, read-only, never left. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void try_open(const char *path, int flags)
{
    int fd = open(path, flags, 0644);
    if (fd < 0) {
        printf("open %s: %s\n", path, strerror(errno));
        return;
    }
    char buf[4];
    ssize_t n = read(fd, buf, 4);
    printf("open %s: ok, read %zd%s\n", path, n,
           n == 4 && memcmp(buf, "\177ELF", 4) == 0 ? " (ELF)" : "");
    close(fd);
}

int main(void)
{
    struct stat st;
    try_open("/lib/libc.so.6", O_RDONLY);
    try_open("/lib/../lib/./libc.so.6", O_RDONLY);
    try_open("/lib/libc.so.6", O_RDWR);
    try_open("/lib/new-file", O_WRONLY | O_CREAT);
    try_open("/../../../../etc/passwd", O_RDONLY);
    try_open("/etc/passwd", O_RDONLY);
    printf("mkdir /lib/d: %s\n", mkdir("/lib/d", 0755) ? strerror(errno) : "ok");
    printf("unlink /lib/libc.so.6: %s\n", unlink("/lib/libc.so.6") ? strerror(errno) : "ok");
    if (stat("/lib/libc.so.6", &st) == 0)
        printf("stat /lib/libc.so.6: mode %o, writable bits %o\n", (unsigned)(st.st_mode & 07777),
               (unsigned)(st.st_mode & 0222));
    printf("access W_OK /lib: %s\n", access("/lib", W_OK) ? strerror(errno) : "ok");
    return 0;
}
