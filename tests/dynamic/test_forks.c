/*
 * Checkpoints and forks of a dynamically linked program through the library
 * (the OS state's in-process copy carries the sysroot and the mapped files):
 * from a point inside ld.so, inside main and late, a restored run and a
 * forked child each end with the whole run's output, exit status and state
 * digest; a snapshot taken by a fork child resumes to the same end; and
 * loading without a sysroot is refused naming it.
 *
 * usage: test_forks SYSROOT ELF
 */
#include <rvvm/rvvm.h>
#include <rvvm/snapshot.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct out {
    char buf[1 << 16];
    size_t len;
} out;

static int64_t collect(void *user, int fd, const void *b, size_t n)
{
    out *o = user;
    (void)fd;
    if (o->len + n > sizeof o->buf)
        n = sizeof o->buf - o->len;
    memcpy(o->buf + o->len, b, n);
    o->len += n;
    return (int64_t)n;
}

static int fails;
#define CHECK(c, ...)                                                                              \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            printf("FAIL: " __VA_ARGS__);                                                          \
            printf("\n");                                                                          \
            fails++;                                                                               \
        }                                                                                          \
    } while (0)

typedef struct end {
    int code;
    uint64_t cycles;
    uint8_t digest[32];
} end;

/* Runs m to its end; its output goes to o (set with rvvm_set_io already). */
static end finish(rvvm_machine *m)
{
    end e = {-1, 0, {0}};
    rvvm_run_result r;
    if (rvvm_run(m, RVVM_NO_LIMIT, &r) == RVVM_OK && r.reason == RVVM_STOP_EXITED)
        e.code = r.exit_code;
    e.cycles = rvvm_cycles(m);
    rvvm_state_digest(m, e.digest);
    return e;
}

static rvvm_machine *load(const char *sysroot, const char *elf, out *o)
{
    rvvm_config c;
    rvvm_config_init(&c);
    rvvm_machine *m = NULL;
    if (rvvm_create(&c, &m) != RVVM_OK)
        return NULL;
    const char *argv[] = {elf, NULL};
    rvvm_set_io(m, NULL, collect, o);
    if ((sysroot && rvvm_set_sysroot(m, sysroot) != RVVM_OK) ||
        rvvm_load_elf_file(m, elf, argv, NULL) != RVVM_OK) {
        printf("load: %s\n", rvvm_last_error(m));
        rvvm_destroy(m);
        return NULL;
    }
    return m;
}

static bool same_end(const end *a, const end *b)
{
    return a->code == b->code && a->cycles == b->cycles && !memcmp(a->digest, b->digest, 32);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_forks SYSROOT ELF\n");
        return 2;
    }
    const char *sysroot = argv[1], *elf = argv[2];
    static out whole_out, o, child_out;
    rvvm_machine *m = load(sysroot, elf, &whole_out);
    if (!m)
        return 1;
    end whole = finish(m);
    rvvm_destroy(m);
    CHECK(whole.code == 0 && whole_out.len > 0, "the whole run: status %d, %zu bytes", whole.code,
          whole_out.len);

    /* No sysroot: refused, naming the way to give one. */
    rvvm_config c;
    rvvm_config_init(&c);
    CHECK(rvvm_create(&c, &m) == RVVM_OK, "create");
    const char *av[] = {elf, NULL};
    CHECK(rvvm_load_elf_file(m, elf, av, NULL) == RVVM_ERR_ELF &&
              strstr(rvvm_last_error(m), "sysroot"),
          "no sysroot: '%s'", rvvm_last_error(m));
    rvvm_destroy(m);

    const uint64_t points[] = {3000, whole.cycles / 10, whole.cycles / 2, whole.cycles - 10};
    for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
        uint64_t at = points[i];
        memset(&o, 0, sizeof o);
        m = load(sysroot, elf, &o);
        rvvm_run_result r;
        CHECK(m && rvvm_run(m, at, &r) == RVVM_OK && r.reason == RVVM_STOP_CYCLE_LIMIT,
              "run to %llu", (unsigned long long)at);
        if (!m)
            continue;
        size_t before = o.len;
        rvvm_checkpoint_id cp;
        CHECK(rvvm_checkpoint(m, &cp) == RVVM_OK, "checkpoint at %llu", (unsigned long long)at);
        end first = finish(m);
        CHECK(same_end(&first, &whole) && o.len == whole_out.len &&
                  !memcmp(o.buf, whole_out.buf, o.len),
              "run on from the checkpoint at %llu differs", (unsigned long long)at);
        CHECK(rvvm_restore(m, cp) == RVVM_OK, "restore to %llu", (unsigned long long)at);
        o.len = before;
        end again = finish(m);
        CHECK(same_end(&again, &whole) && o.len == whole_out.len &&
                  !memcmp(o.buf, whole_out.buf, o.len),
              "restored run from %llu differs", (unsigned long long)at);
        CHECK(rvvm_restore(m, cp) == RVVM_OK, "restore again to %llu", (unsigned long long)at);
        o.len = before;
        /* A child of the restored machine, and a snapshot it takes, end the same way. */
        rvvm_machine *child = NULL;
        CHECK(rvvm_fork(m, &child) == RVVM_OK, "fork at %llu", (unsigned long long)at);
        if (child) {
            memcpy(&child_out, &o, sizeof o);
            rvvm_set_io(child, NULL, collect, &child_out);
            uint8_t *snap = NULL;
            size_t size = 0;
            CHECK(rvvm_snapshot_save_buffer(child, 0, &snap, &size) == RVVM_OK, "child snapshot at %llu",
                  (unsigned long long)at);
            end ce = finish(child);
            CHECK(same_end(&ce, &whole) && child_out.len == whole_out.len &&
                      !memcmp(child_out.buf, whole_out.buf, child_out.len),
                  "forked child from %llu differs", (unsigned long long)at);
            rvvm_destroy(child);
            if (snap) {
                rvvm_resume_options ro;
                rvvm_resume_options_init(&ro);
                ro.sysroot = sysroot;
                rvvm_machine *r2 = NULL;
                char err[300];
                CHECK(rvvm_resume(snap, size, &ro, &r2, err, sizeof err) == RVVM_OK,
                      "resume the child's snapshot from %llu: %s", (unsigned long long)at, err);
                if (r2) {
                    memcpy(&child_out, &o, sizeof o);
                    rvvm_set_io(r2, NULL, collect, &child_out);
                    end re = finish(r2);
                    CHECK(same_end(&re, &whole) && child_out.len == whole_out.len &&
                              !memcmp(child_out.buf, whole_out.buf, child_out.len),
                          "resumed child snapshot from %llu differs", (unsigned long long)at);
                    rvvm_destroy(r2);
                }
                ro.sysroot = NULL;
                CHECK(rvvm_resume(snap, size, &ro, &r2, err, sizeof err) != RVVM_OK &&
                          strstr(err, "sysroot"),
                      "resume without a sysroot from %llu: '%s'", (unsigned long long)at, err);
                rvvm_buffer_free(snap);
            }
        }
        rvvm_destroy(m);
        printf("checkpoint, restore, fork and snapshot at cycle %llu of %llu: checked\n",
               (unsigned long long)at, (unsigned long long)whole.cycles);
    }
    printf("%d failures\n", fails);
    return fails != 0;
}
