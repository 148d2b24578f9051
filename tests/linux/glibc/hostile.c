/*
 * Hostile system-call arguments: bad pointers, huge lengths, bad
 * descriptors, overlapping and out-of-range mappings. Each call must fail
 * with an errno (or succeed harmlessly); none may crash the host.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define BAD ((long)0xdeadbeef000L)
#define HUGE_LEN ((long)0x7fffffffffffffffL)

static void show(const char *what, long r)
{
    if (r < 0)
        printf("%-40s -> -1 %s\n", what, strerror(errno));
    else
        printf("%-40s -> %ld\n", what, r);
}

int main(void)
{
    static char buf[8192];
    show("write(1, NULL, 10)", syscall(SYS_write, 1, 0, 10));
    show("write(1, BAD, 5)", syscall(SYS_write, 1, BAD, 5));
    show("write(1, buf, huge) crossing the end", syscall(SYS_write, 1, buf + 8000, HUGE_LEN));
    show("write(99, buf, 1)", syscall(SYS_write, 99, buf, 1));
    show("write(-1, buf, 1)", syscall(SYS_write, -1, buf, 1));
    show("write(1<<40, buf, 1)", syscall(SYS_write, 1L << 40, buf, 1));
    show("read(0, BAD, 5)", syscall(SYS_read, 0, BAD, 5));
    show("read(0, text segment, 5)", syscall(SYS_read, 0, (long)&main, 5));
    show("openat(AT_FDCWD, BAD)", syscall(SYS_openat, AT_FDCWD, BAD, O_RDONLY));
    memset(buf, 'a', sizeof buf);
    show("openat(unterminated 8 KiB path)", syscall(SYS_openat, AT_FDCWD, buf, O_RDONLY));
    show("openat(dirfd 55, relative)", syscall(SYS_openat, 55, "x", O_RDONLY));
    show("openat(dirfd stdout, relative)", syscall(SYS_openat, 1, "x", O_RDONLY));
    show("mmap(0, 1<<62)", syscall(SYS_mmap, 0, 1L << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    show("mmap(-1 len)", syscall(SYS_mmap, 0, -1L, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    show("mmap FIXED at 0", syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    show("mmap FIXED beyond memory", syscall(SYS_mmap, 1L << 45, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    show("mmap FIXED wrapping around", syscall(SYS_mmap, -8192L, 16384, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    show("mmap bad prot", syscall(SYS_mmap, 0, 4096, 0x100, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    show("mmap no type", syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0));
    show("mmap stdout", syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, 1, 0));
    show("munmap(1<<62, 4096)", syscall(SYS_munmap, 1L << 62, 4096));
    show("munmap(-4096, 8192) wrapping", syscall(SYS_munmap, -4096L, 8192));
    show("mprotect(0, huge)", syscall(SYS_mprotect, 0, HUGE_LEN, PROT_READ));
    show("mprotect unmapped page", syscall(SYS_mprotect, 4096, 4096, PROT_READ));
    show("mremap(BAD)", syscall(SYS_mremap, BAD, 4096, 8192, MREMAP_MAYMOVE));
    show("madvise(BAD, DONTNEED)", syscall(SYS_madvise, 1L << 50, 4096, MADV_DONTNEED));
    long b = syscall(SYS_brk, 0);
    show("brk(huge) keeps the break", syscall(SYS_brk, 1L << 60) == b);
    show("brk(1) keeps the break", syscall(SYS_brk, 1) == b);
    show("getrandom(BAD, 16)", syscall(SYS_getrandom, BAD, 16, 0));
    show("clock_gettime(MONOTONIC, BAD)", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, BAD));
    show("uname(NULL)", syscall(SYS_uname, 0));
    show("fstat(1, BAD)", syscall(SYS_fstat, 1, BAD));
    show("newfstatat(path BAD)", syscall(SYS_newfstatat, AT_FDCWD, BAD, buf, 0));
    struct iovec iov[2] = {{buf, 4}, {(void *)BAD, 4}};
    show("writev(1, 5000 entries)", syscall(SYS_writev, 1, iov, 5000));
    show("writev(1, BAD iov array)", syscall(SYS_writev, 1, BAD, 2));
    show("readv(0, second entry BAD)", syscall(SYS_readv, 0, iov, 2));
    show("dup3(1, 1, 0)", syscall(SYS_dup3, 1, 1, 0));
    show("dup3(1, 5000, 0)", syscall(SYS_dup3, 1, 5000, 0));
    show("lseek(1, 0, SEEK_SET)", syscall(SYS_lseek, 1, 0, SEEK_SET));
    show("lseek(99, 0, 0)", syscall(SYS_lseek, 99, 0, 0));
    show("getcwd(buf, 1)", syscall(SYS_getcwd, buf, 1));
    show("getcwd(BAD, 100)", syscall(SYS_getcwd, BAD, 100));
    show("readlinkat(path BAD)", syscall(SYS_readlinkat, AT_FDCWD, BAD, buf, 10));
    show("rt_sigaction(bad sigsetsize)", syscall(SYS_rt_sigaction, 2, 0, 0, 3));
    show("rt_sigprocmask(oldset BAD)", syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, BAD, 8));
    show("prlimit64(old BAD)", syscall(SYS_prlimit64, 0, 3, 0, BAD));
    show("prlimit64(other pid)", syscall(SYS_prlimit64, 4242, 3, 0, buf));
    show("getdents64(stdout)", syscall(SYS_getdents64, 1, buf, sizeof buf));
    show("ioctl(1, TCGETS)", syscall(SYS_ioctl, 1, 0x5401, buf));
    show("ioctl(77, TCGETS)", syscall(SYS_ioctl, 77, 0x5401, buf));
    show("fcntl(1, 12345)", syscall(SYS_fcntl, 1, 12345, 0));
    show("futex(BAD, WAIT)", syscall(SYS_futex, BAD, 0, 0, 0, 0, 0));
    show("unknown syscall 4000", syscall(4000, 1, 2, 3));
    show("still alive", 0);
    return 0;
}
