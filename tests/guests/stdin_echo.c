/* Copies stdin to stdout, uppercasing ASCII letters, until EOF. */
#include "rt.h"

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    char buf[64];
    for (;;) {
        long n = sys_read(0, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0) {
            rt_eprintf("read failed: %ld\n", n);
            return 1;
        }
        for (long i = 0; i < n; i++) {
            if (buf[i] >= 'a' && buf[i] <= 'z')
                buf[i] = (char)(buf[i] - 'a' + 'A');
        }
        write_all(1, buf, (size_t)n);
    }
}
