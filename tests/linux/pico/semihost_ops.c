/*
 * Semihosting operations called one by one (picolibc's stdio uses only a
 * few): CLOCK, ELAPSED, TICKFREQ, TIME, ISTTY, ERRNO, ISERROR, WRITE0,
 * READC, HEAPINFO, FLEN, SEEK, REMOVE, RENAME, the extension features, and
 * finally the plain SYS_EXIT with a status. Run with --dir out:rw, stdin "Q".
 */
#include <errno.h>
#include <semihost.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    printf("tickfreq %lu\n", (unsigned long)sys_semihost_tickfreq());
    uint64_t e1 = sys_semihost_elapsed();
    for (volatile int i = 0; i < 1000; i++)
        ;
    uint64_t e2 = sys_semihost_elapsed();
    printf("elapsed advances: %s\n", e2 > e1 ? "yes" : "no");
    printf("clock in centiseconds, small: %s\n", sys_semihost_clock() < 100 ? "yes" : "no");
    printf("time %lu\n", (unsigned long)sys_semihost_time());
    printf("features: exit_extended %d, stdout_stderr %d\n",
           sys_semihost_feature(SH_EXT_EXIT_EXTENDED), sys_semihost_feature(SH_EXT_STDOUT_STDERR));
    int tt = sys_semihost_open(":tt", SH_OPEN_W);
    printf("istty(:tt) %d\n", sys_semihost_istty(tt));
    sys_semihost_write(tt, "written to :tt\n", 15);
    sys_semihost_write0("write0 works\n");
    printf("open missing: %d, errno %d\n", sys_semihost_open("out/missing", SH_OPEN_R),
           sys_semihost_errno());
    printf("iserror(-1) %d iserror(0) %d\n", sys_semihost_iserror(-1), sys_semihost_iserror(0));
    int fd = sys_semihost_open("out/f.txt", SH_OPEN_W_PLUS);
    sys_semihost_write(fd, "0123456789", 10);
    printf("istty(file) %d, flen %lu\n", sys_semihost_istty(fd), (unsigned long)sys_semihost_flen(fd));
    char buf[8] = {0};
    sys_semihost_seek(fd, 6);
    printf("read after seek(6): not read %d, \"%s\"\n", (int)sys_semihost_read(fd, buf, 4), buf);
    sys_semihost_close(fd);
    printf("close twice: %d\n", sys_semihost_close(fd));
    printf("rename %d, remove %d, remove again %d\n", sys_semihost_rename("out/f.txt", "out/g.txt"),
           sys_semihost_remove("out/g.txt"), sys_semihost_remove("out/g.txt"));
    printf("system %d\n", sys_semihost_system("ls"));
    int c = sys_semihost_getc(stdin);
    printf("readc '%c'\n", c);
    struct sys_semihost_block b;
    sys_semihost_heapinfo(&b);
    char *heap = b.heap_base;
    int usable = heap && b.heap_limit > b.heap_base && b.stack_base > b.stack_limit;
    if (usable) {
        heap[0] = 1;
        ((char *)b.heap_limit)[-1] = 2;
    }
    printf("heapinfo usable: %s\n", usable ? "yes" : "no");
    fflush(stdout);
    sys_semihost_exit(ADP_Stopped_ApplicationExit, 7);
}
