/*
 * Private file mappings that stay out of snapshots, and the sysroot
 * (docs/dynamic-linking.md).
 *
 * mmap of a regular file copies the file's bytes into guest pages. When the
 * file comes from a place the guest cannot change (the sysroot, or a
 * read-only granted directory), its pages are treated like the pages the
 * loader filled: not dirty, so a snapshot holds only their permissions, and
 * the mapping is recorded instead (guest range, file offset, and the file's
 * path, size and SHA-256). Resuming copies the same bytes back into every
 * page that is not dirty, after checking the file's SHA-256. A file in a
 * writable grant, or one without a name, is copied as data (dirty pages), as
 * the guest may change it.
 */
#include "../core/cpu.h"
#include "../elf/loader.h"
#include "os.h"
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void rv_fmap_free(rv_os *os)
{
    for (uint32_t i = 0; i < os->mfile_count; i++) {
        free(os->mfiles[i].rel);
        free(os->mfiles[i].guest);
    }
    free(os->mfiles);
    free(os->fmaps);
    os->mfiles = NULL;
    os->fmaps = NULL;
    os->mfile_count = os->mfile_cap = 0;
    os->fmap_count = os->fmap_cap = 0;
}

void rv_fmap_detach(rv_os *os)
{
    os->mfiles = NULL;
    os->fmaps = NULL;
    os->mfile_count = os->mfile_cap = 0;
    os->fmap_count = os->fmap_cap = 0;
}

bool rv_fmap_clone(rv_os *os, const rv_os *src)
{
    if (src->mfile_count) {
        if (!(os->mfiles = calloc(src->mfile_count, sizeof *os->mfiles)))
            return false;
        os->mfile_cap = src->mfile_count;
        for (uint32_t i = 0; i < src->mfile_count; i++) {
            rv_mapped_file *f = &os->mfiles[i];
            *f = src->mfiles[i];
            f->rel = strdup(src->mfiles[i].rel);
            f->guest = strdup(src->mfiles[i].guest);
            os->mfile_count = i + 1;
            if (!f->rel || !f->guest)
                return false;
        }
    }
    if (src->fmap_count) {
        if (!(os->fmaps = malloc(src->fmap_count * sizeof *os->fmaps)))
            return false;
        memcpy(os->fmaps, src->fmaps, src->fmap_count * sizeof *os->fmaps);
        os->fmap_count = os->fmap_cap = src->fmap_count;
    }
    return true;
}

size_t rv_fmap_size(const rv_os *os)
{
    size_t n = os->mfile_cap * sizeof *os->mfiles + os->fmap_cap * sizeof *os->fmaps;
    for (uint32_t i = 0; i < os->mfile_count; i++)
        n += strlen(os->mfiles[i].rel) + strlen(os->mfiles[i].guest) + 2;
    return n;
}

/* Appends a mapped file entry (takes rel and guest); its index, or -1 if out of memory. */
static int64_t add_file(rv_os *os, const rv_mapped_file *mf)
{
    if (os->mfile_count == os->mfile_cap) {
        uint32_t cap = os->mfile_cap ? 2 * os->mfile_cap : 8;
        rv_mapped_file *v = realloc(os->mfiles, cap * sizeof *v);
        if (!v)
            return -1;
        os->mfiles = v;
        os->mfile_cap = cap;
    }
    os->mfiles[os->mfile_count] = *mf;
    return os->mfile_count++;
}

bool rv_fmap_program_loaded(rvvm_machine *m)
{
    rv_os *os = RV_OS(m);
    if (m->sysroot && !os->has_sysroot) {
        rv_grant *g = &os->grants[RV_OS_SYSROOT];
        g->host = strdup(m->sysroot);
        g->guest = strdup("/");
        g->writable = false;
        g->dirfd = fcntl(m->sysroot_fd, F_DUPFD_CLOEXEC, 0);
        if (!g->host || !g->guest || g->dirfd < 0)
            return false;
        os->has_sysroot = true;
    }
    if (m->elf && m->elf->interp) {
        for (uint32_t i = 0; i < os->mfile_count; i++)
            if (os->mfiles[i].interp)
                return true;
        rv_mapped_file mf = {.root = RV_OS_SYSROOT, .size = m->elf->interp_size, .interp = true};
        char norm[RV_OS_PATH_MAX];
        if (rv_path_normalize("/", m->elf->interp, norm, NULL) != 0)
            return false;
        mf.rel = strdup(norm + 1);
        mf.guest = strdup(norm);
        memcpy(mf.sha256, m->elf->interp_sha256, 32);
        if (!mf.rel || !mf.guest || add_file(os, &mf) < 0) {
            free(mf.rel);
            free(mf.guest);
            return false;
        }
    }
    return true;
}

/* SHA-256 of a whole file by its descriptor; 0 or -errno. */
static int hash_whole(int fd, uint64_t size, uint8_t out[32])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    uint8_t *buf = malloc(1 << 16);
    int r = (!ctx || !buf || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) ? -ENOMEM : 0;
    for (uint64_t at = 0; r == 0 && at < size;) {
        size_t want = size - at < (1u << 16) ? (size_t)(size - at) : (1u << 16);
        ssize_t n = pread(fd, buf, want, (off_t)at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            r = n < 0 ? -errno : -EIO;
        else if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1)
            r = -ENOMEM;
        else
            at += (uint64_t)n;
    }
    unsigned len = 0;
    if (r == 0 && (EVP_DigestFinal_ex(ctx, out, &len) != 1 || len != 32))
        r = -ENOMEM;
    EVP_MD_CTX_free(ctx);
    free(buf);
    return r;
}

/* The entry for f's file, hashing it the first time (or when the host file changed). */
static int64_t file_entry(rvvm_machine *m, rv_file *f, const struct stat *st)
{
    rv_os *os = RV_OS(m);
    int64_t mtime = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
    for (uint32_t i = 0; i < os->mfile_count; i++) {
        const rv_mapped_file *e = &os->mfiles[i];
        if (!e->interp && e->root == f->grant && !strcmp(e->rel, f->path) &&
            e->host_dev == (uint64_t)st->st_dev && e->host_ino == (uint64_t)st->st_ino &&
            e->host_mtime_ns == mtime && e->size == (uint64_t)st->st_size)
            return i;
    }
    rv_mapped_file mf = {.root = f->grant, .size = (uint64_t)st->st_size,
                         .host_dev = (uint64_t)st->st_dev, .host_ino = (uint64_t)st->st_ino,
                         .host_mtime_ns = mtime};
    int r = hash_whole(f->host_fd, mf.size, mf.sha256);
    if (r)
        return r;
    const char *g = os->grants[f->grant].guest;
    size_t need = strlen(g) + strlen(f->path) + 2;
    mf.rel = strdup(f->path);
    mf.guest = malloc(need);
    if (mf.guest)
        snprintf(mf.guest, need, "%s%s%s", g, (f->path[0] && strcmp(g, "/")) ? "/" : "", f->path);
    int64_t idx = mf.rel && mf.guest ? add_file(os, &mf) : -1;
    if (idx < 0) {
        free(mf.rel);
        free(mf.guest);
        return -ENOMEM;
    }
    return idx;
}

/* Inserts a range into the sorted table (the range is free: rv_fmap_remove ran). */
static bool insert_range(rv_os *os, const rv_file_map *r)
{
    if (os->fmap_count == os->fmap_cap) {
        size_t cap = os->fmap_cap ? 2 * os->fmap_cap : 16;
        rv_file_map *v = realloc(os->fmaps, cap * sizeof *v);
        if (!v)
            return false;
        os->fmaps = v;
        os->fmap_cap = cap;
    }
    size_t i = os->fmap_count;
    while (i > 0 && os->fmaps[i - 1].start > r->start)
        i--;
    memmove(os->fmaps + i + 1, os->fmaps + i, (os->fmap_count - i) * sizeof *os->fmaps);
    os->fmaps[i] = *r;
    os->fmap_count++;
    return true;
}

/* Reads up to len file bytes at off into guest memory at `at`; returns how many arrived
 * (fewer if the file shrank: the rest stays zero) and marks them written. */
uint64_t rv_fmap_read(rvvm_machine *m, int fd, uint64_t at, uint64_t len, uint64_t off)
{
    uint64_t got = 0;
    while (got < len) {
        ssize_t n = pread(fd, m->mem.base + at + got, (size_t)(len - got), (off_t)(off + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (uint64_t)n;
    }
    if (got)
        rv_memory_mark_written(&m->mem, at, got);
    return got;
}

/* Copies file bytes [off, off+len) into guest pages at `at`; the rest of the pages stay zero. */
static int fill_pages(rvvm_machine *m, int fd, uint64_t size, uint64_t at, uint64_t len,
                      uint64_t off)
{
    uint64_t want = off < size ? (size - off < len ? size - off : len) : 0;
    if (want && rv_memory_prepare_write(&m->mem, at, want) != 0)
        return -ENOMEM;
    uint64_t got = rv_fmap_read(m, fd, at, want, off);
    /* Like loaded pages: they may be non-zero, and a snapshot need not hold them. */
    for (uint64_t p = at >> RV_PAGE_SHIFT; p < (at + len) >> RV_PAGE_SHIFT; p++) {
        m->mem.dirty[p] = 0;
        if (p < ((at + got + RV_PAGE_MASK) >> RV_PAGE_SHIFT))
            m->mem.flags[p] |= RV_PAGE_TOUCHED;
    }
    return 0;
}

int rv_fmap_map(rvvm_machine *m, rv_file *f, uint64_t at, uint64_t len, uint64_t off,
                unsigned prot)
{
    rv_os *os = RV_OS(m);
    if (f->kind != RV_FILE_REGULAR || f->ghost || f->host_fd < 0 ||
        (f->grant != RV_OS_SYSROOT && (f->grant >= os->grant_count || os->grants[f->grant].writable)))
        return 1;
    /* Within what a snapshot may hold (RV_OS_MAX_VMAS each); beyond, pages are data. */
    if (os->fmap_count >= RV_OS_MAX_VMAS || os->mfile_count >= RV_OS_MAX_VMAS - 1)
        return 1;
    struct stat st;
    if (fstat(f->host_fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink == 0)
        return 1;
    int64_t idx = file_entry(m, f, &st);
    if (idx < 0)
        return (int)idx;
    if (os->fmap_count == os->fmap_cap) {
        size_t cap = os->fmap_cap ? 2 * os->fmap_cap : 16;
        rv_file_map *v = realloc(os->fmaps, cap * sizeof *v);
        if (!v)
            return -ENOMEM;
        os->fmaps = v;
        os->fmap_cap = cap;
    }
    int r = fill_pages(m, f->host_fd, os->mfiles[idx].size, at, len, off);
    if (r)
        return r;
    rv_file_map fm = {at, at + len, off, (uint32_t)idx, prot};
    insert_range(os, &fm); /* room was made above */
    return 0;
}

void rv_fmap_remove(rvvm_machine *m, uint64_t start, uint64_t end)
{
    rv_os *os = RV_OS(m);
    for (size_t i = 0; i < os->fmap_count;) {
        rv_file_map *r = &os->fmaps[i];
        if (r->end <= start || r->start >= end) {
            i++;
            continue;
        }
        if (r->start < start && r->end > end) {
            /* Split in two: the part after the hole. */
            rv_file_map tail = {end, r->end, r->offset + (end - r->start), r->file, r->prot};
            r->end = start;
            if (!insert_range(os, &tail)) /* out of memory: the tail's pages become data */
                for (uint64_t p = end >> RV_PAGE_SHIFT; p < tail.end >> RV_PAGE_SHIFT; p++)
                    m->mem.dirty[p] = 1;
            return;
        }
        if (r->start < start) {
            r->end = start;
            i++;
        } else if (r->end > end) {
            r->offset += end - r->start;
            r->start = end;
            i++;
        } else {
            memmove(r, r + 1, (os->fmap_count - i - 1) * sizeof *r);
            os->fmap_count--;
        }
    }
}
