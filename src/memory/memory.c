#include "memory.h"

#include <stdlib.h>
#include <sys/mman.h>

void *rv_alloc_zeroed(size_t size)
{
    void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void rv_free_zeroed(void *p, size_t size)
{
    if (p)
        munmap(p, size ? size : 1);
}

int rv_memory_init(rv_memory *mem, uint64_t size)
{
    memset(mem, 0, sizeof *mem);
    if (size == 0 || (size & RV_PAGE_MASK) || size > RV_MAX_PAGES << RV_PAGE_SHIFT)
        return -1;
    /*
     * One reservation: [registers][flags][dirty][guest memory]. Flags and
     * dirty bytes cover the largest possible guest memory, so the
     * interpreter's bounds check is a constant (pages past `size` read as
     * unmapped), and all of it sits at fixed offsets below guest address 0,
     * so one base register reaches registers, flags, dirty bytes and memory.
     * Untouched parts are never committed.
     */
    uint8_t *region = rv_alloc_zeroed(size + RV_REGS_OFFSET);
    if (!region)
        return -1;
    mem->regs = (uint64_t *)region;
    mem->flags = region + RV_PAGE_SIZE;
    mem->dirty = mem->flags + (RV_FLAGS_OFFSET - RV_DIRTY_OFFSET);
    mem->base = region + RV_REGS_OFFSET;
    mem->size = size;
    mem->page_count = size >> RV_PAGE_SHIFT;
    mem->initial_perms = rv_alloc_zeroed(mem->page_count);
    if (!mem->initial_perms) {
        rv_memory_free(mem);
        return -1;
    }
    return 0;
}

void rv_memory_free(rv_memory *mem)
{
    if (mem->regs)
        rv_free_zeroed(mem->regs, mem->size + RV_REGS_OFFSET);
    rv_free_zeroed(mem->initial_perms, mem->page_count);
    memset(mem, 0, sizeof *mem);
}

static bool page_span(const rv_memory *mem, uint64_t addr, uint64_t len, uint64_t *first,
                      uint64_t *end)
{
    if (len == 0 || addr >= mem->size || len > mem->size - addr)
        return false;
    *first = addr >> RV_PAGE_SHIFT;
    *end = (addr + len + RV_PAGE_MASK) >> RV_PAGE_SHIFT;
    return true;
}

/* Stores skip invalidation only on writable pages that hold no decoded code. */
static uint8_t flags_for(uint8_t old, unsigned perms)
{
    uint8_t f = (uint8_t)((old & RV_PAGE_CONTENT) | (perms & RV_PAGE_PERMS));
    if ((perms & RV_PAGE_W) && !(f & RV_PAGE_CODE))
        f |= RV_PAGE_STORE_FAST;
    return f;
}

void rv_memory_set_code(rv_memory *mem, uint64_t page, bool code)
{
    uint8_t f = mem->flags[page];
    f = (uint8_t)(code ? f | RV_PAGE_CODE : f & ~RV_PAGE_CODE);
    mem->flags[page] = flags_for(f, f & RV_PAGE_PERMS);
}

int rv_memory_protect(rv_memory *mem, uint64_t addr, uint64_t len, unsigned perms)
{
    uint64_t first, end;
    if (!page_span(mem, addr, len, &first, &end))
        return -1;
    for (uint64_t p = first; p < end; p++)
        mem->flags[p] = flags_for(mem->flags[p], perms);
    return 0;
}

int rv_memory_unmap(rv_memory *mem, uint64_t addr, uint64_t len)
{
    uint64_t first, end;
    if (!page_span(mem, addr, len, &first, &end))
        return -1;
    for (uint64_t p = first; p < end; p++) {
        if ((mem->flags[p] & RV_PAGE_TOUCHED) || mem->dirty[p]) {
            memset(mem->base + (p << RV_PAGE_SHIFT), 0, RV_PAGE_SIZE);
            /* The page's contents changed, so a snapshot must carry it. */
            mem->dirty[p] = 1;
        }
        mem->flags[p] &= RV_PAGE_CONTENT;
    }
    return 0;
}

void rv_memory_mark_loaded(rv_memory *mem)
{
    const uint8_t *restrict flags = mem->flags;
    uint8_t *restrict initial = mem->initial_perms;
    for (uint64_t p = 0; p < mem->page_count; p++)
        initial[p] = flags[p] & RV_PAGE_PERMS;
    memset(mem->dirty, 0, mem->page_count);
}

void rv_memory_mark_loaded_range(rv_memory *mem, uint64_t first, uint64_t end)
{
    if (end > mem->page_count)
        end = mem->page_count;
    if (first >= end)
        return;
    const uint8_t *restrict flags = mem->flags;
    uint8_t *restrict initial = mem->initial_perms;
    for (uint64_t p = first; p < end; p++)
        initial[p] = flags[p] & RV_PAGE_PERMS;
    memset(mem->dirty + first, 0, end - first);
}

bool rv_memory_range_ok(const rv_memory *mem, uint64_t addr, uint64_t len, unsigned need)
{
    if (len == 0)
        return addr <= mem->size;
    uint64_t first, end;
    if (!page_span(mem, addr, len, &first, &end))
        return false;
    for (uint64_t p = first; p < end; p++)
        if ((mem->flags[p] & need) != need)
            return false;
    return true;
}

void rv_memory_mark_written(rv_memory *mem, uint64_t addr, uint64_t len)
{
    uint64_t first, end;
    if (!page_span(mem, addr, len, &first, &end))
        return;
    for (uint64_t p = first; p < end; p++)
        mem->dirty[p] = 1;
}

bool rv_memory_page_is_zero(const rv_memory *mem, uint64_t page)
{
    if (!rv_memory_page_maybe_nonzero(mem, page))
        return true;
    const uint64_t *w = (const uint64_t *)(mem->base + (page << RV_PAGE_SHIFT));
    /* A cache line at a time, so a page with data is told apart at once. */
    for (size_t i = 0; i < RV_PAGE_SIZE / 8; i += 8) {
        uint64_t acc = 0;
        for (size_t j = 0; j < 8; j++)
            acc |= w[i + j];
        if (acc)
            return false;
    }
    return true;
}
