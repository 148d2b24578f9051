/* picolibc over semihosting: stdio to the console, exit status from main. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("Hello from picolibc, %d + %d = %d\n", 2, 40, 2 + 40);
    puts("puts works too");
    for (int i = 0; i < 3; i++)
        printf("line %d of %s\n", i, "three");
    return 0;
}
