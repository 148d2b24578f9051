/*
 * Diff snapshots saved by one process (the library API): after every save,
 * full or diff, the next diff holds only pages changed after it (Firecracker
 * bug #4543 was a baseline that was not reset). dirty_k writes each page of
 * its array once, in order, so consecutive diffs share at most the page being
 * written at the split and the stack. The chain resumes (from its last file)
 * to the digest of an unsplit run, and a diff against a snapshot that is no
 * longer the baseline is refused.
 *
 * usage: test_chain DIRTY_K_ELF
 */
#include "rvvm/rvvm.h"
#include "rvvm/snapshot.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                                                         \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            printf("FAIL: " __VA_ARGS__);                                                        \
            printf("\n");                                                                        \
            failures++;                                                                          \
        }                                                                                        \
    } while (0)

static void die(const char *what)
{
    printf("FATAL: %s\n", what);
    exit(1);
}

static rvvm_machine *load(const char *elf)
{
    rvvm_machine *m;
    if (rvvm_create(NULL, &m) != RVVM_OK)
        die("rvvm_create");
    const char *argv[] = {elf, "512", NULL};
    if (rvvm_load_elf_file(m, elf, argv, NULL) != RVVM_OK)
        die(rvvm_last_error(m));
    return m;
}

static void run(rvvm_machine *m, uint64_t cycles, rvvm_stop_reason want)
{
    rvvm_run_result r;
    if (rvvm_run(m, cycles, &r) != RVVM_OK || r.reason != want)
        die("run did not stop as expected");
}

static rvvm_snapshot_info *inspect(const char *path)
{
    rvvm_snapshot_info *info;
    char err[300];
    if (rvvm_snapshot_inspect_file(path, &info, err, sizeof err) != RVVM_OK)
        die(err);
    return info;
}

/* Data pages both snapshots hold. */
static size_t common_data(const rvvm_snapshot_info *a, const rvvm_snapshot_info *b)
{
    size_t n = 0;
    for (size_t i = 0; i < a->page_count; i++)
        for (size_t j = 0; j < b->page_count; j++)
            n += a->pages[i].kind == RVVM_PAGE_DATA && b->pages[j].kind == RVVM_PAGE_DATA &&
                 a->pages[i].address == b->pages[j].address;
    return n;
}

static size_t data_count(const rvvm_snapshot_info *a)
{
    size_t n = 0;
    for (size_t i = 0; i < a->page_count; i++)
        n += a->pages[i].kind == RVVM_PAGE_DATA;
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        die("usage: test_chain DIRTY_K_ELF");
    char dir[] = "/tmp/rvvm-chain.XXXXXX";
    if (!mkdtemp(dir))
        die("mkdtemp");
    char path[5][4200];
    for (int i = 0; i < 5; i++)
        snprintf(path[i], sizeof path[i], "%s/c%d.snap", dir, i);

    uint8_t whole[32], split[32];
    rvvm_machine *m = load(argv[1]);
    run(m, RVVM_NO_LIMIT, RVVM_STOP_EXITED);
    rvvm_state_digest(m, whole);
    rvvm_destroy(m);

    const uint64_t step = 100000;
    m = load(argv[1]);
    CHECK(rvvm_snapshot_save_diff_file(m, path[0], path[1], 0) != RVVM_OK,
          "a diff with no baseline was accepted");
    run(m, step, RVVM_STOP_CYCLE_LIMIT);
    CHECK(rvvm_snapshot_save_file(m, path[0], 0) == RVVM_OK, "full save: %s", rvvm_last_error(m));
    for (int i = 1; i < 4; i++) {
        run(m, step, RVVM_STOP_CYCLE_LIMIT);
        CHECK(rvvm_snapshot_save_diff_file(m, path[i], path[i - 1], i == 2) == RVVM_OK,
              "diff %d: %s", i, rvvm_last_error(m));
    }
    /* The baseline is now c3: a diff against c2 is refused. */
    run(m, step, RVVM_STOP_CYCLE_LIMIT);
    CHECK(rvvm_snapshot_save_diff_file(m, path[4], path[2], 0) == RVVM_ERR_INVALID_ARGUMENT,
          "a diff against an older snapshot than the baseline was accepted");
    CHECK(access(path[4], F_OK) != 0, "a refused diff left a file");
    rvvm_destroy(m);

    rvvm_snapshot_info *info[4];
    for (int i = 0; i < 4; i++)
        info[i] = inspect(path[i]);
    for (int i = 1; i < 4; i++) {
        CHECK(info[i]->has_parent && info[i]->chain_depth == (uint32_t)i,
              "link %d: parent or depth wrong", i);
        CHECK(memcmp(info[i]->parent_checksum, info[i - 1]->checksum, 16) == 0,
              "link %d does not record its parent's checksum", i);
        size_t common = common_data(info[i], info[i - 1]);
        printf("link %d: %zu data pages, %zu shared with link %d\n", i, data_count(info[i]),
               common, i - 1);
        CHECK(common <= 3, "link %d repeats %zu data pages of link %d (baseline not reset)", i,
              common, i - 1);
        CHECK(data_count(info[i]) >= 20, "link %d holds too few pages to test anything", i);
    }
    for (int i = 0; i < 4; i++)
        rvvm_snapshot_info_free(info[i]);

    char err[300];
    rvvm_resume_options opt;
    rvvm_resume_options_init(&opt);
    CHECK(rvvm_resume_from_file(path[3], &opt, &m, err, sizeof err) == RVVM_OK, "resume: %s",
          err);
    if (m) {
        run(m, RVVM_NO_LIMIT, RVVM_STOP_EXITED);
        rvvm_state_digest(m, split);
        CHECK(memcmp(whole, split, 32) == 0, "the chain ends with another digest");
        rvvm_destroy(m);
    }
    for (int i = 0; i < 5; i++)
        unlink(path[i]);
    rmdir(dir);
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
