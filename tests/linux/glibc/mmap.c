/* mmap, munmap, mprotect, mremap on anonymous memory; results without addresses. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PG 4096

static void report(const char *what, long r)
{
    printf("%-34s %s\n", what, r < 0 ? strerror(errno) : "ok");
}

int main(void)
{
    size_t len = 256 * PG;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    report("mmap 1 MiB", p == MAP_FAILED ? -1 : 0);
    if (p == MAP_FAILED)
        return 1;
    unsigned zero = 0;
    for (size_t i = 0; i < len; i += 512)
        zero += p[i];
    printf("fresh mapping reads zero: %s\n", zero == 0 ? "yes" : "no");
    for (size_t i = 0; i < len; i++)
        p[i] = (unsigned char)(i * 7);
    uint32_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum = sum * 31 + p[i];
    printf("checksum %08x\n", sum);

    report("mprotect read-only", mprotect(p, 16 * PG, PROT_READ));
    printf("still readable: %u\n", p[5]);
    report("mprotect back to rw", mprotect(p, 16 * PG, PROT_READ | PROT_WRITE));
    p[5] = 9;

    report("munmap a hole", munmap(p + 10 * PG, 4 * PG));
    void *q = mmap(p + 10 * PG, 4 * PG, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    report("MAP_FIXED into the hole", q == p + 10 * PG ? 0 : -1);
    printf("refilled hole is zero: %s, neighbour kept: %s\n", p[10 * PG + 100] == 0 ? "yes" : "no",
           p[9 * PG + 100] == (unsigned char)((9 * PG + 100) * 7) ? "yes" : "no");
    void *r = mmap(p, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    /* Linux says EEXIST; qemu-user 7 maps elsewhere. Either way nothing is replaced. */
    printf("MAP_FIXED_NOREPLACE keeps the mapping: %s\n",
           (r == MAP_FAILED || r != (void *)p) && p[5] == 9 ? "yes" : "no");

    unsigned char *n = mmap(NULL, 4 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    report("mmap PROT_NONE", n == MAP_FAILED ? -1 : 0);
    report("mprotect PROT_NONE to rw", mprotect(n, 4 * PG, PROT_READ | PROT_WRITE));
    n[3 * PG] = 1;

    unsigned char *g = mremap(p, len, 2 * len, MREMAP_MAYMOVE);
    report("mremap grow", g == MAP_FAILED ? -1 : 0);
    printf("content kept after mremap: %s\n",
           g[len - 1] == (unsigned char)((len - 1) * 7) && g[5] == 9 ? "yes" : "no");
    g[2 * len - 1] = 0xaa;
    g = mremap(g, 2 * len, PG, 0);
    report("mremap shrink", g == MAP_FAILED ? -1 : 0);
    printf("first byte after shrink: %u\n", g[0]);
    report("munmap", munmap(g, PG));
    report("munmap PROT_NONE block", munmap(n, 4 * PG));

    errno = 0;
    report("munmap unaligned (EINVAL)", munmap((char *)g + 1, PG));
    report("mmap length 0 (EINVAL)",
           mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0);
    report("mprotect unmapped (ENOMEM)", mprotect(g, PG, PROT_READ));
    report("mmap bad fd (EBADF)", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 77, 0) == MAP_FAILED ? -1 : 0);

    void *b0 = sbrk(0);
    void *b1 = sbrk(64 * PG);
    memset(b1, 0x5a, 64 * PG);
    printf("sbrk grew by 64 pages: %s\n", (char *)sbrk(0) - (char *)b0 == 64 * PG ? "yes" : "no");
    sbrk(-64 * PG);
    return 0;
}
