/* argv and the environment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *base = strrchr(argv[0], '/');
    printf("argc=%d argv0=%s\n", argc, base ? base + 1 : argv[0]);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=\"%s\"\n", i, argv[i]);
    /* Sorted: qemu-user hands the environment over in another order than Linux. */
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = malloc((n + 1) * sizeof *env);
    memcpy(env, environ, (n + 1) * sizeof *env);
    qsort(env, n, sizeof *env, cmp);
    for (size_t i = 0; i < n; i++)
        printf("env[%zu]=\"%s\"\n", i, env[i]);
    free(env);
    const char *v = getenv("ALPHA");
    printf("getenv(ALPHA)=%s\n", v ? v : "(null)");
    setenv("NEWVAR", "set", 1);
    printf("getenv(NEWVAR)=%s\n", getenv("NEWVAR"));
    return argc - 1;
}
