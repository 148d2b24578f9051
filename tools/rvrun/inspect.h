/* rvrun --inspect: verify a snapshot and print its summary. */
#ifndef RVRUN_INSPECT_H
#define RVRUN_INSPECT_H

#include <stdbool.h>

/* Returns the process exit status: 0 if the snapshot is intact, 125 otherwise. */
int inspect_snapshot(const char *path, bool json);

#endif
