/* Prints argc, argv and envp; exits with argc. argv[0] is printed as a
 * basename because its directory depends on where the test runs. The
 * environment is printed sorted: qemu-user passes it in reverse order. */
#include "rt.h"

int main(int argc, char **argv, char **envp)
{
    rt_printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        rt_printf("argv[%d]=%s\n", i, i == 0 ? path_basename(argv[i]) : argv[i]);
    if (argv[argc] != NULL) {
        put_str("argv not NULL-terminated\n");
        return 100;
    }
    enum { MAX_ENV = 64 };
    const char *env[MAX_ENV];
    int envc = 0;
    for (char **e = envp; *e; e++) {
        if (envc == MAX_ENV) {
            put_str("too many environment variables\n");
            return 101;
        }
        /* insertion sort */
        int j = envc++;
        while (j > 0 && strcmp(env[j - 1], *e) > 0) {
            env[j] = env[j - 1];
            j--;
        }
        env[j] = *e;
    }
    for (int i = 0; i < envc; i++)
        rt_printf("env: %s\n", env[i]);
    rt_printf("envc=%d\n", envc);
    return argc;
}
