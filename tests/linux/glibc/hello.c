/* stdio and printf of integers and strings. */
#include <stdio.h>

int main(void)
{
    printf("Hello, world!\n");
    for (int i = -3; i <= 3; i++)
        printf("%d %u %x %ld %05d|%-4d|%+d\n", i, (unsigned)i * 7u, (unsigned)(i * 255),
               (long)i * 1000000000L, i, i, i);
    printf("%s %c %p %lld %llu\n", "str", 'c', (void *)0, -9223372036854775807LL - 1,
           18446744073709551615ULL);
    printf("[%10s][%-10s][%.3s]\n", "right", "left", "truncate");
    puts("puts line");
    putchar('!');
    putchar('\n');
    fprintf(stderr, "to stderr\n");
    return 0;
}
