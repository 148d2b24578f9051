/*
 * A scratch directory tree for the targets that give the guest host files:
 *
 *   BASE/grant    granted read-write; rebuilt before every input
 *   BASE/ro       granted read-only
 *   BASE/outside  never granted; a symbolic link in grant points at it
 *
 * grant holds a.txt, d/x.txt, a FIFO (opening it must not block the VM),
 * link -> ../outside (relative) and abs -> BASE/outside/secret.txt.
 * fuzz_sandbox_check() verifies that nothing outside the grant changed.
 */
#ifndef RVVM_FUZZ_SANDBOX_H
#define RVVM_FUZZ_SANDBOX_H

typedef struct fuzz_sandbox {
    char base[256], grant[300], ro[300], outside[300];
} fuzz_sandbox;

/* Creates the tree under a fresh directory in /tmp named after `tag`; aborts on failure. */
void fuzz_sandbox_init(fuzz_sandbox *s, const char *tag);

/* Empties grant and puts its fixtures back. */
void fuzz_sandbox_reset(const fuzz_sandbox *s);

/* Aborts, naming the difference, if ro, outside or BASE itself changed. */
void fuzz_sandbox_check(const fuzz_sandbox *s);

#endif
