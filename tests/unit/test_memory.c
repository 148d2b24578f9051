/*
 * Guest memory: the page table helpers of src/memory (permissions, dirty
 * bytes, translation bounds) and, through the public API, what guest loads
 * and stores do to them: dirty tracking, access faults with the right
 * address and pc, misaligned accesses and misaligned atomics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/cpu.h"
#include "elfbuild.h"
#include "memory/memory.h"
#include "rvasm.h"

#define MEM_SIZE (1ull << 20) /* 256 pages */
#define PG(n) ((uint64_t)(n) << RV_PAGE_SHIFT)

static int mem_setup(void **state)
{
    rv_memory *mem = calloc(1, sizeof *mem);
    if (!mem || rv_memory_init(mem, MEM_SIZE) != 0) {
        free(mem);
        return -1;
    }
    *state = mem;
    return 0;
}

static int mem_teardown(void **state)
{
    rv_memory *mem = *state;
    rv_memory_free(mem);
    free(mem);
    return 0;
}

/* ---- rv_memory_* ------------------------------------------------------ */

static void test_init(void **state)
{
    rv_memory *mem = *state;
    assert_int_equal(mem->size, MEM_SIZE);
    assert_int_equal(mem->page_count, 256);
    assert_non_null(mem->base);
    /* Nothing is mapped yet, page 0 included, and nothing is dirty. */
    for (uint64_t p = 0; p < mem->page_count; p++) {
        assert_int_equal(mem->flags[p] & RV_PAGE_PERMS, 0);
        assert_int_equal(mem->dirty[p], 0);
        assert_true(rv_memory_page_is_zero(mem, p));
    }
    assert_null(rv_memory_translate(mem, 0, 1, RV_PAGE_R));
    assert_null(rv_memory_translate(mem, 0, 8, RV_PAGE_W));
    assert_false(rv_memory_range_ok(mem, 0, 1, RV_PAGE_R));

    rv_memory bad;
    assert_int_equal(rv_memory_init(&bad, 0), -1);
    assert_int_equal(rv_memory_init(&bad, RV_PAGE_SIZE + 1), -1);
    assert_int_equal(rv_memory_init(&bad, 100), -1);
}

static void test_protect(void **state)
{
    rv_memory *mem = *state;
    assert_int_equal(rv_memory_protect(mem, PG(1), PG(2), RV_PAGE_R), 0);
    assert_int_equal(mem->flags[0] & RV_PAGE_PERMS, 0);
    assert_int_equal(mem->flags[1] & RV_PAGE_PERMS, RV_PAGE_R);
    assert_int_equal(mem->flags[2] & RV_PAGE_PERMS, RV_PAGE_R);
    assert_int_equal(mem->flags[3] & RV_PAGE_PERMS, 0);
    /* An unaligned range covers every page it touches. */
    assert_int_equal(rv_memory_protect(mem, PG(5) + 0xff0, 0x20, RV_PAGE_R | RV_PAGE_W), 0);
    assert_int_equal(mem->flags[4] & RV_PAGE_PERMS, 0);
    assert_int_equal(mem->flags[5] & RV_PAGE_PERMS, RV_PAGE_R | RV_PAGE_W);
    assert_int_equal(mem->flags[6] & RV_PAGE_PERMS, RV_PAGE_R | RV_PAGE_W);
    assert_int_equal(mem->flags[7] & RV_PAGE_PERMS, 0);
    /* The last page can be protected; one byte further cannot. */
    assert_int_equal(rv_memory_protect(mem, MEM_SIZE - RV_PAGE_SIZE, RV_PAGE_SIZE, RV_PAGE_R), 0);
    assert_int_equal(mem->flags[255] & RV_PAGE_PERMS, RV_PAGE_R);
    assert_int_equal(rv_memory_protect(mem, MEM_SIZE - RV_PAGE_SIZE, RV_PAGE_SIZE + 1, RV_PAGE_R), -1);
    assert_int_equal(rv_memory_protect(mem, MEM_SIZE, 1, RV_PAGE_R), -1);
    assert_int_equal(rv_memory_protect(mem, UINT64_MAX, 1, RV_PAGE_R), -1);
    /* addr + len wraps around: must be rejected, not treated as small */
    assert_int_equal(rv_memory_protect(mem, PG(8), UINT64_MAX, RV_PAGE_R), -1);
    assert_int_equal(rv_memory_protect(mem, PG(8), UINT64_MAX - PG(8) + 2, RV_PAGE_R), -1);
    assert_int_equal(mem->flags[8] & RV_PAGE_PERMS, 0);
}

/*
 * STORE_FAST marks writable pages that hold no decoded code and were written
 * (prepared) in the current checkpoint epoch: stores there skip all
 * bookkeeping. A page never written stays slow, so its first store is saved
 * and counted.
 */
static void test_store_fast_flag(void **state)
{
    rv_memory *mem = *state;
    const struct {
        unsigned perms;
        bool fast;
    } cases[] = {
        {0, false},
        {RV_PAGE_R, false},
        {RV_PAGE_W, true},
        {RV_PAGE_R | RV_PAGE_W, true},
        {RV_PAGE_X, false},
        {RV_PAGE_R | RV_PAGE_X, false},
        /* Writable and executable: fast until code is decoded there (below). */
        {RV_PAGE_W | RV_PAGE_X, true},
        {RV_PAGE_R | RV_PAGE_W | RV_PAGE_X, true},
    };
    /* Never written: no page is fast, whatever its permissions. */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(rv_memory_protect(mem, PG(9), 1, cases[i].perms), 0);
        assert_int_equal(mem->flags[9] & RV_PAGE_PERMS, cases[i].perms);
        assert_false(mem->flags[9] & RV_PAGE_STORE_FAST);
    }
    /* Written once: fast exactly when writable. */
    assert_int_equal(rv_memory_prepare_write(mem, PG(10) + 8, 8), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(rv_memory_protect(mem, PG(10), 1, cases[i].perms), 0);
        assert_int_equal(mem->flags[10] & RV_PAGE_PERMS, cases[i].perms);
        assert_int_equal(!!(mem->flags[10] & RV_PAGE_STORE_FAST), cases[i].fast);
        bool fast_ok = rv_memory_translate(mem, PG(10) + 8, 8, RV_PAGE_STORE_FAST) != NULL;
        assert_int_equal(fast_ok, cases[i].fast);
    }
    /* Decoded code on a writable page turns fast stores off, and back on when dropped;
     * a permission change keeps the code mark. */
    rv_memory_protect(mem, PG(12), 1, RV_PAGE_R | RV_PAGE_W | RV_PAGE_X);
    assert_int_equal(rv_memory_prepare_write(mem, PG(12), 1), 0);
    assert_true(mem->flags[12] & RV_PAGE_STORE_FAST);
    rv_memory_set_code(mem, 12, true);
    assert_false(mem->flags[12] & RV_PAGE_STORE_FAST);
    rv_memory_protect(mem, PG(12), 1, RV_PAGE_R | RV_PAGE_W);
    assert_false(mem->flags[12] & RV_PAGE_STORE_FAST);
    rv_memory_set_code(mem, 12, false);
    assert_true(mem->flags[12] & RV_PAGE_STORE_FAST);
    /* A new epoch (a checkpoint) makes written pages slow again until written. */
    rv_memory_new_epoch(mem);
    assert_false(mem->flags[12] & RV_PAGE_STORE_FAST);
    assert_false(mem->flags[10] & RV_PAGE_STORE_FAST);
    assert_int_equal(rv_memory_prepare_write(mem, PG(12) + 100, 4), 0);
    assert_true(mem->flags[12] & RV_PAGE_STORE_FAST);
    /* From RW to RX: the fast-store flag must go. */
    rv_memory_protect(mem, PG(11), 1, RV_PAGE_R | RV_PAGE_W);
    assert_true(rv_memory_range_ok(mem, PG(11), 16, RV_PAGE_W)); /* a write-intent check */
    assert_true(mem->flags[11] & RV_PAGE_STORE_FAST);
    rv_memory_protect(mem, PG(11), 1, RV_PAGE_R | RV_PAGE_X);
    assert_false(mem->flags[11] & RV_PAGE_STORE_FAST);
    assert_null(rv_memory_translate(mem, PG(11), 4, RV_PAGE_STORE_FAST));
    assert_null(rv_memory_translate(mem, PG(11), 4, RV_PAGE_W));
}

/* Saving pages for a checkpoint: the first write of an epoch saves, later ones do not. */
static void test_prepare_saves_once(void **state)
{
    rv_memory *mem = *state;
    rv_page_save save = {0};
    rv_memory_protect(mem, PG(20), PG(3), RV_PAGE_R | RV_PAGE_W);
    assert_int_equal(rv_memory_prepare_write(mem, PG(20), 1), 0);
    mem->base[PG(20)] = 0xaa;
    rv_memory_mark_written(mem, PG(20), 1);
    /* A checkpoint: */
    rv_memory_new_epoch(mem);
    mem->save = &save;
    assert_int_equal(rv_memory_prepare_write(mem, PG(20) + 4090, 8), 0); /* pages 20 and 21 */
    assert_int_equal(save.n, 2);
    assert_int_equal(save.v[0].page, 20);
    assert_non_null(save.v[0].data);
    assert_int_equal(save.v[0].data[0], 0xaa);
    assert_int_equal(save.v[0].dirty, 1);
    assert_int_equal(save.v[1].page, 21);
    assert_null(save.v[1].data); /* never written: zero, nothing to copy */
    mem->base[PG(20)] = 0xbb;
    mem->base[PG(21)] = 0xcc;
    rv_memory_mark_written(mem, PG(20), PG(2));
    /* Written again in the same epoch: nothing more saved. */
    assert_int_equal(rv_memory_prepare_write(mem, PG(20), PG(2)), 0);
    assert_int_equal(save.n, 2);
    /* A permission change of a written page saves it; of an untouched one, its flags. */
    rv_memory_protect(mem, PG(22), 1, RV_PAGE_R);
    assert_int_equal(save.n, 3);
    assert_int_equal(save.v[2].flags & RV_PAGE_PERMS, RV_PAGE_R | RV_PAGE_W);
    /* Restoring, newest first, puts every page back. */
    for (size_t i = save.n; i-- > 0;)
        rv_memory_restore_page(mem, &save.v[i]);
    assert_int_equal(mem->base[PG(20)], 0xaa);
    assert_int_equal(mem->base[PG(21)], 0);
    assert_int_equal(mem->dirty[21], 0);
    assert_int_equal(mem->flags[22] & RV_PAGE_PERMS, RV_PAGE_R | RV_PAGE_W);
    uint64_t used = mem->host_used;
    rv_memory_save_clear(mem, &save);
    assert_int_equal(mem->host_used, used - 3 * sizeof(rv_saved_page) - RV_PAGE_SIZE);
    free(save.v);
    mem->save = NULL;
}

/* The host-memory limit counts committed pages and refuses the one past it. */
static void test_host_limit(void **state)
{
    rv_memory *mem = *state;
    rv_memory_protect(mem, PG(30), PG(8), RV_PAGE_R | RV_PAGE_W);
    mem->host_limit = mem->host_used + 3 * RV_PAGE_SIZE;
    assert_int_equal(rv_memory_prepare_write(mem, PG(30), PG(3)), 0);
    assert_int_equal(rv_memory_prepare_write(mem, PG(30), PG(3)), 0); /* counted once */
    assert_int_equal(rv_memory_prepare_write(mem, PG(33), 1), RV_WRITE_LIMIT);
    assert_false(rv_memory_range_ok(mem, PG(33), 1, RV_PAGE_W));
    assert_true(rv_memory_range_ok(mem, PG(33), 1, RV_PAGE_R)); /* reading is free */
    mem->host_limit = 0;
    assert_int_equal(rv_memory_prepare_write(mem, PG(33), 1), 0);
}

static void test_translate_permissions(void **state)
{
    rv_memory *mem = *state;
    rv_memory_protect(mem, PG(1), 1, RV_PAGE_R);
    rv_memory_protect(mem, PG(2), 1, RV_PAGE_R | RV_PAGE_W);
    rv_memory_protect(mem, PG(3), 1, RV_PAGE_X);
    rv_memory_protect(mem, PG(4), 1, RV_PAGE_W);
    /* The host pointer is base + guest address. */
    assert_ptr_equal(rv_memory_translate(mem, PG(1) + 0x123, 1, RV_PAGE_R), mem->base + PG(1) + 0x123);
    assert_ptr_equal(rv_memory_translate(mem, PG(2) + 8, 8, RV_PAGE_W), mem->base + PG(2) + 8);
    /* Loads need R, stores W, fetches X. */
    assert_null(rv_memory_translate(mem, PG(1), 4, RV_PAGE_W));
    assert_null(rv_memory_translate(mem, PG(1), 4, RV_PAGE_X));
    assert_null(rv_memory_translate(mem, PG(3), 4, RV_PAGE_R));
    assert_non_null(rv_memory_translate(mem, PG(3), 4, RV_PAGE_X));
    assert_null(rv_memory_translate(mem, PG(4), 4, RV_PAGE_R));  /* write-only: no loads */
    assert_non_null(rv_memory_translate(mem, PG(4), 4, RV_PAGE_W));
    assert_null(rv_memory_translate(mem, PG(0), 1, RV_PAGE_R));  /* page 0 */
    assert_null(rv_memory_translate(mem, PG(5), 1, RV_PAGE_R));  /* never mapped */
}

/*
 * rv_memory_translate's contract: NULL "when any page involved lacks [the
 * flags in need]". With need = R|W, a read-only page lacks W.
 */
static void test_translate_needs_all_flags(void **state)
{
    rv_memory *mem = *state;
    rv_memory_protect(mem, PG(1), 1, RV_PAGE_R);
    rv_memory_protect(mem, PG(2), 1, RV_PAGE_R | RV_PAGE_W);
    assert_non_null(rv_memory_translate(mem, PG(2), 4, RV_PAGE_R | RV_PAGE_W));
    /* (Regression: this used to test (flags & need) != 0, so one matching flag was enough.) */
    assert_null(rv_memory_translate(mem, PG(1), 4, RV_PAGE_R | RV_PAGE_W));
}

static void test_translate_straddle(void **state)
{
    rv_memory *mem = *state;
    rv_memory_protect(mem, PG(1), 1, RV_PAGE_R | RV_PAGE_W);
    /* Page 2 unmapped: accesses that end in page 1 work, any byte in page 2 fails. */
    assert_non_null(rv_memory_translate(mem, PG(2) - 4, 4, RV_PAGE_R));
    assert_non_null(rv_memory_translate(mem, PG(2) - 8, 8, RV_PAGE_R));
    assert_non_null(rv_memory_translate(mem, PG(2) - 1, 1, RV_PAGE_W));
    assert_null(rv_memory_translate(mem, PG(2) - 3, 4, RV_PAGE_R));
    assert_null(rv_memory_translate(mem, PG(2) - 7, 8, RV_PAGE_R));
    assert_null(rv_memory_translate(mem, PG(2) - 1, 2, RV_PAGE_W));
    /* Page 2 read-only: straddling loads work, straddling stores do not. */
    rv_memory_protect(mem, PG(2), 1, RV_PAGE_R);
    assert_ptr_equal(rv_memory_translate(mem, PG(2) - 3, 4, RV_PAGE_R), mem->base + PG(2) - 3);
    assert_null(rv_memory_translate(mem, PG(2) - 3, 4, RV_PAGE_W));
    assert_null(rv_memory_translate(mem, PG(2) - 1, 8, RV_PAGE_STORE_FAST));
    /* A straddle that starts in an unmapped page fails too. */
    rv_memory_protect(mem, PG(4), 1, RV_PAGE_R);
    assert_null(rv_memory_translate(mem, PG(4) - 2, 4, RV_PAGE_R));
}

static void test_translate_bounds(void **state)
{
    rv_memory *mem = *state;
    rv_memory_protect(mem, MEM_SIZE - RV_PAGE_SIZE, RV_PAGE_SIZE, RV_PAGE_R | RV_PAGE_W);
    assert_non_null(rv_memory_translate(mem, MEM_SIZE - 8, 8, RV_PAGE_R));
    assert_non_null(rv_memory_translate(mem, MEM_SIZE - 1, 1, RV_PAGE_W));
    /* Running off the end of guest memory */
    assert_null(rv_memory_translate(mem, MEM_SIZE - 4, 8, RV_PAGE_R));
    assert_null(rv_memory_translate(mem, MEM_SIZE - 1, 2, RV_PAGE_W));
    assert_null(rv_memory_translate(mem, MEM_SIZE, 1, RV_PAGE_R));
    assert_null(rv_memory_translate(mem, MEM_SIZE + 0x1000, 8, RV_PAGE_R));
    /* Addresses near the top of the 64-bit space, where addr + size wraps */
    assert_null(rv_memory_translate(mem, UINT64_MAX, 1, RV_PAGE_R));
    assert_null(rv_memory_translate(mem, UINT64_MAX, 8, RV_PAGE_R));
    assert_null(rv_memory_translate(mem, UINT64_MAX - 3, 8, RV_PAGE_W));
    assert_null(rv_memory_translate(mem, UINT64_MAX - 7, 8, RV_PAGE_R));
    assert_null(rv_memory_translate(mem, 0xfffffffffffff000ull, 8, RV_PAGE_R));
    assert_null(rv_memory_translate(mem, 0x8000000000000000ull, 4, RV_PAGE_R));
    /* A guest address whose page index aliases a valid one after truncation */
    assert_null(rv_memory_translate(mem, (1ull << 32) + MEM_SIZE - 8, 8, RV_PAGE_R));
    assert_null(rv_memory_translate(mem, (1ull << 44) + MEM_SIZE - 8, 8, RV_PAGE_R));
}

static void test_range_ok(void **state)
{
    rv_memory *mem = *state;
    rv_memory_protect(mem, PG(1), PG(2), RV_PAGE_R);
    rv_memory_protect(mem, PG(3), PG(1), RV_PAGE_R | RV_PAGE_W);
    assert_true(rv_memory_range_ok(mem, PG(1), PG(2), RV_PAGE_R));
    assert_true(rv_memory_range_ok(mem, PG(1) + 5, PG(3) - 5, RV_PAGE_R));
    assert_true(rv_memory_range_ok(mem, PG(1), PG(3), RV_PAGE_R));
    assert_false(rv_memory_range_ok(mem, PG(1), PG(3) + 1, RV_PAGE_R));   /* page 4 unmapped */
    assert_false(rv_memory_range_ok(mem, PG(1), PG(3), RV_PAGE_W));       /* pages 1-2 not W */
    assert_false(rv_memory_range_ok(mem, PG(3), 8, RV_PAGE_R | RV_PAGE_X));
    assert_true(rv_memory_range_ok(mem, PG(3), 8, RV_PAGE_R | RV_PAGE_W)); /* needs both */
    assert_false(rv_memory_range_ok(mem, PG(2), 8, RV_PAGE_R | RV_PAGE_W));
    assert_false(rv_memory_range_ok(mem, 0, 1, RV_PAGE_R));
    /* Empty ranges are fine anywhere up to the end, but not beyond. */
    assert_true(rv_memory_range_ok(mem, PG(7), 0, RV_PAGE_W));
    assert_true(rv_memory_range_ok(mem, MEM_SIZE, 0, RV_PAGE_R));
    assert_false(rv_memory_range_ok(mem, MEM_SIZE + 1, 0, RV_PAGE_R));
    /* Out of range and wrap-around */
    rv_memory_protect(mem, MEM_SIZE - RV_PAGE_SIZE, RV_PAGE_SIZE, RV_PAGE_R);
    assert_true(rv_memory_range_ok(mem, MEM_SIZE - 16, 16, RV_PAGE_R));
    assert_false(rv_memory_range_ok(mem, MEM_SIZE - 16, 17, RV_PAGE_R));
    assert_false(rv_memory_range_ok(mem, PG(1), UINT64_MAX, RV_PAGE_R));
    assert_false(rv_memory_range_ok(mem, PG(1), UINT64_MAX - PG(1) + 1, RV_PAGE_R));
    assert_false(rv_memory_range_ok(mem, UINT64_MAX, 1, RV_PAGE_R));
    assert_false(rv_memory_range_ok(mem, UINT64_MAX - 1, 2, RV_PAGE_R));
    assert_false(rv_memory_range_ok(mem, UINT64_MAX, 0, RV_PAGE_R));
}

static void test_dirty_and_mark_loaded(void **state)
{
    rv_memory *mem = *state;
    rv_memory_protect(mem, PG(1), PG(3), RV_PAGE_R | RV_PAGE_W);
    rv_memory_mark_written(mem, PG(1) + 10, 1);
    rv_memory_mark_written(mem, PG(3) - 2, 4); /* straddles pages 2 and 3 */
    assert_int_equal(mem->dirty[0], 0);
    assert_int_equal(mem->dirty[1], 1);
    assert_int_equal(mem->dirty[2], 1);
    assert_int_equal(mem->dirty[3], 1);
    assert_int_equal(mem->dirty[4], 0);
    rv_memory_mark_written(mem, MEM_SIZE - 1, 2); /* out of range: ignored */
    rv_memory_mark_written(mem, UINT64_MAX, 1);
    assert_int_equal(mem->dirty[255], 0);

    rv_memory_protect(mem, PG(9), 1, RV_PAGE_R | RV_PAGE_X);
    rv_memory_mark_loaded(mem);
    for (uint64_t p = 0; p < mem->page_count; p++) {
        assert_int_equal(mem->dirty[p], 0);
        assert_int_equal(mem->initial_perms[p], mem->flags[p] & RV_PAGE_PERMS);
    }
    assert_int_equal(mem->initial_perms[9], RV_PAGE_R | RV_PAGE_X);
    assert_int_equal(mem->initial_perms[2], RV_PAGE_R | RV_PAGE_W);
    assert_int_equal(mem->initial_perms[0], 0);
}

static void test_unmap(void **state)
{
    rv_memory *mem = *state;
    rv_memory_protect(mem, PG(1), PG(3), RV_PAGE_R | RV_PAGE_W);
    /* Page 1: written by the guest (dirty). Page 2: filled by the loader (touched, clean). */
    memset(mem->base + PG(1), 0xab, RV_PAGE_SIZE);
    rv_memory_mark_written(mem, PG(1), RV_PAGE_SIZE);
    memset(mem->base + PG(2), 0xcd, RV_PAGE_SIZE);
    mem->flags[2] |= RV_PAGE_TOUCHED;
    mem->dirty[2] = 0;
    assert_false(rv_memory_page_is_zero(mem, 1));
    assert_false(rv_memory_page_is_zero(mem, 2));

    assert_int_equal(rv_memory_unmap(mem, PG(1), PG(2)), 0);
    for (uint64_t p = 1; p <= 2; p++) {
        assert_true(rv_memory_page_is_zero(mem, p));
        for (uint64_t i = 0; i < RV_PAGE_SIZE; i += 511)
            assert_int_equal(mem->base[PG(p) + i], 0);
        assert_int_equal(mem->dirty[p], 1);     /* contents changed: a snapshot needs it */
        assert_int_equal(mem->flags[p] & RV_PAGE_PERMS, 0);
        assert_false(mem->flags[p] & RV_PAGE_STORE_FAST);
        assert_null(rv_memory_translate(mem, PG(p), 1, RV_PAGE_R));
        assert_null(rv_memory_translate(mem, PG(p), 1, RV_PAGE_STORE_FAST));
    }
    /* Page 3 stays mapped. */
    assert_int_equal(mem->flags[3] & RV_PAGE_PERMS, RV_PAGE_R | RV_PAGE_W);
    assert_int_equal(rv_memory_unmap(mem, MEM_SIZE, 1), -1);
    assert_int_equal(rv_memory_unmap(mem, PG(3), UINT64_MAX), -1);
    assert_int_equal(mem->flags[3] & RV_PAGE_PERMS, RV_PAGE_R | RV_PAGE_W);
}

static void test_page_is_zero(void **state)
{
    rv_memory *mem = *state;
    assert_true(rv_memory_page_is_zero(mem, 20));
    mem->base[PG(20) + RV_PAGE_SIZE - 1] = 1; /* last byte of the page */
    rv_memory_mark_written(mem, PG(20) + RV_PAGE_SIZE - 1, 1);
    assert_false(rv_memory_page_is_zero(mem, 20));
    mem->base[PG(20) + RV_PAGE_SIZE - 1] = 0;
    assert_true(rv_memory_page_is_zero(mem, 20)); /* dirty but all zero */
    mem->base[PG(21)] = 7;
    mem->flags[21] |= RV_PAGE_TOUCHED;
    assert_false(rv_memory_page_is_zero(mem, 21));
    /* Any one byte of a page, in any cache line: the scan stops early. */
    for (uint64_t off = 0; off < RV_PAGE_SIZE; off += 61) {
        mem->base[PG(22) + off] = 0x80;
        rv_memory_mark_written(mem, PG(22) + off, 1);
        assert_false(rv_memory_page_is_zero(mem, 22));
        mem->base[PG(22) + off] = 0;
        assert_true(rv_memory_page_is_zero(mem, 22));
    }
}

/* ---- Through the public API ------------------------------------------- */

static rvvm_machine *machine_from(const rva_buf *code, const eb_elf *extra_segments)
{
    rvvm_machine *m = eb_machine("unit", 0);
    assert_non_null(m);
    eb_elf e;
    eb_init(&e, EB_TEXT);
    eb_add(&e, PT_LOAD, PF_R | PF_X, EB_TEXT, code->bytes, code->len, code->len);
    if (extra_segments)
        for (size_t i = 0; i < extra_segments->nseg; i++)
            e.seg[e.nseg++] = extra_segments->seg[i];
    size_t size = 0;
    uint8_t *img = eb_build(&e, &size);
    assert_non_null(img);
    static const char *const argv[] = {"memtest", NULL};
    rvvm_status st = rvvm_load_elf_memory(m, img, size, "memtest", argv, NULL);
    free(img);
    if (st != RVVM_OK)
        print_error("load: %s\n", rvvm_last_error(m));
    assert_int_equal(st, RVVM_OK);
    return m;
}

static void emit_exit(rva_buf *b, int code)
{
    emit32(b, ADDI(A0, ZERO, code));
    emit32(b, ADDI(A7, ZERO, 93));
    emit32(b, ECALL());
}

static void run_expect_exit(rvvm_machine *m, int code)
{
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    if (r.reason == RVVM_STOP_FAULT)
        print_error("fault %s at pc 0x%llx addr 0x%llx\n", rvvm_fault_kind_string(r.fault.kind),
                    (unsigned long long)r.fault.pc, (unsigned long long)r.fault.address);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    assert_int_equal(r.exit_code, code);
}

static void run_expect_fault(rvvm_machine *m, rvvm_fault_kind kind, uint64_t pc, uint64_t addr)
{
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_FAULT);
    assert_int_equal(r.fault.kind, kind);
    assert_int_equal(r.fault.pc, pc);
    assert_int_equal(r.fault.address, addr);
    assert_int_equal(rvvm_pc(m), pc);
    /* A faulted machine does not run again. */
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_ERR_STATE);
}

/* Data: three RW pages at EB_DATA; only the first is stored to. */
static void test_guest_store_marks_page_dirty(void **state)
{
    (void)state;
    static const uint8_t data[16] = {1, 2, 3};
    eb_elf extra;
    eb_init(&extra, 0);
    eb_add(&extra, PT_LOAD, PF_R | PF_W, EB_DATA, data, sizeof data, 3 * RV_PAGE_SIZE);
    rva_buf b;
    rva_init(&b);
    emit_li(&b, T0, (int64_t)EB_DATA);
    emit32(&b, LD(T1, T0, 0));               /* loads do not dirty */
    emit32(&b, LD(T1, T0, 0x1000));
    emit32(&b, ADDI(T1, ZERO, 0x5a));
    emit32(&b, SB(T1, T0, 0x123));
    emit_exit(&b, 0);
    rvvm_machine *m = machine_from(&b, &extra);
    for (uint64_t p = 0; p < m->mem.page_count; p++)
        assert_int_equal(m->mem.dirty[p], 0);
    run_expect_exit(m, 0);
    uint64_t dpage = EB_DATA >> RV_PAGE_SHIFT;
    for (uint64_t p = 0; p < m->mem.page_count; p++) {
        if (m->mem.dirty[p] != (p == dpage))
            print_error("page 0x%llx dirty %u\n", (unsigned long long)p, m->mem.dirty[p]);
        assert_int_equal(m->mem.dirty[p], p == dpage);
    }
    uint8_t got[4];
    assert_int_equal(rvvm_read_memory(m, EB_DATA + 0x122, got, 3), RVVM_OK);
    assert_int_equal(got[0], 0);
    assert_int_equal(got[1], 0x5a);
    assert_int_equal(got[2], 0);
    rvvm_destroy(m);
}

static void test_write_memory_marks_dirty(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit_exit(&b, 0);
    rvvm_machine *m = machine_from(&b, NULL);
    uint8_t buf[8] = {9, 9, 9, 9, 9, 9, 9, 9};
    /* Straddles pages 0x40 and 0x41, even unmapped ones: the API ignores permissions. */
    assert_int_equal(rvvm_write_memory(m, 0x41000 - 4, buf, 8), RVVM_OK);
    assert_int_equal(m->mem.dirty[0x40], 1);
    assert_int_equal(m->mem.dirty[0x41], 1);
    assert_int_equal(m->mem.dirty[0x42], 0);
    assert_int_equal(m->mem.dirty[0x3f], 0);
    uint8_t back[8];
    assert_int_equal(rvvm_read_memory(m, 0x41000 - 4, back, 8), RVVM_OK);
    assert_memory_equal(back, buf, 8);
    /* Outside guest memory */
    uint64_t size = rvvm_get_config(m)->memory_size;
    assert_int_equal(rvvm_write_memory(m, size - 4, buf, 8), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_read_memory(m, size - 4, back, 8), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_read_memory(m, UINT64_MAX - 2, back, 8), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_write_memory(m, UINT64_MAX, buf, 1), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_read_memory(m, size - 8, back, 8), RVVM_OK);
    rvvm_destroy(m);
}

/* A store to a read-only (rodata) page faults at the store, with its address. */
static void test_store_to_readonly_faults(void **state)
{
    (void)state;
    static const uint8_t ro[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
    eb_elf extra;
    eb_init(&extra, 0);
    eb_add(&extra, PT_LOAD, PF_R, 0x30000, ro, sizeof ro, sizeof ro);
    rva_buf b;
    rva_init(&b);
    emit_li(&b, T0, 0x30000);                /* 1 instruction: lui */
    emit32(&b, LD(T1, T0, 0));               /* reading is fine */
    emit32(&b, ADDI(T2, ZERO, -1));
    uint64_t fault_pc = EB_TEXT + b.len;
    emit32(&b, SD(T2, T0, 3));       /* sd t2, 3(t0): misaligned and read-only */
    emit_exit(&b, 0);
    rvvm_machine *m = machine_from(&b, &extra);
    run_expect_fault(m, RVVM_FAULT_STORE_ACCESS, fault_pc, 0x30003);
    /* The faulting store is not retired: 3 instructions ran. */
    assert_int_equal(rvvm_instructions(m), 3);
    assert_int_equal(rvvm_cycles(m), 3);
    assert_int_equal(rvvm_reg(m, T1), 0x8877665544332211ull);
    uint8_t back[8];
    rvvm_read_memory(m, 0x30000, back, 8);
    assert_memory_equal(back, ro, 8);
    assert_int_equal(m->mem.dirty[0x30], 0);
    rvvm_destroy(m);

    /* The code page itself is not writable either. */
    rva_init(&b);
    emit_li(&b, T0, (int64_t)EB_TEXT);
    fault_pc = EB_TEXT + b.len;
    emit32(&b, SW(ZERO, T0, 0));
    emit_exit(&b, 0);
    m = machine_from(&b, NULL);
    run_expect_fault(m, RVVM_FAULT_STORE_ACCESS, fault_pc, EB_TEXT);
    rvvm_destroy(m);
}

static void test_load_from_null_faults(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit32(&b, ADDI(A0, ZERO, 1));
    emit32(&b, LD(A1, ZERO, 0));
    emit_exit(&b, 0);
    rvvm_machine *m = machine_from(&b, NULL);
    run_expect_fault(m, RVVM_FAULT_LOAD_ACCESS, EB_TEXT + 4, 0);
    assert_int_equal(rvvm_instructions(m), 1);
    assert_int_equal(rvvm_reg(m, A0), 1);
    rvvm_destroy(m);

    /* A negative offset from x0 wraps to the top of the address space. */
    rva_init(&b);
    emit32(&b, LW(A1, ZERO, -8));
    emit_exit(&b, 0);
    m = machine_from(&b, NULL);
    run_expect_fault(m, RVVM_FAULT_LOAD_ACCESS, EB_TEXT, UINT64_MAX - 7);
    rvvm_destroy(m);

    /* A load just beyond guest memory. */
    rva_init(&b);
    uint64_t size = 4ull << 20;
    emit_li(&b, T0, (int64_t)size);
    uint64_t pc = EB_TEXT + b.len;
    emit32(&b, LBU(A1, T0, 0));
    emit_exit(&b, 0);
    m = machine_from(&b, NULL);
    assert_int_equal(rvvm_get_config(m)->memory_size, size);
    run_expect_fault(m, RVVM_FAULT_LOAD_ACCESS, pc, size);
    rvvm_destroy(m);

    /* A store to page 0. */
    rva_init(&b);
    emit32(&b, ADDI(T0, ZERO, 0x10));
    emit32(&b, SD(T0, T0, 0x7f0));
    emit_exit(&b, 0);
    m = machine_from(&b, NULL);
    run_expect_fault(m, RVVM_FAULT_STORE_ACCESS, EB_TEXT + 4, 0x800);
    rvvm_destroy(m);
}

static void test_fetch_faults(void **state)
{
    (void)state;
    static const uint8_t data[8] = {0x13, 0, 0, 0}; /* a nop, but in a RW page */
    eb_elf extra;
    eb_init(&extra, 0);
    eb_add(&extra, PT_LOAD, PF_R | PF_W, EB_DATA, data, sizeof data, sizeof data);
    rva_buf b;
    rva_init(&b);
    emit_li(&b, T0, (int64_t)EB_DATA);
    emit32(&b, JALR(RA, T0, 0));
    emit_exit(&b, 0);
    rvvm_machine *m = machine_from(&b, &extra);
    run_expect_fault(m, RVVM_FAULT_FETCH_ACCESS, EB_DATA, EB_DATA);
    assert_int_equal(rvvm_reg(m, RA), EB_TEXT + 8);
    rvvm_destroy(m);
}

/* Misaligned ordinary loads and stores work, also across a page boundary. */
static void test_misaligned_access_works(void **state)
{
    (void)state;
    eb_elf extra;
    eb_init(&extra, 0);
    eb_add(&extra, PT_LOAD, PF_R | PF_W, EB_DATA, NULL, 0, 2 * RV_PAGE_SIZE);
    rva_buf b;
    rva_init(&b);
    emit_li(&b, T0, (int64_t)EB_DATA);
    emit_li(&b, T1, 0x1122334455667788ll);
    emit32(&b, SD(T1, T0, 3));               /* misaligned within the page */
    emit32(&b, LD(A1, T0, 3));
    emit32(&b, LW(A2, T0, 5));
    emit32(&b, LHU(A3, T0, 3));
    emit_li(&b, T2, (int64_t)(EB_DATA + RV_PAGE_SIZE - 3));
    emit32(&b, SD(T1, T2, 0));               /* straddles the two pages */
    emit32(&b, LD(A4, T2, 0));
    emit32(&b, LW(A5, T2, 1));               /* 2 bytes each side */
    emit32(&b, SH(T1, T2, 2));               /* last byte + first byte of next page */
    emit32(&b, LH(A6, T2, 2));
    emit_exit(&b, 0);
    rvvm_machine *m = machine_from(&b, &extra);
    run_expect_exit(m, 0);
    assert_int_equal(rvvm_reg(m, A1), 0x1122334455667788ull);
    /* Little-endian: at +3 lie 88 77 66 55 44 33 22 11, so +5 holds 66 55 44 33. */
    assert_int_equal(rvvm_reg(m, A2), 0x33445566ull);
    assert_int_equal(rvvm_reg(m, A3), 0x7788ull);
    assert_int_equal(rvvm_reg(m, A4), 0x1122334455667788ull);
    assert_int_equal(rvvm_reg(m, A5), 0x44556677ull);
    assert_int_equal(rvvm_reg(m, A6), 0x7788ull); /* lh of 0x7788: positive */
    uint8_t bytes[8];
    rvvm_read_memory(m, EB_DATA + RV_PAGE_SIZE - 3, bytes, 8);
    const uint8_t want[8] = {0x88, 0x77, 0x88, 0x77, 0x44, 0x33, 0x22, 0x11};
    assert_memory_equal(bytes, want, 8);
    assert_int_equal(m->mem.dirty[(EB_DATA >> RV_PAGE_SHIFT)], 1);
    assert_int_equal(m->mem.dirty[(EB_DATA >> RV_PAGE_SHIFT) + 1], 1);
    rvvm_destroy(m);
}

/* A straddling store whose second page is read-only faults and writes nothing. */
static void test_straddling_store_is_all_or_nothing(void **state)
{
    (void)state;
    static const uint8_t ro[16] = {0xee, 0xee, 0xee, 0xee};
    eb_elf extra;
    eb_init(&extra, 0);
    eb_add(&extra, PT_LOAD, PF_R | PF_W, EB_DATA, NULL, 0, RV_PAGE_SIZE);
    eb_add(&extra, PT_LOAD, PF_R, EB_DATA + RV_PAGE_SIZE, ro, sizeof ro, sizeof ro);
    rva_buf b;
    rva_init(&b);
    emit_li(&b, T0, (int64_t)(EB_DATA + RV_PAGE_SIZE - 4));
    emit32(&b, ADDI(T1, ZERO, -1));
    emit32(&b, LD(A0, T0, 0));               /* a straddling load is fine */
    uint64_t pc = EB_TEXT + b.len;
    emit32(&b, SD(T1, T0, 0));
    emit_exit(&b, 0);
    rvvm_machine *m = machine_from(&b, &extra);
    run_expect_fault(m, RVVM_FAULT_STORE_ACCESS, pc, EB_DATA + RV_PAGE_SIZE - 4);
    assert_int_equal(rvvm_reg(m, A0), 0xeeeeeeee00000000ull);
    uint8_t back[8];
    rvvm_read_memory(m, EB_DATA + RV_PAGE_SIZE - 4, back, 8);
    const uint8_t want[8] = {0, 0, 0, 0, 0xee, 0xee, 0xee, 0xee};
    assert_memory_equal(back, want, 8);
    rvvm_destroy(m);
}

static void test_misaligned_atomics_fault(void **state)
{
    (void)state;
    eb_elf extra;
    eb_init(&extra, 0);
    eb_add(&extra, PT_LOAD, PF_R | PF_W, EB_DATA, NULL, 0, RV_PAGE_SIZE);
    struct {
        uint32_t insn;
        int64_t offset;
    } cases[] = {
        {AMO_W(AMO_ADD, A0, T1, T0), 2},
        {AMO_W(AMO_SWAP, A0, T1, T0), 1},
        {AMO_D(AMO_ADD, A0, T1, T0), 4},
        {LR_W(A0, T0), 2},
        {LR_D(A0, T0), 4},
        {SC_W(A0, T1, T0), 1},
        {SC_D(A0, T1, T0), 12},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rva_buf b;
        rva_init(&b);
        emit_li(&b, T0, (int64_t)EB_DATA + cases[i].offset);
        emit32(&b, ADDI(T1, ZERO, 5));
        uint64_t pc = EB_TEXT + b.len;
        emit32(&b, cases[i].insn);
        emit_exit(&b, 0);
        rvvm_machine *m = machine_from(&b, &extra);
        run_expect_fault(m, RVVM_FAULT_MISALIGNED_ATOMIC, pc, EB_DATA + (uint64_t)cases[i].offset);
        uint8_t back[16];
        rvvm_read_memory(m, EB_DATA, back, 16);
        for (int k = 0; k < 16; k++)
            assert_int_equal(back[k], 0);
        rvvm_destroy(m);
    }
    /* Aligned, the same amoadd.w works. */
    rva_buf b;
    rva_init(&b);
    emit_li(&b, T0, (int64_t)EB_DATA + 4);
    emit32(&b, ADDI(T1, ZERO, 5));
    emit32(&b, AMO_W(AMO_ADD, A1, T1, T0));
    emit32(&b, AMO_W(AMO_ADD, A2, T1, T0));
    emit32(&b, LW(A3, T0, 0));
    emit_exit(&b, 0);
    rvvm_machine *m = machine_from(&b, &extra);
    run_expect_exit(m, 0);
    assert_int_equal(rvvm_reg(m, A1), 0);
    assert_int_equal(rvvm_reg(m, A2), 5);
    assert_int_equal(rvvm_reg(m, A3), 10);
    rvvm_destroy(m);
}

/* An AMO on a read-only page is a store fault, and changes nothing. */
static void test_amo_on_readonly_faults(void **state)
{
    (void)state;
    static const uint8_t ro[8] = {1, 0, 0, 0, 0, 0, 0, 0};
    eb_elf extra;
    eb_init(&extra, 0);
    eb_add(&extra, PT_LOAD, PF_R, EB_DATA, ro, sizeof ro, sizeof ro);
    rva_buf b;
    rva_init(&b);
    emit_li(&b, T0, (int64_t)EB_DATA);
    emit32(&b, ADDI(T1, ZERO, 5));
    emit32(&b, ADDI(A0, ZERO, 77));
    uint64_t pc = EB_TEXT + b.len;
    emit32(&b, AMO_D(AMO_ADD, A0, T1, T0));
    emit_exit(&b, 0);
    rvvm_machine *m = machine_from(&b, &extra);
    run_expect_fault(m, RVVM_FAULT_STORE_ACCESS, pc, EB_DATA);
    assert_int_equal(rvvm_reg(m, A0), 77);   /* rd not written */
    uint8_t back[8];
    rvvm_read_memory(m, EB_DATA, back, 8);
    assert_memory_equal(back, ro, 8);
    rvvm_destroy(m);
}

/* The state digest covers non-zero pages only: zeros written anywhere change nothing. */
static void test_digest_and_zero_pages(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit_exit(&b, 0);
    rvvm_machine *m1 = machine_from(&b, NULL);
    rvvm_machine *m2 = machine_from(&b, NULL);
    uint8_t d1[32], d2[32];
    assert_int_equal(rvvm_state_digest(m1, d1), RVVM_OK);
    assert_int_equal(rvvm_state_digest(m2, d2), RVVM_OK);
    assert_memory_equal(d1, d2, 32);
    /* A page written with zeros (dirty, but all zero) is as if untouched. */
    static const uint8_t zeros[64];
    assert_int_equal(rvvm_write_memory(m2, 0x50000, zeros, sizeof zeros), RVVM_OK);
    assert_int_equal(m2->mem.dirty[0x50], 1);
    assert_int_equal(rvvm_state_digest(m2, d2), RVVM_OK);
    assert_memory_equal(d1, d2, 32);
    /* One non-zero byte anywhere changes it; putting the zero back restores it. */
    const uint8_t one = 1;
    assert_int_equal(rvvm_write_memory(m2, 0x50fff, &one, 1), RVVM_OK);
    assert_int_equal(rvvm_state_digest(m2, d2), RVVM_OK);
    assert_memory_not_equal(d1, d2, 32);
    assert_int_equal(rvvm_write_memory(m2, 0x50fff, zeros, 1), RVVM_OK);
    assert_int_equal(rvvm_state_digest(m2, d2), RVVM_OK);
    assert_memory_equal(d1, d2, 32);
    /* The same byte at another address is another state. */
    uint8_t d3[32];
    assert_int_equal(rvvm_write_memory(m1, 0x50fff, &one, 1), RVVM_OK);
    assert_int_equal(rvvm_write_memory(m2, 0x51fff, &one, 1), RVVM_OK);
    assert_int_equal(rvvm_state_digest(m1, d1), RVVM_OK);
    assert_int_equal(rvvm_state_digest(m2, d3), RVVM_OK);
    assert_memory_not_equal(d1, d3, 32);
    /* Registers and pc are part of the state: one instruction changes it. */
    assert_int_equal(rvvm_state_digest(m1, d1), RVVM_OK);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m1, 1, &r), RVVM_OK);
    assert_int_equal(rvvm_state_digest(m1, d2), RVVM_OK);
    assert_memory_not_equal(d1, d2, 32);
    rvvm_destroy(m1);
    rvvm_destroy(m2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init, mem_setup, mem_teardown),
        cmocka_unit_test_setup_teardown(test_protect, mem_setup, mem_teardown),
        cmocka_unit_test_setup_teardown(test_store_fast_flag, mem_setup, mem_teardown),
        cmocka_unit_test_setup_teardown(test_prepare_saves_once, mem_setup, mem_teardown),
        cmocka_unit_test_setup_teardown(test_host_limit, mem_setup, mem_teardown),
        cmocka_unit_test_setup_teardown(test_translate_permissions, mem_setup, mem_teardown),
        cmocka_unit_test_setup_teardown(test_translate_needs_all_flags, mem_setup, mem_teardown),
        cmocka_unit_test_setup_teardown(test_translate_straddle, mem_setup, mem_teardown),
        cmocka_unit_test_setup_teardown(test_translate_bounds, mem_setup, mem_teardown),
        cmocka_unit_test_setup_teardown(test_range_ok, mem_setup, mem_teardown),
        cmocka_unit_test_setup_teardown(test_dirty_and_mark_loaded, mem_setup, mem_teardown),
        cmocka_unit_test_setup_teardown(test_unmap, mem_setup, mem_teardown),
        cmocka_unit_test_setup_teardown(test_page_is_zero, mem_setup, mem_teardown),
        cmocka_unit_test(test_guest_store_marks_page_dirty),
        cmocka_unit_test(test_write_memory_marks_dirty),
        cmocka_unit_test(test_store_to_readonly_faults),
        cmocka_unit_test(test_load_from_null_faults),
        cmocka_unit_test(test_fetch_faults),
        cmocka_unit_test(test_misaligned_access_works),
        cmocka_unit_test(test_straddling_store_is_all_or_nothing),
        cmocka_unit_test(test_misaligned_atomics_fault),
        cmocka_unit_test(test_amo_on_readonly_faults),
        cmocka_unit_test(test_digest_and_zero_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
