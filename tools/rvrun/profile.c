/* rvrun --profile: runs the profiler and writes its two files. */
#include "profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/debug/profile.h"

int rvrun_profile(rvvm_machine *m, const char *path, uint64_t max_cycles, rvvm_run_result *res)
{
    rv_profile *p = rv_profile_create(m);
    if (!p) {
        fprintf(stderr, "rvrun: --profile: out of memory\n");
        return -1;
    }
    if (rv_profile_run(p, max_cycles, res) != RVVM_OK) {
        fprintf(stderr, "rvrun: %s\n", rvvm_last_error(m)[0] ? rvvm_last_error(m)
                                                               : "--profile: out of memory");
        rv_profile_destroy(p);
        return -1;
    }
    size_t n = strlen(path);
    char *txt = malloc(n + 5);
    if (!txt) {
        rv_profile_destroy(p);
        return -1;
    }
    memcpy(txt, path, n);
    memcpy(txt + n, ".txt", 5);
    FILE *folded = fopen(path, "w"), *flat = fopen(txt, "w");
    int rc = 0;
    if (!folded || !flat) {
        fprintf(stderr, "rvrun: cannot write profile '%s': %s\n", !folded ? path : txt,
                strerror(errno));
        rc = -1;
    } else if (!rv_profile_write(p, folded, flat)) {
        rc = -1;
    }
    if (folded && fclose(folded) != 0)
        rc = -1;
    if (flat && fclose(flat) != 0)
        rc = -1;
    if (rc && folded && flat)
        fprintf(stderr, "rvrun: cannot write profile '%s'\n", path);
    free(txt);
    rv_profile_destroy(p);
    return rc;
}
