/*
 * Fuzz target: the decoder and interpreter on random instruction streams,
 * checked differentially.
 *
 * The input's bytes become the code of a small static program (built in
 * memory with tests/unit/elfbuild.c) with a data area, after a prologue that
 * points registers into the data. Two identical machines load it:
 *   A, the fast path, runs a few large budgets chosen by the input;
 *   B single-steps: each rvvm_run gets the smallest budget that retires an
 *     instruction (tried in increasing order over the model's distinct costs,
 *     so exactly one instruction runs).
 * After each of A's stops, B is stepped to the same instruction count and
 * the two must agree on x0..x31, pc, cycles, instructions, the state digest
 * (which covers FP registers, fcsr and memory), and the stop: exit code, or
 * fault kind, pc, address and encoding. At a cycle-limit stop the budget
 * must have been exact: B, given what was left of A's budget, retires
 * nothing. Runs are bounded by a total cycle cap.
 *
 * Input layout: byte 0 options (cost model, writable code, chunking),
 * bytes 1..8 A's budgets, bytes 9..22 custom costs, the rest is code.
 */
#include "fuzz.h"

#include <string.h>

#include "../tests/unit/elfbuild.h"
#include "../tests/unit/rvasm.h"
#include "rvvm/rvvm.h"

#define CODE_VA 0x10000ull
#define DATA_VA 0x20000ull
#define DATA_SIZE 0x3000u
#define MAX_CODE 4096u
#define CYCLE_CAP 6000u

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

typedef struct vm {
    rvvm_machine *m;
    uint64_t out_hash;
    int live;               /* not yet exited or faulted */
    rvvm_run_result last;   /* the last stop */
} vm;

static int setup(vm *v, const rvvm_cost_model *cm, const uint8_t *img, size_t img_size)
{
    rvvm_config cfg;
    rvvm_config_init(&cfg);
    cfg.memory_size = 2ull << 20;
    cfg.cost_model = *cm;
    memset(v, 0, sizeof *v);
    v->live = 1;
    FUZZ_CHECK(rvvm_create(&cfg, &v->m) == RVVM_OK, "rvvm_create");
    rvvm_set_io(v->m, fuzz_no_read, fuzz_count_write, &v->out_hash);
    static const char *const argv[] = {"fuzz", NULL};
    return rvvm_load_elf_memory(v->m, img, img_size, "fuzz", argv, NULL) == RVVM_OK;
}

static void compare(const vm *a, const vm *b, const char *when)
{
    for (unsigned i = 0; i < 32; i++)
        FUZZ_CHECK(rvvm_reg(a->m, i) == rvvm_reg(b->m, i), "%s: x%u fast %#llx step %#llx", when,
                   i, (unsigned long long)rvvm_reg(a->m, i), (unsigned long long)rvvm_reg(b->m, i));
    FUZZ_CHECK(rvvm_pc(a->m) == rvvm_pc(b->m), "%s: pc fast %#llx step %#llx", when,
               (unsigned long long)rvvm_pc(a->m), (unsigned long long)rvvm_pc(b->m));
    FUZZ_CHECK(rvvm_cycles(a->m) == rvvm_cycles(b->m), "%s: cycles fast %llu step %llu", when,
               (unsigned long long)rvvm_cycles(a->m), (unsigned long long)rvvm_cycles(b->m));
    FUZZ_CHECK(rvvm_instructions(a->m) == rvvm_instructions(b->m),
               "%s: instructions fast %llu step %llu", when,
               (unsigned long long)rvvm_instructions(a->m),
               (unsigned long long)rvvm_instructions(b->m));
    uint8_t da[32], db[32];
    FUZZ_CHECK(rvvm_state_digest(a->m, da) == RVVM_OK, "digest");
    FUZZ_CHECK(rvvm_state_digest(b->m, db) == RVVM_OK, "digest");
    FUZZ_CHECK(memcmp(da, db, 32) == 0, "%s: state digests differ (pc %#llx)", when,
               (unsigned long long)rvvm_pc(a->m));
    FUZZ_CHECK(a->out_hash == b->out_hash, "%s: output differs", when);
}

static void compare_stops(const rvvm_run_result *a, const rvvm_run_result *b)
{
    FUZZ_CHECK(a->reason == b->reason, "stop reason fast %d step %d", (int)a->reason,
               (int)b->reason);
    if (a->reason == RVVM_STOP_EXITED)
        FUZZ_CHECK(a->exit_code == b->exit_code, "exit code fast %d step %d", a->exit_code,
                   b->exit_code);
    if (a->reason == RVVM_STOP_FAULT)
        FUZZ_CHECK(a->fault.kind == b->fault.kind && a->fault.pc == b->fault.pc &&
                       a->fault.address == b->fault.address &&
                       a->fault.encoding == b->fault.encoding,
                   "fault fast (%s pc %#llx addr %#llx enc %#x) step (%s pc %#llx addr %#llx "
                   "enc %#x)",
                   rvvm_fault_kind_string(a->fault.kind), (unsigned long long)a->fault.pc,
                   (unsigned long long)a->fault.address, a->fault.encoding,
                   rvvm_fault_kind_string(b->fault.kind), (unsigned long long)b->fault.pc,
                   (unsigned long long)b->fault.address, b->fault.encoding);
}

/* One instruction on B (or its stop). costs[] are the distinct costs, ascending. */
static void step(vm *b, const uint32_t *costs, unsigned ncosts)
{
    uint64_t before = rvvm_instructions(b->m), cyc = rvvm_cycles(b->m);
    for (unsigned k = 0; k < ncosts; k++) {
        rvvm_run_result r;
        FUZZ_CHECK(rvvm_run(b->m, costs[k], &r) == RVVM_OK, "step run: %s",
                   rvvm_last_error(b->m));
        uint64_t ran = rvvm_instructions(b->m) - before;
        FUZZ_CHECK(ran <= 1, "a budget of %u ran %llu instructions", costs[k],
                   (unsigned long long)ran);
        FUZZ_CHECK(rvvm_cycles(b->m) - cyc <= costs[k], "budget %u overrun", costs[k]);
        b->last = r;
        if (r.reason != RVVM_STOP_CYCLE_LIMIT) {
            b->live = 0;
            return;
        }
        if (ran == 1)
            return;
        FUZZ_CHECK(rvvm_cycles(b->m) == cyc, "cycles spent without an instruction");
    }
    FUZZ_CHECK(0, "no budget up to the largest cost retires an instruction at pc %#llx",
               (unsigned long long)rvvm_pc(b->m));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_bytes in = {data, size, 0};
    fuzz_header head = fuzz_take_header(&in);
    unsigned opt = head.opt;
    const uint8_t *budgets = head.budgets;
    size_t code_len = in.pos < size ? size - in.pos : 0;
    if (code_len > MAX_CODE)
        code_len = MAX_CODE;
    const uint8_t *code = data + (in.pos < size ? in.pos : size);

    rvvm_cost_model cm = head.costs;
    uint32_t costs[RVVM_COST_CLASS_COUNT];
    unsigned ncosts = 0;
    for (uint32_t c = 1; c <= 1000; c++)
        for (int i = 0; i < RVVM_COST_CLASS_COUNT; i++)
            if (cm.cost[i] == c) {
                costs[ncosts++] = c;
                break;
            }

    /* Prologue: x1 and x3..x15 point into the data area, x16..x31 hold small values. */
    static uint32_t text[64 + MAX_CODE / 4 + 1];
    size_t n = 0;
    for (unsigned r = 1; r < 32; r++) {
        if (r == 2)
            continue; /* keep sp */
        int32_t value = r < 16 ? (int32_t)(DATA_VA + 0x1000 + 0x80 * r) : (int32_t)r - 24;
        n += rva_li32(text + n, r, value);
    }
    size_t text_bytes = n * 4 + code_len;
    static uint8_t textb[sizeof text];
    memcpy(textb, text, n * 4);
    memcpy(textb + n * 4, code, code_len);

    static uint8_t dat[DATA_SIZE];
    for (unsigned i = 0; i < DATA_SIZE; i++)
        dat[i] = (uint8_t)(i * 37u + (i >> 8));

    eb_elf e;
    eb_init(&e, CODE_VA);
    uint32_t code_flags = PF_R | PF_X | ((opt & 4) ? PF_W : 0);
    eb_add(&e, PT_LOAD, code_flags, CODE_VA, textb, text_bytes, text_bytes);
    eb_add(&e, PT_LOAD, PF_R | PF_W, DATA_VA, dat, DATA_SIZE, DATA_SIZE);
    size_t img_size = 0;
    uint8_t *img = eb_build(&e, &img_size);
    FUZZ_CHECK(img != NULL, "out of memory");

    vm a, b;
    int la = setup(&a, &cm, img, img_size), lb = setup(&b, &cm, img, img_size);
    free(img);
    FUZZ_CHECK(la && lb, "the generated program does not load: %s", rvvm_last_error(a.m));

    /* A's budgets: with bit 3 set, one large run; otherwise up to eight chunks. */
    uint64_t spent = 0;
    for (int chunk = 0; a.live && spent < CYCLE_CAP; chunk++) {
        uint64_t budget;
        if ((opt & 8) || chunk >= 8)
            budget = CYCLE_CAP - spent;
        else
            budget = 1u + (uint64_t)budgets[chunk] * ((opt >> 4) + 1u);
        if (budget > CYCLE_CAP - spent)
            budget = CYCLE_CAP - spent;
        uint64_t c0 = rvvm_cycles(a.m);
        rvvm_run_result r;
        FUZZ_CHECK(rvvm_run(a.m, budget, &r) == RVVM_OK, "run: %s", rvvm_last_error(a.m));
        uint64_t used = rvvm_cycles(a.m) - c0;
        FUZZ_CHECK(used <= budget, "spent %llu of a budget of %llu", (unsigned long long)used,
                   (unsigned long long)budget);
        spent += budget;
        a.last = r;
        if (r.reason != RVVM_STOP_CYCLE_LIMIT)
            a.live = 0;

        while (b.live && rvvm_instructions(b.m) < rvvm_instructions(a.m))
            step(&b, costs, ncosts);
        if (!a.live && b.live)
            step(&b, costs, ncosts); /* the instruction that exits or faults */
        FUZZ_CHECK(a.live == b.live, "fast %s, stepping %s", a.live ? "runs on" : "stopped",
                   b.live ? "runs on" : "stopped");
        if (!a.live)
            compare_stops(&a.last, &b.last);
        compare(&a, &b, a.live ? "at a cycle limit" : "at the end");
        if (a.live) {
            /* The budget was exact: what was left does not pay for the next instruction. */
            uint64_t left = budget - used;
            uint64_t i0 = rvvm_instructions(b.m);
            rvvm_run_result rb;
            FUZZ_CHECK(rvvm_run(b.m, left, &rb) == RVVM_OK, "run");
            FUZZ_CHECK(rvvm_instructions(b.m) == i0,
                       "%llu cycles were left, enough for the next instruction",
                       (unsigned long long)left);
            if (rb.reason != RVVM_STOP_CYCLE_LIMIT) {
                /* A fault costs nothing, so it may come within what was left: the same
                 * state with the same budget must then stop A the same way. */
                b.live = 0;
                b.last = rb;
                FUZZ_CHECK(rvvm_run(a.m, left, &r) == RVVM_OK, "run");
                a.live = 0;
                a.last = r;
                compare_stops(&a.last, &b.last);
                compare(&a, &b, "at a fault within the leftover budget");
            }
        }
    }
    FUZZ_NOTE("  %llu instructions, %llu cycles, stop %d (%s)",
              (unsigned long long)rvvm_instructions(a.m), (unsigned long long)rvvm_cycles(a.m),
              (int)a.last.reason,
              a.last.reason == RVVM_STOP_FAULT ? rvvm_fault_kind_string(a.last.fault.kind) : "");
    rvvm_destroy(a.m);
    rvvm_destroy(b.m);
    return 0;
}
