/*
 * The guest behind the snapshot seed corpus (fuzz/corpus/snapshot/): it
 * builds up the state a snapshot carries -- open files and a directory in
 * granted directories, a duplicated descriptor, a changed working
 * directory, anonymous mappings with a hole and a read-only page, a grown
 * break, dirty pages, FP registers -- then computes for a while, so that
 * snapshots taken at several cycle counts hold different amounts of it.
 * Expects the fuzz sandbox at /data (read-write: a.txt, d/x.txt) and /ro
 * (read-only: r.txt); see fuzz/sandbox.h.
 */
#include "../../tests/guests/rt.h"

enum {
    NR_getcwd = 17, NR_dup = 23, NR_chdir = 49, NR_openat = 56, NR_getdents64 = 61,
    NR_lseek = 62, NR_brk = 214, NR_munmap = 215, NR_mmap = 222, NR_mprotect = 226,
    NR_getrandom = 278,
};
#define AT_FDCWD (-100)
#define O_RDONLY 0
#define O_RDWR 2
#define O_DIRECTORY 0200000

static unsigned char table[3 * 4096];

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    char buf[256];
    long a = rt_syscall(NR_openat, AT_FDCWD, (long)"/data/a.txt", O_RDWR, 0, 0, 0);
    long n = sys_read((int)a, buf, 5);
    long d = rt_syscall(NR_openat, AT_FDCWD, (long)"/data/d", O_RDONLY | O_DIRECTORY, 0, 0, 0);
    long ents = rt_syscall(NR_getdents64, d, (long)buf, sizeof buf, 0, 0, 0);
    long r = rt_syscall(NR_openat, AT_FDCWD, (long)"/ro/r.txt", O_RDONLY, 0, 0, 0);
    rt_syscall(NR_lseek, r, 3, 0, 0, 0, 0);
    long dup = rt_syscall(NR_dup, a, 0, 0, 0, 0, 0);
    rt_syscall(NR_chdir, (long)"/data/d", 0, 0, 0, 0, 0);
    rt_syscall(NR_getcwd, (long)buf, sizeof buf, 0, 0, 0, 0);
    rt_printf("fds %ld %ld %ld %ld, read %ld, dirents %ld\n", a, d, r, dup, n, ents);

    char *map = (char *)rt_syscall(NR_mmap, 0, 4 * 4096, 3, 0x22, -1, 0);
    for (int i = 0; i < 4; i++)
        map[i * 4096] = (char)(i + 1);
    rt_syscall(NR_munmap, (long)(map + 4096), 4096, 0, 0, 0, 0);
    rt_syscall(NR_mprotect, (long)(map + 3 * 4096), 4096, 1, 0, 0, 0);
    long brk0 = rt_syscall(NR_brk, 0, 0, 0, 0, 0, 0);
    char *heap = (char *)brk0;
    rt_syscall(NR_brk, brk0 + 3 * 4096, 0, 0, 0, 0, 0);
    heap[100] = 'h';
    rt_syscall(NR_getrandom, (long)buf, 16, 0, 0, 0, 0);

    volatile double x = 1.0;
    uint32_t h = 2166136261u;
    for (unsigned round = 0; round < 8; round++) {
        for (unsigned i = 0; i < sizeof table; i++) {
            h = (h ^ (uint8_t)(i + round)) * 16777619u;
            table[i] = (unsigned char)h;
        }
        x = x * 1.5 + 0.25;
        rt_printf("round %u %08x\n", round, (unsigned)h);
    }
    sys_write((int)a, "done\n", 5);
    rt_printf("end %08x %d\n", (unsigned)h, (int)x);
    return 0;
}
