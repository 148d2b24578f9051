/* rvrun --profile: runs the profiler and writes its two files. */
#include "profile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/debug/profile.h"

int rvrun_profile(rvvm_machine *m, const char *path, uint64_t max_cycles, rvvm_run_result *res)
{
    size_t n = strlen(path);
    char *txt = malloc(n + 5);
    if (!txt) {
        fprintf(stderr, "rvrun: --profile: out of memory\n");
        return -1;
    }
    memcpy(txt, path, n);
    memcpy(txt + n, ".txt", 5);
    /* Open both files first: a bad path is reported before the program runs. */
    FILE *folded = fopen(path, "w"), *flat = folded ? fopen(txt, "w") : NULL;
    if (!folded || !flat) {
        fprintf(stderr, "rvrun: cannot write profile '%s': %s\n", !folded ? path : txt,
                strerror(errno));
        if (folded)
            fclose(folded);
        free(txt);
        return -1;
    }
    int rc = 0;
    rv_profile *p = rv_profile_create(m);
    rvvm_status st = p ? rv_profile_run(p, max_cycles, res) : RVVM_ERR_NO_MEMORY;
    if (st != RVVM_OK) {
        fprintf(stderr, "rvrun: --profile: %s\n",
                p && rvvm_last_error(m)[0] ? rvvm_last_error(m) : rvvm_status_string(st));
        rc = -1;
    } else if (!rv_profile_write(p, folded, flat)) {
        rc = -1;
    }
    bool closed = fclose(folded) == 0;
    closed = fclose(flat) == 0 && closed;
    if (!closed || (rc && st == RVVM_OK)) {
        fprintf(stderr, "rvrun: cannot write profile '%s'\n", path);
        rc = -1;
    }
    free(txt);
    rv_profile_destroy(p);
    return rc;
}
