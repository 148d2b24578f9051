/*
 * For the snapshot equivalence test: a glibc program that prints often,
 * allocates and frees, and reads a file in a granted directory in small
 * pieces, so splits land around every kind of system call.
 * Run with the directory holding data/numbers.txt granted as /data.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    int fd = open("/data/numbers.txt", O_RDONLY);
    if (fd < 0) {
        puts("cannot open /data/numbers.txt");
        return 1;
    }
    char buf[5];
    ssize_t n;
    unsigned long sum = 0, count = 0;
    char **kept = NULL;
    size_t nkept = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            sum = sum * 33 + (unsigned char)buf[i];
        /* Allocation churn: keep every third piece, free the rest. */
        char *piece = malloc((size_t)n + 1 + count % 97);
        memcpy(piece, buf, (size_t)n);
        piece[n] = '\0';
        if (count % 3 == 0) {
            kept = realloc(kept, (nkept + 1) * sizeof *kept);
            kept[nkept++] = piece;
        } else {
            free(piece);
        }
        if (++count % 8 == 0)
            printf("piece %lu sum %lx\n", count, sum);
    }
    close(fd);
    size_t total = 0;
    for (size_t i = 0; i < nkept; i++) {
        total += strlen(kept[i]);
        free(kept[i]);
    }
    free(kept);
    printf("pieces %lu kept %zu bytes %zu sum %lx\n", count, nkept, total, sum);
    return (int)(sum & 0x3f);
}
