/*
 * The OS layer's bounds on descriptors and mappings (README "Limits"): each
 * is a guest-visible error, after which the program goes on.
 *
 *   fds   open /dev/null until EMFILE: descriptors 3 .. 1023 (1021 opens),
 *         as RLIMIT_NOFILE (1024) says; dup2 to 1023 works and to 1024 is
 *         EBADF; F_DUPFD from 1024 is EINVAL; closing one lets one more open.
 *   maps  one-page mappings with a page between them until ENOMEM: the guest
 *         may hold 65536 separate ranges (adjacent ones count as one), those
 *         of the program and stack included: here the program image and the
 *         stack, a three-page mapping, and 65533 more. At the bound, punching a hole in a three-page
 *         mapping (which would split it) is ENOMEM as in Linux, unmapping a
 *         whole one frees a range for the next mmap, and the process goes on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static int fds(void)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    printf("RLIMIT_NOFILE %lu %lu\n", (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max);
    int n = 0, last = -1, fd;
    while ((fd = open("/dev/null", O_RDONLY)) >= 0) {
        n++;
        last = fd;
    }
    printf("opened %d, last fd %d, then %s\n", n, last, errno == EMFILE ? "EMFILE" : strerror(errno));
    printf("pipe: %s\n", pipe((int[2]){0, 0}) < 0 && errno == EMFILE ? "EMFILE" : "?");
    printf("dup2 to 1024: %s\n", dup2(0, 1024) < 0 && errno == EBADF ? "EBADF" : "?");
    printf("F_DUPFD 1024: %s\n", fcntl(0, F_DUPFD, 1024) < 0 && errno == EINVAL ? "EINVAL" : "?");
    close(500);
    printf("after close(500): open gives %d\n", open("/dev/null", O_RDONLY));
    printf("dup2 to 1023: %d\n", dup2(0, 1023));
    for (int i = 3; i < 1024; i++)
        close(i);
    printf("all closed: open gives %d\n", open("/dev/null", O_RDONLY));
    return 0;
}

static int maps(void)
{
    const unsigned long page = 4096, base = 0x10000000;
    /* A three-page mapping to punch a hole in later. */
    char *three = mmap((void *)(base - 16 * page), 3 * page, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (three == MAP_FAILED)
        return 1;
    long made = 0;
    for (;;) {
        void *p = mmap((void *)(base + 2 * page * (unsigned long)made), page, PROT_READ,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (p == MAP_FAILED) {
            printf("mapped %ld more one-page ranges, then %s\n", made,
                   errno == ENOMEM ? "ENOMEM" : strerror(errno));
            break;
        }
        made++;
        if (made > 100000) {
            printf("no bound\n");
            return 1;
        }
    }
    printf("punch a hole (split): %s\n",
           munmap(three + page, page) < 0 && errno == ENOMEM ? "ENOMEM" : "?");
    three[page] = 1; /* still mapped */
    printf("munmap a whole range: %d\n", munmap((void *)base, page));
    void *p = mmap((void *)base, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                   -1, 0);
    printf("map it again: %s\n", p == (void *)base ? "ok" : "failed");
    p = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("one more: %s\n", p == MAP_FAILED && errno == ENOMEM ? "ENOMEM" : "?");
    for (long i = 0; i < made; i++)
        munmap((void *)(base + 2 * page * (unsigned long)i), page);
    printf("after unmapping them: hole %d\n", munmap(three + page, page));
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 2 && !strcmp(argv[1], "fds"))
        return fds();
    if (argc == 2 && !strcmp(argv[1], "maps"))
        return maps();
    return 2;
}
