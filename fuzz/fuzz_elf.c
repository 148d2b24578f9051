/*
 * Fuzz target: the ELF loader, rvvm_load_elf_memory on the input.
 *
 * A refused file gives a non-empty one-line reason and leaves a machine that
 * refuses to run; a loaded one runs a few thousand cycles, whatever it holds,
 * and saves a snapshot that inspects cleanly.
 */
#include "fuzz.h"

#include <string.h>

#include "rvvm/rvvm.h"
#include "rvvm/snapshot.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

static int64_t no_write(void *user, int fd, const void *buf, size_t len)
{
    (void)user, (void)fd, (void)buf;
    return (int64_t)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rvvm_config cfg;
    rvvm_config_init(&cfg);
    cfg.memory_size = 4ull << 20;
    rvvm_machine *m = NULL;
    FUZZ_CHECK(rvvm_create(&cfg, &m) == RVVM_OK, "rvvm_create");
    rvvm_set_io(m, fuzz_no_read, no_write, NULL);
    static const char *const argv[] = {"fuzz", "arg", NULL};
    static const char *const envp[] = {"A=1", NULL};
    rvvm_status st = rvvm_load_elf_memory(m, data, size, "/fuzz.elf", argv, envp);
    if (st != RVVM_OK) {
        const char *e = rvvm_last_error(m);
        FUZZ_CHECK(e && e[0], "refused (%s) without a reason", rvvm_status_string(st));
        FUZZ_CHECK(strchr(e, '\n') == NULL, "reason is not one line: %s", e);
        FUZZ_NOTE("  refused: %s", e);
        rvvm_run_result r;
        FUZZ_CHECK(rvvm_run(m, 100, &r) != RVVM_OK, "a machine that failed to load runs");
        rvvm_destroy(m);
        return 0;
    }
    rvvm_run_result r;
    st = rvvm_run(m, 5000, &r);
    FUZZ_CHECK(st == RVVM_OK, "run after a successful load: %s", rvvm_last_error(m));
    FUZZ_CHECK(rvvm_cycles(m) <= 5000, "ran %llu cycles on a budget of 5000",
               (unsigned long long)rvvm_cycles(m));
    FUZZ_NOTE("  loaded, ran %llu cycles (stop %d)", (unsigned long long)rvvm_cycles(m),
              (int)r.reason);
    if (r.reason == RVVM_STOP_CYCLE_LIMIT) {
        uint8_t *snap = NULL;
        size_t snap_size = 0;
        if (rvvm_snapshot_save_buffer(m, 0, &snap, &snap_size) == RVVM_OK) {
            rvvm_snapshot_info *info = NULL;
            char err[256];
            FUZZ_CHECK(rvvm_snapshot_inspect(snap, snap_size, &info, err, sizeof err) ==
                           RVVM_OK,
                       "own snapshot does not inspect: %s", err);
            FUZZ_CHECK(info->pc == rvvm_pc(m) && info->cycles == rvvm_cycles(m),
                       "snapshot disagrees with the machine");
            rvvm_snapshot_info_free(info);
            rvvm_buffer_free(snap);
        }
    }
    rvvm_destroy(m);
    return 0;
}
