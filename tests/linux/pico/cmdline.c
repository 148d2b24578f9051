/*
 * argv from SYS_GET_CMDLINE (needs picolibc's crt0-semihost) and the clock.
 * The command line holds the program name too, as the semihosting
 * specification and qemu have it; picolibc 1.8's crt0 puts a placeholder in
 * argv[0] and then the whole command line, so only the last two arguments
 * are printed here.
 */
#include <stdio.h>
#include <time.h>

int main(int argc, char **argv)
{
    printf("at least 3 arguments: %s\n", argc >= 3 ? "yes" : "no");
    if (argc >= 3)
        printf("last two: %s %s\n", argv[argc - 2], argv[argc - 1]);
    time_t t = time(NULL);
    printf("time after 2024: %s\n", t >= 1704067200 ? "yes" : "no");
    return 0;
}
