/* Syscall-bound workload: 2000 one-byte writes, stdin read one byte per
 * read() until EOF with each line echoed reversed, and an unknown
 * syscall that must fail with -ENOSYS. */
#include "rt.h"

static unsigned long nwrites, nreads;

static void write1(int fd, char c)
{
    if (sys_write(fd, &c, 1) != 1)
        sys_exit_group(3);
    nwrites++;
}

static void emit_line(unsigned lineno, const char *line, size_t len)
{
    char num[16];
    int n = rt_snprintf(num, sizeof num, "%u: ", lineno);
    for (int i = 0; i < n; i++)
        write1(1, num[i]);
    while (len > 0)
        write1(1, line[--len]);
    write1(1, '\n');
}

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    /* 1. many tiny writes */
    for (unsigned i = 0; i < 2000; i++)
        write1(1, i % 50 == 49 ? '\n' : (char)('a' + (i * 7) % 26));

    /* 2. unknown syscall numbers */
    long r = rt_syscall(999, 1, 2, 3, 4, 5, 6);
    rt_printf("syscall 999 -> %ld\n", r);
    if (r != -RT_ENOSYS)
        return 4;

    /* 3. stdin, one byte per read() */
    char line[256];
    size_t len = 0;
    unsigned lineno = 0;
    for (;;) {
        char c;
        long n = sys_read(0, &c, 1);
        if (n < 0) {
            rt_eprintf("read failed: %ld\n", n);
            return 5;
        }
        if (n == 0)
            break;
        nreads++;
        if (c == '\n' || len == sizeof line) {
            emit_line(++lineno, line, len);
            len = 0;
            if (c == '\n')
                continue;
        }
        line[len++] = c;
    }
    if (len > 0) /* last line without a newline */
        emit_line(++lineno, line, len);

    rt_printf("lines=%u bytes_read=%lu one_byte_writes=%lu\n", lineno, nreads, nwrites);
    return 0;
}
