/* Files through semihosting (SYS_OPEN, READ, WRITE, SEEK, FLEN, CLOSE) in granted directories. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    FILE *f = fopen("data/in.txt", "r");
    if (!f) {
        printf("cannot open data/in.txt: %d\n", errno);
        return 1;
    }
    char line[64];
    while (fgets(line, sizeof line, f))
        printf("read: %s", line);
    fclose(f);

    f = fopen("out/pico.txt", "w");
    if (!f) {
        printf("cannot create out/pico.txt: %d\n", errno);
        return 1;
    }
    for (int i = 0; i < 4; i++)
        fprintf(f, "pico line %d\n", i);
    fclose(f);
    f = fopen("out/pico.txt", "r");
    fseek(f, 0, SEEK_END);
    printf("length %ld\n", ftell(f));
    fseek(f, 12, SEEK_SET);
    if (fgets(line, sizeof line, f))
        printf("from offset 12: %s", line);
    fclose(f);

    printf("outside the grants: %s\n", fopen("outside/secret.txt", "r") ? "opened!" : "refused");
    printf("escape with ..: %s\n", fopen("data/../outside/secret.txt", "r") ? "opened!" : "refused");
    printf("write in read-only grant: %s\n", fopen("data/new.txt", "w") ? "opened!" : "refused");
    return 0;
}
