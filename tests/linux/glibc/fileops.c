/*
 * File operations in a writable grant (out/): creation modes and umask,
 * chmod, utimensat, symbolic and hard links, rename with RENAME_NOREPLACE
 * and RENAME_EXCHANGE, and open descriptions following renamed files.
 * Everything printed holds on Linux as on rvvm. With the argument "sandbox",
 * the parts only rvvm gives (chown in a namespace that maps only uid 0,
 * links that point out of the grant, a read-only grant, /dev).
 * Run in a directory with out/ (writable) and data/ (read-only).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static void mode_of(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        printf("%s: %s\n", path, strerror(errno));
    else
        printf("%s: mode %o nlink %lu size %lld\n", path, (unsigned)(st.st_mode & 07777),
               (unsigned long)st.st_nlink, (long long)st.st_size);
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void show(const char *path)
{
    char buf[64] = {0};
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("read %s: %s\n", path, strerror(errno));
        return;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[strcspn(buf, "\n")] = '\0';
    printf("read %s: %zu '%s'\n", path, n, buf);
}

#define R(call) printf("%-44s = %d%s%s\n", #call, (call), errno ? " " : "", errno ? strerror(errno) : ""), errno = 0

static void sandbox(void)
{
    errno = 0;
    put("out/owned", "x\n");
    R(chown("out/owned", 0, 0));
    R(chown("out/owned", -1, -1));
    R(chown("out/owned", 1000, -1));
    R(lchown("out/owned", -1, 1000));
    int fd = open("out/owned", O_RDONLY);
    R(fchown(fd, 0, 0));
    close(fd);
    R(chown("data/in.txt", 0, 0));
    R(chmod("data/in.txt", 0600));
    R(utimensat(AT_FDCWD, "data/in.txt", NULL, 0));
    R(symlink("x", "data/newlink"));
    R(link("data/in.txt", "out/stolen"));
    R(rename("data/in.txt", "out/moved"));
    /* A link may point anywhere; following it out of the grant fails. */
    R(symlink("../outside/secret.txt", "out/escape"));
    R(symlink("/etc/passwd", "out/escape_abs"));
    R(open("out/escape", O_RDONLY));
    R(open("out/escape_abs", O_RDONLY));
    char t[64] = {0};
    R((int)readlink("out/escape", t, sizeof t - 1));
    printf("target '%s'\n", t);
    R(chmod("/dev/null", 0600));
    R(unlink("/dev/null"));
    R(mkdir("/dev/x", 0755));
    R(mkdir("/dev", 0755));
    R(symlink("x", "/dev/y"));
    R(link("/dev/null", "out/null"));
    R(rename("out/owned", "/dev/owned"));
    R(futimens(1, NULL));
    R(fchmod(1, 0600));
    /* fstat after utimensat: deterministic times (0) in the default mode. */
    R(utimensat(AT_FDCWD, "out/owned", NULL, 0));
    struct stat st;
    stat("out/owned", &st);
    printf("mtime %lld atime %lld\n", (long long)st.st_mtime, (long long)st.st_atime);
    R(unlink("out/owned"));
    R(unlink("out/escape"));
    R(unlink("out/escape_abs"));
}

int main(int argc, char **argv)
{
    errno = 0;
    if (argc > 1 && !strcmp(argv[1], "sandbox")) {
        sandbox();
        return 0;
    }
    umask(022);
    /* Creation: the mode asked for, less the umask, whatever the host's umask is. */
    int fd = open("out/a", O_CREAT | O_WRONLY | O_TRUNC, 0666);
    write(fd, "alpha\n", 6);
    close(fd);
    mode_of("out/a");
    printf("umask(077) was %o\n", (unsigned)umask(077));
    fd = open("out/b", O_CREAT | O_WRONLY | O_TRUNC, 0666);
    close(fd);
    mode_of("out/b");
    R(mkdir("out/d", 0777));
    mode_of("out/d");
    printf("umask(022) was %o\n", (unsigned)umask(022));
    /* zstd's way: create 0600, write, then give the file the source's mode. */
    fd = open("out/z", O_CREAT | O_WRONLY | O_TRUNC, 0600);
    write(fd, "compressed\n", 11);
    R(fchmod(fd, 0644));
    close(fd);
    mode_of("out/z");
    R(chmod("out/b", 0640));
    mode_of("out/b");
    R(fchmodat(AT_FDCWD, "out/d", 0700, 0));
    mode_of("out/d");
    R(chmod("out/missing", 0600));

    /* utimensat: accepted (times are not compared: rvvm shows fixed ones). */
    struct timespec ts[2] = {{1000000, 0}, {2000000, 500}};
    R(utimensat(AT_FDCWD, "out/a", ts, 0));
    fd = open("out/a", O_RDONLY);
    R(futimens(fd, NULL));
    close(fd);
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    R(utimensat(AT_FDCWD, "out/a", bad, 0));
    R(utimensat(AT_FDCWD, "out/missing", NULL, 0));

    /* Symbolic links: stored as given, followed when used. */
    R(symlink("a", "out/la"));
    R(symlink("d", "out/ld"));
    R(symlink("a", "out/la"));
    char target[64] = {0};
    R((int)readlink("out/la", target, sizeof target - 1));
    printf("readlink out/la: '%s'\n", target);
    mode_of("out/la");
    show("out/la");
    put("out/ld/inner", "inside d\n");
    show("out/d/inner");
    R(symlink("nowhere", "out/dangling"));
    R(open("out/dangling", O_RDONLY));
    R(fchmodat(AT_FDCWD, "out/la", 0600, AT_SYMLINK_NOFOLLOW));

    /* Hard links. */
    R(link("out/a", "out/a2"));
    mode_of("out/a");
    show("out/a2");
    R(link("out/a", "out/a2"));
    R(link("out/d", "out/d2"));
    R(linkat(AT_FDCWD, "out/la", AT_FDCWD, "out/la2", 0));
    mode_of("out/la2");
    R(linkat(AT_FDCWD, "out/la", AT_FDCWD, "out/la3", AT_SYMLINK_FOLLOW));
    mode_of("out/la3");

    /* Renames. */
    put("out/r1", "one\n");
    put("out/r2", "two\n");
    R(renameat2(AT_FDCWD, "out/r1", AT_FDCWD, "out/r2", RENAME_NOREPLACE));
    R(renameat2(AT_FDCWD, "out/r1", AT_FDCWD, "out/r2", RENAME_EXCHANGE));
    show("out/r1");
    show("out/r2");
    R(renameat2(AT_FDCWD, "out/r1", AT_FDCWD, "out/r2", RENAME_NOREPLACE | RENAME_EXCHANGE));
    R(renameat2(AT_FDCWD, "out/r1", AT_FDCWD, "out/r3", RENAME_NOREPLACE));
    show("out/r3");
    R(renameat2(AT_FDCWD, "out/r3", AT_FDCWD, "out/nothere", RENAME_EXCHANGE));
    /* An open file renamed, then written through its descriptor. */
    fd = open("out/r2", O_WRONLY | O_APPEND);
    R(rename("out/r2", "out/d/r2moved"));
    write(fd, "more\n", 5);
    close(fd);
    show("out/d/r2moved");
    /* Directory renamed while a file inside is open. */
    fd = open("out/d/inner", O_RDWR);
    R(rename("out/d", "out/e"));
    R((int)pwrite(fd, "INSIDE", 6, 0));
    close(fd);
    show("out/e/inner");

    /* Clean up, so the directory is as it was. */
    const char *files[] = {"out/a", "out/a2", "out/b", "out/z", "out/la", "out/ld", "out/dangling",
                           "out/la2", "out/la3", "out/r3", "out/e/inner", "out/e/r2moved"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        if (unlink(files[i]) != 0)
            printf("unlink %s: %s\n", files[i], strerror(errno));
    errno = 0;
    R(rmdir("out/e"));
    return 0;
}
