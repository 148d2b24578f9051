/*
 * In-process copies of the Linux layer's state, for checkpoints and fork
 * (the provider's clone_state hook): no serialising, no reopening.
 *
 * What a copy shares and what it owns:
 * - Shared, reference-counted (rv_share), never changed while shared: each
 *   grant (host and guest paths, directory descriptor), and the host
 *   descriptor of an open file. rvvm keeps every file offset in rv_file and
 *   reads and writes with pread/pwrite, so a copy never moves another copy's
 *   offset. The contents of host files are host state: a restore does not
 *   roll them back, and a child's writes to a granted file reach the host.
 * - Owned: the descriptor table and every open file description (offset,
 *   flags, directory listing), the mappings, threads and scheduler, pipes
 *   with the bytes they hold, cwd, command line and the scalars (brk is in
 *   the core's layout; seeds, clocks, umask, signal state here).
 * - A fork child gets its own host copy of a file without a name (a ghost:
 *   unlinked or O_TMPFILE), as resuming a snapshot does: the guest's private
 *   data must not be shared with the template. A checkpoint shares it.
 *
 * One function per part of the state: a new part (file-backed mappings, say)
 * adds its own clone_ function and one line in rv_os_clone.
 */
#include "../core/cpu.h"
#include "os.h"
#include "sandbox.h"
#include "sysno.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct rv_share {
    atomic_uint refs;
};

/* One more holder of the resource *s counts (2 when it was not shared yet). */
static bool share_more(rv_share **s)
{
    if (*s) {
        atomic_fetch_add_explicit(&(*s)->refs, 1, memory_order_relaxed);
        return true;
    }
    rv_share *n = malloc(sizeof *n);
    if (!n)
        return false;
    atomic_init(&n->refs, 2);
    *s = n;
    return true;
}

bool rv_share_release(rv_share **s)
{
    rv_share *p = *s;
    *s = NULL;
    if (!p)
        return true;
    if (atomic_fetch_sub_explicit(&p->refs, 1, memory_order_acq_rel) != 1)
        return false;
    free(p);
    return true;
}

/* ---- parts ------------------------------------------------------------------------- */

/* Nulls every pointer the copy must own, so that a failed clone can be destroyed. */
static void detach(rv_os *os)
{
    os->grant_count = 0;
    os->cwd = NULL;
    os->cmdline = NULL;
    os->vmas = NULL;
    os->vma_count = os->vma_cap = 0;
    os->threads = NULL;
    os->thread_count = os->thread_cap = 0;
    os->fds = NULL;
    os->fd_cap = 0;
    /* Beyond pipe_top the copied entries are NULL already. */
    memset(os->pipes, 0, os->pipe_top * sizeof *os->pipes);
    os->has_sysroot = false;
    os->grants[RV_OS_SYSROOT] = (rv_grant){.dirfd = -1};
    rv_fmap_detach(os);
}

static bool clone_grants(rv_os *os, const rv_os *src)
{
    for (uint32_t i = 0; i < src->grant_count; i++) {
        rv_grant *g = (rv_grant *)&src->grants[i]; /* only its share count changes */
        if (!share_more(&g->share))
            return false;
        os->grants[i] = *g;
        os->grant_count = i + 1;
    }
    return true;
}

/* The sysroot's slot (dynamic linking), shared like a grant. */
static bool clone_sysroot(rv_os *os, const rv_os *src)
{
    if (!src->has_sysroot)
        return true;
    rv_grant *g = (rv_grant *)&src->grants[RV_OS_SYSROOT];
    if (!share_more(&g->share))
        return false;
    os->grants[RV_OS_SYSROOT] = *g;
    os->has_sysroot = true;
    return true;
}

static bool clone_strings(rv_os *os, const rv_os *src)
{
    if (src->cwd && !(os->cwd = strdup(src->cwd)))
        return false;
    if (src->cmdline && !(os->cmdline = strdup(src->cmdline)))
        return false;
    return true;
}

static bool clone_vmas(rv_os *os, const rv_os *src)
{
    if (!src->vma_count)
        return true;
    if (!(os->vmas = malloc(src->vma_count * sizeof *os->vmas)))
        return false;
    memcpy(os->vmas, src->vmas, src->vma_count * sizeof *os->vmas);
    os->vma_count = os->vma_cap = src->vma_count;
    return true;
}

static bool clone_threads(rv_os *os, const rv_os *src)
{
    uint32_t cap = src->thread_count ? src->thread_count : 1;
    if (!(os->threads = malloc(cap * sizeof *os->threads)))
        return false;
    memcpy(os->threads, src->threads, src->thread_count * sizeof *os->threads);
    os->thread_count = src->thread_count;
    os->thread_cap = cap;
    return true;
}

/* Each pipe with the bytes it holds (moved to the start of its ring). */
static bool clone_pipes(rv_os *os, const rv_os *src)
{
    for (uint32_t i = 0; i < src->pipe_top; i++) {
        const rv_pipe *sp = src->pipes[i];
        if (!sp)
            continue;
        rv_pipe *p = malloc(sizeof *p);
        if (p && !(p->buf = malloc(RV_PIPE_CAPACITY))) {
            free(p);
            p = NULL;
        }
        if (!p)
            return false;
        uint8_t *buf = p->buf;
        *p = *sp;
        p->buf = buf;
        p->os = os;
        p->head = 0;
        uint32_t first = RV_PIPE_CAPACITY - sp->head < sp->len ? RV_PIPE_CAPACITY - sp->head
                                                                : sp->len;
        memcpy(buf, sp->buf + sp->head, first);
        memcpy(buf + first, sp->buf, sp->len - first);
        os->pipes[i] = p;
    }
    return true;
}

/* A new host file with the contents and mode of a ghost's; -1 with errno on failure. */
static int ghost_copy(const rv_os *os, const rv_file *f)
{
    struct stat st;
    if (fstat(f->host_fd, &st) != 0)
        return -1;
    const rv_grant *g = &os->grants[f->grant];
    int fd = -1;
    /* Where resuming a snapshot would put it (os_snapshot.c): linkat may still name it. */
    if (f->linkable && f->grant < os->grant_count)
        fd = rv_beneath_open(g->dirfd, f->path, O_TMPFILE | O_RDWR, 0600, true, false);
    if (fd < 0)
        fd = memfd_create("rvvm-ghost", MFD_CLOEXEC);
    if (fd < 0 && f->grant < os->grant_count)
        fd = rv_beneath_open(g->dirfd, "", O_TMPFILE | O_RDWR, 0600, true, false);
    if (fd < 0)
        return -1;
    uint8_t buf[16384];
    for (off_t at = 0;;) {
        ssize_t n = pread(f->host_fd, buf, sizeof buf, at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                break;
            goto fail;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = pwrite(fd, buf + done, (size_t)(n - done), at + done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                goto fail;
            done += w;
        }
        at += n;
    }
    if (fchmod(fd, st.st_mode & 07777) != 0)
        goto fail;
    return fd;
fail:;
    int e = errno;
    close(fd);
    errno = e;
    return -1;
}

/* A copy of one open file description, not yet in any descriptor (refs 0). */
static rv_file *clone_file(rv_os *os, const rv_os *src, const rv_file *sf, bool for_fork)
{
    rv_file *f = malloc(sizeof *f);
    if (!f)
        return NULL;
    *f = *sf;
    f->refs = 0;
    f->path = NULL;
    f->dir = NULL;
    f->dir_count = 0;
    f->pipe = NULL;
    f->fd_share = NULL;
    f->host_fd = -1;
    if (sf->path && !(f->path = strdup(sf->path)))
        goto fail;
    if (sf->dir_count) {
        if (!(f->dir = calloc(sf->dir_count, sizeof *f->dir)))
            goto fail;
        for (size_t i = 0; i < sf->dir_count; i++) {
            f->dir[i].type = sf->dir[i].type;
            if (!(f->dir[i].name = strdup(sf->dir[i].name)))
                goto fail;
            f->dir_count = i + 1;
        }
    }
    if (sf->pipe)
        f->pipe = os->pipes[sf->pipe->id];
    if (sf->host_fd >= 0) {
        if (for_fork && sf->kind == RV_FILE_REGULAR && sf->ghost) {
            if ((f->host_fd = ghost_copy(src, sf)) < 0)
                goto fail;
        } else {
            if (!share_more(&((rv_file *)sf)->fd_share)) /* only its share count changes */
                goto fail;
            f->fd_share = sf->fd_share;
            f->host_fd = sf->host_fd;
        }
    }
    return f;
fail:
    f->pipe = NULL; /* the pipe's counts already include this end */
    f->refs = 1;
    rv_os_file_unref(f);
    return NULL;
}

/*
 * The descriptor table: descriptions shared by several descriptors (dup)
 * stay shared in the copy. Those are found again through a small hash of
 * the source's descriptions (twice as many slots as descriptors), made only
 * when there are some.
 */
typedef struct file_map {
    size_t slots; /* a power of two */
    struct {
        const rv_file *from;
        rv_file *to;
    } e[];
} file_map;

static size_t map_slot(const file_map *fm, const rv_file *f)
{
    size_t h = (size_t)(((uintptr_t)f >> 4) * 0x9e3779b97f4a7c15ull) & (fm->slots - 1);
    while (fm->e[h].from && fm->e[h].from != f)
        h = (h + 1) & (fm->slots - 1);
    return h;
}

static bool clone_fds(rv_os *os, const rv_os *src, bool for_fork)
{
    /* The copy's table ends at the highest descriptor in use (at least 0..2). */
    uint32_t top = src->fd_cap;
    while (top > 3 && !src->fds[top - 1].file)
        top--;
    if (!(os->fds = calloc(top ? top : 1, sizeof *os->fds)))
        return false;
    os->fd_cap = top;
    file_map *fm = NULL;
    bool ok = true;
    for (uint32_t fd = 0; fd < top && ok; fd++) {
        const rv_file *sf = src->fds[fd].file;
        if (!sf)
            continue;
        rv_file *f = NULL;
        size_t slot = 0;
        if (sf->refs > 1) {
            if (!fm) {
                size_t slots = 8;
                while (slots < 2 * (size_t)top)
                    slots *= 2;
                if (!(fm = calloc(1, sizeof *fm + slots * sizeof fm->e[0]))) {
                    ok = false;
                    break;
                }
                fm->slots = slots;
            }
            slot = map_slot(fm, sf);
            f = fm->e[slot].to;
        }
        if (!f) {
            if (!(f = clone_file(os, src, sf, for_fork))) {
                ok = false;
                break;
            }
            if (sf->refs > 1) {
                fm->e[slot].from = sf;
                fm->e[slot].to = f;
            }
        }
        f->refs++;
        os->fds[fd] = src->fds[fd];
        os->fds[fd].file = f;
    }
    free(fm);
    return ok;
}

/* ---- the whole state ------------------------------------------------------------ */

rv_os *rv_os_clone(const rv_os *src, bool for_fork)
{
    rv_os *os = malloc(sizeof *os);
    if (!os)
        return NULL;
    memcpy(os, src, sizeof *os); /* every scalar: seeds, clocks, umask, scheduler, signals */
    detach(os);
    /* Pipes before descriptors: a pipe end links to its pipe's copy. */
    if (clone_grants(os, src) && clone_sysroot(os, src) && clone_strings(os, src) &&
        clone_vmas(os, src) && rv_fmap_clone(os, src) && clone_threads(os, src) &&
        clone_pipes(os, src) && clone_fds(os, src, for_fork))
        return os;
    rv_os_destroy(os);
    return NULL;
}

size_t rv_os_size(const rv_os *os)
{
    size_t n = sizeof *os + os->fd_cap * sizeof *os->fds + os->vma_cap * sizeof *os->vmas +
               os->thread_cap * sizeof *os->threads + rv_fmap_size(os);
    for (uint32_t fd = 0; fd < os->fd_cap; fd++)
        if (os->fds[fd].file)
            n += sizeof(rv_file); /* an upper bound: dup'd descriptions count once per fd */
    for (uint32_t i = 0; i < os->pipe_top; i++)
        if (os->pipes[i])
            n += sizeof(rv_pipe) + RV_PIPE_CAPACITY;
    return n;
}
