/*
 * Guest memory: one contiguous host reservation covering guest addresses
 * [0, size), with per-page permission flags and dirty bytes.
 *
 * The reservation is made with MAP_NORESERVE, so the host commits only pages
 * the guest touches. Translation is a page-index bounds check and a flag test;
 * dirty tracking is one byte store.
 *
 * Soft copy-on-write for in-place checkpoints: a page is RV_PAGE_STORE_FAST
 * only once it has been written in the current epoch (it carries
 * RV_PAGE_EPOCH and sits on the epoch list). Taking a checkpoint ends the
 * epoch: the pages on the list lose both flags, so the first write to a page
 * afterwards goes through rv_memory_prepare_write, which saves the page's
 * contents, flags and dirty byte into the newest checkpoint before the write.
 * Every writer of guest memory other than the interpreter's fast store goes
 * through that function: the interpreter's slow store, rvvm_write_memory,
 * rv_memory_range_ok with RV_PAGE_W (the check the OS layer makes before it
 * copies out), rv_memory_protect and rv_memory_unmap.
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
/* Pages whose per-page bytes share one host page: a "piece" of guest memory. */
#define RV_PIECE_PAGES ((uint64_t)RV_PAGE_SIZE)
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
    /* Written in the current checkpoint epoch: its old contents are saved
     * (if a checkpoint exists) and it is on the epoch list. Stores may be
     * fast only on such pages. */
    RV_PAGE_EPOCH = 1u << 7,
    /* Flags that describe contents, kept across permission changes. */
    RV_PAGE_CONTENT = RV_PAGE_TOUCHED | RV_PAGE_ARGS | RV_PAGE_CODE | RV_PAGE_EPOCH,
};

/* A page's state before its first write in a checkpoint's epoch. */
typedef struct rv_saved_page {
    uint32_t page;
    uint8_t flags;          /* without RV_PAGE_EPOCH and RV_PAGE_STORE_FAST */
    uint8_t dirty;
    uint8_t *data;          /* RV_PAGE_SIZE bytes, or NULL: the page was zero */
} rv_saved_page;

/* The pages one checkpoint saved, in the order they were first written. */
typedef struct rv_page_save {
    rv_saved_page *v;
    size_t n, cap;
    bool lost;              /* a page could not be saved (host out of memory) */
} rv_page_save;

/* Copy-on-write sharing of a reservation between a template and its forks. */
typedef struct rv_share rv_share;

typedef struct rv_memory {
    uint8_t *base;          /* host address of guest address 0 */
    uint64_t *regs;         /* the integer registers, at base - RV_REGS_OFFSET */
    uint64_t size;          /* bytes, a page multiple */
    uint64_t page_count;
    uint8_t *flags;         /* RV_PAGE_* per page; RV_MAX_PAGES entries */
    uint8_t *initial_perms; /* permissions right after loading, for snapshots */
    uint8_t *dirty;         /* 1 if written since loading; RV_MAX_PAGES entries */

    uint8_t *region;        /* the whole reservation: [initial_perms][regs][flags][dirty][memory] */
    size_t region_size;
    uint8_t *owned;         /* 1 if this machine committed the page (counted in host_used) */
    uint32_t *epoch;        /* the pages with RV_PAGE_EPOCH */
    size_t epoch_n, epoch_cap;
    rv_page_save *save;     /* the newest checkpoint's saved pages, or NULL */
    uint64_t host_used;     /* bytes counted against host_limit */
    uint64_t host_limit;    /* 0: no limit */
    rv_share *share;        /* set once the reservation is shareable (a fork template) */
    rv_share *parent;       /* for a fork: the template's share */
    /* rv_memory_init_with: the caller's bytes, mapped right before `owned` in
     * the same mapping (NULL: none, or detached by the caller), and whether
     * `owned` (page-rounded) lies right before `region` in that mapping too. */
    uint8_t *front;
    size_t front_size;
    bool joined;
    /* A bit per RV_PIECE_PAGES pages whose per-page bytes (flags, dirty,
     * owned, initial permissions) were ever set: the only places a pooled
     * mapping needs clearing (rv_memory_take_clean). */
    uint64_t pieces[((RV_MAX_PAGES / RV_PIECE_PAGES) + 63) / 64];
} rv_memory;

/* Marks the pieces of pages [first, end) as touched. */
static inline void rv_memory_mark_pieces(rv_memory *mem, uint64_t first, uint64_t end)
{
    for (uint64_t i = first / RV_PIECE_PAGES; i <= (end - 1) / RV_PIECE_PAGES; i++)
        mem->pieces[i / 64] |= 1ull << (i % 64);
}

/*
 * Zero-filled memory straight from the host's page allocator: committed only
 * where touched, and never pre-filled (unlike calloc under MALLOC_PERTURB_).
 */
void *rv_alloc_zeroed(size_t size);
void rv_free_zeroed(void *p, size_t size);

int rv_memory_init(rv_memory *mem, uint64_t size);

/* The same, shareable from the start (backed by a memory file): forks cost no copy. */
int rv_memory_init_shared(rv_memory *mem, uint64_t size);

/*
 * Either of the above (shared or not), with `front` zeroed bytes (a page
 * multiple) for the caller in the same host mapping as the memory's own
 * arrays: one mmap and one munmap for a machine, which is most of what a
 * short-lived machine costs. *front_out gets them; rv_memory_free frees
 * them too unless the caller took them over with rv_memory_detach_front
 * (then the caller unmaps [front, front + front_size) itself).
 */
int rv_memory_init_with(rv_memory *mem, uint64_t size, bool shared, size_t front,
                        void **front_out);
void rv_memory_detach_front(rv_memory *mem);

/* Bytes of the one mapping rv_memory_init_with(mem, size, false, front, ...) makes. */
size_t rv_memory_mapping_size(uint64_t size, size_t front);

/* rv_memory_init_with (not shared) in `mapping`, which is all zero and
 * rv_memory_mapping_size(size, front) bytes (a pool's); it frees it as its own. */
int rv_memory_init_in(rv_memory *mem, uint64_t size, size_t front, void *mapping, void **front_out);

/*
 * For reuse by another machine: zeroes every byte of the memory's one
 * mapping that may be non-zero (only the first front_used bytes of the front
 * can be) and hands the mapping over (*len bytes; rv_memory_free then leaves
 * it alone). NULL if the mapping is not this memory's alone (shared, a fork,
 * front detached) or more than max_pages host pages would need clearing.
 */
void *rv_memory_take_clean(rv_memory *mem, size_t front_used, size_t max_pages, size_t *len);

/* Makes guest bytes [addr, addr+len) (page aligned) read as zero again and gives their
 * host pages back. */
void rv_memory_discard(rv_memory *mem, uint64_t addr, uint64_t len);
void rv_memory_free(rv_memory *mem);

/*
 * Before guest bytes [addr, addr+len) are written other than by a fast store:
 * saves each page's old state into the newest checkpoint if this epoch has not
 * yet, and counts newly committed pages against the host-memory limit.
 * Returns 0, RV_WRITE_LIMIT when the limit (or the host) cannot pay, or
 * RV_WRITE_FROZEN when the memory is a fork template with live children.
 * The range must lie in guest memory.
 */
enum { RV_WRITE_LIMIT = -1, RV_WRITE_FROZEN = -2 };
int rv_memory_prepare_write(rv_memory *mem, uint64_t addr, uint64_t len);

/* True if the memory is a fork template whose children are alive. */
bool rv_memory_frozen(const rv_memory *mem);

/* Ends the epoch: the pages written in it lose RV_PAGE_EPOCH and fast stores. */
void rv_memory_new_epoch(rv_memory *mem);

/* Puts a saved page back (contents, flags, dirty byte); the page leaves the epoch. */
void rv_memory_restore_page(rv_memory *mem, const rv_saved_page *s);

/* Frees a save's copies; charges them back to host_used. */
void rv_memory_save_clear(rv_memory *mem, rv_page_save *save);

/* Bytes of host memory one saved page costs. */
#define RV_SAVED_PAGE_COST(with_data) (sizeof(rv_saved_page) + ((with_data) ? RV_PAGE_SIZE : 0))

/*
 * Makes the reservation shareable (backs it with a memory file, copying the
 * pages in use once) and returns its share; NULL if the host refuses.
 */
rv_share *rv_memory_share(rv_memory *mem);

/*
 * A fork's memory: the template's reservation mapped copy-on-write. With
 * extra > 0, *extra_out gets `extra` zeroed bytes from the same host mapping
 * (one system call less): the memory's front, as for rv_memory_init_with.
 */
int rv_memory_init_fork(rv_memory *mem, const rv_memory *tmpl, size_t extra, void **extra_out);

/* Live children of a share; incremented by a fork, decremented when it is freed. */
void rv_share_add_child(rv_share *s);

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

/*
 * True if [addr, addr+len) lies in guest memory and every page has all `need`
 * flags. With RV_PAGE_W in need the caller is about to write the range, so it
 * is prepared as by rv_memory_prepare_write, and false if that fails.
 */
bool rv_memory_range_ok(rv_memory *mem, uint64_t addr, uint64_t len, unsigned need);

/* Marks the pages covering [addr, addr+len) dirty (after a write). */
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
