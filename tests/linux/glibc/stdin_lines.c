/* Reading stdin line by line. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    char line[256];
    int n = 0;
    size_t total = 0;
    while (fgets(line, sizeof line, stdin)) {
        n++;
        total += strlen(line);
        printf("%3d: %s", n, line);
    }
    printf("%d lines, %zu bytes\n", n, total);
    return 0;
}
