/*
 * The decode cache: its cap (config.max_code_cache) and the flushes that
 * keep it there, and forks sharing their template's decoded code.
 *
 * The "many pages" guest runs a chain through PAGES code pages, ROUNDS
 * times: page k adds k + 1 to a0 and jumps to page k + 1; the last page
 * counts the rounds down and jumps back to page 0. Its result and counts are
 * worked out by hand below, so a cache that holds 4 pages (and is emptied
 * many times a round) must give exactly what an unbounded one gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/cpu.h"
#include "elfbuild.h"
#include "rvasm.h"

#define PAGES 40
#define ROUNDS 3
/* a0 = ROUNDS * (1 + 2 + ... + PAGES) */
#define CHAIN_A0 (ROUNDS * PAGES * (PAGES + 1) / 2)
/*
 * Instructions: li s0 (1); per round, pages 0..PAGES-2 run addi + jal (2
 * each) and the last page addi, addi, beq and, except in the last round,
 * jal back (4, or 3); then li a7 and ecall (2).
 */
#define CHAIN_INSNS (1 + ROUNDS * 2 * (PAGES - 1) + (ROUNDS - 1) * 4 + 3 + 2)

static uint32_t chain_words[PAGES * RV_PAGE_SIZE / 4];
static size_t chain_len; /* bytes */

static void build_chain(void)
{
    uint32_t *w = chain_words;
    size_t per = RV_PAGE_SIZE / 4;
    w[0] = ADDI(S0, ZERO, ROUNDS);
    for (size_t k = 0; k + 1 < PAGES; k++) {
        size_t at = k * per + (k == 0); /* page 0 starts with the li */
        w[at] = ADDI(A0, A0, (int32_t)k + 1);
        /* to the start of the next page */
        w[at + 1] = JAL(ZERO, (int32_t)(((k + 1) * per - (at + 1)) * 4));
    }
    size_t at = (PAGES - 1) * per;
    w[at] = ADDI(A0, A0, PAGES);
    w[at + 1] = ADDI(S0, S0, -1);
    w[at + 2] = BEQ(S0, ZERO, 8);
    w[at + 3] = JAL(ZERO, -(int32_t)((at + 3 - 1) * 4)); /* back to page 0's addi */
    w[at + 4] = ADDI(A7, ZERO, 93);
    w[at + 5] = ECALL();
    chain_len = (at + 6) * 4;
}

static rvvm_machine *chain_machine(uint64_t cache)
{
    rvvm_config cfg;
    rvvm_config_init(&cfg);
    cfg.memory_size = 4ull << 20;
    cfg.max_code_cache = cache;
    rvvm_machine *m = eb_machine_config(&cfg);
    assert_non_null(m);
    eb_program p = {.code = chain_words, .code_len = chain_len};
    assert_int_equal(eb_load(m, &p), RVVM_OK);
    return m;
}

/* Runs to exit in slices of `slice` cycles; the cache never holds more than `cap` bytes. */
static void run_sliced(rvvm_machine *m, uint64_t slice, uint64_t cap)
{
    rvvm_run_result r;
    for (int guard = 0; guard < 100000; guard++) {
        assert_int_equal(rvvm_run(m, slice, &r), RVVM_OK);
        assert_true(rv_code_bytes(m) <= cap);
        if (r.reason == RVVM_STOP_EXITED) {
            assert_int_equal(r.exit_code, CHAIN_A0 & 0xff);
            return;
        }
        if (r.reason != RVVM_STOP_CYCLE_LIMIT)
            fail_msg("stopped: reason %d, fault %s at pc 0x%llx (address 0x%llx)", (int)r.reason,
                     rvvm_fault_kind_string(r.fault.kind), (unsigned long long)r.fault.pc,
                     (unsigned long long)r.fault.address);
    }
    fail_msg("the chain did not exit");
}

static void test_cap_flushes_and_results_hold(void **state)
{
    (void)state;
    uint8_t ref_digest[32], digest[32];
    /* The default cap holds every page: one run, no flush. */
    rvvm_machine *ref = chain_machine(0);
    run_sliced(ref, RVVM_NO_LIMIT, RVVM_DEFAULT_CODE_CACHE);
    assert_int_equal(rvvm_reg(ref, A0), CHAIN_A0);
    assert_int_equal(rvvm_instructions(ref), CHAIN_INSNS);
    assert_int_equal(rvvm_cycles(ref), CHAIN_INSNS); /* unit costs */
    assert_int_equal(ref->code_flushes, 0);
    assert_int_equal(rv_code_bytes(ref), PAGES * RVVM_CODE_PAGE_BYTES);
    assert_int_equal(rvvm_state_digest(ref, ref_digest), RVVM_OK);

    /* A cap of 4 pages: emptied about every 4 pages, same results. */
    const uint64_t cap = 4 * RVVM_CODE_PAGE_BYTES;
    rvvm_machine *m = chain_machine(cap);
    run_sliced(m, RVVM_NO_LIMIT, cap);
    assert_int_equal(rvvm_reg(m, A0), CHAIN_A0);
    assert_int_equal(rvvm_instructions(m), CHAIN_INSNS);
    assert_int_equal(rvvm_cycles(m), CHAIN_INSNS);
    assert_true(m->code_flushes >= (ROUNDS * PAGES) / 4 - 1);
    assert_int_equal(rvvm_state_digest(m, digest), RVVM_OK);
    assert_memory_equal(digest, ref_digest, 32);
    rvvm_destroy(m);

    /* Split at every budget up to the whole run: the same end every time. */
    for (uint64_t slice = 1; slice <= CHAIN_INSNS; slice += slice < 16 ? 1 : 7) {
        m = chain_machine(slice % 2 ? RVVM_CODE_PAGE_BYTES : 3 * RVVM_CODE_PAGE_BYTES);
        run_sliced(m, slice, slice % 2 ? RVVM_CODE_PAGE_BYTES : 3 * RVVM_CODE_PAGE_BYTES);
        assert_int_equal(rvvm_reg(m, A0), CHAIN_A0);
        assert_int_equal(rvvm_cycles(m), rvvm_cycles(ref));
        assert_int_equal(rvvm_state_digest(m, digest), RVVM_OK);
        assert_memory_equal(digest, ref_digest, 32);
        rvvm_destroy(m);
    }
    rvvm_destroy(ref);
}

/* The host-memory limit empties the cache too, before it would fault. */
static void test_host_limit_flushes(void **state)
{
    (void)state;
    rvvm_machine *m = chain_machine(0);
    m->config.max_host_memory = m->mem.host_used + 2 * RVVM_CODE_PAGE_BYTES + 8 * RV_PAGE_SIZE;
    run_sliced(m, RVVM_NO_LIMIT, 2 * RVVM_CODE_PAGE_BYTES);
    assert_int_equal(rvvm_reg(m, A0), CHAIN_A0);
    assert_true(m->code_flushes > 0);
    assert_true(m->mem.host_used <= m->config.max_host_memory);
    rvvm_destroy(m);
    /* No room for even one page: a clean fault at the first instruction. */
    m = chain_machine(0);
    m->config.max_host_memory = m->mem.host_used + RVVM_CODE_PAGE_BYTES - 1;
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_FAULT);
    assert_int_equal(r.fault.kind, RVVM_FAULT_MEMORY_LIMIT);
    assert_int_equal(r.fault.pc, EB_TEXT);
    assert_int_equal(rvvm_cycles(m), 0);
    rvvm_destroy(m);
}

/*
 * A guest that rewrites its own code on every round (one writable and
 * executable page): the loop adds the immediate of an addi it increments
 * each time, so a0 = 1 + 2 + ... + REWRITES. Its decoded code is dropped and
 * decoded again each round, in the same page's slots: the cache does not grow.
 */
#define REWRITES 200
#define REWRITE_INSNS (5 + 7 * REWRITES + 2)

static void test_rewriting_code_stays_bounded(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit32(&b, ADDI(S0, ZERO, REWRITES));
    emit32(&b, ADDI(A0, ZERO, 0));
    emit32(&b, LUI(T2, 0x100));        /* t2 = 1 << 20: one more in an I-type immediate */
    emit32(&b, AUIPC(T0, 0));          /* t0 = EB_TEXT + 12 */
    emit32(&b, ADDI(T0, T0, 24));      /* t0 = the patched addi, EB_TEXT + 36 */
    emit32(&b, LW(T1, T0, 0));         /* loop (EB_TEXT + 20): */
    emit32(&b, ADD(T1, T1, T2));
    emit32(&b, SW(T1, T0, 0));
    emit32(&b, FENCE_I());
    emit32(&b, ADDI(A0, A0, 0));       /* EB_TEXT + 36: adds 1, then 2, ... */
    emit32(&b, ADDI(S0, S0, -1));
    emit32(&b, BNE(S0, ZERO, -24));
    emit32(&b, ADDI(A7, ZERO, 93));
    emit32(&b, ECALL());
    eb_elf e;
    eb_init(&e, EB_TEXT);
    assert_non_null(eb_add(&e, PT_LOAD, PF_R | PF_W | PF_X, EB_TEXT, b.bytes, b.len, b.len));
    size_t size;
    uint8_t *img = eb_build(&e, &size);
    assert_non_null(img);
    for (int capped = 0; capped < 2; capped++) {
        rvvm_config cfg;
        rvvm_config_init(&cfg);
        cfg.memory_size = 4ull << 20;
        cfg.max_code_cache = capped ? RVVM_CODE_PAGE_BYTES : 0;
        rvvm_machine *m = eb_machine_config(&cfg);
        assert_non_null(m);
        static const char *const argv[] = {"rewrite", NULL};
        assert_int_equal(rvvm_load_elf_memory(m, img, size, "rewrite", argv, NULL), RVVM_OK);
        rvvm_run_result r;
        assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
        assert_int_equal(r.reason, RVVM_STOP_EXITED);
        assert_int_equal(rvvm_reg(m, A0), REWRITES * (REWRITES + 1) / 2);
        assert_int_equal(rvvm_instructions(m), REWRITE_INSNS);
        assert_int_equal(rvvm_cycles(m), REWRITE_INSNS);
        assert_int_equal(rv_code_bytes(m), RVVM_CODE_PAGE_BYTES);
        assert_int_equal(m->code_flushes, 0);
        rvvm_destroy(m);
    }
    free(img);
}

/* ---- fork -------------------------------------------------------------------- */

#define LOOPS 50
/* a0 += 1 LOOPS times, then exit(a0): 2 + 3 * LOOPS + 2 instructions. */
static rva_buf counter;
#define COUNTER_INSNS (2 + 3 * LOOPS + 2)

static void build_counter(void)
{
    rva_init(&counter);
    emit32(&counter, ADDI(A0, ZERO, 0));
    emit32(&counter, ADDI(S0, ZERO, LOOPS));
    emit32(&counter, ADDI(A0, A0, 1)); /* at EB_TEXT + 8: patched by a child */
    emit32(&counter, ADDI(S0, S0, -1));
    emit32(&counter, BNE(S0, ZERO, -8));
    emit32(&counter, ADDI(A7, ZERO, 93));
    emit32(&counter, ECALL());
}

static rvvm_machine *counter_template(void)
{
    rvvm_machine *t = eb_machine("unit", 0);
    assert_non_null(t);
    eb_program p = {.code = counter.bytes, .code_len = counter.len};
    assert_int_equal(eb_load(t, &p), RVVM_OK);
    /* Decode the program: the start, and the loop's first round. */
    rvvm_run_result r;
    assert_int_equal(rvvm_run(t, 5, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
    return t;
}

static void finish(rvvm_machine *m, uint64_t a0)
{
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    assert_int_equal(rvvm_reg(m, A0), a0);
}

static void test_fork_shares_decoded_code(void **state)
{
    (void)state;
    rvvm_machine *t = counter_template();
    const uint64_t page = EB_TEXT >> RV_PAGE_SHIFT;
    rv_slot *tslots = t->code[page];
    assert_non_null(tslots);
    const rv_code_hdr h = *RV_CODE_HDR(tslots);
    assert_true(h.hi > h.lo);
    rv_slot *before = malloc((size_t)(h.hi - h.lo) * sizeof *before);
    assert_non_null(before);
    memcpy(before, tslots + h.lo, (size_t)(h.hi - h.lo) * sizeof *before);

    rvvm_machine *c[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(rvvm_fork(t, &c[i]), RVVM_OK);
    /* Child 0 runs ten rounds of the loop on the template's slots (stopping
     * where a run starts writes nothing): nothing copied. The exit path was
     * never decoded: decoding it copies the page first. */
    rvvm_run_result r;
    assert_int_equal(rvvm_run(c[0], 10 * 3, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(rvvm_reg(c[0], A0), 11);
    assert_ptr_equal(c[0]->code[page], tslots);
    assert_int_equal(rv_code_bytes(c[0]), 0);
    finish(c[0], LOOPS);
    assert_true(c[0]->code[page] != tslots);
    assert_int_equal(rv_code_bytes(c[0]), RVVM_CODE_PAGE_BYTES);
    assert_int_equal(rvvm_instructions(c[0]), COUNTER_INSNS);
    /* Child 1 rewrites the loop's addi: its own code changes, nobody else's. */
    uint32_t addi5 = ADDI(A0, A0, 5);
    assert_int_equal(rvvm_write_memory(c[1], EB_TEXT + 8, &addi5, 4), RVVM_OK);
    finish(c[1], 1 + 5 * (LOOPS - 1)); /* the first round's addi ran in the template */
    /* Child 2 stops at budgets inside the shared page: it writes its stops into a copy. */
    assert_int_equal(rvvm_run(c[2], 4, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
    assert_true(c[2]->code[page] != tslots);
    assert_int_equal(rv_code_bytes(c[2]), RVVM_CODE_PAGE_BYTES);
    finish(c[2], LOOPS);
    assert_int_equal(rvvm_cycles(c[2]), rvvm_cycles(c[0]));
    /* The template's slots are as they were. */
    assert_memory_equal(tslots + h.lo, before, (size_t)(h.hi - h.lo) * sizeof *before);
    /* The template outlives none of them here; the last child outlives it. */
    rvvm_destroy(c[0]);
    rvvm_destroy(c[1]);
    rvvm_machine *late;
    rvvm_destroy(c[2]);
    assert_int_equal(rvvm_fork(t, &late), RVVM_OK);
    rvvm_destroy(t);
    finish(late, LOOPS); /* reads the slots and table the template left behind */
    rvvm_destroy(late);
    free(before);
}

/* The template runs again once its children are gone, and forks again. */
static void test_template_runs_after_children(void **state)
{
    (void)state;
    rvvm_machine *t = counter_template();
    rvvm_machine *c;
    assert_int_equal(rvvm_fork(t, &c), RVVM_OK);
    uint32_t addi7 = ADDI(A0, A0, 7);
    assert_int_equal(rvvm_write_memory(c, EB_TEXT + 8, &addi7, 4), RVVM_OK);
    finish(c, 1 + 7 * (LOOPS - 1));
    rvvm_destroy(c);
    finish(t, LOOPS);
    assert_int_equal(rvvm_instructions(t), COUNTER_INSNS);
    rvvm_destroy(t);
}

int main(void)
{
    build_chain();
    build_counter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cap_flushes_and_results_hold),
        cmocka_unit_test(test_host_limit_flushes),
        cmocka_unit_test(test_rewriting_code_stays_bounded),
        cmocka_unit_test(test_fork_shares_decoded_code),
        cmocka_unit_test(test_template_runs_after_children),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
