/*
 * symcheck PROG NAME...: loads PROG (without running it) and prints, for each
 * NAME, "NAME ADDRESS" in hex as rvvm_symbol finds it, or "NAME -" when it
 * reports RVVM_ERR_NOT_FOUND. run_cases.py compares this with nm.
 */
#include <inttypes.h>
#include <stdio.h>

#include "rvvm/rvvm.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: symcheck PROG NAME...\n");
        return 2;
    }
    rvvm_machine *m = NULL;
    if (rvvm_create(NULL, &m) != RVVM_OK)
        return 2;
    if (rvvm_load_elf_file(m, argv[1], NULL, NULL) != RVVM_OK) {
        fprintf(stderr, "symcheck: %s\n", rvvm_last_error(m));
        rvvm_destroy(m);
        return 2;
    }
    int rc = 0;
    for (int i = 2; i < argc; i++) {
        uint64_t addr;
        rvvm_status st = rvvm_symbol(m, argv[i], &addr);
        if (st == RVVM_OK)
            printf("%s %" PRIx64 "\n", argv[i], addr);
        else if (st == RVVM_ERR_NOT_FOUND)
            printf("%s -\n", argv[i]);
        else
            rc = 2;
    }
    rvvm_destroy(m);
    return rc;
}
