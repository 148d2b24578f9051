/*
 * Cycle metering. A hand-assembled loop with a known instruction sequence
 * and cost classes is run whole, then stopped at every possible budget:
 * each stop must land exactly where the test's own prefix sums of costs say
 * (the longest prefix whose cost fits), and resuming must reach the same end
 * state as the unsplit run. Also budget chains, budget 0, and cost-file
 * parsing.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "elfbuild.h"
#include "rvasm.h"

/* ---- The program ------------------------------------------------------ */

enum { PLAIN, JAL_TO, BNE_TO, BEQ_TO };

typedef struct pinsn {
    int kind;
    uint32_t enc;      /* PLAIN: the encoding; others: registers below */
    unsigned len;      /* 2 or 4 */
    rvvm_cost_class cls;
    unsigned r1, r2;   /* jal: rd; branches: rs1, rs2 */
    int target;        /* index of the target instruction */
} pinsn;

#define P32(e, c) {PLAIN, (e), 4, RVVM_COST_##c, 0, 0, 0}
#define P16(e, c) {PLAIN, (e), 2, RVVM_COST_##c, 0, 0, 0}

/* Instruction indices used as branch targets. */
enum { I_LOOP = 4, I_SKIP_TARGET = 17, I_AFTER_CALL = 28, I_FUNC = 33 };

#define NPROG 36
static pinsn program[NPROG];

/* Fills program[] (the encoders are functions, so this cannot be a static initializer). */
static void init_program(void)
{
    const pinsn p[] = {
    /* 0 */ P32(LUI(T0, EB_DATA >> 12), ALU),
    /* 1 */ P32(ADDI(S0, ZERO, 5), ALU),          /* loop counter 5..1 */
    /* 2 */ P32(LUI(T1, 0), ALU),                 /* lui+addi: a fused pair, t1 = 3 */
    /* 3 */ P32(ADDI(T1, T1, 3), ALU),
    /* 4: loop */ P32(SD(S0, T0, 0), STORE),
    /* 5 */ P32(LD(T2, T0, 0), LOAD),
    /* 6 */ P32(MUL(T3, T2, T1), MUL),
    /* 7 */ P32(ADD(S1, S1, T3), ALU),
    /* 8 */ P32(DIV(T4, S1, T1), DIV),
    /* 9 */ P32(REM(T5, S1, T1), DIV),
    /* 10 */ P32(LW(A4, T0, 8), LOAD),           /* lw+addi: a fused pair */
    /* 11 */ P16(C_ADDI(S1, 1), ALU),
    /* 12 */ P32(SW(S1, T0, 8), STORE),
    /* 13 */ P32(SLLI(A3, S1, 2), ALU),           /* slli+add: a fused pair */
    /* 14 */ P32(ADD(S1, T4, A3), ALU),
    /* 15 */ {BEQ_TO, 0, 4, RVVM_COST_BRANCH, S0, T1, I_SKIP_TARGET}, /* taken when s0 == 3 */
    /* 16 */ P32(ADDI(S1, S1, 100), ALU),
    /* 17 */ P32(ADDI(A0, ZERO, 1), ALU),         /* write(1, t0, 0) */
    /* 18 */ P32(ADDI(A1, T0, 0), ALU),
    /* 19 */ P16(C_LI(A2, 0), ALU),
    /* 20 */ P32(ADDI(A7, ZERO, 64), ALU),
    /* 21 */ P32(ECALL(), ECALL),
    /* 22 */ P32(ADD(S1, S1, A0), ALU),
    /* 23 */ P32(CSRRS(A5, 0xc00, ZERO), CSR),    /* rdcycle: depends on exact metering */
    /* 24 */ P32(ADD(S1, S1, A5), ALU),
    /* 25 */ P32(CSRRS(A6, 0xc02, ZERO), CSR),    /* rdinstret */
    /* 26 */ P32(XOR(S1, S1, A6), ALU),
    /* 27 */ {JAL_TO, 0, 4, RVVM_COST_JUMP, RA, 0, I_FUNC},
    /* 28 */ P16(C_ADDI(S0, -1), ALU),           /* addi+bne: a fused pair */
    /* 29 */ {BNE_TO, 0, 4, RVVM_COST_BRANCH, S0, ZERO, I_LOOP},
    /* 30 */ P32(ANDI(A0, S1, 0xff), ALU),
    /* 31 */ P32(ADDI(A7, ZERO, 93), ALU),
    /* 32 */ P32(ECALL(), ECALL),
    /* 33: func */ P32(ADDI(S1, S1, 5), ALU),
    /* 34 */ P32(FENCE(15, 15), FENCE),
    /* 35 */ P16(C_JR(RA), JUMP),
    };
    _Static_assert(sizeof p / sizeof p[0] == NPROG, "NPROG");
    memcpy(program, p, sizeof p);
}

/*
 * Where program[0] sits. At EB_TEXT by default; the page-crossing layout
 * starts with a jal from EB_TEXT (trace index JUMP_IN) to a base chosen so
 * that the loop body runs across a page boundary, with a 32-bit instruction
 * straddling it.
 */
#define JUMP_IN NPROG
static uint64_t base = EB_TEXT;

static uint64_t addr_of(size_t i)
{
    if (i == JUMP_IN)
        return EB_TEXT;
    uint64_t a = base;
    for (size_t j = 0; j < i; j++)
        a += program[j].len;
    return a;
}

static rvvm_cost_class class_of(size_t i)
{
    return i == JUMP_IN ? RVVM_COST_JUMP : program[i].cls;
}

static void assemble(rva_buf *b)
{
    rva_init(b);
    if (base != EB_TEXT) {
        emit32(b, JAL(ZERO, (int32_t)(base - EB_TEXT)));
        while (b->len < base - EB_TEXT)
            emit16(b, 0); /* never executed */
    }
    for (size_t i = 0; i < NPROG; i++) {
        const pinsn *p = &program[i];
        int32_t off = p->kind == PLAIN ? 0 : (int32_t)(addr_of((size_t)p->target) - addr_of(i));
        uint32_t enc = p->enc;
        if (p->kind == JAL_TO) enc = JAL(p->r1, off);
        if (p->kind == BNE_TO) enc = BNE(p->r1, p->r2, off);
        if (p->kind == BEQ_TO) enc = BEQ(p->r1, p->r2, off);
        if (p->len == 2)
            emit16(b, enc);
        else
            emit32(b, enc);
    }
}

/* The dynamic instruction sequence, worked out by hand from the control flow. */
#define MAX_TRACE 512
static size_t trace[MAX_TRACE];
static size_t ntrace;

static void add_range(size_t from, size_t to)
{
    for (size_t i = from; i <= to; i++)
        trace[ntrace++] = i;
}

static void build_trace(void)
{
    ntrace = 0;
    if (base != EB_TEXT)
        trace[ntrace++] = JUMP_IN;
    add_range(0, 3);
    for (int s0 = 5; s0 >= 1; s0--) {
        add_range(4, 15);
        if (s0 != 3) /* beq s0, t1 (= 3) skips instruction 16 */
            add_range(16, 16);
        add_range(17, 27);
        add_range(33, 35);   /* the call */
        add_range(28, 29);   /* bne loops while s0 != 0 */
    }
    add_range(30, 32);
}

/* prefix[k] = cycles of the first k instructions of the trace. */
static uint64_t prefix[MAX_TRACE + 1];

static void build_prefix(const rvvm_cost_model *cm)
{
    prefix[0] = 0;
    for (size_t k = 0; k < ntrace; k++)
        prefix[k + 1] = prefix[k] + cm->cost[class_of(trace[k])];
}

/* The longest prefix, starting from instruction `from`, that fits in `budget`. */
static size_t expected_stop(size_t from, uint64_t budget)
{
    size_t k = from;
    while (k < ntrace && prefix[k + 1] - prefix[from] <= budget)
        k++;
    return k;
}

/* ---- Machines --------------------------------------------------------- */

/*
 * The engine every machine of this run uses: `test_metering jit` runs all
 * of it with the translation tier forced on (every counted run translated at
 * its first execution), so the same expectations hold for translated code.
 */
static rvvm_engine test_engine = RVVM_ENGINE_INTERP;

/*
 * With the tier, every machine of the run shares one translation cache that
 * compiles synchronously (RVVM_JIT_SYNC): a run is translated the first time
 * any machine enters it, and every later machine installs that code at once.
 * So hundreds of machines cost one compilation per run, and every budget is
 * tested as with the interpreter.
 */
static rvvm_jit_cache *test_cache;
static uint64_t translated_total; /* runs installed in finished machines: must not stay 0 */

static uint64_t next_budget(uint64_t b, uint64_t total)
{
    (void)total;
    return b + 1;
}

static rvvm_status create(rvvm_config *c, rvvm_machine **m)
{
    c->engine = test_engine;
    c->jit_threshold = 1;
    c->jit_cache = test_cache;
    return rvvm_create(c, m);
}

static rva_buf code;

/* A 1 MiB machine with cost model cm running `prog` from EB_TEXT, with 0x100 bytes of data. */
static rvvm_machine *code_machine(const rva_buf *prog, const rvvm_cost_model *cm)
{
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = 1ull << 20;
    c.cost_model = *cm;
    rvvm_machine *m = NULL;
    assert_int_equal(create(&c, &m), RVVM_OK);
    eb_program p = {.code = prog->bytes, .code_len = prog->len, .data_memsz = 0x100};
    assert_int_equal(eb_load(m, &p), RVVM_OK);
    return m;
}

static rvvm_machine *fresh(const rvvm_cost_model *cm)
{
    return code_machine(&code, cm);
}

typedef struct final_state {
    int exit_code;
    uint64_t cycles, instret;
    uint8_t digest[32];
} final_state;

static void finish(rvvm_machine *m, final_state *out)
{
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    out->exit_code = r.exit_code;
    out->cycles = rvvm_cycles(m);
    out->instret = rvvm_instructions(m);
    assert_int_equal(rvvm_state_digest(m, out->digest), RVVM_OK);
    translated_total += rvvm_jit_translated(m);
}

static void same_final(const final_state *a, const final_state *b)
{
    assert_int_equal(a->exit_code, b->exit_code);
    assert_int_equal(a->cycles, b->cycles);
    assert_int_equal(a->instret, b->instret);
    assert_memory_equal(a->digest, b->digest, 32);
}

/* Checks that m stopped at the budget exactly before trace instruction k. */
static void check_stop(rvvm_machine *m, const rvvm_run_result *r, size_t k, uint64_t budget_end)
{
    if (rvvm_instructions(m) != k || rvvm_cycles(m) != prefix[k])
        print_error("budget end %llu: stopped after %llu insns / %llu cycles, want %zu / %llu\n",
                    (unsigned long long)budget_end, (unsigned long long)rvvm_instructions(m),
                    (unsigned long long)rvvm_cycles(m), k, (unsigned long long)prefix[k]);
    assert_int_equal(rvvm_instructions(m), k);
    assert_int_equal(rvvm_cycles(m), prefix[k]);
    if (k == ntrace) {
        assert_int_equal(r->reason, RVVM_STOP_EXITED);
    } else {
        assert_int_equal(r->reason, RVVM_STOP_CYCLE_LIMIT);
        assert_int_equal(rvvm_pc(m), addr_of(trace[k]));
        assert_true(prefix[k + 1] > budget_end); /* the next one would not fit */
    }
    assert_true(rvvm_cycles(m) <= budget_end);
}

/* ---- Tests ------------------------------------------------------------ */

static void whole_run(const rvvm_cost_model *cm, final_state *whole)
{
    rvvm_machine *m = fresh(cm);
    finish(m, whole);
    rvvm_destroy(m);
    /* The totals match the hand-made trace. */
    assert_int_equal(whole->instret, ntrace);
    assert_int_equal(whole->cycles, prefix[ntrace]);
}

static void every_budget(const rvvm_cost_model *cm)
{
    build_prefix(cm);
    final_state whole;
    whole_run(cm, &whole);
    const uint64_t total = prefix[ntrace];
    for (uint64_t b = 1; b <= total; b = next_budget(b, total)) {
        rvvm_machine *m = fresh(cm);
        rvvm_run_result r;
        assert_int_equal(rvvm_run(m, b, &r), RVVM_OK);
        size_t k = expected_stop(0, b);
        check_stop(m, &r, k, b);
        final_state split;
        if (r.reason == RVVM_STOP_EXITED) {
            split.exit_code = r.exit_code;
            split.cycles = rvvm_cycles(m);
            split.instret = rvvm_instructions(m);
            assert_int_equal(rvvm_state_digest(m, split.digest), RVVM_OK);
        } else {
            finish(m, &split);
        }
        same_final(&whole, &split);
        rvvm_destroy(m);
    }
}

static void test_trace_sanity(void **state)
{
    (void)state;
    /* The hand-made trace: 4 + 5 iterations of 29 - 1 (one skipped instruction) + 3. */
    assert_int_equal(ntrace, 4 + 5 * 29 - 1 + 3);
    assert_int_equal(trace[ntrace - 1], 32);
    rvvm_cost_model unit;
    rvvm_cost_model_builtin("unit", &unit);
    final_state whole;
    build_prefix(&unit);
    whole_run(&unit, &whole);
}

static void test_every_budget_unit(void **state)
{
    (void)state;
    rvvm_cost_model cm;
    assert_int_equal(rvvm_cost_model_builtin("unit", &cm), RVVM_OK);
    every_budget(&cm);
    /* Under unit costs, cycles and instructions agree. */
    assert_int_equal(prefix[ntrace], ntrace);
}

static void test_every_budget_weighted(void **state)
{
    (void)state;
    rvvm_cost_model cm;
    assert_int_equal(rvvm_cost_model_builtin("weighted", &cm), RVVM_OK);
    every_budget(&cm);
}

/* A model where every class has its own cost, so any misclassification shows. */
static void distinct_model(rvvm_cost_model *cm)
{
    memset(cm, 0, sizeof *cm);
    snprintf(cm->name, sizeof cm->name, "distinct");
    for (int c = 0; c < RVVM_COST_CLASS_COUNT; c++)
        cm->cost[c] = 2u + 3u * (unsigned)c;
}

static void test_every_budget_distinct(void **state)
{
    (void)state;
    rvvm_cost_model cm;
    distinct_model(&cm);
    every_budget(&cm);
}

/* Many consecutive runs with a small budget each, checked step by step. */
static void chain(const rvvm_cost_model *cm, uint64_t budget)
{
    build_prefix(cm);
    final_state whole;
    whole_run(cm, &whole);
    rvvm_machine *m = fresh(cm);
    size_t k = 0;
    size_t calls = 0, stalls = 0;
    for (;;) {
        rvvm_run_result r;
        uint64_t before = rvvm_cycles(m);
        assert_int_equal(rvvm_run(m, budget, &r), RVVM_OK);
        calls++;
        size_t want = expected_stop(k, budget);
        check_stop(m, &r, want, before + budget);
        if (r.reason == RVVM_STOP_EXITED)
            break;
        if (want == k) {
            /* The next instruction costs more than the budget: no progress is
             * possible. Give it exactly its cost, which must be enough. */
            stalls++;
            uint64_t need = prefix[k + 1] - prefix[k];
            assert_true(need > budget);
            assert_int_equal(rvvm_run(m, need - 1, &r), RVVM_OK);
            check_stop(m, &r, k, before + need - 1);
            assert_int_equal(rvvm_run(m, need, &r), RVVM_OK);
            want = k + 1;
            check_stop(m, &r, want, before + need);
            if (r.reason == RVVM_STOP_EXITED)
                break;
        }
        k = want;
        assert_true(calls < 100000);
    }
    final_state split;
    split.exit_code = whole.exit_code; /* checked by check_stop's EXITED */
    split.cycles = rvvm_cycles(m);
    split.instret = rvvm_instructions(m);
    assert_int_equal(rvvm_state_digest(m, split.digest), RVVM_OK);
    same_final(&whole, &split);
    /* An exited machine does not run again. */
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, budget, &r), RVVM_ERR_STATE);
    rvvm_destroy(m);
    if (budget == 1 && cm->cost[RVVM_COST_ALU] == 1 && cm->cost[RVVM_COST_ECALL] == 1)
        assert_int_equal(calls, ntrace); /* unit costs, budget 1: one instruction per call */
    (void)stalls;
}

static void test_chains(void **state)
{
    (void)state;
    rvvm_cost_model unit, weighted, distinct;
    rvvm_cost_model_builtin("unit", &unit);
    rvvm_cost_model_builtin("weighted", &weighted);
    distinct_model(&distinct);
    const uint64_t budgets[] = {1, 2, 3, 7, 13, 64, 500, 501};
    for (size_t i = 0; i < sizeof budgets / sizeof budgets[0]; i++) {
        chain(&unit, budgets[i]);
        chain(&weighted, budgets[i]);
        chain(&distinct, budgets[i]);
    }
}

/* Mixed: the exit code seen after an uneven chain equals the whole run's. */
static void test_uneven_chain_exit_code(void **state)
{
    (void)state;
    rvvm_cost_model cm;
    rvvm_cost_model_builtin("weighted", &cm);
    build_prefix(&cm);
    final_state whole;
    whole_run(&cm, &whole);
    rvvm_machine *m = fresh(&cm);
    rvvm_run_result r;
    uint64_t step = 1;
    do {
        assert_int_equal(rvvm_run(m, step, &r), RVVM_OK);
        step = step * 3 % 1009 + 1;
    } while (r.reason == RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    assert_int_equal(r.exit_code, whole.exit_code);
    assert_int_equal(rvvm_cycles(m), whole.cycles);
    rvvm_destroy(m);
}

static void test_budget_zero(void **state)
{
    (void)state;
    rvvm_cost_model cm;
    rvvm_cost_model_builtin("unit", &cm);
    build_prefix(&cm);
    final_state whole;
    whole_run(&cm, &whole);
    rvvm_machine *m = fresh(&cm);
    uint8_t d0[32], d1[32];
    assert_int_equal(rvvm_state_digest(m, d0), RVVM_OK);
    rvvm_run_result r;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rvvm_run(m, 0, &r), RVVM_OK);
        assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
        assert_int_equal(rvvm_cycles(m), 0);
        assert_int_equal(rvvm_instructions(m), 0);
        assert_int_equal(rvvm_pc(m), EB_TEXT);
    }
    assert_int_equal(rvvm_state_digest(m, d1), RVVM_OK);
    assert_memory_equal(d0, d1, 32);
    /* Mid-run too. */
    assert_int_equal(rvvm_run(m, 50, &r), RVVM_OK);
    assert_int_equal(rvvm_cycles(m), 50);
    assert_int_equal(rvvm_state_digest(m, d0), RVVM_OK);
    assert_int_equal(rvvm_run(m, 0, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(rvvm_cycles(m), 50);
    assert_int_equal(rvvm_instructions(m), 50);
    assert_int_equal(rvvm_state_digest(m, d1), RVVM_OK);
    assert_memory_equal(d0, d1, 32);
    final_state split;
    finish(m, &split);
    same_final(&whole, &split);
    rvvm_destroy(m);
}

/* The same loop laid across a page boundary (see `base`). */
static void test_every_budget_across_pages(void **state)
{
    (void)state;
    /* Instruction 12 (sw, 4 bytes) starts 48 - 2 bytes after program[0]. */
    assert_int_equal(addr_of(12) - addr_of(0), 46);
    base = EB_TEXT + 0x1000 - 48;
    assemble(&code);
    build_trace();
    assert_int_equal(addr_of(12), EB_TEXT + 0x1000 - 2); /* straddles the boundary */
    assert_int_equal(trace[0], JUMP_IN);
    rvvm_cost_model cm;
    distinct_model(&cm);
    every_budget(&cm);
    chain(&cm, 5);
    rvvm_cost_model_builtin("weighted", &cm);
    chain(&cm, 3);
    chain(&cm, 500);
    base = EB_TEXT;
    assemble(&code);
    build_trace();
}

/*
 * A fault in the middle of a straight-line run: everything before it is
 * charged and retired, nothing after it, whatever the budget was.
 */
static void test_fault_mid_run(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    /* 0..5 straight line, 6 faults (load from page 0), 7.. never run */
    emit32(&b, ADDI(A0, ZERO, 1));           /* alu */
    emit32(&b, MUL(A1, A0, A0));             /* mul */
    emit32(&b, DIV(A2, A1, A0));             /* div */
    emit32(&b, LUI(T0, EB_DATA >> 12));      /* alu */
    emit32(&b, SD(A2, T0, 0));               /* store */
    emit32(&b, LD(A3, T0, 0));               /* load */
    emit32(&b, LD(A4, ZERO, 16));            /* faults */
    emit32(&b, ADDI(A0, ZERO, 2));
    emit32(&b, ADDI(A7, ZERO, 93));
    emit32(&b, ECALL());
    const rvvm_cost_class cls[6] = {RVVM_COST_ALU, RVVM_COST_MUL, RVVM_COST_DIV,
                                    RVVM_COST_ALU, RVVM_COST_STORE, RVVM_COST_LOAD};
    rvvm_cost_model cm;
    distinct_model(&cm);
    uint64_t pre[7] = {0};
    for (int i = 0; i < 6; i++)
        pre[i + 1] = pre[i] + cm.cost[cls[i]];
    const uint64_t load_cost = cm.cost[RVVM_COST_LOAD];
    for (uint64_t budget = 0; budget <= pre[6] + load_cost + 2; budget++) {
        rvvm_machine *m = code_machine(&b, &cm);
        rvvm_run_result r;
        assert_int_equal(rvvm_run(m, budget, &r), RVVM_OK);
        size_t k = 0;
        while (k < 6 && pre[k + 1] <= budget)
            k++;
        if (k < 6 || budget < pre[6] + load_cost) {
            /* Stopped by the budget before the faulting load (which costs a load). */
            assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
            assert_int_equal(rvvm_instructions(m), k);
            assert_int_equal(rvvm_cycles(m), pre[k]);
            assert_int_equal(rvvm_pc(m), EB_TEXT + 4 * k);
            assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
        }
        assert_int_equal(r.reason, RVVM_STOP_FAULT);
        assert_int_equal(r.fault.kind, RVVM_FAULT_LOAD_ACCESS);
        assert_int_equal(r.fault.pc, EB_TEXT + 24);
        assert_int_equal(r.fault.address, 16);
        /* The faulting load is not retired and costs nothing. */
        assert_int_equal(rvvm_instructions(m), 6);
        assert_int_equal(rvvm_cycles(m), pre[6]);
        assert_int_equal(rvvm_pc(m), EB_TEXT + 24);
        assert_int_equal(rvvm_reg(m, A3), 1);
        assert_int_equal(rvvm_reg(m, A0), 1);
        rvvm_destroy(m);
    }
}

/*
 * Runs the program in `b` (loaded at EB_TEXT with segment flags `seg_flags`)
 * whole, and split at every budget up to its total: each split run stops
 * exactly before trace instruction k (the longest prefix the budget pays, by
 * the classes in cls[] under the distinct model, at pc EB_TEXT + pcs[k]), and
 * resumed to the end it exits with exit_code and the whole run's state
 * digest. check_final, if given, checks the final registers.
 */
static void every_budget_against_whole_run(const rva_buf *b, uint32_t seg_flags,
                                           const rvvm_cost_class *cls, const uint64_t *pcs,
                                           size_t n, int exit_code,
                                           void (*check_final)(rvvm_machine *m))
{
    rvvm_cost_model cm;
    distinct_model(&cm);
    uint64_t pre[32] = {0};
    assert_true(n < sizeof pre / sizeof pre[0]);
    for (size_t i = 0; i < n; i++)
        pre[i + 1] = pre[i] + cm.cost[cls[i]];
    eb_elf e;
    eb_init(&e, EB_TEXT);
    eb_add(&e, PT_LOAD, seg_flags, EB_TEXT, b->bytes, b->len, b->len);
    size_t size;
    uint8_t *img = eb_build(&e, &size);
    uint8_t whole_digest[32] = {0};
    for (uint64_t budget = 0; budget <= pre[n]; budget = next_budget(budget, pre[n])) {
        rvvm_config c;
        rvvm_config_init(&c);
        c.memory_size = 1ull << 20;
        c.cost_model = cm;
        rvvm_machine *m = NULL;
        assert_int_equal(create(&c, &m), RVVM_OK);
        assert_int_equal(rvvm_load_elf_memory(m, img, size, "split", NULL, NULL), RVVM_OK);
        rvvm_run_result r;
        memset(&r, 0, sizeof r);
        if (budget > 0) { /* budget 0: one unsplit run, the reference */
            assert_int_equal(rvvm_run(m, budget, &r), RVVM_OK);
            size_t k = 0;
            while (k < n && pre[k + 1] <= budget)
                k++;
            assert_int_equal(rvvm_instructions(m), k);
            assert_int_equal(rvvm_cycles(m), pre[k]);
            if (k < n) {
                assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
                assert_int_equal(rvvm_pc(m), EB_TEXT + pcs[k]);
            }
        }
        if (budget == 0 || r.reason != RVVM_STOP_EXITED)
            assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
        assert_int_equal(r.reason, RVVM_STOP_EXITED);
        assert_int_equal(r.exit_code, exit_code);
        assert_int_equal(rvvm_instructions(m), n);
        assert_int_equal(rvvm_cycles(m), pre[n]);
        if (check_final)
            check_final(m);
        uint8_t d[32];
        assert_int_equal(rvvm_state_digest(m, d), RVVM_OK);
        if (budget == 0)
            memcpy(whole_digest, d, 32);
        assert_memory_equal(d, whole_digest, 32);
        rvvm_destroy(m);
    }
    free(img);
}

/*
 * A store that rewrites an instruction later in the same straight-line run
 * (the text is writable here). The machine must execute the new instruction
 * and charge for what it executed: the decoded run, paid at entry, changed.
 */
static void test_code_change_mid_run(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit32(&b, AUIPC(T0, 0));                /* 0: t0 = EB_TEXT (alu) */
    emit_li(&b, T1, MUL(A0, A0, A0));        /* 4, 8: lui + addiw (alu, alu) */
    emit32(&b, ADDI(A0, ZERO, 5));           /* 12 (alu) */
    emit32(&b, SW(T1, T0, 24));              /* 16: patch offset 24 (store) */
    emit32(&b, ADDI(A0, A0, 1));             /* 20 (alu) */
    emit32(&b, ADDI(A0, A0, 100));           /* 24: becomes mul a0, a0, a0 */
    emit32(&b, ADDI(A0, A0, 1));             /* 28 (alu) */
    emit32(&b, ADDI(A7, ZERO, 93));          /* 32 (alu) */
    emit32(&b, ECALL());                     /* 36 */
    /* Executed: alu x4, store, alu, mul, alu, alu, ecall; a0 = (5+1)^2 + 1 = 37 */
    const rvvm_cost_class cls[] = {RVVM_COST_ALU, RVVM_COST_ALU, RVVM_COST_ALU, RVVM_COST_ALU,
                                   RVVM_COST_STORE, RVVM_COST_ALU, RVVM_COST_MUL,
                                   RVVM_COST_ALU, RVVM_COST_ALU, RVVM_COST_ECALL};
    const uint64_t pcs[] = {0, 4, 8, 12, 16, 20, 24, 28, 32, 36};
    every_budget_against_whole_run(&b, PF_R | PF_W | PF_X, cls, pcs, sizeof cls / sizeof cls[0],
                                   37, NULL);
}

static void check_fused_pair_registers(rvvm_machine *m)
{
    const uint64_t first8 = (uint64_t)AUIPC(T0, 0) | (uint64_t)LD(T1, T0, 0) << 32;
    assert_int_equal(rvvm_reg(m, T0), EB_TEXT);
    assert_int_equal(rvvm_reg(m, T1), first8);
    assert_int_equal(rvvm_reg(m, A2), 6);
    assert_int_equal(rvvm_reg(m, A3), (uint64_t)-21);
    assert_int_equal(rvvm_reg(m, A4), UINT64_MAX);
    assert_int_equal(rvvm_reg(m, A5), (uint64_t)-21);
    assert_int_equal(rvvm_reg(m, RA), EB_TEXT + 40);
    assert_int_equal(rvvm_reg(m, A6), (uint64_t)-15);
}

/*
 * The fused pairs auipc + ld, mul + mulh[u] (either order) and auipc + jalr, at
 * every budget: each stop is exactly where the unfused instruction count says,
 * and the final state equals an unsplit run's. Register values are worked out
 * by hand.
 */
static void test_more_fused_pairs(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit32(&b, AUIPC(T0, 0));                /* 0: t0 = EB_TEXT        (alu)  ┐ fused */
    emit32(&b, LD(T1, T0, 0));               /* 4: t1 = first 8 bytes  (load) ┘ */
    emit32(&b, ADDI(A0, ZERO, 7));           /* 8 (alu) */
    emit32(&b, ADDI(A1, ZERO, -3));          /* 12 (alu) */
    emit32(&b, MULHU(A2, A0, A1));           /* 16: 6                  (mul)  ┐ fused */
    emit32(&b, MUL(A3, A0, A1));             /* 20: -21                (mul)  ┘ */
    emit32(&b, MUL(A5, A0, A1));             /* 24: -21                (mul)  ┐ fused */
    emit32(&b, MULH(A4, A0, A1));            /* 28: -1                 (mul)  ┘ */
    emit32(&b, AUIPC(RA, 0));                /* 32: ra = EB_TEXT + 32  (alu)  ┐ fused */
    emit32(&b, JALR(RA, RA, 16));            /* 36: to 48, ra = EB_TEXT + 40 ┘ (jump) */
    emit32(&b, ADDI(A0, A0, 100));           /* 40: skipped */
    emit32(&b, ADDI(A0, A0, 100));           /* 44: skipped */
    emit32(&b, ADD(A6, A2, A3));             /* 48: a6 = -15 (alu) */
    emit32(&b, ADDI(A7, ZERO, 93));          /* 52 (alu) */
    emit32(&b, ECALL());                     /* 56: exit(7) */
    const rvvm_cost_class cls[] = {RVVM_COST_ALU, RVVM_COST_LOAD, RVVM_COST_ALU, RVVM_COST_ALU,
                                   RVVM_COST_MUL, RVVM_COST_MUL, RVVM_COST_MUL, RVVM_COST_MUL,
                                   RVVM_COST_ALU, RVVM_COST_JUMP, RVVM_COST_ALU, RVVM_COST_ALU,
                                   RVVM_COST_ECALL};
    const uint64_t pcs[] = {0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 48, 52, 56};
    every_budget_against_whole_run(&b, PF_R | PF_X, cls, pcs, sizeof cls / sizeof cls[0], 7,
                                   check_fused_pair_registers);
}

/* auipc + ld where the load faults: the fault is the load's, and auipc is retired. */
static void test_fused_pair_second_faults(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit32(&b, AUIPC(T0, 0));                /* 0: t0 = EB_TEXT */
    emit32(&b, LD(T1, T0, -16));             /* 4: EB_TEXT - 16 is not mapped */
    emit32(&b, ADDI(A7, ZERO, 93));
    emit32(&b, ECALL());
    rvvm_cost_model cm;
    distinct_model(&cm);
    const uint64_t alu = cm.cost[RVVM_COST_ALU];
    for (uint64_t budget = 0; budget <= alu + cm.cost[RVVM_COST_LOAD]; budget++) {
        rvvm_machine *m = code_machine(&b, &cm);
        rvvm_run_result r;
        assert_int_equal(rvvm_run(m, budget == 0 ? RVVM_NO_LIMIT : budget, &r), RVVM_OK);
        if (budget != 0 && budget < alu + cm.cost[RVVM_COST_LOAD]) {
            /* The budget stops the run before the load (or before auipc). */
            assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
            assert_int_equal(rvvm_instructions(m), budget >= alu ? 1 : 0);
            assert_int_equal(rvvm_pc(m), EB_TEXT + (budget >= alu ? 4 : 0));
            assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
        }
        assert_int_equal(r.reason, RVVM_STOP_FAULT);
        assert_int_equal(r.fault.kind, RVVM_FAULT_LOAD_ACCESS);
        assert_int_equal(r.fault.pc, EB_TEXT + 4);
        assert_int_equal(r.fault.address, EB_TEXT - 16);
        assert_int_equal(rvvm_pc(m), EB_TEXT + 4);
        assert_int_equal(rvvm_instructions(m), 1);
        assert_int_equal(rvvm_cycles(m), alu);
        assert_int_equal(rvvm_reg(m, T0), EB_TEXT);
        rvvm_destroy(m);
    }
}

/* The host patches code between two runs (rvvm_write_memory): the next run sees it. */
static void test_host_patch_between_runs(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit32(&b, ADDI(A0, ZERO, 1));           /* 0 */
    emit32(&b, ADDI(A0, A0, 1));             /* 4 */
    emit32(&b, ADDI(A0, A0, 1));             /* 8: patched to addi a0, a0, 40 */
    emit32(&b, ADDI(A7, ZERO, 93));          /* 12 */
    emit32(&b, ECALL());
    rvvm_cost_model cm;
    rvvm_cost_model_builtin("unit", &cm);
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = 1ull << 20;
    rvvm_machine *m = NULL;
    assert_int_equal(create(&c, &m), RVVM_OK);
    eb_program p = {.code = b.bytes, .code_len = b.len};
    assert_int_equal(eb_load(m, &p), RVVM_OK);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, 2, &r), RVVM_OK);   /* the run was decoded and entered */
    assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(rvvm_pc(m), EB_TEXT + 8);
    uint32_t w = ADDI(A0, A0, 40);
    uint8_t bytes[4] = {(uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16), (uint8_t)(w >> 24)};
    assert_int_equal(rvvm_write_memory(m, EB_TEXT + 8, bytes, 4), RVVM_OK);
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    assert_int_equal(r.exit_code, 42);
    assert_int_equal(rvvm_instructions(m), 5);
    assert_int_equal(rvvm_cycles(m), 5);
    rvvm_destroy(m);
}

/* Budgets near 2^64 after some cycles were spent: no overflow, the program just ends. */
static void test_huge_budgets(void **state)
{
    (void)state;
    rvvm_cost_model cm;
    rvvm_cost_model_builtin("weighted", &cm);
    build_prefix(&cm);
    final_state whole;
    whole_run(&cm, &whole);
    const uint64_t huge[] = {UINT64_MAX - 1, UINT64_MAX - 600, (uint64_t)INT64_MAX + 1, UINT64_MAX};
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        rvvm_machine *m = fresh(&cm);
        rvvm_run_result r;
        assert_int_equal(rvvm_run(m, 777, &r), RVVM_OK);
        check_stop(m, &r, expected_stop(0, 777), 777);
        assert_int_equal(rvvm_run(m, huge[i], &r), RVVM_OK);
        assert_int_equal(r.reason, RVVM_STOP_EXITED);
        final_state split;
        split.exit_code = r.exit_code;
        split.cycles = rvvm_cycles(m);
        split.instret = rvvm_instructions(m);
        assert_int_equal(rvvm_state_digest(m, split.digest), RVVM_OK);
        same_final(&whole, &split);
        rvvm_destroy(m);
    }
}

/* ---- Cost models and cost files --------------------------------------- */

static void test_builtin_models(void **state)
{
    (void)state;
    rvvm_cost_model cm;
    assert_int_equal(rvvm_cost_model_builtin("unit", &cm), RVVM_OK);
    for (int c = 0; c < RVVM_COST_CLASS_COUNT; c++)
        assert_int_equal(cm.cost[c], 1);
    assert_int_equal(rvvm_cost_model_builtin("weighted", &cm), RVVM_OK);
    assert_int_equal(cm.cost[RVVM_COST_DIV], 32);
    assert_int_equal(cm.cost[RVVM_COST_ECALL], 500);
    assert_int_equal(cm.cost[RVVM_COST_BRANCH], 3);
    for (int c = 0; c < RVVM_COST_CLASS_COUNT; c++)
        assert_true(cm.cost[c] >= 1 && cm.cost[c] <= RVVM_COST_MAX);
    assert_int_equal(rvvm_cost_model_builtin("nonesuch", &cm), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_cost_model_builtin(NULL, &cm), RVVM_ERR_INVALID_ARGUMENT);

    assert_string_equal(rvvm_cost_class_name(RVVM_COST_BRANCH), "branch");
    assert_string_equal(rvvm_cost_class_name(RVVM_COST_ALU), "alu");
    assert_string_equal(rvvm_cost_class_name(RVVM_COST_EBREAK), "ebreak");
    assert_null(rvvm_cost_class_name(RVVM_COST_CLASS_COUNT));
    assert_null(rvvm_cost_class_name((rvvm_cost_class)-1));

    /* A machine refuses a model with a zero or oversized cost. */
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = 1ull << 20;
    c.cost_model.cost[RVVM_COST_LOAD] = 0;
    rvvm_machine *m = (rvvm_machine *)1;
    assert_int_equal(create(&c, &m), RVVM_ERR_INVALID_ARGUMENT);
    assert_null(m);
    c.cost_model.cost[RVVM_COST_LOAD] = RVVM_COST_MAX + 1;
    assert_int_equal(create(&c, &m), RVVM_ERR_INVALID_ARGUMENT);
    c.cost_model.cost[RVVM_COST_LOAD] = RVVM_COST_MAX;
    assert_int_equal(create(&c, &m), RVVM_OK);
    rvvm_destroy(m);
}

static rvvm_status parse(const char *text, rvvm_cost_model *cm, char *err, size_t err_size)
{
    return rvvm_cost_model_parse(text, strlen(text), cm, err, err_size);
}

static void test_parse_good(void **state)
{
    (void)state;
    rvvm_cost_model cm;
    char err[128] = "";
    const char *text = "branch = 4\n# c\nload=2\n";
    assert_int_equal(parse(text, &cm, err, sizeof err), RVVM_OK);
    for (int c = 0; c < RVVM_COST_CLASS_COUNT; c++) {
        uint32_t want = c == RVVM_COST_BRANCH ? 4 : c == RVVM_COST_LOAD ? 2 : 1;
        assert_int_equal(cm.cost[c], want);
    }
    /* Spaces, tabs, blank lines, trailing comments, no final newline */
    text = "\n  alu\t=\t3   # three\n\n#div = 99\n\tdiv= 1000000\nmul =7";
    assert_int_equal(parse(text, &cm, err, sizeof err), RVVM_OK);
    assert_int_equal(cm.cost[RVVM_COST_ALU], 3);
    assert_int_equal(cm.cost[RVVM_COST_DIV], 1000000);
    assert_int_equal(cm.cost[RVVM_COST_MUL], 7);
    assert_int_equal(cm.cost[RVVM_COST_LOAD], 1);
    /* Empty text: every class costs 1. */
    assert_int_equal(parse("", &cm, err, sizeof err), RVVM_OK);
    for (int c = 0; c < RVVM_COST_CLASS_COUNT; c++)
        assert_int_equal(cm.cost[c], 1);
    /* Every class name round-trips. */
    for (int c = 0; c < RVVM_COST_CLASS_COUNT; c++) {
        char line[64];
        snprintf(line, sizeof line, "%s = %d\n", rvvm_cost_class_name((rvvm_cost_class)c), 10 + c);
        assert_int_equal(parse(line, &cm, err, sizeof err), RVVM_OK);
        for (int d = 0; d < RVVM_COST_CLASS_COUNT; d++)
            assert_int_equal(cm.cost[d], d == c ? (uint32_t)(10 + c) : 1u);
    }
    /* Only `len` bytes are read. */
    const char *cut = "alu = 5\nload = x";
    assert_int_equal(rvvm_cost_model_parse(cut, 8, &cm, err, sizeof err), RVVM_OK);
    assert_int_equal(cm.cost[RVVM_COST_ALU], 5);
    /* A parsed model runs. */
    assert_int_equal(parse("ecall = 1000\n", &cm, err, sizeof err), RVVM_OK);
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = 1ull << 20;
    c.cost_model = cm;
    rvvm_machine *m;
    assert_int_equal(create(&c, &m), RVVM_OK);
    eb_program p = {.code = code.bytes, .code_len = code.len, .data_memsz = 0x100};
    assert_int_equal(eb_load(m, &p), RVVM_OK);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    /* 6 ecalls (5 writes and the exit) at 1000, the rest at 1 */
    assert_int_equal(rvvm_cycles(m), (uint64_t)(ntrace - 6) + 6 * 1000);
    rvvm_destroy(m);
}

static void expect_parse_error(const char *text, const char *line_tag, const char *also)
{
    rvvm_cost_model cm, before;
    memset(&cm, 0x5a, sizeof cm);
    before = cm;
    char err[128];
    memset(err, 0, sizeof err);
    rvvm_status st = parse(text, &cm, err, sizeof err);
    if (st == RVVM_OK || !strstr(err, line_tag) || (also && !strstr(err, also)))
        print_error("text \"%s\": status %d, err \"%s\" (want '%s'%s%s)\n", text, (int)st, err,
                    line_tag, also ? " and " : "", also ? also : "");
    assert_int_equal(st, RVVM_ERR_INVALID_ARGUMENT);
    assert_non_null(strstr(err, line_tag));
    if (also)
        assert_non_null(strstr(err, also));
    assert_memory_equal(&cm, &before, sizeof cm); /* untouched on failure */
    /* NULL err and a tiny err buffer are both fine. */
    assert_int_equal(parse(text, &cm, NULL, 0), RVVM_ERR_INVALID_ARGUMENT);
    char tiny[6];
    memset(tiny, 'z', sizeof tiny);
    assert_int_equal(parse(text, &cm, tiny, sizeof tiny), RVVM_ERR_INVALID_ARGUMENT);
    assert_non_null(memchr(tiny, '\0', sizeof tiny));
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_parse_error("branch = 4\nfoo = 3\n", "line 2", "foo");
    expect_parse_error("# x\n\nbranchy = 3\n", "line 3", "branchy");
    expect_parse_error("ALU = 3\n", "line 1", "ALU");           /* names are lower case */
    expect_parse_error("name = 3\n", "line 1", NULL);
    expect_parse_error("\n\nload = 0\n", "line 3", NULL);       /* zero cost */
    expect_parse_error("load = 1000001\n", "line 1", NULL);     /* above RVVM_COST_MAX */
    expect_parse_error("load = 99999999999999999999999\n", "line 1", NULL);
    expect_parse_error("load = 18446744073709551617\n", "line 1", NULL);
    expect_parse_error("load = 4294967297\n", "line 1", NULL);  /* 2^32 + 1 */
    expect_parse_error("alu = abc\n", "line 1", NULL);
    expect_parse_error("alu = 3x\n", "line 1", NULL);
    expect_parse_error("alu = -1\n", "line 1", NULL);
    expect_parse_error("alu = +1\n", "line 1", NULL);
    expect_parse_error("alu = 1.5\n", "line 1", NULL);
    expect_parse_error("alu = 0x10\n", "line 1", NULL);
    expect_parse_error("alu =\n", "line 1", NULL);
    expect_parse_error("alu = 2 3\n", "line 1", NULL);
    expect_parse_error("alu = = 2\n", "line 1", NULL);
    expect_parse_error("alu 2\n", "line 1", NULL);
    expect_parse_error("hello world\n", "line 1", NULL);
    expect_parse_error("= 5\n", "line 1", NULL);
    expect_parse_error("alu load = 3\n", "line 1", NULL);
    expect_parse_error("alu = 1\nmul = 2\ndiv = 3\nfence = 4\n\n\n@@@\n", "line 7", NULL);
    /* An embedded NUL byte */
    rvvm_cost_model cm;
    char err[128] = "";
    assert_int_equal(rvvm_cost_model_parse("alu = 1\nmu\0l = 2\n", 17, &cm, err, sizeof err),
                     RVVM_ERR_INVALID_ARGUMENT);
    assert_non_null(strstr(err, "line 2"));
    assert_int_equal(rvvm_cost_model_parse(NULL, 0, &cm, err, sizeof err),
                     RVVM_ERR_INVALID_ARGUMENT);
}

static int setup(void **state)
{
    (void)state;
    init_program();
    assemble(&code);
    build_trace();
    return ntrace <= MAX_TRACE ? 0 : -1;
}

/*
 * "jit-file": the cache file's code (compiled differently: -O2, larger
 * regions, registers written back at the exits) at every budget. A first
 * pass runs the tests with a cache in a new directory and saves its file; a
 * second runs them again with a new cache that loads that file, so its code
 * is what runs, and must have installed code from the file.
 */
static int run_file_passes(const struct CMUnitTest *tests, size_t ntests)
{
    char dir[] = "/tmp/rvvm-metering-XXXXXX", err[256];
    if (!mkdtemp(dir)) {
        printf("cannot make a directory\n");
        return 1;
    }
    int failed = 0;
    rvvm_jit_cache_stats st = {0};
    for (int pass = 0; pass < 2 && !failed; pass++) {
        test_cache = rvvm_jit_cache_create_persistent(dir, "metering", 8, RVVM_JIT_SYNC, err, sizeof err);
        if (!test_cache || err[0]) {
            printf("cache: %s\n", err);
            failed = 1;
            break;
        }
        failed = _cmocka_run_group_tests(pass ? "metering-jit-file" : "metering-jit-compile", tests, ntests,
                                         setup, NULL);
        if (pass == 0 && rvvm_jit_cache_save(test_cache, err, sizeof err) != RVVM_OK) {
            printf("save: %s\n", err);
            failed = 1;
        }
        rvvm_jit_cache_get_stats(test_cache, &st);
        rvvm_jit_cache_release(test_cache);
    }
    printf("jit-file: %llu slots loaded from the file, %llu compilations in the second pass\n",
           (unsigned long long)st.loaded, (unsigned long long)st.compilations);
    if (st.loaded == 0)
        failed = 1;
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        failed = 1;
    return failed;
}

int main(int argc, char **argv)
{
    bool file = argc > 1 && strcmp(argv[1], "jit-file") == 0;
    if (argc > 1 && (strcmp(argv[1], "jit") == 0 || file)) {
        if (!rvvm_jit_available()) {
            printf("built without the translation tier: skipped\n");
            return 77;
        }
        test_engine = RVVM_ENGINE_JIT;
        if (!file && !(test_cache = rvvm_jit_cache_create(RVVM_JIT_SYNC))) {
            printf("cannot make a translation cache\n");
            return 1;
        }
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trace_sanity),
        cmocka_unit_test(test_every_budget_unit),
        cmocka_unit_test(test_every_budget_weighted),
        cmocka_unit_test(test_every_budget_distinct),
        cmocka_unit_test(test_every_budget_across_pages),
        cmocka_unit_test(test_fault_mid_run),
        cmocka_unit_test(test_code_change_mid_run),
        cmocka_unit_test(test_more_fused_pairs),
        cmocka_unit_test(test_fused_pair_second_faults),
        cmocka_unit_test(test_host_patch_between_runs),
        cmocka_unit_test(test_chains),
        cmocka_unit_test(test_uneven_chain_exit_code),
        cmocka_unit_test(test_budget_zero),
        cmocka_unit_test(test_huge_budgets),
        cmocka_unit_test(test_builtin_models),
        cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_parse_errors),
    };
    if (file)
        return run_file_passes(tests, sizeof tests / sizeof tests[0]) || translated_total == 0;
    int failed = cmocka_run_group_tests(tests, setup, NULL);
    if (test_engine == RVVM_ENGINE_JIT) {
        rvvm_jit_cache_release(test_cache);
        /* The tier must have run translated code, or this run tested nothing new. */
        printf("jit: %llu runs installed in finished machines\n", (unsigned long long)translated_total);
        if (translated_total == 0)
            failed = 1;
    }
    return failed;
}
