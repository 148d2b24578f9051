/* String functions, qsort, bsearch, strtol and friends. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(void)
{
    char buf[128];
    strcpy(buf, "hello");
    strcat(buf, ", world");
    printf("%s len=%zu\n", buf, strlen(buf));
    printf("strcmp %d %d %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0, strcmp("x", "x"));
    printf("strncmp %d memcmp %d\n", strncmp("abcdef", "abcxyz", 3), memcmp("ab", "ac", 2) < 0);
    printf("strchr %s strrchr %s strstr %s\n", strchr(buf, 'o'), strrchr(buf, 'o'),
           strstr(buf, "wor"));
    memmove(buf + 2, buf, 5);
    printf("memmove %s\n", buf);
    char tok[] = "a,b,,c;d";
    for (char *t = strtok(tok, ",;"); t; t = strtok(NULL, ",;"))
        printf("tok=%s ", t);
    printf("\n");
    printf("strspn %zu strcspn %zu\n", strspn("aaabbc", "ab"), strcspn("hello", "l"));
    char *d = strdup("Duplicate");
    for (char *p = d; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    printf("%s\n", d);
    free(d);
    const char *volatile longer = "truncated string"; /* volatile: no truncation warning */
    int n = snprintf(buf, 8, "%s", longer);
    printf("snprintf %d '%s'\n", n, buf);

    const char *nums[] = {"42", "-17", "0x1f", "0777", "z", "123abc", "99999999999999999999"};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        char *end;
        errno = 0;
        long v = strtol(nums[i], &end, 0);
        printf("strtol(%s) = %ld rest='%s' errno=%d\n", nums[i], v, end, errno);
    }
    printf("strtoul(ff,16)=%lu atoi(-5)=%d atol=%ld\n", strtoul("ff", NULL, 16), atoi("-5"),
           atol("1234567890123"));

    int a[64];
    unsigned s = 12345;
    for (int i = 0; i < 64; i++) {
        s = s * 1103515245u + 12345u;
        a[i] = (int)(s >> 16) % 1000 - 500;
    }
    qsort(a, 64, sizeof a[0], cmp_int);
    for (int i = 0; i < 64; i++)
        printf("%d%c", a[i], i % 16 == 15 ? '\n' : ' ');
    int key = a[37];
    int *hit = bsearch(&key, a, 64, sizeof a[0], cmp_int);
    printf("bsearch %d found=%d\n", key, hit && *hit == key);
    const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date"};
    qsort(words, 6, sizeof words[0], cmp_str);
    for (int i = 0; i < 6; i++)
        printf("%s ", words[i]);
    printf("\n");
    return 0;
}
