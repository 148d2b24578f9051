/*
 * A guest that holds files open beneath two granted directories across a
 * snapshot: /data/in.txt read byte by byte, /out/log.txt written, and /data
 * itself open as a directory. Run with --dir DATA:/data --dir OUT:/out:rw.
 * Prints "done" and a hash of everything it read.
 */
#include "rt.h"

enum { SYS_OPENAT = 56, AT_FDCWD = -100, O_WRONLY = 01, O_CREAT = 0100, O_TRUNC = 01000,
       O_DIRECTORY = 0200000 };

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    long in = rt_syscall(SYS_OPENAT, AT_FDCWD, (long)"/data/in.txt", 0, 0, 0, 0);
    long out = rt_syscall(SYS_OPENAT, AT_FDCWD, (long)"/out/log.txt",
                          O_WRONLY | O_CREAT | O_TRUNC, 0644, 0, 0);
    long dir = rt_syscall(SYS_OPENAT, AT_FDCWD, (long)"/data", O_DIRECTORY, 0, 0, 0);
    if (in < 0 || out < 0 || dir < 0) {
        put_str("cannot open the files\n");
        return 1;
    }
    char c;
    uint64_t acc = 1469598103934665603ull;
    while (sys_read((int)in, &c, 1) == 1) {
        /* Work between reads, so snapshots land mid-file. */
        for (int k = 0; k < 500; k++)
            acc = (acc ^ (uint8_t)c ^ (uint64_t)k) * 1099511628211ull;
        sys_write((int)out, &acc, sizeof acc);
    }
    put_str("done ");
    put_hex(acc);
    put_char('\n');
    return 0;
}
