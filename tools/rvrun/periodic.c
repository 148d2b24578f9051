/*
 * Periodic in-memory checkpoints and failure replay (docs/checkpoints.md).
 *
 * The fast run keeps the last K checkpoints (rvvm_checkpoint: each costs the
 * pages written since the one before) and a log of the guest's console I/O
 * since the oldest: every read's result and bytes, every write's result.
 * When the run fails, the oldest checkpoint is restored in place and the
 * window replayed one instruction at a time with the trace on. The replay
 * gets its console results from the log: the guest reads the same bytes,
 * and nothing it writes reaches the terminal a second time.
 */
#include "periodic.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rvvm/snapshot.h"
#include "trace.h"

#define EXIT_RVRUN_ERROR 125

typedef struct io_entry {
    int fd;
    bool is_read;
    int64_t result;
    size_t data; /* offset of a read's bytes in the data log */
} io_entry;

typedef struct kept {
    rvvm_checkpoint_id id;
    uint64_t cycles;
} kept;

struct rvrun_periodic {
    rvvm_machine *m;
    unsigned keep, count;
    kept *ring; /* ring[0] is the oldest */
    io_entry *log;
    size_t nlog, caplog, next; /* next: the replay's position */
    size_t *marks;             /* log length when each kept checkpoint was taken */
    uint8_t *data;
    size_t ndata, capdata;
    bool replaying, diverged, oom;
    const char *dir; /* --checkpoint-dir, or NULL */
    unsigned flags;
    unsigned files;
    char last[4096]; /* the chain's newest file */
};

static bool log_io(rvrun_periodic *p, int fd, bool is_read, int64_t result, const void *bytes)
{
    size_t n = is_read && result > 0 ? (size_t)result : 0;
    if (p->nlog == p->caplog) {
        size_t cap = p->caplog ? 2 * p->caplog : 256;
        io_entry *l = realloc(p->log, cap * sizeof *l);
        if (!l)
            return false;
        p->log = l, p->caplog = cap;
    }
    if (p->ndata + n > p->capdata) {
        size_t cap = p->capdata ? 2 * p->capdata : 4096;
        while (cap < p->ndata + n)
            cap *= 2;
        uint8_t *d = realloc(p->data, cap);
        if (!d)
            return false;
        p->data = d, p->capdata = cap;
    }
    if (n)
        memcpy(p->data + p->ndata, bytes, n);
    p->log[p->nlog++] = (io_entry){fd, is_read, result, p->ndata};
    p->ndata += n;
    return true;
}

/* The replay's answer: the logged result of the same call in the first run. */
static const io_entry *replay_io(rvrun_periodic *p, int fd, bool is_read)
{
    if (p->next >= p->nlog || p->log[p->next].fd != fd || p->log[p->next].is_read != is_read) {
        p->diverged = true;
        return NULL;
    }
    return &p->log[p->next++];
}

static int64_t rec_read(void *user, int fd, void *buf, size_t len)
{
    rvrun_periodic *p = user;
    if (p->replaying) {
        const io_entry *e = replay_io(p, fd, true);
        if (!e)
            return -EIO;
        if (e->result > 0)
            memcpy(buf, p->data + e->data, (size_t)e->result);
        return e->result;
    }
    ssize_t n;
    do
        n = read(fd, buf, len);
    while (n < 0 && errno == EINTR);
    int64_t r = n < 0 ? -errno : n;
    if (!log_io(p, fd, true, r, buf))
        p->oom = true;
    return r;
}

static int64_t rec_write(void *user, int fd, const void *buf, size_t len)
{
    rvrun_periodic *p = user;
    if (p->replaying) {
        const io_entry *e = replay_io(p, fd, false);
        return e ? e->result : (int64_t)len;
    }
    size_t done = 0;
    int64_t r = 0;
    while (done < len) {
        ssize_t n = write(fd, (const char *)buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            r = done ? (int64_t)done : -(int64_t)(n < 0 ? errno : EIO);
            break;
        }
        done += (size_t)n;
        r = (int64_t)done;
    }
    if (!log_io(p, fd, false, r, NULL))
        p->oom = true;
    return r;
}

rvrun_periodic *rvrun_periodic_create(rvvm_machine *m, unsigned keep, const char *dir,
                                      unsigned snapshot_flags)
{
    if (dir && mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "rvrun: --checkpoint-dir: cannot create '%s': %s\n", dir, strerror(errno));
        return NULL;
    }
    rvrun_periodic *p = calloc(1, sizeof *p);
    if (p) {
        p->ring = calloc(keep, sizeof *p->ring);
        p->marks = calloc(keep, sizeof *p->marks);
    }
    if (!p || !p->ring || !p->marks) {
        fprintf(stderr, "rvrun: out of memory for --checkpoint-every\n");
        rvrun_periodic_destroy(p);
        return NULL;
    }
    p->m = m;
    p->keep = keep;
    p->dir = dir;
    p->flags = snapshot_flags;
    rvvm_set_io(m, rec_read, rec_write, p);
    if (rvrun_periodic_take(p) != 0) {
        rvvm_set_io(m, NULL, NULL, NULL);
        rvrun_periodic_destroy(p);
        return NULL;
    }
    return p;
}

/*
 * The next link of the on-disk chain: a diff against the newest file, or a
 * full snapshot first. A diff is refused when the machine was saved
 * elsewhere since (--snapshot-on-request); the chain then starts again with
 * a full file.
 */
static int write_link(rvrun_periodic *p)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/ckpt-%06u.snap", p->dir, p->files) >= (int)sizeof path) {
        fprintf(stderr, "rvrun: --checkpoint-dir: path too long\n");
        return EXIT_RVRUN_ERROR;
    }
    if (!p->files || rvvm_snapshot_save_diff_file(p->m, path, p->last, p->flags) != RVVM_OK) {
        if (rvvm_snapshot_save_file(p->m, path, p->flags) != RVVM_OK) {
            fprintf(stderr, "rvrun: --checkpoint-dir: %s\n", rvvm_last_error(p->m));
            return EXIT_RVRUN_ERROR;
        }
    }
    memcpy(p->last, path, sizeof path);
    p->files++;
    return 0;
}

int rvrun_periodic_take(rvrun_periodic *p)
{
    if (p->dir) {
        int rc = write_link(p);
        if (rc)
            return rc;
    }
    if (p->oom) {
        fprintf(stderr, "rvrun: out of memory for the console log of --checkpoint-every\n");
        return EXIT_RVRUN_ERROR;
    }
    rvvm_checkpoint_id id;
    if (rvvm_checkpoint(p->m, &id) != RVVM_OK) {
        fprintf(stderr, "rvrun: checkpoint at cycle %" PRIu64 ": %s\n", rvvm_cycles(p->m),
                rvvm_last_error(p->m));
        return EXIT_RVRUN_ERROR;
    }
    if (p->count == p->keep) {
        rvvm_checkpoint_free(p->m, p->ring[0].id);
        memmove(p->ring, p->ring + 1, (p->keep - 1) * sizeof *p->ring);
        memmove(p->marks, p->marks + 1, (p->keep - 1) * sizeof *p->marks);
        p->count--;
        /* Forget the I/O before the new oldest checkpoint (K = 1: this one). */
        size_t drop = p->count ? p->marks[0] : p->nlog;
        size_t bytes = drop < p->nlog ? p->log[drop].data : p->ndata;
        if (drop)
            memmove(p->log, p->log + drop, (p->nlog - drop) * sizeof *p->log);
        p->nlog -= drop;
        for (size_t i = 0; i < p->nlog; i++)
            p->log[i].data -= bytes;
        if (bytes)
            memmove(p->data, p->data + bytes, p->ndata - bytes);
        p->ndata -= bytes;
        for (unsigned i = 0; i < p->count; i++)
            p->marks[i] -= drop;
    }
    p->ring[p->count] = (kept){id, rvvm_cycles(p->m)};
    p->marks[p->count] = p->nlog;
    p->count++;
    return 0;
}

static const char *reason_name(const rvvm_run_result *res, bool interrupted)
{
    if (interrupted)
        return "interrupted";
    return res->reason == RVVM_STOP_FAULT ? "fault" : "exited";
}

static int fail_io(const char *what, const char *path)
{
    fprintf(stderr, "rvrun: --failure-dir: cannot write %s '%s': %s\n", what, path,
            strerror(errno));
    return EXIT_RVRUN_ERROR;
}

int rvrun_periodic_failure(rvrun_periodic *p, const char *dir, const rvvm_run_result *res,
                           unsigned snapshot_flags)
{
    rvvm_machine *m = p->m;
    bool interrupted = res->reason == RVVM_STOP_CYCLE_LIMIT;
    uint64_t fail_cycles = rvvm_cycles(m);
    uint8_t want[32], got[32];
    if (rvvm_state_digest(m, want) != RVVM_OK || p->count == 0)
        return EXIT_RVRUN_ERROR;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return fail_io("directory", dir);
    char path[4096];
    kept cp = p->ring[0];
    if (rvvm_restore(m, cp.id) != RVVM_OK) {
        fprintf(stderr, "rvrun: --failure-dir: cannot restore the checkpoint at cycle %" PRIu64
                ": %s\n", cp.cycles, rvvm_last_error(m));
        return EXIT_RVRUN_ERROR;
    }
    p->count = 1; /* restoring discarded the newer ones */
    snprintf(path, sizeof path, "%s/checkpoint.snap", dir);
    if (rvvm_snapshot_save_file(m, path, snapshot_flags) != RVVM_OK) {
        fprintf(stderr, "rvrun: --failure-dir: %s\n", rvvm_last_error(m));
        return EXIT_RVRUN_ERROR;
    }

    snprintf(path, sizeof path, "%s/stdin", dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        return fail_io("the guest's input", path);
    for (size_t i = 0; i < p->nlog; i++)
        if (p->log[i].is_read && p->log[i].fd == 0 && p->log[i].result > 0)
            fwrite(p->data + p->log[i].data, 1, (size_t)p->log[i].result, f);
    if (fclose(f) != 0)
        return fail_io("the guest's input", path);

    /* The replay: the same window, one instruction at a time, traced. An
     * exit or fault ends it by itself; the slack only bounds a replay that
     * went another way (a host file changed under --dir, say). */
    snprintf(path, sizeof path, "%s/trace.txt", dir);
    f = fopen(path, "w");
    if (!f)
        return fail_io("the trace", path);
    uint64_t window = fail_cycles - cp.cycles;
    uint64_t budget = interrupted ? window : window + (1ull << 24);
    rvvm_set_trace(m, NULL, NULL);
    p->replaying = true;
    p->next = 0;
    rvvm_run_result again;
    rvvm_status st = rvrun_trace(m, f, 0, budget, &again);
    p->replaying = false;
    if (fclose(f) != 0)
        return fail_io("the trace", path);
    if (st != RVVM_OK) {
        fprintf(stderr, "rvrun: --failure-dir: replay: %s\n", rvvm_last_error(m));
        return EXIT_RVRUN_ERROR;
    }
    bool same = again.reason == res->reason && rvvm_cycles(m) == fail_cycles && !p->diverged &&
                rvvm_state_digest(m, got) == RVVM_OK && memcmp(want, got, sizeof want) == 0 &&
                (res->reason != RVVM_STOP_EXITED || again.exit_code == res->exit_code);

    snprintf(path, sizeof path, "%s/failure.json", dir);
    f = fopen(path, "w");
    if (!f)
        return fail_io("the failure description", path);
    fprintf(f, "{\n  \"failure\": \"%s\",\n", reason_name(res, interrupted));
    if (res->reason == RVVM_STOP_EXITED)
        fprintf(f, "  \"exit_code\": %d,\n", res->exit_code);
    if (res->reason == RVVM_STOP_FAULT)
        fprintf(f, "  \"fault\": {\"cause\": \"%s\", \"pc\": \"0x%016" PRIx64
                   "\", \"address\": \"0x%016" PRIx64 "\"},\n",
                rvvm_fault_kind_string(res->fault.kind), res->fault.pc, res->fault.address);
    fprintf(f, "  \"checkpoint_cycles\": %" PRIu64 ",\n", cp.cycles);
    fprintf(f, "  \"failure_cycles\": %" PRIu64 ",\n", fail_cycles);
    fprintf(f, "  \"window_cycles\": %" PRIu64 ",\n", window);
    fprintf(f, "  \"replay_matches\": %s,\n", same ? "true" : "false");
    fprintf(f, "  \"state_digest\": \"");
    for (int i = 0; i < 32; i++)
        fprintf(f, "%02x", want[i]);
    fprintf(f, "\"\n}\n");
    if (fclose(f) != 0)
        return fail_io("the failure description", path);
    if (!same)
        fprintf(stderr, "rvrun: --failure-dir: the replay did not reach the same failure "
                        "(see %s/failure.json)\n", dir);
    return 0;
}

void rvrun_periodic_destroy(rvrun_periodic *p)
{
    if (!p)
        return;
    free(p->ring);
    free(p->marks);
    free(p->log);
    free(p->data);
    free(p);
}
