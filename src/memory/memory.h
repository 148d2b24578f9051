/*
 * Guest memory: one contiguous host reservation covering guest addresses
 * [0, size), with per-page permission flags and dirty bytes.
 *
 * The reservation is made with MAP_NORESERVE, so the host commits only pages
 * the guest touches. Translation is a page-index bounds check and a flag test;
 * dirty tracking is one byte store.
 */
#ifndef RVVM_MEMORY_H
#define RVVM_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rvvm/rvvm.h"

#define RV_PAGE_SHIFT 12
#define RV_PAGE_SIZE ((uint64_t)1 << RV_PAGE_SHIFT)
#define RV_PAGE_MASK (RV_PAGE_SIZE - 1)
/* Pages of the largest guest memory (RVVM_MAX_MEMORY_SIZE, 16 GiB). */
#define RV_MAX_PAGES (RVVM_MAX_MEMORY_SIZE >> RV_PAGE_SHIFT)
/* flags[p] is base[p - RV_FLAGS_OFFSET] and dirty[p] is base[p - RV_DIRTY_OFFSET]. */
#define RV_FLAGS_OFFSET (2 * RV_MAX_PAGES)
#define RV_DIRTY_OFFSET RV_MAX_PAGES
/* The integer register file sits one page below the flags (see rv_memory_init). */
#define RV_REGS_OFFSET (RV_FLAGS_OFFSET + RV_PAGE_SIZE)
#define RV_REG_COUNT 33 /* x0..x31 and the sink for writes to x0 */
#define RV_REG_INSTRET RV_REG_COUNT /* the word after them: the interpreter's instruction count */

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "rvvm assumes a little-endian host (x86-64, AArch64)"
#endif

/* Page flags. */
enum {
    RV_PAGE_R = 1u << 0,
    RV_PAGE_W = 1u << 1,
    RV_PAGE_X = 1u << 2,
    RV_PAGE_PERMS = RV_PAGE_R | RV_PAGE_W | RV_PAGE_X,
    /* Writable and holding no decoded code: stores need no invalidation. */
    RV_PAGE_STORE_FAST = 1u << 3,
    /* Decoded code depends on this page's bytes (set by the decode cache). */
    RV_PAGE_CODE = 1u << 6,
    /* Filled by the loader; with the dirty byte, says the page may be non-zero. */
    RV_PAGE_TOUCHED = 1u << 4,
    /* Holds the loader's argv/envp/auxv: not part of the program, so snapshots keep it. */
    RV_PAGE_ARGS = 1u << 5,
    /* Flags that describe contents, kept across permission changes. */
    RV_PAGE_CONTENT = RV_PAGE_TOUCHED | RV_PAGE_ARGS | RV_PAGE_CODE,
};

typedef struct rv_memory {
    uint8_t *base;          /* host address of guest address 0 */
    uint64_t *regs;         /* the integer registers, at base - RV_REGS_OFFSET */
    uint64_t size;          /* bytes, a page multiple */
    uint64_t page_count;
    uint8_t *flags;         /* RV_PAGE_* per page; RV_MAX_PAGES entries */
    uint8_t *initial_perms; /* permissions right after loading, for snapshots */
    uint8_t *dirty;         /* 1 if written since loading; RV_MAX_PAGES entries */
} rv_memory;

/*
 * Zero-filled memory straight from the host's page allocator: committed only
 * where touched, and never pre-filled (unlike calloc under MALLOC_PERTURB_).
 */
void *rv_alloc_zeroed(size_t size);
void rv_free_zeroed(void *p, size_t size);

int rv_memory_init(rv_memory *mem, uint64_t size);
void rv_memory_free(rv_memory *mem);

/* Sets permissions of the pages covering [addr, addr+len). Returns -1 if out of range. */
int rv_memory_protect(rv_memory *mem, uint64_t addr, uint64_t len, unsigned perms);

/* Marks a page as holding decoded code (or not), which turns fast stores off (on). */
void rv_memory_set_code(rv_memory *mem, uint64_t page, bool code);

/* Drops the contents of the pages covering [addr, addr+len) and unmaps them. */
int rv_memory_unmap(rv_memory *mem, uint64_t addr, uint64_t len);

/* Records the current permissions as the loaded state and clears every dirty bit. */
void rv_memory_mark_loaded(rv_memory *mem);

/*
 * The same for pages [first, end) only: a loader that knows which pages it
 * set calls it for each, so loading costs what the program occupies.
 */
void rv_memory_mark_loaded_range(rv_memory *mem, uint64_t first, uint64_t end);

/* True if [addr, addr+len) lies in guest memory and every page has all `need` flags. */
bool rv_memory_range_ok(const rv_memory *mem, uint64_t addr, uint64_t len, unsigned need);

/* Marks the pages covering [addr, addr+len) dirty. */
void rv_memory_mark_written(rv_memory *mem, uint64_t addr, uint64_t len);

/* Pages neither loaded nor written are zero without looking at them. */
static inline bool rv_memory_page_maybe_nonzero(const rv_memory *mem, uint64_t page)
{
    return (mem->flags[page] & RV_PAGE_TOUCHED) || mem->dirty[page];
}

/* True if the page's 4 KiB are all zero. */
bool rv_memory_page_is_zero(const rv_memory *mem, uint64_t page);

/*
 * Fast translation for a data access of `size` bytes (1..8) that needs the
 * flags in `need`. Returns NULL when any page involved lacks them or lies
 * outside guest memory; the caller then takes its slow path.
 */
static inline uint8_t *rv_memory_translate(const rv_memory *mem, uint64_t addr, unsigned size,
                                           unsigned need)
{
    uint64_t page = addr >> RV_PAGE_SHIFT;
    if (__builtin_expect(page >= mem->page_count || (mem->flags[page] & need) != need, 0))
        return NULL;
    /* An access that straddles a page needs the next page too. */
    if (__builtin_expect((addr & RV_PAGE_MASK) > RV_PAGE_SIZE - size, 0)) {
        if (page + 1 >= mem->page_count || (mem->flags[page + 1] & need) != need)
            return NULL;
    }
    return mem->base + addr;
}

static inline uint64_t rv_load_le(const uint8_t *p, unsigned size)
{
    switch (size) {
    case 1: return p[0];
    case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
}

static inline void rv_store_le(uint8_t *p, uint64_t v, unsigned size)
{
    switch (size) {
    case 1: p[0] = (uint8_t)v; break;
    case 2: { uint16_t t = (uint16_t)v; memcpy(p, &t, 2); break; }
    case 4: { uint32_t t = (uint32_t)v; memcpy(p, &t, 4); break; }
    default: memcpy(p, &v, 8); break;
    }
}

#endif
