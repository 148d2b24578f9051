/*
 * Guest memory management: brk, mmap, munmap, mprotect, mremap, madvise.
 *
 * Layout (addresses grow to the right):
 *
 *   program segments | brk heap -> ...free... <- mappings | guard | stack
 *   ^brk_start         ^brk       ^mmap_low               ^mmap top = stack_low - 4 KiB
 *
 * Mappings the allocator chooses go top-down below the mapping top, never
 * below the break; the break grows only up to the lowest mapping above it.
 * MAP_FIXED may place a mapping anywhere in guest memory except page 0.
 * Everything mapped is recorded as a range (rv_vma): the loaded program, the
 * stack, the break area and every mmap, so a page made PROT_NONE is still
 * mapped and mprotect can make it accessible again; permissions live in the
 * page flags. Unmapping zeroes the pages (marking them dirty, so snapshots
 * carry the change) and drops decoded code.
 */
#include "../core/cpu.h"
#include "os.h"
#include "sysno.h"
#include "../elf/loader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    G_MAP_SHARED = 0x01,
    G_MAP_PRIVATE = 0x02,
    G_MAP_SHARED_VALIDATE = 0x03,
    G_MAP_TYPE = 0x0f,
    G_MAP_FIXED = 0x10,
    G_MAP_ANONYMOUS = 0x20,
    G_MAP_FIXED_NOREPLACE = 0x100000,
    G_MREMAP_MAYMOVE = 1,
    G_MREMAP_FIXED = 2,
};

static uint64_t page_down(uint64_t v) { return v & ~RV_PAGE_MASK; }

/* Rounds len up to whole pages; false on overflow. */
static bool page_len(uint64_t len, uint64_t *out)
{
    if (len > UINT64_MAX - RV_PAGE_MASK)
        return false;
    *out = (len + RV_PAGE_MASK) & ~RV_PAGE_MASK;
    return true;
}

uint64_t rv_mm_top(const rvvm_machine *m)
{
    return m->layout.stack_low >= RV_PAGE_SIZE ? m->layout.stack_low - RV_PAGE_SIZE : 0;
}

void rv_mm_invalidate(rvvm_machine *m, uint64_t addr, uint64_t len)
{
    if (len == 0)
        return;
    rv_drop_code(m, addr, len);
}

/* ---- the mapping list ------------------------------------------------------------ */

/* Makes room for `extra` more ranges; false if the guest holds too many. */
static bool vma_reserve(rv_os *os, size_t extra)
{
    if (os->vma_count + extra > RV_OS_MAX_VMAS)
        return false;
    if (os->vma_count + extra <= os->vma_cap)
        return true;
    size_t cap = os->vma_cap ? os->vma_cap * 2 : 16;
    while (cap < os->vma_count + extra)
        cap *= 2;
    rv_vma *v = realloc(os->vmas, cap * sizeof *v);
    if (!v)
        return false;
    os->vmas = v;
    os->vma_cap = cap;
    return true;
}

/* Index of the first range whose end is above addr. */
static size_t vma_first_after(const rv_os *os, uint64_t addr)
{
    size_t lo = 0, hi = os->vma_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (os->vmas[mid].end <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool vma_overlaps(const rv_os *os, uint64_t start, uint64_t end)
{
    size_t i = vma_first_after(os, start);
    return i < os->vma_count && os->vmas[i].start < end;
}

bool rv_vma_insert(rv_os *os, uint64_t start, uint64_t end)
{
    if (!vma_reserve(os, 1))
        return false;
    /* Ranges that overlap or touch [start, end) merge into it. */
    size_t i = vma_first_after(os, start > 0 ? start - 1 : 0);
    if (i < os->vma_count && os->vmas[i].end < start)
        i++;
    size_t j = i;
    while (j < os->vma_count && os->vmas[j].start <= end) {
        if (os->vmas[j].start < start)
            start = os->vmas[j].start;
        if (os->vmas[j].end > end)
            end = os->vmas[j].end;
        j++;
    }
    size_t removed = j - i;
    if (removed == 0) {
        memmove(os->vmas + i + 1, os->vmas + i, (os->vma_count - i) * sizeof *os->vmas);
        os->vma_count++;
    } else if (removed > 1) {
        memmove(os->vmas + i + 1, os->vmas + j, (os->vma_count - j) * sizeof *os->vmas);
        os->vma_count -= removed - 1;
    }
    os->vmas[i] = (rv_vma){start, end};
    return true;
}

bool rv_vma_remove(rv_os *os, uint64_t start, uint64_t end)
{
    size_t i = vma_first_after(os, start);
    if (i >= os->vma_count || os->vmas[i].start >= end)
        return true;
    rv_vma *v = &os->vmas[i];
    if (v->start < start && v->end > end) { /* split in two */
        if (!vma_reserve(os, 1))
            return false;
        v = &os->vmas[i];
        memmove(os->vmas + i + 1, os->vmas + i, (os->vma_count - i) * sizeof *os->vmas);
        os->vma_count++;
        os->vmas[i].end = start;
        os->vmas[i + 1].start = end;
        return true;
    }
    if (v->start < start) {
        v->end = start;
        i++;
    }
    size_t j = i;
    while (j < os->vma_count && os->vmas[j].end <= end)
        j++;
    if (j < os->vma_count && os->vmas[j].start < end)
        os->vmas[j].start = end;
    memmove(os->vmas + i, os->vmas + j, (os->vma_count - j) * sizeof *os->vmas);
    os->vma_count -= j - i;
    return true;
}

/* Would removing [start, end) need a split, and so one more range? */
static bool vma_remove_needs_room(const rv_os *os, uint64_t start, uint64_t end)
{
    size_t i = vma_first_after(os, start);
    return i < os->vma_count && os->vmas[i].start < start && os->vmas[i].end > end;
}

void rv_mm_update_low(rvvm_machine *m)
{
    uint64_t top = rv_mm_top(m);
    uint64_t brk_top = (m->layout.brk + RV_PAGE_MASK) & ~RV_PAGE_MASK;
    uint64_t low = top;
    size_t i = vma_first_after(RV_OS(m), brk_top);
    while (i < RV_OS(m)->vma_count && RV_OS(m)->vmas[i].start < brk_top)
        i++;
    if (i < RV_OS(m)->vma_count && RV_OS(m)->vmas[i].start < low)
        low = RV_OS(m)->vmas[i].start;
    if (low < brk_top)
        low = brk_top; /* only with an exhausted address space */
    m->layout.mmap_low = low;
}

/* A page is mapped if it lies in a recorded range, whatever its permissions. */
static bool range_all_mapped(const rvvm_machine *m, uint64_t start, uint64_t end)
{
    size_t i = vma_first_after(RV_OS(m), start);
    for (uint64_t a = start; a < end;) {
        if (i >= RV_OS(m)->vma_count || RV_OS(m)->vmas[i].start > a)
            return false;
        a = RV_OS(m)->vmas[i++].end; /* ranges never touch: the next one starts later */
    }
    return true;
}

static bool range_any_mapped(const rvvm_machine *m, uint64_t start, uint64_t end)
{
    return vma_overlaps(RV_OS(m), start, end);
}

static int cmp_range(const void *a, const void *b)
{
    const rv_page_range *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* The first page at or after p, below end, without permissions (end if none). */
static uint64_t first_unmapped(const uint8_t *flags, uint64_t p, uint64_t end)
{
    /* Eight pages at a time: a word whose every byte has a permission bit. */
    const uint64_t ones = 0x0101010101010101ull, perms = ones * RV_PAGE_PERMS;
    for (; p + 8 <= end; p += 8) {
        uint64_t w;
        memcpy(&w, flags + p, 8);
        w &= perms;
        if ((w - ones) & ~w & (ones << 7)) /* some byte is zero */
            break;
    }
    while (p < end && (flags[p] & RV_PAGE_PERMS))
        p++;
    return p;
}

/* Records the runs of pages with permissions in [first, end) as mapped. */
static bool record_runs(rvvm_machine *m, uint64_t first, uint64_t end)
{
    for (uint64_t p = first; p < end;) {
        if (!(m->mem.flags[p] & RV_PAGE_PERMS)) {
            p++;
            continue;
        }
        uint64_t stop = first_unmapped(m->mem.flags, p, end);
        if (!rv_vma_insert(RV_OS(m), p << RV_PAGE_SHIFT, stop << RV_PAGE_SHIFT))
            return false;
        p = stop;
    }
    return true;
}

bool rv_mm_record_loaded(rvvm_machine *m)
{
    /*
     * Runs of pages with permissions: segments, load addresses, bare-metal
     * RAM, stack. Only the page ranges the loader set are looked at, in
     * address order (so each range is appended), not all of guest memory.
     */
    RV_OS(m)->vma_count = 0;
    const rv_page_range *loaded;
    size_t n = rv_elf_loaded_ranges(m, &loaded);
    rv_page_range *sorted = n ? malloc(n * sizeof *sorted) : NULL;
    if (n && !sorted)
        return false;
    if (n)
        memcpy(sorted, loaded, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_range);
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        uint64_t end = sorted[i].end < m->mem.page_count ? sorted[i].end : m->mem.page_count;
        ok = record_runs(m, sorted[i].first, end);
    }
    free(sorted);
    if (!ok)
        return false;
    rv_mm_update_low(m);
    return true;
}

/* Highest free range of len bytes between the break and the mapping top; 0 if none. */
static uint64_t find_free(const rvvm_machine *m, uint64_t len)
{
    uint64_t floor = (m->layout.brk + RV_PAGE_MASK) & ~RV_PAGE_MASK;
    uint64_t hi = rv_mm_top(m);
    if (hi < floor || hi - floor < len)
        return 0;
    for (size_t k = RV_OS(m)->vma_count; k-- > 0;) {
        const rv_vma *v = &RV_OS(m)->vmas[k];
        if (v->start >= hi)
            continue;
        if (v->end <= floor)
            break;
        if (v->end < hi && hi - v->end >= len)
            return hi - len;
        hi = v->start;
        if (hi <= floor || hi - floor < len)
            return 0;
    }
    return hi - floor >= len ? hi - len : 0;
}

/*
 * Zeroes pages, leaves them without permissions and drops their decoded code.
 * A page that loading did not map (no permissions, no contents, not the
 * stack's arguments) is then exactly as it was after loading, so it is no
 * longer dirty: snapshots leave it out instead of storing a zero page
 * (docs/snapshot-format.md, "Pages left out").
 */
static void unmap_pages(rvvm_machine *m, uint64_t start, uint64_t end)
{
    if (end <= start)
        return;
    rv_memory_unmap(&m->mem, start, end - start);
    rv_mm_invalidate(m, start, end - start);
    rv_fmap_remove(m, start, end);
    /* A page the loader never filled (no initial permissions) is zero as after loading;
     * one a file mapping filled (RV_PAGE_TOUCHED) holds nothing any more. */
    for (uint64_t p = start >> RV_PAGE_SHIFT; p < end >> RV_PAGE_SHIFT; p++)
        if (!(m->mem.flags[p] & RV_PAGE_ARGS) && m->mem.initial_perms[p] == 0) {
            m->mem.dirty[p] = 0;
            m->mem.flags[p] &= (uint8_t)~RV_PAGE_TOUCHED;
        }
}

/* ---- brk ---------------------------------------------------------------------------- */

uint64_t rv_mm_brk(rvvm_machine *m, uint64_t want)
{
    uint64_t cur = m->layout.brk;
    if (want < m->layout.brk_start || want > UINT64_MAX - RV_PAGE_MASK)
        return cur;
    uint64_t old_top = (cur + RV_PAGE_MASK) & ~RV_PAGE_MASK;
    uint64_t new_top = (want + RV_PAGE_MASK) & ~RV_PAGE_MASK;
    if (new_top > old_top) {
        if (new_top > m->layout.mmap_low || new_top > rv_mm_top(m) ||
            vma_overlaps(RV_OS(m), old_top, new_top) || !vma_reserve(RV_OS(m), 1))
            return cur;
        unmap_pages(m, old_top, new_top); /* pages are zero already; this makes sure */
        rv_memory_protect(&m->mem, old_top, new_top - old_top, RV_PAGE_R | RV_PAGE_W);
        rv_vma_insert(RV_OS(m), old_top, new_top);
    } else if (new_top < old_top) {
        if (vma_remove_needs_room(RV_OS(m), new_top, old_top) && !vma_reserve(RV_OS(m), 1))
            return cur;
        unmap_pages(m, new_top, old_top);
        rv_vma_remove(RV_OS(m), new_top, old_top);
    }
    m->layout.brk = want;
    rv_mm_update_low(m);
    return want;
}

/* ---- mmap and friends --------------------------------------------------------------- */

static int64_t sys_mmap(rvvm_machine *m, uint64_t addr, uint64_t len, uint64_t prot,
                        uint64_t flags, uint64_t fd, uint64_t off)
{
    uint64_t plen;
    if (len == 0 || (prot & ~7ull) || (off & RV_PAGE_MASK))
        return -EINVAL;
    unsigned type = flags & G_MAP_TYPE;
    if (type != G_MAP_SHARED && type != G_MAP_PRIVATE && type != G_MAP_SHARED_VALIDATE)
        return -EINVAL;
    if (!page_len(len, &plen) || plen > m->mem.size)
        return -ENOMEM;
    rv_file *f = NULL;
    if (!(flags & G_MAP_ANONYMOUS)) {
        f = rv_os_file(m, fd);
        if (!f)
            return -EBADF;
        if (f->kind == RV_FILE_DEVICE && f->device == RV_DEV_ZERO && !(f->flags & G_O_PATH) &&
            (f->flags & G_O_ACCMODE) != G_O_WRONLY)
            f = NULL; /* /dev/zero: anonymous memory (shared like private: one process) */
    }
    if (f) {
        if (f->kind == RV_FILE_DEVICE || f->kind == RV_FILE_DEVDIR)
            return (f->flags & G_O_PATH) ? -EBADF : -ENODEV;
        if (f->kind == RV_FILE_CONSOLE || f->kind == RV_FILE_DIR || f->kind == RV_FILE_FEATURES)
            return -ENODEV;
        if (f->kind != RV_FILE_REGULAR || (f->flags & G_O_ACCMODE) == G_O_WRONLY)
            return -EACCES;
        /* Writes through a shared mapping would have to reach the file: not offered. */
        if (type != G_MAP_PRIVATE && (prot & 2))
            return (f->flags & G_O_ACCMODE) == G_O_RDWR ? -ENODEV : -EACCES;
        if (off > INT64_MAX)
            return -EINVAL;
    }
    bool fixed = flags & (G_MAP_FIXED | G_MAP_FIXED_NOREPLACE);
    uint64_t at;
    if (fixed) {
        if (addr & RV_PAGE_MASK)
            return -EINVAL;
        if (addr < RV_PAGE_SIZE)
            return -EPERM;
        if (addr >= m->mem.size || plen > m->mem.size - addr)
            return -ENOMEM;
        if (!(flags & G_MAP_FIXED) && range_any_mapped(m, addr, addr + plen))
            return -EEXIST;
        at = addr;
    } else {
        uint64_t hint = page_down(addr);
        uint64_t floor = (m->layout.brk + RV_PAGE_MASK) & ~RV_PAGE_MASK;
        if (hint && hint >= floor && hint < rv_mm_top(m) && plen <= rv_mm_top(m) - hint &&
            !range_any_mapped(m, hint, hint + plen))
            at = hint;
        else
            at = find_free(m, plen);
        if (!at)
            return -ENOMEM;
    }
    if (!vma_reserve(RV_OS(m), 1))
        return -ENOMEM;
    unmap_pages(m, at, at + plen);
    int fr = f ? rv_fmap_map(m, f, at, plen, off, (unsigned)prot) : 0;
    if (fr < 0)
        return fr;
    if (f && fr == 1) {
        int64_t size = rv_os_file_size(f);
        if (size > 0 && off < (uint64_t)size) {
            uint64_t want = (uint64_t)size - off < plen ? (uint64_t)size - off : plen;
            rv_fmap_read(m, f->host_fd, at, want, off);
        }
    }
    rv_memory_protect(&m->mem, at, plen, (unsigned)prot);
    rv_vma_insert(RV_OS(m), at, at + plen);
    rv_mm_update_low(m);
    return (int64_t)at;
}

static int64_t sys_munmap(rvvm_machine *m, uint64_t addr, uint64_t len)
{
    uint64_t plen;
    /* Like Linux with the guest memory size as TASK_SIZE. */
    if ((addr & RV_PAGE_MASK) || len == 0 || !page_len(len, &plen) || addr > m->mem.size ||
        plen > m->mem.size - addr)
        return -EINVAL;
    uint64_t end = addr + plen;
    if (vma_remove_needs_room(RV_OS(m), addr, end) && !vma_reserve(RV_OS(m), 1))
        return -ENOMEM;
    unmap_pages(m, addr, end);
    rv_vma_remove(RV_OS(m), addr, end);
    rv_mm_update_low(m);
    return 0;
}

static int64_t sys_mprotect(rvvm_machine *m, uint64_t addr, uint64_t len, uint64_t prot)
{
    uint64_t plen;
    if ((addr & RV_PAGE_MASK) || (prot & ~7ull))
        return -EINVAL;
    if (len == 0)
        return 0;
    if (!page_len(len, &plen) || addr >= m->mem.size || plen > m->mem.size - addr)
        return -ENOMEM;
    if (!range_all_mapped(m, addr, addr + plen))
        return -ENOMEM;
    rv_memory_protect(&m->mem, addr, plen, (unsigned)prot);
    rv_mm_invalidate(m, addr, plen);
    return 0;
}

static int64_t sys_mremap(rvvm_machine *m, uint64_t old, uint64_t old_len, uint64_t new_len,
                          uint64_t flags)
{
    uint64_t oplen, nplen;
    if (flags & ~(uint64_t)G_MREMAP_MAYMOVE)
        return -EINVAL; /* MREMAP_FIXED and MREMAP_DONTUNMAP are not offered */
    if ((old & RV_PAGE_MASK) || old_len == 0 || new_len == 0 || !page_len(old_len, &oplen) ||
        !page_len(new_len, &nplen))
        return -EINVAL;
    if (old >= m->mem.size || oplen > m->mem.size - old)
        return -EFAULT;
    if (!range_all_mapped(m, old, old + oplen))
        return -EFAULT;
    if (nplen <= oplen) {
        if (nplen < oplen) {
            if (vma_remove_needs_room(RV_OS(m), old + nplen, old + oplen) &&
                !vma_reserve(RV_OS(m), 1))
                return -ENOMEM;
            unmap_pages(m, old + nplen, old + oplen);
            rv_vma_remove(RV_OS(m), old + nplen, old + oplen);
            rv_mm_update_low(m);
        }
        return (int64_t)old;
    }
    if (!vma_reserve(RV_OS(m), 2))
        return -ENOMEM;
    unsigned perms = m->mem.flags[(old + oplen - 1) >> RV_PAGE_SHIFT] & RV_PAGE_PERMS;
    uint64_t grow_end = old + nplen;
    uint64_t floor = (m->layout.brk + RV_PAGE_MASK) & ~RV_PAGE_MASK;
    bool in_place = nplen - oplen <= m->mem.size - (old + oplen) && old >= floor &&
                    grow_end <= rv_mm_top(m) && !range_any_mapped(m, old + oplen, grow_end);
    if (in_place) {
        unmap_pages(m, old + oplen, grow_end);
        rv_memory_protect(&m->mem, old + oplen, nplen - oplen, perms);
        rv_vma_insert(RV_OS(m), old, grow_end);
        rv_mm_update_low(m);
        return (int64_t)old;
    }
    if (!(flags & G_MREMAP_MAYMOVE))
        return -ENOMEM;
    uint64_t to = find_free(m, nplen);
    if (!to)
        return -ENOMEM;
    unmap_pages(m, to, to + nplen);
    for (uint64_t i = 0; i < oplen; i += RV_PAGE_SIZE) {
        uint64_t src = (old + i) >> RV_PAGE_SHIFT;
        if (rv_memory_page_maybe_nonzero(&m->mem, src)) {
            memcpy(m->mem.base + to + i, m->mem.base + old + i, RV_PAGE_SIZE);
            rv_memory_mark_written(&m->mem, to + i, RV_PAGE_SIZE);
        }
        rv_memory_protect(&m->mem, to + i, RV_PAGE_SIZE, m->mem.flags[src] & RV_PAGE_PERMS);
    }
    rv_memory_protect(&m->mem, to + oplen, nplen - oplen, perms);
    rv_vma_insert(RV_OS(m), to, to + nplen);
    unmap_pages(m, old, old + oplen);
    rv_vma_remove(RV_OS(m), old, old + oplen);
    rv_mm_update_low(m);
    return (int64_t)to;
}

static int64_t sys_madvise(rvvm_machine *m, uint64_t addr, uint64_t len, uint64_t advice)
{
    uint64_t plen;
    if (addr & RV_PAGE_MASK)
        return -EINVAL;
    if (!page_len(len, &plen) || addr > m->mem.size || plen > m->mem.size - addr)
        return -ENOMEM;
    if (advice != 4) /* only MADV_DONTNEED changes what the guest sees */
        return 0;
    if (!range_all_mapped(m, addr, addr + plen))
        return -ENOMEM;
    /* Anonymous semantics: the pages read as zero afterwards (file copies too). */
    for (uint64_t a = addr; a < addr + plen; a += RV_PAGE_SIZE) {
        uint64_t p = a >> RV_PAGE_SHIFT;
        if (!rv_memory_page_maybe_nonzero(&m->mem, p))
            continue;
        unsigned perms = m->mem.flags[p] & RV_PAGE_PERMS;
        unmap_pages(m, a, a + RV_PAGE_SIZE);
        rv_memory_protect(&m->mem, a, RV_PAGE_SIZE, perms);
    }
    return 0;
}

static int64_t sys_mincore(rvvm_machine *m, uint64_t addr, uint64_t len, uint64_t vec)
{
    uint64_t plen;
    if (addr & RV_PAGE_MASK)
        return -EINVAL;
    if (!page_len(len, &plen) || addr > m->mem.size || plen > m->mem.size - addr ||
        !range_all_mapped(m, addr, addr + plen))
        return -ENOMEM;
    uint64_t n = plen >> RV_PAGE_SHIFT;
    if (!rv_memory_range_ok(&m->mem, vec, n, RV_PAGE_W))
        return -EFAULT;
    memset(m->mem.base + vec, 1, (size_t)n);
    rv_guest_written(m, vec, n);
    return 0;
}

int64_t rv_mm_syscall(rvvm_machine *m, uint64_t nr, const uint64_t *a, bool *handled)
{
    switch (nr) {
    case RV_NR_brk: return (int64_t)rv_mm_brk(m, a[0]);
    case RV_NR_mmap: return sys_mmap(m, a[0], a[1], a[2], a[3], a[4], a[5]);
    case RV_NR_munmap: return sys_munmap(m, a[0], a[1]);
    case RV_NR_mprotect: return sys_mprotect(m, a[0], a[1], a[2]);
    case RV_NR_mremap: return sys_mremap(m, a[0], a[1], a[2], a[3]);
    case RV_NR_madvise: return sys_madvise(m, a[0], a[1], a[2]);
    case RV_NR_mincore: return sys_mincore(m, a[0], a[1], a[2]);
    case RV_NR_msync:
        if (a[0] & RV_PAGE_MASK)
            return -EINVAL;
        return 0;
    case RV_NR_mlock: case RV_NR_munlock: case RV_NR_mlockall: case RV_NR_munlockall:
        return 0;
    default:
        *handled = false;
        return -ENOSYS;
    }
}
