/* Exit statuses through exit() and through returning from main. */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[2], "exit") == 0)
        exit(atoi(argv[1]));
    return argc > 1 ? atoi(argv[1]) : 0;
}
