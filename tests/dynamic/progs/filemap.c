/*
 * Private file mappings as ld.so makes them, and more: read-only and
 * copy-on-write mappings at offsets, MAP_FIXED over an earlier mapping,
 * the zero tail of the last page, mprotect, munmap and mapping again. The
 * file is the sysroot's libc.so.6 (qemu-riscv64 -L finds it too). Prints
 * FNV-1a hashes of what it reads, never addresses.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PG 4096

static uint64_t fnv(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static unsigned char *file_bytes(int fd, size_t off, size_t n)
{
    unsigned char *b = calloc(1, n ? n : 1);
    for (size_t got = 0; got < n;) { /* reads may be short (rvvm: at most 1 MiB a call) */
        ssize_t r = pread(fd, b + got, n - got, (off_t)(off + got));
        if (r <= 0)
            exit(2);
        got += (size_t)r;
    }
    return b;
}

static void same(const char *what, const unsigned char *mem, const unsigned char *want, size_t n)
{
    printf("%-44s %016llx %s\n", what, (unsigned long long)fnv(mem, n),
           memcmp(mem, want, n) == 0 ? "= file" : "!= file");
}

int main(void)
{
    const char *path = "/lib/libc.so.6";
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(path);
        return 1;
    }
    size_t size = (size_t)st.st_size, pages = (size + PG - 1) / PG;
    printf("size %zu, %zu pages, last page holds %zu bytes\n", size, pages, size % PG);
    unsigned char *whole = file_bytes(fd, 0, size);

    /* The whole file read-only, as ld.so maps a library first. */
    unsigned char *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED)
        return 3;
    same("whole file, PROT_READ", p, whole, size);
    size_t tail = pages * PG - size, zeros = 0;
    for (size_t i = 0; i < tail; i++)
        zeros += p[size + i] == 0;
    printf("tail of the last page: %zu of %zu bytes zero\n", zeros, tail);

    /* MAP_FIXED over pages 3..5 with the file's pages 100..102, writable (copy-on-write). */
    unsigned char *q = mmap(p + 3 * PG, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd,
                            100 * PG);
    printf("MAP_FIXED at the same address: %s\n", q == p + 3 * PG ? "yes" : "no");
    same("pages 3..5 now hold file pages 100..102", q, whole + 100 * PG, 3 * PG);
    same("pages 0..2 unchanged", p, whole, 3 * PG);
    same("pages 6.. unchanged", p + 6 * PG, whole + 6 * PG, size - 6 * PG);
    memset(q + PG, 0x5a, 100);
    q[3 * PG - 1] ^= 0xff;
    unsigned char *again = file_bytes(fd, 100 * PG, 3 * PG);
    same("the file after writing the private copy", again, whole + 100 * PG, 3 * PG);
    printf("the copy after writing: %016llx\n", (unsigned long long)fnv(q, 3 * PG));
    free(again);

    /* mprotect a read-only file page writable, write, then back to read-only. */
    printf("mprotect RW: %d\n", mprotect(p + 10 * PG, PG, PROT_READ | PROT_WRITE));
    p[10 * PG + 7] = 'X';
    printf("mprotect R: %d\n", mprotect(p + 10 * PG, PG, PROT_READ));
    printf("written page: %016llx (byte %c)\n", (unsigned long long)fnv(p + 10 * PG, PG),
           p[10 * PG + 7]);

    /* An offset mapping of the last two pages' worth: one partial page, one past the end. */
    size_t last = (pages - 1) * PG;
    unsigned char *r = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, (off_t)last);
    if (r == MAP_FAILED)
        return 4;
    same("last page at an offset", r, whole + last, size - last);
    zeros = 0;
    for (size_t i = size - last; i < PG; i++)
        zeros += r[i] == 0;
    printf("its tail: %zu zero bytes\n", zeros);

    /* Unmap a hole, map it again from another offset, unmap everything. */
    printf("munmap pages 20..29: %d\n", munmap(p + 20 * PG, 10 * PG));
    unsigned char *s = mmap(p + 20 * PG, 10 * PG, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED,
                            fd, 200 * PG);
    same("the hole refilled with pages 200..209", s, whole + 200 * PG, 10 * PG);
    close(fd); /* mappings outlive the descriptor */
    same("after close, pages 30..39", p + 30 * PG, whole + 30 * PG, 10 * PG);
    uint64_t sum = 0;
    for (int round = 0; round < 40; round++) /* some work after the mappings, for snapshots */
        sum += fnv(p + (size_t)(round % 250) * PG, PG) ^ fnv(q, 3 * PG);
    printf("work: %016llx\n", (unsigned long long)sum);
    printf("munmap all: %d %d %d\n", munmap(p, size), munmap(r, 2 * PG), munmap(q, 0) == -1);
    free(whole);
    return 0;
}
