/* getrandom: deterministic bytes from the seed under rvvm. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

int main(void)
{
    unsigned char b[24];
    for (int round = 0; round < 3; round++) {
        ssize_t n = getrandom(b, sizeof b, 0);
        printf("%zd:", n);
        for (int i = 0; i < (int)sizeof b; i++)
            printf("%02x", b[i]);
        printf("\n");
    }
    ssize_t n = getrandom(b, 5, GRND_NONBLOCK);
    printf("nonblock %zd\n", n);
    errno = 0;
    n = getrandom(b, 4, 0x100);
    printf("bad flags: %zd %s\n", n, strerror(errno));
    return 0;
}
